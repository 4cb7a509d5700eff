"""Demo credit scenario: a black-listed food seller and its sister firm, red-listed firms, abnormal entries
with a pending objection, and licensing checks with reported outcomes (one of them a breach)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.licensing import check, report_outcome
from credit.models import ListEntry
from credit.services import propose, record_statement, transition
from supervise import audit
from supervise.models import Enterprise, License, User

log = logging.getLogger(__name__)
FOOD_BASIS = "《中华人民共和国食品安全法》第一百三十五条、《市场监督管理严重违法失信名单管理办法》第七条"


def _user(session: Session, username: str) -> int:
    user = session.exec(select(User).where(User.username == username)).one()
    return user.id or 0


def _firms(session: Session, region: str, *, matter: str | None = None, limit: int) -> list[Enterprise]:
    query = select(Enterprise).where(col(Enterprise.region_code) == region, Enterprise.status == "存续")
    if matter:
        query = query.where(col(Enterprise.id).in_(select(License.enterprise_id).where(License.matter_code == matter)))
    return list(session.exec(query.order_by(col(Enterprise.uscc)).limit(limit)).all())


def _listed(
    session: Session,
    firm: Enterprise,
    *,
    list_type: str,
    reason: str,
    basis: str,
    dept: str,
    found: date,
    notify: date | None,
    decide: date,
    number: str,
) -> ListEntry:
    """Walk one entry through due process with two different officers, on the given historical dates."""
    proposer, approver = _user(session, "credit"), _user(session, "credit2")
    entry = propose(
        session,
        uscc=firm.uscc,
        list_type=list_type,
        reason=reason,
        legal_basis=basis,
        department_code=dept,
        public_summary=f"{firm.name}：{reason}",
        found_on=found,
        user_id=proposer,
        actor="seed:credit",
    )
    eid = entry.id or 0
    transition(session, entry_id=eid, action="notify", user_id=proposer, actor="seed:credit", today=notify or found)
    if notify is not None:
        record_statement(session, entry_id=eid, note="当事人书面陈述申辩，未提出新的事实和证据", actor="seed:credit")
    return transition(
        session,
        entry_id=eid,
        action="decide",
        user_id=approver,
        actor="seed:credit2",
        today=decide,
        decision_number=number,
    )


def seed_credit_scenario(session: Session) -> dict[str, Any]:
    """Load the demo's list entries and licensing checks; return the firms a visitor can try."""
    food = _firms(session, "330102", matter="SCJG-SPJY", limit=3)
    plain = _firms(session, "330106", limit=6)
    if len(food) < 3 or len(plain) < 6:
        log.warning("demo province too small for the credit scenario")
        return {}
    black, sister = food[0], plain[0]
    # The sister firm shares the black-listed firm's legal representative: a related-party warning.
    sister.legal_rep_name, sister.legal_rep_id_number = black.legal_rep_name, black.legal_rep_id_number
    session.add(sister)
    _listed(
        session,
        black,
        list_type="BLACK",
        reason="经营超过保质期的食品，情节严重，被处以吊销许可证以外的较重行政处罚",
        basis=FOOD_BASIS,
        dept="330102-SCJG",
        found=date(2026, 8, 3),
        notify=date(2026, 8, 4),
        decide=date(2026, 8, 14),
        number="杭上市监严失〔2026〕3号",
    )
    _listed(
        session,
        food[1],
        list_type="RED_TAX",
        reason="2025年度纳税信用评价为A级",
        basis="《纳税信用管理办法》第二十七条",
        dept="330102-SCJG",
        found=date(2026, 4, 20),
        notify=None,
        decide=date(2026, 4, 30),
        number="浙税信〔2026〕12号",
    )
    _listed(
        session,
        plain[1],
        list_type="RED_CONTRACT",
        reason="连续三年公示为守合同重信用企业",
        basis="《浙江省守合同重信用企业公示管理办法》",
        dept="330106-SCJG",
        found=date(2026, 3, 2),
        notify=None,
        decide=date(2026, 3, 16),
        number="杭西市监守〔2026〕5号",
    )
    objected = _listed(
        session,
        plain[2],
        list_type="ABNORMAL",
        reason="未按规定期限公示2025年度报告",
        basis="《企业经营异常名录管理暂行办法》第八条",
        dept="330106-SCJG",
        found=date(2026, 7, 1),
        notify=date(2026, 7, 2),
        decide=date(2026, 7, 13),
        number="杭西市监异〔2026〕41号",
    )
    transition(
        session,
        entry_id=objected.id or 0,
        action="object",
        user_id=None,
        actor="seed:credit",
        today=date(2026, 11, 16),
        note="企业称已于2026年6月28日通过国家企业信用信息公示系统报送年报",
    )
    pending = propose(
        session,
        uscc=plain[3].uscc,
        list_type="ABNORMAL",
        reason="通过登记的住所无法联系",
        legal_basis="《企业经营异常名录管理暂行办法》第十条",
        department_code="330106-SCJG",
        public_summary=f"{plain[3].name}：通过登记的住所无法联系",
        found_on=date(2026, 11, 18),
        user_id=_user(session, "credit"),
        actor="seed:credit",
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
    summary = {
        "black_listed": black.uscc,
        "related_firm": sister.uscc,
        "red_listed": food[1].uscc,
        "objection_pending": plain[2].uscc,
        "abnormal_proposed": plain[3].uscc,
        "pending_entry_id": pending.id,
        "breach_check": ignored["check_id"],
    }
    audit.record(
        session, actor="cli", action="seed.credit_scenario", object_type="database", object_id="demo", payload=summary
    )
    return summary
