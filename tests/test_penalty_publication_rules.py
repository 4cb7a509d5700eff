"""行政处罚信息 to the letter of 总局令第45号 (read in full): what is not published, how long it shows, when it may
stop early, its withdrawal, and the notice at 送达; with the other rule corrections of the legal review."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from credit import law
from credit.models import ListEntry, PenaltyInfo
from supervise import clock
from supervise.models import AuditLog, Department, Enterprise
from tests.conftest import bearer
from tests.test_credit_penalties import CONDITIONS, at
from tests.test_exactly_once import at_once, statuses
from tests.test_object_scope import outsider  # noqa: F401 - the fixture

ORDER_45 = "国家市场监督管理总局令第45号"


@pytest.fixture
def firm(province: Any, engine: Any) -> Enterprise:
    with Session(engine) as session:
        return session.exec(select(Enterprise).order_by(col(Enterprise.id))).first()  # type: ignore[return-value]


def publish(client: Any, app: Any, firm: Enterprise, number: str = "杭上市监罚〔2026〕31号", **kw: Any) -> Any:
    body = {
        "uscc": firm.uscc,
        "decision_number": number,
        "decided_on": clock.today().isoformat(),
        "penalty_kind": "ordinary",
        "penalty_field": "广告",
        "content": "发布虚假广告，处罚款",
        "department_code": "330102-SCJG",
        **kw,
    }
    return client.post("/api/credit/penalties", json=body, headers=bearer(app, "credit"))


def test_a_warning_alone_is_not_published(app: Any, client: Any, firm: Enterprise) -> None:
    refused = publish(client, app, firm, penalty_kind="warning")
    assert refused.status_code == 422 and "第二条第二款" in refused.get_json()["message"]
    source = law.PENALTY_INFO["not_published"]["warning"]
    assert (source["number"], source["article"]) == (ORDER_45, "第二条第二款")


def test_a_simple_procedure_decision_is_not_published(app: Any, client: Any, firm: Enterprise) -> None:
    refused = publish(client, app, firm, procedure="simple")
    body = refused.get_json()
    assert (
        refused.status_code == 422 and body["fields"][0]["field"] == "procedure" and "第二条第一款" in body["message"]
    )
    assert law.PENALTY_INFO["not_published"]["simple_procedure"]["article"] == "第二条第一款"


def test_a_criticism_or_small_fine_shows_three_months_by_article_13(app: Any, client: Any, firm: Enterprise) -> None:
    light = publish(client, app, firm, penalty_kind="light").get_json()
    assert light["display_until"] == (clock.today() + relativedelta(months=3)).isoformat()
    rule = law.PENALTY_INFO["display_light"]
    assert (rule["amount"], rule["unit"], rule["source"]["number"], rule["source"]["article"]) == (
        3,
        "months",
        ORDER_45,
        "第十三条第一款",
    )
    assert law.PENALTY_INFO["publish_within"]["source"]["article"] == "第九条"


def test_a_restriction_longer_than_three_years_keeps_the_penalty_shown_until_it_ends(
    app: Any, client: Any, firm: Enterprise
) -> None:
    until = clock.today() + relativedelta(years=5)
    shown = publish(client, app, firm, penalty_kind="heavy", restricted_until=until.isoformat()).get_json()
    assert shown["display_until"] == until.isoformat()
    short = publish(
        client, app, firm, "杭上市监罚〔2026〕32号", restricted_until=(clock.today() + timedelta(days=30)).isoformat()
    )
    assert short.get_json()["display_until"] == (clock.today() + relativedelta(years=3)).isoformat()
    assert law.PENALTY_INFO["display_restricted"]["article"] == "第十三条第三款"


def test_an_early_stop_needs_all_four_conditions_and_a_firm_off_the_lists(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    published = publish(client, app, firm).get_json()
    frozen_clock.set(at(date.fromisoformat(published["published_on"]) + relativedelta(months=6)))
    stop = f"/api/credit/penalties/{published['id']}/stop"
    for missing in ("no_repeat", "commitment"):
        partial = {k: v for k, v in CONDITIONS.items() if k != missing}
        refused = client.post(stop, json={"conditions": partial}, headers=bearer(app, "credit"))
        assert refused.status_code == 422 and refused.get_json()["fields"][0]["field"] == f"conditions.{missing}"
    with Session(engine) as session:
        dept = session.exec(select(Department).where(Department.code == "330102-SCJG")).one()
        session.add(
            ListEntry(
                enterprise_id=firm.id or 0, list_type="ABNORMAL", state="listed", reason="无法联系",
                legal_basis="《企业经营异常名录管理暂行办法》", department_id=dept.id or 0, public_summary="无法联系",
                found_on=clock.today(), decision_due=clock.today(), ground="UNREACHABLE",
            )
        )  # fmt: skip
        session.commit()
    listed = client.post(stop, json={"conditions": CONDITIONS}, headers=bearer(app, "credit"))
    assert listed.status_code == 422 and listed.get_json()["fields"][0]["field"] == "conditions.not_listed"
    assert "第十四条第一款第（四）项" in listed.get_json()["message"]
    with Session(engine) as session:
        entry = session.exec(select(ListEntry).where(ListEntry.enterprise_id == firm.id)).one()
        entry.state = "removed"
        session.add(entry)
        session.commit()
    assert client.post(stop, json={"conditions": CONDITIONS}, headers=bearer(app, "credit")).status_code == 200
    assert law.PENALTY_INFO["early_stop_conditions"]["article"] == "第十四条第一款"


def test_a_heavy_penalty_is_never_stopped_early_by_article_14(
    app: Any, client: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    heavy = publish(client, app, firm, penalty_kind="heavy").get_json()
    frozen_clock.set(at(date.fromisoformat(heavy["published_on"]) + relativedelta(years=2)))
    refused = client.post(
        f"/api/credit/penalties/{heavy['id']}/stop", json={"conditions": CONDITIONS}, headers=bearer(app, "credit")
    )
    assert refused.status_code == 422 and "第十四条第三款" in refused.get_json()["message"]
    assert law.PENALTY_INFO["no_early_stop"]["article"] == "第十四条第三款"


def test_a_changed_decision_is_withdrawn_once_with_its_reason_and_its_three_day_clock(
    app: Any, client: Any, engine: Any, firm: Enterprise
) -> None:
    published = publish(client, app, firm).get_json()
    url = f"/api/credit/penalties/{published['id']}/withdraw"
    bare = client.post(
        url, json={"changed_on": clock.today().isoformat(), "reason": " "}, headers=bearer(app, "credit")
    )
    assert bare.status_code == 422 and bare.get_json()["fields"][0]["field"] == "reason"
    body = {"changed_on": clock.today().isoformat(), "reason": "行政复议决定撤销原处罚决定"}
    responses = at_once(app, 8, lambda c: c.post(url, json=body, headers=bearer(app, "credit")))
    assert statuses(responses) == {200: 1, 409: 7}
    done = next(r for r in responses if r.status_code == 200).get_json()
    assert done["withdrawn_on"] == clock.today().isoformat() and done["withdraw_due"] >= clock.today().isoformat()
    assert "杭上市监罚〔2026〕31号" not in client.get(f"/credit?q={firm.uscc}").get_data(as_text=True)
    with Session(engine) as session:
        logged = session.exec(select(AuditLog).where(AuditLog.action == "credit.penalty_withdrawn")).all()
        assert len(logged) == 1 and json.loads(logged[0].payload)["late"] is False
    rule = law.PENALTY_INFO["withdraw_within"]
    assert (rule["amount"], rule["unit"], rule["source"]["article"]) == (3, "working_days", "第十一条")


def test_a_withdrawal_after_three_working_days_is_recorded_late(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    published = publish(client, app, firm, decided_on=(clock.today() - timedelta(days=30)).isoformat()).get_json()
    changed = clock.today() - timedelta(days=20)
    done = client.post(
        f"/api/credit/penalties/{published['id']}/withdraw",
        json={"changed_on": changed.isoformat(), "reason": "人民法院判决确认违法"},
        headers=bearer(app, "credit"),
    )
    assert done.status_code == 200
    with Session(engine) as session:
        row = session.exec(select(PenaltyInfo).where(PenaltyInfo.id == published["id"])).one()
        assert row.state == "withdrawn" and row.withdraw_due is not None and row.withdraw_due < clock.today()
        payload = session.exec(select(AuditLog.payload).where(AuditLog.action == "credit.penalty_withdrawn")).one()
        assert json.loads(payload)["late"] is True


def test_the_rules_the_review_corrected_carry_their_checked_sources() -> None:
    from seeds.inspections import ITEMS
    from supervise.workdays import PUBLICATION_SOURCE, PUBLICATION_WORKING_DAYS

    bases = {basis for item in ITEMS for basis in item if isinstance(basis, str) and basis.startswith("《")}
    assert "《公共场所卫生管理条例》第十三条" in bases and "《公共场所卫生管理条例》第十八条" not in bases
    assert "《兽药管理条例》第四十四条" in bases and "《兽药管理条例》第四十五条" not in bases
    assert "《娱乐场所管理条例》第三十二条" in bases and "《娱乐场所管理条例》第三十四条" not in bases
    assert (
        law.ABNORMAL["repair_requires_commitment"] is True
        and "守信承诺书" in law.ABNORMAL["repair_commitment_source"]["note"]
    )
    revocation = law.BLACK["revocation_source"]
    assert revocation["article"] is None and "未能读到原文" in revocation["note"]
    assert all(g["source"]["article"] is None for g in law.BLACK_GROUNDS if "第44号" in g["source"]["number"])
    assert PUBLICATION_WORKING_DAYS == 20 and "抽查检查结束之日起20个工作日" in PUBLICATION_SOURCE["note"]


def test_an_official_paper_cites_the_instrument_without_the_officers_caveat() -> None:
    from supervise.citations import for_paper

    assert for_paper("《娱乐场所管理条例》（条号待核对）") == "《娱乐场所管理条例》"
    assert for_paper("《公共场所卫生管理条例》第十三条") == "《公共场所卫生管理条例》第十三条"
    assert "本机" not in law.UNCHECKED and "待核对" in law.UNCHECKED


def test_an_officer_of_another_district_cannot_withdraw_the_penalty(
    app: Any,
    client: Any,
    engine: Any,
    firm: Enterprise,
    outsider: str,  # noqa: F811 - the fixture
) -> None:
    published = publish(client, app, firm).get_json()
    body = {"changed_on": clock.today().isoformat(), "reason": "行政复议决定撤销原处罚决定"}
    refused = client.post(f"/api/credit/penalties/{published['id']}/withdraw", json=body, headers=bearer(app, outsider))
    assert refused.status_code == 403
    with Session(engine) as session:
        assert session.get(PenaltyInfo, published["id"]).state == "published"  # type: ignore[union-attr]
