"""The risk engine on the system's own records: fit (content-addressed, audited), scoring into tiers with their
floors, the explanation, the back-test, scope, and one scoring run at a time."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import ListEntry
from credit.risk.models import PastInspection, RiskModelRecord, RiskScore
from credit.risk.services import artefact_path, evaluate, fit, score_all
from credit.tiers import recompute_tier
from seeds.risk_demo import seed_risk
from supervise import clock
from supervise.clock import FixedClock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Enterprise
from tests.conftest import bearer
from tests.test_exactly_once import at_once, statuses

NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def scored(app: Any, province: Any, engine: Any) -> Any:
    """The demo province with its planted inspection history, a fitted model and a scoring run."""
    with clock.using(FixedClock(NOW)) as fixed, unit_of_work(engine) as session:
        summary = seed_risk(session, seed=7, now=NOW)
    with clock.using(FixedClock(NOW)):
        yield summary | {"clock": fixed}


def _list(engine: Any, uscc: str, list_type: str) -> int:
    with unit_of_work(engine) as session:
        firm = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).one()
        dept = session.exec(select(Department).where(Department.region_code == firm.region_code)).first()
        entry = ListEntry(enterprise_id=firm.id or 0, list_type=list_type, state="listed", reason="测试",
                          legal_basis="测试", department_id=dept.id if dept else 1, public_summary="测试",
                          found_on=date(2026, 11, 1), decision_due=date(2026, 12, 1),
                          listed_on=date(2026, 11, 20))  # fmt: skip
        session.add(entry)
        session.flush()
        return firm.id or 0


def test_fitting_stores_the_artefact_by_its_digest_audits_it_and_refits_to_the_same_model(
    scored: Any, engine: Any
) -> None:
    data = artefact_path(scored["model"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == scored["model"]
    with Session(engine) as session:
        record = session.exec(select(RiskModelRecord)).one()
        logged = session.exec(select(AuditLog).where(AuditLog.action == "risk.model_fitted")).one()
        assert record.sha256 == scored["model"] and json.loads(logged.payload)["sha256"] == record.sha256
        validation = json.loads(record.validation)
        assert validation["backtest"]["rule_tiers"]["auc"] is not None and validation["window"][0] < "2026-12-06"
        assert session.exec(select(PastInspection)).first() is not None
    with unit_of_work(engine) as session:  # the same records and seed give the same artefact, recorded once
        again = fit(session, actor="cli")
        assert again.sha256 == scored["model"]
    with Session(engine) as session:
        assert len(session.exec(select(RiskModelRecord)).all()) == 1


def test_scoring_tiers_every_firm_by_score_shares_and_the_floors_and_audits_each_change_with_the_model(
    scored: Any, engine: Any
) -> None:
    with Session(engine) as session:
        rows = session.exec(select(RiskScore)).all()
        firms = {e.id: e for e in session.exec(select(Enterprise)).all()}
        changed = session.exec(select(AuditLog).where(AuditLog.action == "credit.tier_changed")).all()
    assert len(rows) == scored["scored"] and {r.tier for r in rows} == set("ABCD")
    assert all(firms[r.enterprise_id].risk_tier == r.tier for r in rows)  # what the draws read
    top = max(rows, key=lambda r: r.score)
    assert top.score_tier == "D"
    assert len(changed) == scored["changed"] and all(json.loads(a.payload)["model"] == scored["model"][:16]
                                                    for a in changed)  # fmt: skip
    # floors: a 严重违法失信 firm is D and an 经营异常 one at least C, whatever their scores
    low = sorted(rows, key=lambda r: r.score)[:2]
    black, abnormal = firms[low[0].enterprise_id].uscc, firms[low[1].enterprise_id].uscc
    _list(engine, black, "BLACK")
    _list(engine, abnormal, "ABNORMAL")
    with unit_of_work(engine) as session:  # the floors act at once, before the next scoring run
        assert recompute_tier(session, enterprise_id=low[0].enterprise_id) == "D"
        assert recompute_tier(session, enterprise_id=low[1].enterprise_id) == "C"
    with unit_of_work(engine) as session:
        run = score_all(session, actor="cli")
    with Session(engine) as session:
        floored = {r.enterprise_id: r for r in session.exec(select(RiskScore)).all()}
    assert floored[low[0].enterprise_id].tier == "D" and floored[low[0].enterprise_id].score_tier == "A"
    assert "严重违法失信" in (floored[low[0].enterprise_id].floor or "")
    assert floored[low[1].enterprise_id].tier == "C" and json.loads(run.summary)["floored"] >= 2


def test_an_officer_reads_a_firms_explanation_in_chinese_within_their_region_only(
    scored: Any, app: Any, client: Any, engine: Any
) -> None:
    from supervise.models import User

    with Session(engine) as session:
        officer = session.exec(select(User).where(User.username == "credit")).one()
        region = session.get(Department, officer.department_id).region_code  # type: ignore[union-attr]
        mine = session.exec(
            select(Enterprise.uscc)
            .join(RiskScore, col(RiskScore.enterprise_id) == col(Enterprise.id))
            .where(Enterprise.region_code == region)
            .order_by(col(RiskScore.score).desc())
        ).first()
        other = session.exec(
            select(Enterprise.uscc).where(Enterprise.region_code != region, Enterprise.status == "存续")
        ).first()
    headers = bearer(app, "credit")
    resp = client.get(f"/api/risk/firms/{mine}", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["factors"] and all(f["label"] and not f["label"].isascii() for f in body["factors"])
    assert body["tier_label"].endswith("）") and "不对外公开" in body["note"] and 0 < body["score"] < 1
    refused = client.get(f"/api/risk/firms/{other}", headers=headers)
    assert refused.status_code == 403
    assert client.get(f"/api/risk/firms/{mine}").status_code in (302, 401)
    assert client.get("/credit/risk").status_code in (302, 401)
    assert client.get(f"/api/risk/firms/{mine}", headers=bearer(app, "licensing")).status_code == 403


def test_the_back_test_compares_the_model_with_the_rule_tiers_and_chance(scored: Any, engine: Any) -> None:
    with Session(engine) as session:
        result = evaluate(session)
    assert result["model_sha256"] == scored["model"] and result["n"] > 0
    for key in ("model", "rule_tiers", "random"):
        assert result[key]["auc"] is not None and result[key]["lift"] is not None
    assert abs(result["random"]["auc"] - 0.5) < 0.05  # chance is chance
    assert tuple(result["gains"]["model"][0]) == (0.0, 0.0) and tuple(result["gains"]["model"][-1]) == (1.0, 1.0)


def test_only_one_scoring_run_is_queued_at_a_time(scored: Any, app: Any) -> None:
    headers = bearer(app, "supervisor")
    responses = at_once(app, 4, lambda c: c.post("/api/risk/runs", headers=headers))
    assert statuses(responses) == {202: 1, 409: 3}, [r.get_json() for r in responses]


def test_the_accountability_report_lists_the_regions_inspectors_flagged_for_review(
    scored: Any, engine: Any, app: Any
) -> None:
    import io

    from pypdf import PdfReader

    from credit.risk.queries import inspector_effects
    from reports.services import generate, reports_dir
    from supervise.models import Inspector

    with unit_of_work(engine) as session:  # one inspector visited the riskiest firms 300 times and found nothing
        badge = session.exec(select(Inspector.badge_no).where(Inspector.region_code == "330102")).first()
        risky = session.exec(select(RiskScore.enterprise_id).order_by(col(RiskScore.score).desc()).limit(100)).all()
        for n in range(300):
            session.add(PastInspection(enterprise_id=risky[n % 100], inspected_on=date(2026, 6, 1 + n % 28),
                                       inspector_badge=badge, found=False, source="测试"))  # fmt: skip
    with unit_of_work(engine) as session:  # the scoring run measures the inspector effect
        score_all(session, actor="cli")
    with Session(engine) as session:
        everyone = inspector_effects(session)
        digest = generate(session, region="330000", period="2026Q4", actor="user:supervisor").sha256
        session.commit()
    flagged = [r for r in everyone["rows"] if r["flagged"]]
    assert [r["badge"] for r in flagged] == [badge]  # the others, with few visits each, are not flagged
    pdf = (reports_dir() / f"{digest}.pdf").read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "五、检查人员发现问题情况（提示复核）" in text and "不能单独作为追责依据" in text
    assert badge in text and f"{flagged[0]['expected']}" in text


def test_the_risk_page_shows_the_tiers_the_back_test_chart_and_a_firms_explanation_and_exports_the_d_tier(
    scored: Any, app: Any, engine: Any
) -> None:
    import io

    from openpyxl import load_workbook

    from supervise.models import User
    from tests.conftest import login

    with Session(engine) as session:
        officer = session.exec(select(User).where(User.username == "credit")).one()
        region = session.get(Department, officer.department_id).region_code  # type: ignore[union-attr]
        mine = session.exec(
            select(Enterprise.uscc).join(RiskScore, col(RiskScore.enterprise_id) == col(Enterprise.id))
            .where(Enterprise.region_code == region).order_by(col(RiskScore.score).desc())
        ).first()  # fmt: skip
    credit = app.test_client()
    login(credit, "credit")
    page = credit.get(f"/credit/risk?uscc={mine}").get_data(as_text=True)
    assert "分类分布" in page and "<svg" in page and "现行规则分类" in page and "合成数据" in page
    assert "既往" in page and "不对外公开" in page and "检查人员发现问题情况" not in page  # for the 督查室
    with Session(engine) as session:
        d_tier = session.exec(
            select(Enterprise.uscc, Enterprise.region_code).join(RiskScore, col(RiskScore.enterprise_id)
                                                               == col(Enterprise.id)).where(RiskScore.tier == "D")
        ).all()  # fmt: skip

    def exported(client: Any) -> list[Any]:
        rows = list(
            load_workbook(io.BytesIO(client.get("/credit/risk/focus.xlsx").data)).active.iter_rows(values_only=True)
        )
        assert rows[0][0] == "统一社会信用代码" and all(r[3].startswith("D类") for r in rows[1:])
        return [r[0] for r in rows[1:]]

    assert sorted(exported(credit)) == sorted(u for u, r in d_tier if r == region)  # within the officer's region
    office = app.test_client()
    login(office, "supervisor")
    assert "检查人员发现问题情况" in office.get("/credit/risk").get_data(as_text=True)
    assert len(exported(office)) == len(d_tier) > 0  # the province's 督查室 reaches them all
    note = office.get("/credit/risk/note.pdf")
    assert note.status_code == 200 and note.data[:5] == b"%PDF-"


def test_the_commands_fit_score_evaluate_and_explain_in_chinese(scored: Any, runner: Any, engine: Any) -> None:
    fitted = runner.invoke(args=["risk", "fit"])
    assert fitted.exit_code == 0 and scored["model"] in fitted.output and "验证（时间切分）" in fitted.output
    scoring = runner.invoke(args=["risk", "score"])
    assert scoring.exit_code == 0 and "已评分" in scoring.output and "分类变化 0 户" in scoring.output  # same model
    evaluated = json.loads(runner.invoke(args=["risk", "evaluate", "--json"]).output)
    assert evaluated["model"]["auc"] and evaluated["rule_tiers"]["auc"] and evaluated["n"] > 0
    with Session(engine) as session:
        uscc = session.exec(
            select(Enterprise.uscc).join(RiskScore, col(RiskScore.enterprise_id) == col(Enterprise.id))
            .order_by(col(RiskScore.score).desc())
        ).first()  # fmt: skip
    explained = json.loads(runner.invoke(args=["risk", "explain", uscc, "--json"]).output)
    assert explained["uscc"] == uscc and explained["tier_label"].startswith("D类")
    assert all(not f["label"].isascii() for f in explained["factors"])
    unknown = runner.invoke(args=["risk", "explain", "91330102MA2XXXXXXX"])
    assert unknown.exit_code == 1 and "不在名录库中" in unknown.output
    exported = runner.invoke(args=["risk", "export-history", str(artefact_path("x").parent / "export")])
    assert exported.exit_code == 0 and "inspections.csv" in exported.output
