"""Service functions for the domain core; each takes the caller's session and never commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, insert, or_
from sqlmodel import Session, col, delete, select

from credit.control import match_licence
from credit.officers import Person, restrictions
from credit.officers import flag as flag_restrictions
from supervise import audit
from supervise.errors import ApiError, field_error, import_rejected
from supervise.imports import runs_import
from supervise.importspec import Column, ImportSpec, register
from supervise.models import Department, Enterprise, EnterpriseOfficer, License, Region, User
from supervise.schemas import (
    EnterpriseCreate,
    EnterprisePage,
    EnterprisePublic,
    ImportReport,
    ImportRowError,
    LicenseCreate,
    LicensePublic,
    OfficersChanged,
    OfficersUpdate,
)

log = logging.getLogger(__name__)


def _known_regions(session: Session, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    return set(session.exec(select(Region.code).where(col(Region.code).in_(codes))).all())


def _region_problems(data: EnterpriseCreate, known: set[str]) -> list[tuple[str, str]]:
    problems = []
    if data.region_code not in known:
        problems.append(("region_code", f"行政区划代码 {data.region_code} 不存在"))
    if data.township_code and data.township_code not in known:
        problems.append(("township_code", f"乡镇街道代码 {data.township_code} 不存在"))
    elif data.township_code and not data.township_code.startswith(data.region_code):
        problems.append(("township_code", f"乡镇街道 {data.township_code} 不属于 {data.region_code}"))
    return problems


def to_public(ent: Enterprise, region_name: str | None = None) -> EnterprisePublic:
    """Project an enterprise onto its public fields (the ID number is never included)."""
    return EnterprisePublic.model_validate(ent).model_copy(update={"region_name": region_name})


def check_restrictions(session: Session, people: list[Person], *, confirmed: bool, field: str) -> list[dict[str, Any]]:
    """任职限制: refuse a barred person (409, with the basis) unless the registering officer confirmed it."""
    found = restrictions(session, people)
    if found and not confirmed:
        raise ApiError(
            409,
            "任职限制：" + "；".join(f"{f['message']}（依据：{f['basis']}）" for f in found),
            code="officer_restricted",
            fields=[{"field": field, "message": f["message"]} for f in found],
        )
    return found


def create_enterprise(session: Session, *, data: EnterpriseCreate, actor: str) -> Enterprise:
    """Register one market entity after checking its regions and that its USCC is new."""
    problems = _region_problems(data, _known_regions(session, {data.region_code, data.township_code or ""}))
    if problems:
        raise field_error(*problems[0])
    if session.exec(select(Enterprise.id).where(Enterprise.uscc == data.uscc)).first():
        raise field_error("uscc", f"统一社会信用代码 {data.uscc} 已登记", status=409)
    rep = Person("法定代表人", data.legal_rep_name, data.legal_rep_id_number)
    found = check_restrictions(session, [rep], confirmed=data.confirm_restricted, field="legal_rep_id_number")
    ent = Enterprise(**data.model_dump(exclude={"confirm_restricted"}))
    session.add(ent)
    session.flush()
    flag_restrictions(session, uscc=data.uscc, found=found, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="enterprise.created",
        object_type="enterprise",
        object_id=data.uscc,
        payload={"name": data.name, "region_code": data.region_code},
    )
    return ent


# The columns an enterprise import must have: every field the record cannot do without.
ENTERPRISE_IMPORT = register(
    ImportSpec(
        "enterprises",
        "市场主体名录导入",
        (
            Column("uscc", "统一社会信用代码", True, "91330102MA2H0X1Y2X", "18 位，校验位须正确"),
            Column("name", "企业名称", True, "杭州某某食品店", "", ("主体名称", "名称")),
            Column("legal_rep_name", "法定代表人", True, "王某", "", ("法定代表人姓名", "负责人", "经营者")),
            Column("region_code", "所在地区代码", True, "330102", "县级行政区划代码（6 位）",
                   ("行政区划代码", "区划代码")),
            Column("township_code", "乡镇街道代码", False, "330102001", "9 位乡镇（街道）代码",
                   ("乡镇代码", "街道代码")),
            Column("industry_code", "行业代码", True, "F52", "国民经济行业分类代码（门类字母加两位数字）",
                   ("国民经济行业代码",)),
            Column("registered_on", "成立日期", True, "2020-05-18", "年-月-日", ("登记日期", "注册日期")),
            Column("status", "登记状态", False, "存续", "存续、注销或吊销；留空为存续", ("状态",)),
            Column("legal_rep_id_number", "法定代表人身份证号", False, "", "只用于任职限制核查，从不公开",
                   ("身份证号",)),
        ),
        roles=("credit_officer", "admin"),
    )
)  # fmt: skip
ENTERPRISE_COLUMNS = ENTERPRISE_IMPORT.required


def import_enterprises(
    session: Session,
    *,
    rows: Sequence[tuple[int, dict[str, str]]],
    actor: str,
    source: str,
    only_valid: bool = False,
) -> ImportReport:
    """Validate every row, then insert all of them, or none if any row is bad (unless only_valid)."""
    errors: list[ImportRowError] = []
    valid: list[tuple[int, EnterpriseCreate]] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        values = {k: (v if v != "" else None) for k, v in raw.items()}
        if values.get("status") is None:
            values.pop("status", None)
        try:
            data = EnterpriseCreate.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "row"
                errors.append(
                    ImportRowError(line=line, field=field, message=str(err["msg"]).removeprefix("Value error, "))
                )
            continue
        if data.uscc in seen:
            errors.append(
                ImportRowError(
                    line=line, field="uscc", message=f"统一社会信用代码 {data.uscc} 与第 {seen[data.uscc]} 行重复"
                )
            )
            continue
        seen[data.uscc] = line
        valid.append((line, data))
    codes = {d.region_code for _, d in valid} | {d.township_code for _, d in valid if d.township_code}
    known = _known_regions(session, codes)
    existing = (
        set(session.exec(select(Enterprise.uscc).where(col(Enterprise.uscc).in_([d.uscc for _, d in valid]))).all())
        if valid
        else set()
    )
    good: list[EnterpriseCreate] = []
    people = [Person("法定代表人", d.legal_rep_name, d.legal_rep_id_number) for _, d in valid]
    barred = {f["person"].id_number: f for f in restrictions(session, people)}
    for line, data in valid:
        problems = _region_problems(data, known)
        if data.uscc in existing:
            problems.append(("uscc", f"统一社会信用代码 {data.uscc} 已登记"))
        bar = barred.get(data.legal_rep_id_number) if data.legal_rep_id_number else None
        if bar and not data.confirm_restricted:
            problems.append(("legal_rep_id_number", f"{bar['message']}（依据：{bar['basis']}）"))
        errors.extend(ImportRowError(line=line, field=f, message=m) for f, m in problems)
        if not problems:
            good.append(data)
    errors.sort(key=lambda e: e.line)
    if errors and not only_valid:
        raise import_rejected(errors)
    if good:
        session.execute(insert(Enterprise), [d.model_dump(exclude={"confirm_restricted"}) for d in good])
    for data in good:  # a barred person registered after the officer confirmed it stays flagged
        bar = barred.get(data.legal_rep_id_number) if data.legal_rep_id_number else None
        if bar:
            flag_restrictions(session, uscc=data.uscc, found=[bar], actor=actor)
    audit.record(
        session,
        actor=actor,
        action="enterprise.imported",
        object_type="enterprise_import",
        object_id=source[:64],
        payload={"imported": len(good), "rejected_lines": sorted({e.line for e in errors})},
    )
    return ImportReport(imported=len(good), skipped=len({e.line for e in errors}), errors=errors)


@runs_import("enterprises")
def run_enterprise_import(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, options: dict[str, Any]
) -> ImportReport:
    """The 名录库 import's runner (supervise.imports)."""
    return import_enterprises(
        session, rows=rows, actor=actor, source=source, only_valid=bool(options.get("only_valid"))
    )


def set_officers(session: Session, *, uscc: str, data: OfficersUpdate, actor: str) -> OfficersChanged:
    """Record a change of legal representative and officers, checked against 任职限制 first."""
    ent = get_enterprise(session, uscc=uscc)
    people = [Person("法定代表人", data.legal_rep_name, data.legal_rep_id_number)]
    people += [Person(o.role, o.name, o.id_number) for o in data.officers]
    found = check_restrictions(session, people, confirmed=data.confirm_restricted, field="officers")
    ent.legal_rep_name, ent.legal_rep_id_number = data.legal_rep_name, data.legal_rep_id_number
    session.add(ent)
    session.exec(delete(EnterpriseOfficer).where(col(EnterpriseOfficer.enterprise_id) == ent.id))
    session.add_all(
        EnterpriseOfficer(enterprise_id=ent.id or 0, role=o.role, name=o.name, id_number=o.id_number)
        for o in data.officers
    )
    audit.record(
        session,
        actor=actor,
        action="enterprise.officers_changed",
        object_type="enterprise",
        object_id=uscc,
        payload={"legal_rep_name": data.legal_rep_name, "officers": [[o.role, o.name] for o in data.officers]},
    )
    flag_restrictions(session, uscc=uscc, found=found, actor=actor)
    return OfficersChanged(
        uscc=uscc, officers=len(data.officers), restricted=[f"{f['message']}（依据：{f['basis']}）" for f in found]
    )


def people_names(session: Session, actors: Sequence[str]) -> dict[str, str]:
    """The display names of the accounts behind audit-style actors ('user:NAME'), by username."""
    usernames = {a.partition(":")[2] for a in actors if a.startswith("user:")}
    if not usernames:
        return {}
    rows = session.exec(select(User.username, User.display_name).where(col(User.username).in_(usernames))).all()
    return {u: d or u for u, d in rows}


def search_enterprises(
    session: Session, *, q: str | None = None, region: str | None = None, page: int = 1, per_page: int = 20
) -> EnterprisePage:
    """Search market entities by name or USCC prefix, optionally within a region."""
    stmt = select(Enterprise, Region.name).join(Region, col(Region.code) == col(Enterprise.region_code))
    count = select(func.count()).select_from(Enterprise)
    conds = []
    if q:
        conds.append(
            or_(
                col(Enterprise.name).contains(q, autoescape=True),
                col(Enterprise.uscc).startswith(q.upper(), autoescape=True),
            )
        )
    if region:
        conds.append(col(Enterprise.region_code).startswith(region.rstrip("0") or region))
    for c in conds:
        stmt, count = stmt.where(c), count.where(c)
    total = session.exec(count).one()
    page = max(1, min(page, -(-total // per_page)))  # a page past the end shows the last one
    rows = session.exec(stmt.order_by(Enterprise.uscc).offset((page - 1) * per_page).limit(per_page)).all()
    return EnterprisePage(total=total, page=page, per_page=per_page, items=[to_public(e, n) for e, n in rows])


def get_enterprise(session: Session, *, uscc: str) -> Enterprise:
    """Return the enterprise with this USCC or raise a 404 naming it."""
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    return ent


def create_license(session: Session, *, data: LicenseCreate, actor: str) -> LicensePublic:
    """Record a licence issued to a registered enterprise by a known department."""
    ent = get_enterprise(session, uscc=data.uscc)
    dept = session.exec(select(Department).where(Department.code == data.department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门代码 {data.department_code} 不存在")
    if data.expires_on and data.expires_on < data.issued_on:
        raise field_error("expires_on", "有效期截止日早于发证日")
    assert ent.id is not None and dept.id is not None
    lic = License(
        enterprise_id=ent.id,
        matter_code=data.matter_code,
        matter_name=data.matter_name,
        department_id=dept.id,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
    )
    session.add(lic)
    session.flush()
    check = match_licence(session, licence=lic, check_id=data.check_id, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="license.created",
        object_type="license",
        object_id=lic.id or 0,
        payload={
            "uscc": data.uscc,
            "matter_code": data.matter_code,
            "department": dept.code,
            "check_id": check.public_id if check else None,
        },
    )
    return license_public(lic, ent, dept)


def license_public(lic: License, ent: Enterprise, dept: Department) -> LicensePublic:
    """Project a licence with its enterprise and department names."""
    return LicensePublic(
        id=lic.id or 0,
        uscc=ent.uscc,
        enterprise_name=ent.name,
        matter_code=lic.matter_code,
        matter_name=lic.matter_name,
        department_code=dept.code,
        department_name=dept.name,
        issued_on=lic.issued_on,
        expires_on=lic.expires_on,
        check_id=lic.check_id,
        unchecked=lic.unchecked,
    )


def licenses_of(session: Session, *, uscc: str) -> list[LicensePublic]:
    """List an enterprise's licences."""
    ent = get_enterprise(session, uscc=uscc)
    rows = session.exec(
        select(License, Department)
        .join(Department, col(Department.id) == col(License.department_id))
        .where(License.enterprise_id == ent.id)
        .order_by(col(License.issued_on))
    ).all()
    return [license_public(lic, ent, dept) for lic, dept in rows]
