"""督查 to the letter of 《政府督查工作条例》: a 通报 and a 追责建议 go out only with the government's recorded
approval (第二十一条), the unit may ask for 复核 within 30 days and those who made the 结论 are recused (第十七条),
and the desk shows the designation it works under (第七条)."""

# ruff: noqa: F811 - the fixtures are imported and named as parameters
from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfReader
from sqlmodel import Session, select

from reports.oversight.models import OversightNotice, Rectification
from tests.conftest import bearer, login
from tests.test_exactly_once import at_once, statuses
from tests.test_oversight import APPROVAL, _notice, _propose_and_confirm, notified_unit, office  # noqa: F401
from tests.test_reports import quarter  # noqa: F401


def test_a_notice_and_an_accountability_proposal_need_the_governments_recorded_approval(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    bare = {k: v for k, v in _notice("330102-WSJK").items() if k not in APPROVAL}
    refused = client.post("/api/oversight/notices", json=bare, headers=bearer(app, "supervisor"))
    assert refused.status_code == 422 and {f["field"] for f in refused.get_json()["fields"]} >= {"approved_by"}
    future = client.post("/api/oversight/notices", json={**_notice("330102-WSJK"), "approved_on": "2026-11-26"},
                         headers=bearer(app, "supervisor"))  # fmt: skip
    assert future.status_code == 422 and future.get_json()["fields"][0]["field"] == "approved_on"
    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
    with Session(engine) as session:
        notice = session.exec(select(OversightNotice)).one()
    assert (notice.approved_by, notice.approval_ref, notice.approved_on.isoformat()) == (
        "浙江省人民政府", "签批单第1号", "2026-10-09",
    )  # fmt: skip
    pdf = client.get(f"/api/oversight/notices/{notice.id}/notice.pdf", headers=bearer(app, "supervisor"))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "经浙江省人民政府批准，现予通报" in text


def test_a_unit_asks_for_review_within_30_days_once_and_the_makers_of_the_conclusion_are_recused(
    app: Any, client: Any, engine: Any, office: None, frozen_clock: Any
) -> None:
    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
    with Session(engine) as session:
        number = session.exec(select(OversightNotice.number)).one()
    url = f"/api/oversight/notices/{number}/review"
    body = {"received_on": "2026-11-25", "reasons": "滞后系因系统故障，已附证明"}
    other = client.post(url, json=body, headers=bearer(app, "unit_scjg"))
    assert other.status_code == 403
    frozen_clock.set(datetime(2026, 12, 26, 2, 0, tzinfo=UTC))  # 31 days after receipt
    late = client.post(url, json=body, headers=bearer(app, "unit_wsjk"))
    assert late.status_code == 422 and "2026-12-25 届满" in late.get_json()["message"]
    frozen_clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    asked = at_once(app, 8, lambda c: c.post(url, json=body, headers=bearer(app, "unit_wsjk")))
    assert statuses(asked) == {201: 1, 409: 7}
    review = next(r.get_json() for r in asked if r.status_code == 201)
    assert review["decision_due"] == "2026-12-31"
    decide = f"/api/oversight/reviews/{review['id']}/decide"
    verdict = {"outcome": "revoked", "decision": "经核实，滞后系省级系统故障所致"}
    for maker in ("supervisor", "supervisor2"):  # proposed and confirmed the 通报
        recused = client.post(decide, json=verdict, headers=bearer(app, maker))
        assert recused.status_code == 403 and "回避" in recused.get_json()["message"]
    done = at_once(app, 6, lambda c: c.post(decide, json=verdict, headers=bearer(app, "supervisor3")))
    assert statuses(done) == {200: 1, 409: 5}
    with Session(engine) as session:
        notice = session.exec(select(OversightNotice)).one()
        rect = session.exec(select(Rectification)).one()
    assert notice.revoked_on is not None and rect.status == "revoked"  # the 整改 it ordered ends
    listed = client.get("/api/oversight/reviews", headers=bearer(app, "unit_wsjk")).get_json()
    assert [(r["notice"], r["outcome"]) for r in listed] == [(number, "revoked")]
    assert client.get("/api/oversight/reviews", headers=bearer(app, "unit_scjg")).get_json() == []


def test_the_unit_page_offers_review_and_the_desk_shows_the_designation_or_its_absence(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    _unit, page = notified_unit(app, client)
    assert "申请复核" in page and "三十日内申请复核" in page
    desk = app.test_client()
    login(desk, "supervisor")
    assert "尚未登记本级人民政府对督查工作的指定" in desk.get("/oversight").get_data(as_text=True)
    from dataclasses import replace

    from supervise import config

    settings = config.current()
    mandate = "浙政办发〔2026〕演示号：双随机监管工作督查，全省，2026年"
    config.install(replace(settings, tuning=replace(settings.tuning, oversight_mandate=mandate)))
    try:
        assert "督查授权：浙政办发〔2026〕演示号" in desk.get("/oversight").get_data(as_text=True)
    finally:
        config.install(settings)
