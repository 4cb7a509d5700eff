"""Credit metrics of the accountability report on hand-built entries with known answers."""

from datetime import UTC, date, datetime
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


def _listed(session: Session, uscc: str, list_type: str, listed: date) -> int:
    one, two = _uid(session, "credit"), _uid(session, "credit2")
    entry = propose(
        session,
        uscc=uscc,
        list_type=list_type,
        reason="未按规定公示年报",
        legal_basis="《企业经营异常名录管理暂行办法》第八条",
        department_code="330102-SCJG",
        public_summary="未按规定公示年报",
        found_on=listed,
        user_id=one,
        actor="test",
    )
    eid = entry.id or 0
    transition(session, entry_id=eid, action="notify", user_id=one, actor="test", today=listed)
    transition(
        session,
        entry_id=eid,
        action="decide",
        user_id=two,
        actor="test",
        today=date(2026, 1, 20),
        decision_number="文1",
    )
    return eid


def test_objection_repair_and_enforcement_rates_on_known_dates(app: Any, engine: Any, province: Any) -> None:
    add_firms(engine, 6)
    with unit_of_work(engine) as session:
        firms = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id)).limit(4)
        ).all()
        a, b, c, d = (_listed(session, f.uscc, "ABNORMAL", date(2026, 1, 5)) for f in firms)
        credit2 = _uid(session, "credit2")
        # Objections raised on 3 Aug 2026 are due 17 Aug (10 working days): one answered on the 17th, one on the 18th.
        for eid, answered in ((a, date(2026, 8, 17)), (b, date(2026, 8, 18))):
            transition(
                session, entry_id=eid, action="object", user_id=None, actor="firm", today=date(2026, 8, 3), note="异议"
            )
            transition(session, entry_id=eid, action="uphold", user_id=credit2, actor="test", today=answered)
        # Repairs applied on 10 Aug are due 24 Aug: one decided on the 24th, one on the 25th.
        for eid, decided in ((c, datetime(2026, 8, 24, 9, tzinfo=UTC)), (d, datetime(2026, 8, 25, 1, tzinfo=UTC))):
            transition(
                session,
                entry_id=eid,
                action="apply_repair",
                user_id=credit2,
                actor="test",
                today=date(2026, 8, 10),
                commitment_letter=True,
            )
            transition(
                session, entry_id=eid, action="approve_repair", user_id=credit2, actor="test", today=decided.date()
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
    assert (scjg["counts"]["repairs"], scjg["counts"]["repairs_on_time"]) == (2, 1)
    region = next(r for r in m["regions"] if r["code"] == "330102")
    assert (region["counts"]["outcomes"], region["counts"]["outcomes_honoured"]) == (2, 1)
    assert [e["kind"] for e in region["evidence"] if e["kind"] == "breach"] == ["breach"]
