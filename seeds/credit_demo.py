"""Demo credit scenario: a black-listed food seller and its sister firm, imported red lists, abnormal entries
with an objection awaiting a second officer, and licensing checks with reported outcomes (one a breach)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit import applications
from credit.licensing import check, report_outcome
from credit.models import ListEntry
from credit.redlist import import_red_list
from credit.services import propose, record_statement, transition
from supervise import audit
from supervise.models import Department, Enterprise, License, User

log = logging.getLogger(__name__)
FOOD_BASIS = (
    "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第二条；"
    "食品安全领域列入情形见该办法第五条至第十条"
)
ABNORMAL_BASIS = "《企业经营异常名录管理暂行办法》（国家工商行政管理总局令第68号）第四条第（四）项"


def _user(session: Session, username: str) -> int:
    user = session.exec(select(User).where(User.username == username)).one()
    return user.id or 0


def _firms(session: Session, region: str, *, matter: str | None = None, limit: int) -> list[Enterprise]:
    query = select(Enterprise).where(col(Enterprise.region_code) == region, Enterprise.status == "存续")
    if matter:
        query = query.where(col(Enterprise.id).in_(select(License.enterprise_id).where(License.matter_code == matter)))
    return list(session.exec(query.order_by(col(Enterprise.uscc)).limit(limit)).all())


def _propose(session: Session, firm: Enterprise, *, found: date, **kw: Any) -> ListEntry:
    return propose(
        session,
        uscc=firm.uscc,
        public_summary=f"{firm.name}：{kw['reason']}",
        found_on=found,
        user_id=_user(session, "credit"),
        actor="seed:credit",
        **kw,
    )


def _move(session: Session, entry: ListEntry, action: str, who: str, on: date, **kw: Any) -> ListEntry:
    return transition(
        session, entry_id=entry.id or 0, action=action, user_id=_user(session, who), actor=f"seed:{who}", today=on, **kw
    )


def _black(session: Session, firm: Enterprise) -> ListEntry:
    """List a firm with its penalty: proposed by the district, approved by the city, decided by a second officer."""
    entry = _propose(
        session,
        firm,
        list_type="BLACK",
        ground="HEAVY_PENALTY",
        reason="经营超过保质期的食品，情节严重，被处以吊销许可证以外的较重行政处罚（从重罚款）",
        legal_basis=FOOD_BASIS,
        department_code="330102-SCJG",
        found=date(2026, 8, 3),
        penalty_number="杭上市监罚〔2026〕118号",
        penalty_on=date(2026, 8, 14),
        penalty_field="食品",
    )
    _move(session, entry, "approve_higher", "credit_city", date(2026, 8, 12))
    return _move(session, entry, "decide", "credit2", date(2026, 8, 14), decision_number="杭上市监严失〔2026〕3号")


def _abnormal(session: Session, firm: Enterprise, *, found: date, notify: date, decide: date, number: str) -> ListEntry:
    """A 经营异常 listing for an unreachable firm: notified and decided by two officers of its registrar."""
    entry = _propose(
        session,
        firm,
        list_type="ABNORMAL",
        ground="UNREACHABLE",
        reason="通过登记的住所无法联系",
        legal_basis=ABNORMAL_BASIS,
        department_code="330102-SCJG",
        found=found,
    )
    _move(session, entry, "notify", "credit", notify)
    record_statement(session, entry_id=entry.id or 0, note="当事人未在期限内陈述申辩", actor="seed:credit")
    return _move(session, entry, "decide", "credit2", decide, decision_number=number)


def seed_credit_scenario(session: Session) -> dict[str, Any]:
    """Load the demo's list entries and licensing checks; return the firms a visitor can try."""
    food = _firms(session, "330102", matter="SCJG-SPJY", limit=3)
    # The 经营异常 stories are 上城区's too: the demo's credit officers act only within their district.
    plain = [f for f in _firms(session, "330102", limit=12) if f not in food][:6]
    if len(food) < 3 or len(plain) < 6:
        log.warning("demo province too small for the credit scenario")
        return {}
    black, sister = food[0], plain[0]
    # The sister firm shares the black-listed firm's legal representative: a related-party warning.
    sister.legal_rep_name, sister.legal_rep_id_number = black.legal_rep_name, black.legal_rep_id_number
    session.add(sister)
    _black(session, black)
    city = session.exec(select(Department).where(Department.code == "330100-SCJG")).one()
    import_red_list(
        session,
        list_type="RED_TAX",
        rows=[(2, {"uscc": food[1].uscc, "name": food[1].name})],
        document="国家税务总局浙江省税务局2025年度纳税信用A级纳税人名单公告",
        valid_from=date(2026, 4, 20),
        valid_until=date(2027, 4, 19),
        department_id=city.id or 0,
        actor="seed:credit",
    )
    import_red_list(
        session,
        list_type="RED_CONTRACT",
        rows=[(2, {"uscc": plain[1].uscc, "name": plain[1].name})],
        document="浙江省市场监督管理局2024—2025年度守合同重信用企业公示",
        valid_from=date(2026, 3, 16),
        valid_until=date(2028, 3, 15),
        department_id=city.id or 0,
        actor="seed:credit",
    )
    objected = _abnormal(
        session, plain[2], found=date(2026, 10, 20), notify=date(2026, 10, 21), decide=date(2026, 11, 2),
        number="杭上市监异〔2026〕41号",
    )  # fmt: skip
    # An objection within the 30 days, registered by one officer: accepting it is for a second officer.
    _move(
        session, objected, "object", "credit", date(2026, 11, 16),
        note="企业称已于2026年10月迁入新址并办理住所变更登记，通过新住所可以取得联系",
    )  # fmt: skip
    # A firm that has filed its report applies online for removal: waiting in the officers' queue.
    filed = _abnormal(
        session, plain[4], found=date(2026, 10, 20), notify=date(2026, 10, 21), decide=date(2026, 11, 2),
        number="杭上市监异〔2026〕42号",
    )  # fmt: skip
    applications.submit(
        session,
        uscc=plain[4].uscc,
        list_type="ABNORMAL",
        kind="repair",
        contact_name="周会计",
        contact_phone="0571-85550000",
        reason="企业已办理住所变更登记，通过新住所可以取得联系",
        conditions={},
        commitment_letter=True,  # 守信承诺书, required for every 信用修复 (信用修复管理办法)
        attachments=[],
    )
    pending = _propose(
        session,
        plain[3],
        list_type="ABNORMAL",
        ground="UNREACHABLE",
        reason="通过登记的住所无法联系",
        legal_basis=ABNORMAL_BASIS,
        department_code="330102-SCJG",
        found=date(2026, 11, 18),
    )
    licensing = _user(session, "licensing")
    refused = check(session, uscc=black.uscc, matter="SCJG-SPJY", user_id=licensing, actor="seed:licensing")
    report_outcome(
        session,
        check_id=refused["check_id"],
        granted=False,
        measures_applied=[],
        actor="seed:licensing",
        user_id=licensing,
    )
    # A window that granted a licence to the black-listed firm without 从严审查: a 联合惩戒落实 breach.
    ignored = check(session, uscc=black.uscc, matter="WSJK-GGCS", user_id=licensing, actor="seed:licensing")
    report_outcome(
        session,
        check_id=ignored["check_id"],
        granted=True,
        measures_applied=[],
        actor="seed:licensing",
        user_id=licensing,
    )
    rewarded = check(session, uscc=food[1].uscc, matter="SCJG-SPJY", user_id=licensing, actor="seed:licensing")
    report_outcome(
        session,
        check_id=rewarded["check_id"],
        granted=True,
        measures_applied=["tolerance", "green"],
        actor="seed:licensing",
        user_id=licensing,
    )
    # A check the window has not yet answered: it waits on /credit/check for its outcome (the README's promise).
    check(session, uscc=sister.uscc, matter="SCJG-SPJY", user_id=licensing, actor="seed:licensing")
    summary = {
        "black_listed": black.uscc,
        "related_firm": sister.uscc,
        "red_listed": food[1].uscc,
        "objection_pending": plain[2].uscc,
        "abnormal_proposed": plain[3].uscc,
        "repair_applied_online": plain[4].uscc,
        "listed_entry_id": filed.id,
        "pending_entry_id": pending.id,
        "breach_check": ignored["check_id"],
    }
    audit.record(
        session, actor="cli", action="seed.credit_scenario", object_type="database", object_id="demo", payload=summary
    )
    return summary
