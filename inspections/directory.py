"""检查对象名录库 and 执法检查人员名录库 as spreadsheets: export, and validated import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspections.draw.teams import jurisdiction
from inspections.models import InspectionItem
from inspections.services import get_task, scope_condition, task_items
from supervise import audit
from supervise.errors import field_error, import_rejected
from supervise.imports import runs_import
from supervise.importspec import Column, ImportSpec, register
from supervise.models import Department, Enterprise, Inspector, Region
from supervise.schemas import ImportReport, ImportRowError

TARGET_COLUMNS = (
    "uscc",
    "name",
    "legal_rep_name",
    "region_code",
    "township_code",
    "industry_code",
    "risk_tier",
    "status",
)
INSPECTOR_COLUMNS = (
    "badge_no",
    "name",
    "department_code",
    "region_code",
    "residence_township_code",
    "specialties",
    "active",
    "office_township_code",  # the post's township (所所交叉); empty for the county office
)
_TRUE = {"1", "true", "yes", "是", "在岗", "y"}
_FALSE = {"0", "false", "no", "否", "停用", "n"}


def target_rows(
    session: Session, *, task_code: str | None = None, region: str | None = None, item_codes: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """The 检查对象名录库: operating firms in scope of a task, or of items within a region."""
    if task_code:
        task = get_task(session, code=task_code)
        items, region = task_items(session, task), task.region_code
    else:
        if not region:
            raise field_error("region", "请指定抽查任务或行政区划")
        items = list(session.exec(select(InspectionItem).where(col(InspectionItem.code).in_(list(item_codes)))).all())
        if item_codes and len(items) != len(set(item_codes)):
            raise field_error("items", "抽查事项编号不存在")
    stmt = sa_select(*(col(getattr(Enterprise, c)) for c in TARGET_COLUMNS)).where(
        col(Enterprise.region_code).startswith(jurisdiction(region)), col(Enterprise.status) == "存续"
    )
    if items:
        stmt = stmt.where(scope_condition(items))
    return [tuple(r) for r in session.execute(stmt.order_by(col(Enterprise.uscc))).all()]


def inspector_rows(session: Session, *, region: str | None = None) -> list[tuple[Any, ...]]:
    """The 执法检查人员名录库 (residence townships are personal data: exported for officers only)."""
    stmt = sa_select(
        col(Inspector.badge_no),
        col(Inspector.name),
        col(Department.code),
        col(Inspector.region_code),
        col(Inspector.residence_township_code),
        col(Inspector.specialties),
        col(Inspector.active),
        col(Inspector.office_township_code),
    ).join(Department, col(Department.id) == col(Inspector.department_id))
    if region:
        stmt = stmt.where(col(Inspector.region_code).startswith(jurisdiction(region)))
    return [
        (*r[:6], "是" if r[6] else "否", r[7]) for r in session.execute(stmt.order_by(col(Inspector.badge_no))).all()
    ]


INSPECTOR_IMPORT = register(
    ImportSpec(
        "inspectors",
        "执法检查人员名录导入",
        (
            Column("badge_no", "执法证号", True, "33010212345", "行政执法证件号，唯一", ("执法证件号",)),
            Column("name", "姓名", True, "李某", ""),
            Column("department_code", "部门代码", True, "330102-SCJG", "本系统的部门代码：地区代码-部门简称",
                   ("所属部门代码",)),
            Column("region_code", "所在地区代码", True, "330102", "县级行政区划代码", ("地区代码",)),
            Column("residence_township_code", "居住地乡镇代码", False, "330102003", "用于回避：不抽到居住地的主体",
                   ("居住乡镇代码",)),
            Column("specialties", "专业领域", False, "食品;特种设备", "以分号分隔"),
            Column("active", "是否在岗", False, "是", "是或否；留空为是", ("在岗",)),
            Column("office_township_code", "所在执法所乡镇代码", False, "", "执法所的乡镇代码（所所交叉）；县局留空",
                   ("执法所乡镇代码",)),
        ),
        roles=("credit_officer", "admin"),
    )
)  # fmt: skip
INSPECTOR_REQUIRED = INSPECTOR_IMPORT.required  # badge, name, department, region: an import without them is refused


def import_inspectors(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, only_valid: bool = False
) -> ImportReport:
    """Validate every row; create or update inspectors by badge, or write nothing if any row is bad."""
    depts = {d.code: d for d in session.exec(select(Department)).all()}
    regions = set(session.exec(select(Region.code)).all())
    errors: list[ImportRowError] = []
    good: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        problems: list[tuple[str, str]] = []
        badge = raw.get("badge_no", "").strip()
        if not badge or len(badge) > 32:
            problems.append(("badge_no", "执法证号不能为空且不超过 32 位"))
        elif badge in seen:
            problems.append(("badge_no", f"执法证号 {badge} 与第 {seen[badge]} 行重复"))
        else:
            seen[badge] = line
        if not raw.get("name", "").strip():
            problems.append(("name", "姓名不能为空"))
        dept = depts.get(raw.get("department_code", "").strip())
        if dept is None:
            problems.append(("department_code", f"部门代码 {raw.get('department_code', '')!r} 不存在"))
        region = raw.get("region_code", "").strip()
        if region not in regions:
            problems.append(("region_code", f"行政区划代码 {region!r} 不存在"))
        township = raw.get("residence_township_code", "").strip() or None
        if township and township not in regions:
            problems.append(("residence_township_code", f"乡镇街道代码 {township!r} 不存在"))
        office = raw.get("office_township_code", "").strip() or None
        if office and (office not in regions or not office.startswith(region) or len(office) != 9):
            problems.append(("office_township_code", f"所在乡镇街道代码 {office!r} 不存在或不在其行政区划内"))
        active_text = raw.get("active", "是").strip().lower() or "是"
        if active_text not in _TRUE | _FALSE:
            problems.append(("active", f"在岗状态 {active_text!r} 应为 是/否"))
        if problems:
            errors.extend(ImportRowError(line=line, field=f, message=m) for f, m in problems)
            continue
        assert dept is not None
        good.append(
            {
                "badge_no": badge,
                "name": raw["name"].strip(),
                "department_id": dept.id,
                "region_code": region,
                "residence_township_code": township,
                "office_township_code": office,
                "specialties": raw.get("specialties", "").strip()[:256],
                "active": active_text in _TRUE,
            }
        )
    if errors and not only_valid:
        raise import_rejected(errors)
    existing = (
        {
            i.badge_no: i
            for i in session.exec(
                select(Inspector).where(col(Inspector.badge_no).in_([g["badge_no"] for g in good]))
            ).all()
        }
        if good
        else {}
    )
    created = 0
    for values in good:
        row = existing.get(values["badge_no"])
        if row is None:
            session.add(Inspector(**values))
            created += 1
        else:
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="inspectors.imported",
        object_type="inspector_import",
        object_id=source[:64],
        payload={
            "created": created,
            "updated": len(good) - created,
            "rejected_lines": sorted({e.line for e in errors}),
        },
    )
    return ImportReport(imported=len(good), skipped=len({e.line for e in errors}), errors=errors)


@runs_import("inspectors")
def run_inspector_import(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, options: dict[str, Any]
) -> ImportReport:
    """The inspectors' 名录库 import's runner (supervise.imports)."""
    return import_inspectors(session, rows=rows, actor=actor, source=source, only_valid=bool(options.get("only_valid")))
