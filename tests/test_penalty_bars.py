"""Bars tied to the penalty decision itself, not to a list entry: 食品安全法 第一百三十五条 (the firm and its
responsible persons, 5 years) and 公司法 第一百七十八条第一款第（四）项 (the legal representative at the time,
3 years), checked at the licensing window and at registration, however any list entry fares."""

# ruff: noqa: F811 - the `visit` fixture is imported and named as a parameter
from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select
from stdnum.cn import ric

from credit import bars
from credit.models import PersonBar
from inspections.disposals.models import EnforcementCase
from supervise.db import unit_of_work
from supervise.models import Enterprise
from tests.casekit import at, ready_for_heavy_decision
from tests.conftest import bearer
from tests.test_case_procedure import FILED, _filed
from tests.test_disposals import visit  # noqa: F401
from tests.test_officer_restrictions import _new_firm

REP, MANAGER = (s + ric.calc_check_digit(s + "0") for s in ("11010119800101125", "11010119850505456"))


def _firm_of(engine: Any, case_id: int) -> Enterprise:
    with unit_of_work(engine) as session:
        case = session.get(EnforcementCase, case_id)
        firm = session.get(Enterprise, case.enterprise_id)
        firm.legal_rep_name, firm.legal_rep_id_number = "钱某", REP
        session.add(firm)
        session.flush()
        session.expunge(firm)
    return firm


def _check(app: Any, client: Any, uscc: str, matter: str) -> Any:
    body = {"uscc": uscc, "matter": matter}
    return client.post("/api/credit/check", json=body, headers=bearer(app, "licensing"))


def _decide(app: Any, client: Any, frozen_clock: Any, case_id: int, told: list[str], **extra: Any) -> Any:
    day = ready_for_heavy_decision(app, client, frozen_clock, case_id, FILED, measures=told)
    body = {
        "decision_number": f"杭上市监罚〔2026〕{case_id}号", "decided_on": day.isoformat(), "penalty_kind": "heavy",
        "content": "吊销许可证件，罚款十万元", "amount": "100000", **extra,
    }  # fmt: skip
    return client.post(f"/api/cases/{case_id}/decide", json=body, headers=bearer(app, "inspector")), day


def test_the_bars_follow_the_measures_and_their_years_count_from_the_decision() -> None:
    assert bars.kinds_for(["revoke_licence", "fine"], "食品", False) == ["food"]
    assert bars.kinds_for(["revoke_licence"], "药品", False) == []  # 第一百三十五条 is the food law's
    assert bars.kinds_for(["revoke_charter"], None, False) == []  # no personal responsibility found
    assert bars.kinds_for(["close", "revoke_licence"], "食品", True) == ["food", "company"]
    assert bars.years_after(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert bars.BARS["food"].source["article"] == "第一百三十五条第一款"
    assert bars.BARS["company"].source["article"] == "第一百七十八条第一款第（四）项"


def test_a_revoked_food_licence_bars_the_firm_and_its_people_for_five_years_with_no_list_entry(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    firm = _firm_of(engine, case_id)
    manager = {"role": "直接负责的主管人员", "name": "孙某", "id_number": MANAGER}
    untold = _decide(app, client, frozen_clock, case_id, ["fine", "suspend"], measures=["revoke_licence"])[0]
    assert untold.status_code == 422 and "未经告知" in untold.get_json()["message"]
    frozen_clock.set(at(FILED))
    case_id = _filed(app, client, visit["target"], "杭上市监立〔2026〕502号")
    done, day = _decide(app, client, frozen_clock, case_id, ["revoke_licence", "fine"], field="食品", persons=[manager])
    assert done.status_code == 200, done.get_json()
    with Session(engine) as session:
        rows = session.exec(select(PersonBar).order_by(col(PersonBar.id))).all()
        assert session.exec(select(col(EnforcementCase.entry_id)).where(EnforcementCase.id == case_id)).one() is None
    assert [(b.kind, b.role, b.until.isoformat()) for b in rows] == [
        ("food", "经营者", "2031-10-11"),
        ("food", "法定代表人", "2031-10-11"),
        ("food", "直接负责的主管人员", "2031-10-11"),
    ]
    assert day.isoformat() == "2026-10-11"
    window = _check(app, client, firm.uscc, "SCJG-SPJY")
    answer = window.get_json()
    assert answer["decision"] == "deny" and "第一百三十五条第一款" in answer["measures"][0]["legal_basis"]
    assert MANAGER not in window.get_data(as_text=True) and REP not in window.get_data(as_text=True)
    assert _check(app, client, firm.uscc, "SCJG-TZSB").get_json()["decision"] != "deny"  # not a food licence
    frozen_clock.set(at(date(2031, 10, 11)))  # the bar runs before this day
    later = _check(app, client, firm.uscc, "SCJG-SPJY")
    assert not any(m["list_type"] == "行政处罚决定" for m in later.get_json()["measures"])


def test_a_revoked_charter_bars_the_legal_representative_of_the_day_even_after_the_firm_changes_it(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    firm = _firm_of(engine, case_id)
    done, _day = _decide(app, client, frozen_clock, case_id, ["revoke_charter", "fine"], rep_responsible=True)
    assert done.status_code == 200, done.get_json()
    with unit_of_work(engine) as session:  # the firm names a new legal representative afterwards
        row = session.get(Enterprise, firm.id)
        row.legal_rep_name, row.legal_rep_id_number = "新某", MANAGER
        session.add(row)
    refused = _new_firm(client, app, legal_rep_id_number=REP)
    body = refused.get_json()
    assert refused.status_code == 409 and "第一百七十八条第一款第（四）项" in body["message"]
    assert "不得担任公司的董事、监事、高级管理人员" in body["message"] and REP not in str(body)
    assert _new_firm(client, app, legal_rep_id_number=MANAGER).status_code == 201  # the successor is not barred


def test_a_heavy_measure_must_be_decided_as_a_heavy_penalty(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    done, _day = _decide(app, client, frozen_clock, case_id, ["revoke_licence", "fine"], penalty_kind="ordinary")
    assert done.status_code == 422 and done.get_json()["fields"][0]["field"] == "penalty_kind"
