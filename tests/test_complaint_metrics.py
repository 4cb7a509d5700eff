"""投诉举报 in the 督查 metrics: on-time 签收 and 办结, substantiated share, repeats and average days, per
department and region, flagged by the lagging thresholds and shown on the dashboard and in the PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from reports.complaint_tally import ComplaintRow, tally_complaints
from reports.lagging import Thresholds, flags
from reports.metrics import compute
from reports.tally import Tally, rates
from supervise.workdays import WorkCalendar
from tests.conftest import bearer
from tests.test_complaint_workflow import _post, _push, setting  # noqa: F401 - the fixture

CAL = WorkCalendar()  # Monday to Friday: the arithmetic below is plain


def _row(ticket: str, **kw: Any) -> ComplaintRow:
    base = {"department": "330102-SCJG", "region_code": "330102", "received_on": date(2026, 11, 2),
            "sign_due": date(2026, 11, 3), "close_due": date(2026, 11, 23)}  # fmt: skip
    return ComplaintRow(ticket_no=ticket, **{**base, **kw})


def test_complaints_count_for_their_department_and_region_once_a_step_is_taken_or_due() -> None:
    t = Tally()
    rows = [
        _row("A", signed_on=date(2026, 11, 3), closed_on=date(2026, 11, 16), finding="属实"),
        _row("B", signed_on=date(2026, 11, 5), finding="不属实", repeat=True),  # signed two working days late
        _row(
            "C",
            department=None,
            received_on=date(2026, 11, 20),
            sign_due=date(2026, 11, 23),
            close_due=date(2026, 12, 11),
        ),  # not routed, not yet due  # fmt: skip
        _row("D", received_on=date(2026, 9, 30)),  # another period
    ]
    tally_complaints(rows, start=date(2026, 10, 1), end=date(2026, 12, 31), today=date(2026, 11, 25), calendar=CAL,
                     add=t.add, note=t.note)  # fmt: skip
    dept, region = t.units[("department", "330102-SCJG")], t.units[("region", "330102")]
    assert (dept["complaints"], region["complaints"]) == (2, 3)
    r = rates(dept)
    assert r["complaint_sign_rate"] == 0.5  # A on time, B late
    assert r["complaint_close_rate"] == 0.5  # A closed on time; B's close is due 23 November and open on the 25th
    assert r["complaint_substantiated_share"] == 0.5 and r["complaint_repeat_rate"] == 0.5
    assert r["complaint_avg_days"] == 10.0  # A: 2 to 16 November, ten working days
    late = {(e["kind"], e["ticket"]): e["working_days"] for e in t.evidence[("department", "330102-SCJG")]}
    assert late == {("complaint_sign_late", "B"): 2, ("complaint_close_late", "B"): 2}
    evidence = t.evidence[("department", "330102-SCJG")]
    reasons = flags({"rates": rates(dept), "evidence": evidence, "counts": dept}, Thresholds())
    assert [x["rule"] for x in reasons] == ["sign_complaints", "close_complaints"]
    assert [e["ticket"] for e in reasons[0]["evidence"]] == ["B"]


def test_a_ticket_signed_late_shows_in_the_quarters_metrics_dashboard_and_lagging_list(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],  # noqa: F811
    frozen_clock: Any,
) -> None:
    _push(app, client, setting)  # received 1 December, to be signed by the 2nd
    frozen_clock.set(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))
    assert _post(app, client, "inspector", "/api/complaints/ZJ12345-20260928-0001/sign").status_code == 200
    with Session(engine) as session:
        m = compute(session, region="330100", period="2026Q4", today=date(2026, 12, 4))
    scjg = next(u for u in m["departments"] if u["code"] == "330102-SCJG")
    assert scjg["counts"]["complaints"] == 1 and scjg["rates"]["complaint_sign_rate"] == 0.0
    page = client.get("/reports?region=330100&period=2026Q4", headers=bearer(app, "supervisor"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "投诉举报办理情况" in html and "投诉举报按期签收率0.0%，低于90.0%" in html
