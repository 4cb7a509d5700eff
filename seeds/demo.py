"""Load the demo province and its accounts in one transaction."""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

from seeds.generate import Province, build_province, enterprise_rows, inspector_rows
from supervise import audit, clock
from supervise.auth import hash_password
from supervise.bulk import bulk_insert, reset_sequences

log = logging.getLogger(__name__)

# username, role, display name. The inspector accounts are linked to the first inspectors of
# 杭州市上城区市场监督管理局, so that they are teammates in the demo.
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("admin", "admin", "系统管理员"),
    ("supervisor", "supervisor", "省督查室 王督查"),
    ("auditor", "auditor", "审计处 周审计"),
    ("credit", "credit_officer", "信用科 李信用"),
    ("credit2", "credit_officer", "信用科 赵复核"),
    ("licensing", "licensing_officer", "审批窗口 陈许可"),
    ("reviewer", "reviewer", "法制审核 吴审核"),  # reviews the district's results before 公示
    ("inspector", "inspector", ""),
    ("inspector2", "inspector", ""),
    ("credit_city", "credit_officer", "市局信用处 孙审核"),  # 上一级 of the district: approves 严重违法失信 listings
    ("supervisor2", "supervisor", "省督查室 钱督查"),  # the second pair of eyes on 督查 decisions
    ("supervisor3", "supervisor", "省政府办公厅 周复核"),  # decides a 复核 the other two must stay out of
    ("unit_wsjk", "unit", "上城区卫健局 整改联络员"),  # answers 整改通知 for its department
    ("unit_yjgl", "unit", "西湖区应急局 整改联络员"),
    ("hotline", "hotline", "12345平台接口"),  # the platform's system account (bearer token)
)
DEMO_DEPARTMENT = "330102-SCJG"
ACCOUNT_DEPARTMENTS = {"credit_city": "330100-SCJG", "unit_wsjk": "330102-WSJK", "unit_yjgl": "330106-YJGL"}
DEMO_PASSWORD = "zhejiang-demo-2026"  # noqa: S105 - published in the README; meets the password rule (12 characters, not a common password)
Table = tuple[str, tuple[str, ...], list[tuple[Any, ...]]]

ENTERPRISE_COLUMNS = (
    "risk_tier",
    "id",
    "uscc",
    "name",
    "legal_rep_name",
    "legal_rep_id_number",
    "region_code",
    "township_code",
    "industry_code",
    "registered_on",
    "status",
)
LICENSE_COLUMNS = ("id", "enterprise_id", "matter_code", "matter_name", "department_id", "issued_on", "expires_on")
USER_COLUMNS = ("id", "username", "display_name", "password_hash", "role", "department_id", "active", "created_at")
INSPECTOR_COLUMNS = (
    "id",
    "badge_no",
    "name",
    "department_id",
    "region_code",
    "residence_township_code",
    "office_township_code",
    "specialties",
    "active",
    "user_id",
)


def reference_rows(province: Province, inspectors: list[dict[str, Any]], pw_hash: str) -> list[Table]:
    """Return the small tables (regions, departments, accounts, inspectors) as rows in load order."""
    dept_id = {d["code"]: d["id"] for d in province.departments}
    users: list[tuple[Any, ...]] = []
    demo_inspectors = [i for i in inspectors if i["department_id"] == dept_id[DEMO_DEPARTMENT]][:2]
    for insp in demo_inspectors:
        insp["active"] = True  # the demo's inspector accounts belong to serving inspectors
    now = clock.now()
    for username, role, display in DEMO_ACCOUNTS:
        uid = len(users) + 1
        dept = (
            None
            if role in ("admin", "supervisor", "auditor", "hotline")
            else dept_id[ACCOUNT_DEPARTMENTS.get(username, DEMO_DEPARTMENT)]
        )
        if role == "inspector":
            insp = demo_inspectors[0 if username == "inspector" else 1]
            insp["user_id"] = uid
            display = insp["name"]
        users.append((uid, username, display, pw_hash, role, dept, True, now))
    for insp in inspectors:
        if insp["user_id"] is None:
            uid = len(users) + 1
            insp["user_id"] = uid
            users.append((uid, insp["badge_no"], insp["name"], pw_hash, "inspector", insp["department_id"], True, now))
    return [
        (
            "region",
            ("code", "name", "level", "parent_code"),
            [(r["code"], r["name"], r["level"], r["parent_code"]) for r in province.regions],
        ),
        (
            "department",
            ("id", "code", "name", "kind", "level", "region_code", "doc_prefix"),
            [
                (d["id"], d["code"], d["name"], d["kind"], d["level"], d["region_code"], d["doc_prefix"])
                for d in province.departments
            ],
        ),
        ("user", USER_COLUMNS, users),
        ("inspector", INSPECTOR_COLUMNS, [tuple(i[c] for c in INSPECTOR_COLUMNS) for i in inspectors]),
    ]


def firm_rows(
    province: Province, *, entities: int, seed: int
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Yield each firm as an enterprise row and its licence rows, in column order."""
    for ent, lics in enterprise_rows(province, entities=entities, seed=seed):
        yield tuple(ent[c] for c in ENTERPRISE_COLUMNS), [tuple(lic[c] for c in LICENSE_COLUMNS) for lic in lics]


def seed_demo(
    session: Session, *, entities: int, seed: int, password: str, progress: bool = False, with_inspections: bool = False
) -> dict[str, Any]:
    """Generate and bulk-load the demo province; return counts and a digest of the firms."""
    province = build_province(seed)
    inspectors = inspector_rows(province, entities=entities, seed=seed)
    # One scrypt hash serves every demo account: hashing thousands of accounts one by one would
    # dominate seeding. Real accounts are created one at a time with their own salt.
    reference = reference_rows(province, inspectors, hash_password(password))
    for table, columns, rows in reference:
        bulk_insert(session, table, columns, rows)

    digest = hashlib.sha256()
    n_firms = 0
    # No monitor thread: it would outlive the bar, and a process with other threads may not fork, so the
    # draws run later in the same process (the demo's own, a bench's) would hash on one core.
    tqdm.monitor_interval = 0
    bar = tqdm(total=entities, unit="firm", desc="enterprises", disable=not progress, file=sys.stderr)
    licenses: list[tuple[Any, ...]] = []

    def firms() -> Iterator[tuple[Any, ...]]:
        nonlocal n_firms
        for ent, lics in firm_rows(province, entities=entities, seed=seed):
            digest.update(f"{ent[2]}|{ent[3]}|{ent[6]}\n".encode())  # uscc|name|region
            licenses.extend(lics)
            n_firms += 1
            if n_firms % 5000 == 0:
                bar.update(5000)
            yield ent

    bulk_insert(session, "enterprise", ENTERPRISE_COLUMNS, firms())
    bar.update(n_firms - bar.n)
    bar.close()
    n_licenses = bulk_insert(session, "license", LICENSE_COLUMNS, licenses)
    reset_sequences(session, ("department", "user", "inspector", "enterprise", "license"))
    summary = {
        "seed": seed,
        "regions": len(province.regions),
        "departments": len(province.departments),
        "inspectors": len(inspectors),
        "users": len(reference[2][2]),
        "enterprises": n_firms,
        "licenses": n_licenses,
        "enterprise_digest": digest.hexdigest(),
    }
    from seeds.credit import seed_credit_reference

    summary["credit_reference"] = seed_credit_reference(session)
    audit.record(
        session, actor="cli", action="seed.demo_loaded", object_type="database", object_id="demo", payload=summary
    )
    if with_inspections:
        from seeds.inspections import seed_inspections

        summary["inspections"] = seed_inspections(session, seed=seed)
        from seeds.credit_demo import seed_credit_scenario

        summary["credit"] = seed_credit_scenario(session)
        from seeds.risk_demo import seed_risk

        summary["risk"] = seed_risk(session, seed=seed, now=clock.now())  # after the lists: floors apply
    return summary
