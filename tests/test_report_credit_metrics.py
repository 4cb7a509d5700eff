"""Credit metrics of the accountability report on hand-built entries with known answers."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from credit.licensing import check, report_outcome
from credit.models import EntryEvent, LicensingCheck
from credit.services import propose, transition
from reports.metrics import compute
from supervise.db import unit_of_work
from supervise.models import Enterprise, User
from tests.drawkit import add_firms


def _uid(session: Session, name: str) -> int:
    return session.exec(select(User.id).where(User.username == name)).one() or 0


def _listed(session: Session, uscc: str, list_type: str, listed: date, *, decide: bool = True) -> int:
    """List a 上城区 firm: 经营异常 at its registrar, 严重违法失信 with its penalty and the city's consent."""
    one, two = _uid(session, "credit"), _uid(session, "credit2")
    black = list_type == "BLACK"
    entry = propose(
        session,
        uscc=uscc,
        list_type=list_type,
        ground="HEAVY_PENALTY" if black else "UNREACHABLE",
        reason="通过登记的住所无法联系",
        legal_basis="《企业经营异常名录管理暂行办法》第四条第（四）项",
        department_code="330102-SCJG",
        public_summary="通过登记的住所无法联系",
        found_on=listed,
        penalty_number="杭上市监罚〔2026〕1号" if black else None,
        penalty_on=listed if black else None,
        user_id=one,
        actor="test",
    )
    eid = entry.id or 0
    if black:
        transition(session, entry_id=eid, action="approve_higher", user_id=_uid(session, "credit_city"), actor="t")
    else:
        transition(session, entry_id=eid, action="notify", user_id=one, actor="test", today=listed)
    if decide:
        transition(
            session, entry_id=eid, action="decide", user_id=two, actor="test", today=listed + timedelta(days=14),
            decision_number="文1",
        )  # fmt: skip
    return eid


def test_objection_repair_and_enforcement_rates_on_known_dates(app: Any, engine: Any, province: Any) -> None:
    add_firms(engine, 6)
    with unit_of_work(engine) as session:
        firms = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id)).limit(4)
        ).all()
        # Listed on 20 July 2026 (proposed and notified on the 6th, decided 14 days later).
        a, b, c, d = (_listed(session, f.uscc, "ABNORMAL", date(2026, 7, 6)) for f in firms)
        credit, credit2 = _uid(session, "credit"), _uid(session, "credit2")
        # Objections raised on 3 Aug, accepted on the 5th, are to be verified by 2 Sep (20 working days):
        # one answered on 2 Sep, one on 3 Sep.
        for eid, answered in ((a, date(2026, 9, 2)), (b, date(2026, 9, 3))):
            transition(
                session, entry_id=eid, action="object", user_id=None, actor="firm", today=date(2026, 8, 3), note="异议"
            )
            transition(
                session, entry_id=eid, action="accept_objection", user_id=credit2, actor="t", today=date(2026, 8, 5)
            )
            transition(session, entry_id=eid, action="uphold", user_id=credit2, actor="t", today=answered, note="属实")
        # Removal applications registered on 10 Aug are due 17 Aug (5 working days): decided on the 17th and 18th.
        for eid, decided in ((c, datetime(2026, 8, 17, 9, tzinfo=UTC)), (d, datetime(2026, 8, 18, 1, tzinfo=UTC))):
            transition(
                session,
                entry_id=eid,
                action="apply_repair",
                user_id=credit2,
                actor="test",
                today=date(2026, 8, 10),
                note="已办理住所变更登记",
                commitment_letter=True,
            )
            transition(
                session, entry_id=eid, action="approve_repair", user_id=credit, actor="test", today=decided.date()
            )
            event = session.exec(
                select(EntryEvent).where(EntryEvent.entry_id == eid, EntryEvent.action == "approve_repair")
            ).one()
            event.at = decided
            session.add(event)
        licensing = _uid(session, "licensing")
        black = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id).desc())
        ).first()
        assert black is not None
        late = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id)).offset(4)
        ).first()
        assert late is not None
        _listed(session, late.uscc, "ABNORMAL", date(2026, 8, 3), decide=False)  # due 17 Aug, never decided
    with unit_of_work(engine) as session:
        _listed(session, black.uscc, "BLACK", date(2026, 1, 5))
    with unit_of_work(engine) as session:
        ids = []
        for granted in (True, False):
            answer = check(session, uscc=black.uscc, matter="WSJK-GGCS", user_id=licensing, actor="test")
            report_outcome(
                session,
                check_id=answer["check_id"],
                granted=granted,
                measures_applied=[],
                actor="test",
                user_id=licensing,
            )
            ids.append(answer["check_id"])
        for row in session.exec(select(LicensingCheck).where(col(LicensingCheck.public_id).in_(ids))).all():
            row.outcome_reported_at = datetime(2026, 9, 1, 2, tzinfo=UTC)
            session.add(row)
    with Session(engine) as session:
        m = compute(session, region="330102", period="2026Q3", today=date(2026, 11, 25))
    scjg = next(r for r in m["departments"] if r["code"] == "330102-SCJG")
    assert (scjg["counts"]["objections"], scjg["counts"]["objections_on_time"]) == (2, 1)
    assert (scjg["counts"]["listings"], scjg["counts"]["listings_on_time"]) == (5, 4)  # 应列未列: one
    assert [e["due"] for e in scjg["evidence"] if e["kind"] == "listing_late"] == ["2026-08-17"]
    assert (scjg["counts"]["repairs"], scjg["counts"]["repairs_on_time"]) == (2, 1)
    region = next(r for r in m["regions"] if r["code"] == "330102")
    assert (region["counts"]["outcomes"], region["counts"]["outcomes_honoured"]) == (2, 1)
    assert [e["kind"] for e in region["evidence"] if e["kind"] == "breach"] == ["breach"]
