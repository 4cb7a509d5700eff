import hashlib
import io
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from inspections.disposals.models import Disposal
from inspections.models import DrawTarget, InspectionResult, TeamMember
from reports.lagging import Thresholds, flags, lagging_units
from reports.metrics import compute
from reports.models import ReportArchive
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department
from supervise.workdays import STATUTORY_WEEK
from tests.conftest import bearer, run_jobs
from tests.drawkit import add_firms, ceremony, make_task

INSPECTED = date(2026, 7, 14)  # a Tuesday
DUE = STATUTORY_WEEK.add_working_days(INSPECTED, 20)


def _result(session: Session, target: DrawTarget, *, day: date, category: str, published: datetime | None) -> None:
    member = session.exec(select(TeamMember).where(TeamMember.target_id == target.id)).first()
    assert member is not None
    session.add(
        InspectionResult(
            target_id=target.id or 0,
            category=category,
            inspected_on=day,
            recorded_by=member.inspector_id,
            publish_due=STATUTORY_WEEK.add_working_days(day, 20),
            published_at=published,
        )
    )


def _disposal(session: Session, target: DrawTarget) -> None:
    session.flush()
    result = session.exec(select(InspectionResult).where(InspectionResult.target_id == target.id)).one()
    dept = session.exec(select(Department).where(Department.code == "330102-SCJG")).one()
    session.add(
        Disposal(
            number=f"CZ-{target.id}", result_id=result.id or 0, target_id=target.id or 0,
            enterprise_id=target.enterprise_id, department_id=dept.id or 0, kind="rectify", reason="责令改正",
            created_by="test", due=date(2026, 8, 1), status="closed", closed_at=datetime(2026, 7, 30, 2, tzinfo=UTC),
        )
    )  # fmt: skip


@pytest.fixture
def quarter(province: Any, engine: Any) -> dict[str, Any]:
    """Q3 of 330102: a joint task drawn on time with four results, and a planned task never drawn."""
    add_firms(engine, 12)
    make_task(engine, "T1", window=("2026-07-01", "2026-09-30"))
    ceremony(engine, "T1", now=datetime(2026, 6, 25, 2, 0, tzinfo=UTC))
    make_task(engine, "T2", kinds=("SCJG",), window=("2026-07-01", "2026-09-30"))
    with unit_of_work(engine) as session:
        targets = session.exec(select(DrawTarget).order_by(col(DrawTarget.ticket))).all()
        # On the due date at 17:00 Beijing time: on time.
        _result(
            session, targets[0], day=INSPECTED, category="未发现问题", published=datetime.combine(DUE, time(9), UTC)
        )
        # 00:30 Beijing time the day after the due date (16:30 UTC on the due date): one working day late.
        _result(
            session,
            targets[1],
            day=INSPECTED,
            category="发现问题已责令改正",
            published=datetime.combine(DUE, time(16, 30), UTC),
        )
        _result(session, targets[2], day=INSPECTED, category="发现问题待后续处理", published=None)  # never published
        _disposal(session, targets[1])  # the 责令改正 is recorded: followed up; targets[2]'s is not
        # Inspected after the window closed, published on time.
        _result(
            session,
            targets[3],
            day=date(2026, 10, 9),
            category="未发现问题",
            published=datetime.combine(date(2026, 10, 12), time(2), UTC),
        )
    return {"targets": len(targets)}


def _unit(metrics: dict[str, Any], kind: str, code: str) -> dict[str, Any]:
    rows = metrics["departments" if kind == "department" else "regions"]
    return next(r for r in rows if r["code"] == code)


def test_metrics_of_a_hand_built_quarter(app: Any, engine: Any, quarter: dict[str, Any]) -> None:
    with Session(engine) as session:
        m = compute(session, region="330100", period="2026Q3", today=date(2026, 11, 25))
    scjg = _unit(m, "department", "330102-SCJG")
    assert scjg["counts"]["tasks"] == 2 and scjg["counts"]["tasks_drawn_on_time"] == 1
    assert scjg["rates"]["joint_share"] == 0.5
    assert scjg["counts"]["targets"] == quarter["targets"] and scjg["counts"]["inspected_in_window"] == 3
    assert scjg["counts"]["results"] == 4 and scjg["counts"]["published_on_time"] == 2
    assert scjg["rates"]["problem_rate"] == 0.5 and scjg["rates"]["followup_rate"] == 0.5
    assert (scjg["counts"]["disposals"], scjg["rates"]["closure_rate"]) == (1, 1.0)  # closed before its due date
    assert scjg["rates"]["integrity_rate"] == 1.0 and scjg["rates"]["objection_rate"] is None
    wsjk = _unit(m, "department", "330102-WSJK")
    assert wsjk["counts"]["tasks"] == 1 and wsjk["rates"]["plan_draw_rate"] == 1.0
    overdue = {e["uscc"]: e for e in scjg["evidence"] if e["kind"] == "publication_overdue"}
    late_by_one = [e for e in overdue.values() if e["published"] is not None]
    assert len(late_by_one) == 1 and late_by_one[0]["working_days"] == 1
    never = [e for e in overdue.values() if e["published"] is None]
    assert never[0]["working_days"] == STATUTORY_WEEK.working_days_between(DUE, date(2026, 11, 25))
    region = _unit(m, "region", "330102")
    assert region["counts"]["tasks"] == 2 and m["total"]["counts"]["results"] == 4


def test_thresholds_flag_exactly_the_lagging_units(app: Any, engine: Any, quarter: dict[str, Any]) -> None:
    with Session(engine) as session:
        m = compute(session, region="330100", period="2026Q3", today=date(2026, 11, 25))
    flagged = {(u["code"], r["rule"]) for u in lagging_units(m, Thresholds()) for r in u["reasons"]}
    assert flagged == {
        ("330102-SCJG", "plan_draw"),
        ("330102-SCJG", "completion"),
        ("330102-SCJG", "publication"),
        ("330102-SCJG", "joint"),
        ("330102-WSJK", "completion"),
        ("330102-WSJK", "publication"),
        ("330102", "plan_draw"),
        ("330102", "completion"),
        ("330102", "publication"),
        ("330102", "joint"),
    }


def _row(**rates: float | None) -> dict[str, Any]:
    keys = ("plan_draw_rate", "completion_rate", "joint_share")
    return {
        "rates": {k: rates.get(k) for k in keys},
        "counts": {"inspected_in_window": 8, "targets": 10},
        "evidence": [],
    }


def test_thresholds_are_strict_at_the_boundary() -> None:
    t = Thresholds()
    assert flags(_row(plan_draw_rate=1.0, completion_rate=0.8, joint_share=0.6), t) == []
    at_limit = _row()
    at_limit["evidence"] = [{"kind": "publication_overdue", "working_days": 10}]
    assert flags(at_limit, t) == []
    over = _row()
    over["evidence"] = [{"kind": "publication_overdue", "working_days": 11}]
    assert [f["rule"] for f in flags(over, t)] == ["publication"]
    assert [f["rule"] for f in flags(_row(completion_rate=0.79), t)] == ["completion"]
    assert flags(_row(), Thresholds.from_env({"SUPERVISE_LAG_COMPLETION_MIN": "0.9"})) == []


def _generate(app: Any, client: Any, headers: dict[str, str]) -> Any:
    resp = client.post("/api/reports/accountability", json={"region": "330100", "period": "2026Q3"}, headers=headers)
    assert resp.status_code == 202, resp.get_json()
    run_jobs(app)
    return client.get(resp.get_json()["status_url"], headers=headers).get_json()


def test_report_pdf_has_the_dashboards_numbers_and_an_embedded_font(
    app: Any, client: Any, engine: Any, quarter: dict[str, Any]
) -> None:
    headers = bearer(app, "supervisor")
    status = _generate(app, client, headers)
    assert status["status"] == "finished", status
    pdf = client.get(f"/api/reports/{status['result']['report']}.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    again = client.get(f"/api/reports/{status['result']['report']}.pdf", headers=headers)
    assert again.data == pdf.data and hashlib.sha256(pdf.data).hexdigest() == status["result"]["sha256"]
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    board = client.get("/api/reports/dashboard?region=330100&period=2026Q3", headers=headers).get_json()
    total = board["metrics"]["total"]["rates"]
    for heading in ("一、总体情况", "二、各部门情况", "四、明显滞后单位", "附件"):
        assert heading in text
    assert f"{total['publication_rate'] * 100:.1f}%" in text and "50.0%" in text
    assert "— 1 —" in text and f"（共 {len(reader.pages)} 页）" in text and status["result"]["doc_number"] in text
    assert "生成人：省督查室 王督查（督查室）" in text  # the person and office, not user:supervisor
    assert "阶段性" not in text  # 2026Q3 has ended
    named = [e for u in board["lagging"] for r in u["reasons"] for e in r["evidence"] if e.get("uscc")]
    assert named and all(e["firm"] for e in named)  # evidence names the firm beside its code
    assert f"企业：{named[0]['firm']}" in "".join(text.split())
    fonts = [
        f.get_object()
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        if "WenQuanYi" in f.get_object()["/BaseFont"]
    ]
    assert fonts and all("/FontFile2" in f["/FontDescriptor"] for f in fonts)
    with Session(engine) as session:
        row = session.exec(select(ReportArchive)).one()
        assert row.generated_by.endswith("supervisor") and row.sha256 == status["result"]["sha256"]
        assert session.exec(select(AuditLog).where(AuditLog.action == "report.generated")).one()


def test_only_the_supervision_office_generates_and_downloads(app: Any, client: Any, quarter: dict[str, Any]) -> None:
    status = _generate(app, client, bearer(app, "supervisor"))
    url = f"/api/reports/{status['result']['report']}.pdf"
    body = {"region": "330100", "period": "2026Q3"}
    assert client.post("/api/reports/accountability", json=body).status_code == 401
    assert client.get(url).status_code == 401
    for who in ("inspector", "credit", "licensing"):
        assert client.post("/api/reports/accountability", json=body, headers=bearer(app, who)).status_code == 403
        assert client.get(url, headers=bearer(app, who)).status_code == 403


def test_killed_report_job_archives_nothing_and_can_be_retried(
    app: Any, client: Any, engine: Any, quarter: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rq.job import Job
    from rq.serializers import JSONSerializer

    from supervise.queue import get_queue

    def killed(*_a: Any, **_k: Any) -> bytes:
        raise SystemExit("worker killed while rendering")

    headers = bearer(app, "supervisor")
    monkeypatch.setattr("reports.services.render", killed)
    resp = client.post("/api/reports/accountability", json={"region": "330100", "period": "2026Q3"}, headers=headers)
    job_id = resp.get_json()["job_id"]
    run_jobs(app)
    assert client.get(f"/api/jobs/{job_id}", headers=headers).get_json()["status"] != "finished"
    with Session(engine) as session:
        assert session.exec(select(ReportArchive)).all() == []
        assert session.exec(select(AuditLog).where(AuditLog.action == "report.generated")).all() == []
    monkeypatch.undo()
    queue = get_queue(app)
    queue.enqueue_job(Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer))
    run_jobs(app)
    status = client.get(f"/api/jobs/{job_id}", headers=headers).get_json()
    assert status["status"] == "finished", status
    with Session(engine) as session:
        assert len(session.exec(select(ReportArchive)).all()) == 1


def test_dashboard_page_shows_the_same_numbers(app: Any, client: Any, quarter: dict[str, Any]) -> None:
    from tests.conftest import login

    board = client.get("/api/reports/dashboard?region=330100&period=2026Q3", headers=bearer(app, "supervisor"))
    rates = board.get_json()["metrics"]["total"]["rates"]
    login(client, "supervisor")
    html = client.get("/reports?region=330100&period=2026Q3").get_data(as_text=True)
    assert f'id="publication_rate">{rates["publication_rate"] * 100:.1f}%' in html
    assert f'id="completion_rate">{rates["completion_rate"] * 100:.1f}%' in html
    assert "按时抽取率" in html and "上城区" in html
    # Region and period are chosen by name, not typed as codes
    assert '<option value="330100" selected>　杭州市</option>' in html
    assert '<option value="2026Q3" selected>2026年第三季度</option>' in html and 'pattern="\\d{6}"' not in html


def test_cli_writes_the_report(app: Any, runner: Any, quarter: dict[str, Any], tmp_path: Any) -> None:
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        args=["report", "accountability", "--period", "2026Q3", "--region", "330100", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-" and f"督通〔{clock.today().year}〕1号" in result.output
    bad = runner.invoke(args=["report", "accountability", "--period", "Q3", "--region", "330100", "-o", str(out)])
    assert bad.exit_code != 0 and "期间" in bad.output


def test_tampered_draw_lowers_integrity_even_after_a_cached_verdict(
    app: Any, engine: Any, quarter: dict[str, Any]
) -> None:
    from sqlalchemy import text

    today = date(2026, 11, 25)
    with unit_of_work(engine) as session:
        assert compute(session, region="330102", period="2026Q3", today=today)["total"]["rates"]["integrity_rate"] == 1
    with engine.begin() as conn:  # someone edits the stored population behind the application's back
        conn.execute(
            text("UPDATE draw SET population_text = replace(population_text, :a, :b)"), {"a": "\tB\t", "b": "\tD\t"}
        )
    with unit_of_work(engine) as session:
        m = compute(session, region="330102", period="2026Q3", today=today)
    assert m["total"]["counts"]["draws_verified"] == 0
    assert any(e["kind"] == "draw_mismatch" for r in m["regions"] for e in r["evidence"])


def test_report_reaching_a_year_without_official_calendar_counts_monday_to_friday(
    app: Any, engine: Any, quarter: dict[str, Any]
) -> None:
    today = date(2028, 1, 10)  # neither 2027 nor 2028 is entered: the report is made, not refused
    with Session(engine) as session:
        m = compute(session, region="330102", period="2026Q3", today=today)
    scjg = _unit(m, "department", "330102-SCJG")
    never = [e for e in scjg["evidence"] if e["kind"] == "publication_overdue" and e["published"] is None]
    assert never and never[0]["working_days"] == STATUTORY_WEEK.working_days_between(DUE, today)
