"""Object scope: which departments' and regions' objects a signed-in user may read and act on.

Roles say what kind of thing a user may do; scope says to which objects. Each domain asks this module the
one question it needs (a department's objects, a region's objects) in its own scope rule, and every handler
and page of that domain goes through that rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from supervise.errors import Forbidden
from supervise.models import Department, Region, User

# Roles whose work spans the province: the 督查室 oversees every unit, the auditor reads everything, and the
# administrator manages the installation. Everyone else works for one department.
PROVINCE_WIDE = frozenset({"admin", "supervisor", "auditor"})


@dataclass(frozen=True)
class Reach:
    """What one user's scope covers: their department and that department's region, or everything."""

    department_id: int | None
    department_kind: str | None
    region_code: str | None
    everywhere: bool


def reach_of(session: Session, *, user_id: int | None) -> Reach:
    """The scope of the user with this id (an unknown or departmentless user reaches nothing)."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return Reach(None, None, None, False)
    dept = session.get(Department, user.department_id) if user.department_id else None
    return Reach(
        dept.id if dept else None,
        dept.kind if dept else None,
        dept.region_code if dept else None,
        user.role in PROVINCE_WIDE,
    )


def region_chain(session: Session, code: str) -> list[str]:
    """The region's code followed by its parents' codes up to the province."""
    chain: list[str] = []
    current: str | None = code
    while current and current not in chain and len(chain) < 8:
        chain.append(current)
        row = session.get(Region, current)
        current = row.parent_code if row else None
    return chain


def covers_region(session: Session, reach: Reach, region_code: str | None) -> bool:
    """True when the region lies in the user's department's region (that region or one below it)."""
    if reach.everywhere:
        return True
    if reach.region_code is None or region_code is None:
        return False
    return reach.region_code in region_chain(session, region_code)


def covers_department(session: Session, reach: Reach, department_id: int | None) -> bool:
    """True for the user's own department, or a department of the same kind in a region below theirs.

    A city's 市场监管局 oversees the districts' 市场监管局 (上一级), never another kind of department."""
    if reach.everywhere:
        return True
    if reach.department_id is None or department_id is None:
        return False
    if department_id == reach.department_id:
        return True
    dept = session.get(Department, department_id)
    return bool(dept and dept.kind == reach.department_kind and covers_region(session, reach, dept.region_code))


def out_of_scope(what: str) -> Forbidden:
    """The refusal for an object outside the user's scope (it names the object, not its contents)."""
    return Forbidden(
        None,
        f"该{what}不属于您所在地区或部门的管辖范围，无权查看或办理",
        code="out_of_scope",
        fields=[{"field": "scope", "label": "管辖范围", "message": f"{what}不在本人所在部门或地区的管辖范围内"}],
    )


def departments_within(session: Session, reach: Reach) -> list[int] | None:
    """Ids of the departments the user reaches (None when they reach every department)."""
    if reach.everywhere:
        return None
    if reach.department_id is None:
        return []
    if reach.region_code is None:
        return [reach.department_id]
    same_kind = session.exec(select(Department).where(Department.kind == reach.department_kind)).all()
    ids = {reach.department_id}
    for dept in same_kind:
        if dept.id is not None and covers_region(session, reach, dept.region_code):
            ids.add(dept.id)
    return sorted(ids)
