"""The credit rules as the law has them (docs/credit.md): each test pins a value and its legal source."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import ListEntry
from credit.reference import stored_rules
from supervise import clock
from supervise.db import unit_of_work
from supervise.holidays import work_calendar
from supervise.models import Enterprise
from tests.conftest import bearer, district_firms


@pytest.fixture
def firms(province: Any, engine: Any) -> list[Enterprise]:
    return district_firms(engine, 4)


def import_red(engine: Any, list_type: str, usccs: list[str], *, until: date | None = None) -> dict[str, Any]:
    """Import a published red list valid from today (for a year unless `until` says otherwise)."""
    from credit.redlist import import_red_list

    today = clock.today()
    with unit_of_work(engine) as session:
        return import_red_list(
            session,
            list_type=list_type,
            rows=[(n + 2, {"uscc": u}) for n, u in enumerate(usccs)],
            document="测试发布文件〔2026〕1号",
            valid_from=today,
            valid_until=until or today + timedelta(days=365),
            department_id=1,
            actor="test",
        )


def _post(client: Any, app: Any, user: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json=body, headers=bearer(app, user))


def _move(client: Any, app: Any, user: str, entry_id: int, action: str, **kw: Any) -> Any:
    return _post(client, app, user, f"/api/credit/entries/{entry_id}/transitions", {"action": action, **kw})


def _abnormal(client: Any, app: Any, firm: Enterprise, ground: str = "ANNUAL_REPORT", **kw: Any) -> int:
    """Propose a 经营异常 entry at the firm's registering authority; return its id."""
    body = {
        "uscc": firm.uscc,
        "list_type": "ABNORMAL",
        "ground": ground,
        "reason": "未按期公示年度报告",
        "legal_basis": "《企业经营异常名录管理暂行办法》第四条",
        "department_code": f"{firm.region_code}-SCJG",
        "public_summary": "未按期公示年度报告",
        "found_on": clock.today().isoformat(),
        **kw,
    }
    resp = _post(client, app, "credit", "/api/credit/entries", body)
    assert resp.status_code == 201, resp.get_json()
    return int(resp.get_json()["id"])


def _list_abnormal(client: Any, app: Any, firm: Enterprise, **kw: Any) -> int:
    entry_id = _abnormal(client, app, firm, **kw)
    assert _move(client, app, "credit", entry_id, "notify").status_code == 200
    _post(client, app, "credit", f"/api/credit/entries/{entry_id}/statement", {"note": "企业称正在补报"})
    resp = _move(client, app, "credit2", entry_id, "decide", decision_number="杭市监异〔2026〕9号")
    assert resp.status_code == 200, resp.get_json()
    return entry_id


def _set(engine: Any, entry_id: int, **values: Any) -> None:
    with unit_of_work(engine) as session:
        entry = session.get(ListEntry, entry_id)
        for k, v in values.items():
            setattr(entry, k, v)
        session.add(entry)


def test_an_abnormal_firm_that_files_its_report_is_removed_the_same_week(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    applied = _move(
        client, app, "credit", entry_id, "apply_repair", note="已补报2025年度报告并公示", commitment_letter=True
    )
    assert applied.status_code == 200, applied.get_json()  # no minimum display (暂行办法: 改正后即可申请)
    with Session(engine) as session:
        due = work_calendar(session).add_working_days(clock.today(), 5)
    assert applied.get_json()["repair_due"] == due.isoformat()  # removal decided within 5 working days
    assert _move(client, app, "credit", entry_id, "approve_repair").status_code == 403  # four eyes
    removed = _move(client, app, "credit2", entry_id, "approve_repair")
    assert removed.status_code == 200 and removed.get_json()["state"] == "removed"
    rules = {t["code"]: t["rules"] for t in json.loads(_rules_json(app))["list_types"]}
    assert rules["ABNORMAL"]["repair_decision"]["amount"] == 5
    assert "第68号" in rules["ABNORMAL"]["repair_decision"]["source"]["number"]


def test_an_objection_filed_on_day_31_is_refused_and_on_day_30_accepted(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    late, in_time = _list_abnormal(client, app, firms[0]), _list_abnormal(client, app, firms[1])
    today = clock.today()
    _set(engine, late, listed_on=today - timedelta(days=31))
    _set(engine, in_time, listed_on=today - timedelta(days=30))
    refused = _move(client, app, "credit", late, "object", note="已按期报送")
    assert refused.status_code == 422 and refused.get_json()["fields"][0]["field"] == "objected_on"
    assert "30日" in refused.get_json()["message"]
    filed = _move(client, app, "credit", in_time, "object", note="已按期报送")
    assert filed.status_code == 200 and filed.get_json()["state"] == "objection_filed"
    with Session(engine) as session:
        calendar = work_calendar(session)
    assert filed.get_json()["objection_accept_due"] == calendar.add_working_days(today, 5).isoformat()
    accepted = _move(client, app, "credit2", in_time, "accept_objection")
    assert accepted.get_json()["objection_due"] == calendar.add_working_days(today, 20).isoformat()


def test_a_false_information_result_proposes_an_entry_at_the_registering_authority(
    app: Any, engine: Any, province: Any
) -> None:
    from credit.feeds import feed_inspection_result
    from inspections.models import DrawTarget
    from tests.drawkit import add_firms, ceremony, make_task

    add_firms(engine, 5)
    make_task(engine, "T1")
    draw = ceremony(engine, "T1")
    with unit_of_work(engine) as session:
        target = session.exec(select(DrawTarget).where(DrawTarget.draw_id == draw.id)).first()
        firm = session.get(Enterprise, target.enterprise_id)
        entry = feed_inspection_result(
            session, target_id=target.id, category="公示信息隐瞒真实情况、弄虚作假", inspected_on=clock.today()
        )
        assert entry is not None and entry.ground == "FALSE_INFO" and entry.proposed_by is None
        dept = session.get(__import__("supervise.models").models.Department, entry.department_id)
        assert dept.code == f"{firm.region_code}-SCJG"  # 谁登记、谁管理, whatever departments inspected


def test_instant_information_is_ordered_first_and_listed_only_after_the_order_lapses(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    entry_id = _abnormal(client, app, firms[0], ground="INSTANT_INFO", order_number="杭市监责〔2026〕3号")
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
        calendar = work_calendar(session)
    assert entry.state == "ordered" and entry.order_due == clock.today() + timedelta(days=10)
    assert entry.decision_due == calendar.add_working_days(entry.order_due, 10)
    early = _move(client, app, "credit", entry_id, "notify")
    assert early.status_code == 422 and early.get_json()["fields"][0]["field"] == "order_due"
    _set(engine, entry_id, order_due=clock.today() - timedelta(days=1))
    assert _move(client, app, "credit", entry_id, "notify").get_json()["state"] == "notified"


def test_only_the_registering_authority_may_list_a_firm_as_abnormal(
    app: Any, client: Any, firms: list[Enterprise]
) -> None:
    other = "330100-SCJG" if firms[0].region_code != "330100" else "330106-SCJG"
    body = {"uscc": firms[0].uscc, "list_type": "ABNORMAL", "ground": "UNREACHABLE", "department_code": other}
    body |= {"reason": "无法联系", "legal_basis": "暂行办法", "public_summary": "无法联系"}
    resp = _post(client, app, "credit", "/api/credit/entries", body | {"found_on": clock.today().isoformat()})
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "department_code"
    assert "谁登记、谁管理" in resp.get_json()["message"]


def _black(client: Any, app: Any, firm: Enterprise, **kw: Any) -> Any:
    body = {
        "uscc": firm.uscc,
        "list_type": "BLACK",
        "ground": "HEAVY_PENALTY",
        "reason": "从重罚款",
        "legal_basis": "总局令第44号",
        "department_code": "330102-SCJG",
        "public_summary": "严重违法失信",
        "found_on": clock.today().isoformat(),
        "penalty_number": "杭上市监罚〔2026〕5号",
        "penalty_on": clock.today().isoformat(),
        "penalty_field": "食品",
        **kw,
    }
    return _post(client, app, "credit", "/api/credit/entries", body)


def test_a_county_level_black_list_decision_waits_for_the_level_above(
    app: Any, client: Any, firms: list[Enterprise]
) -> None:
    missing = _black(client, app, firms[0], penalty_number=None)
    assert missing.status_code == 422 and missing.get_json()["fields"][0]["field"] == "penalty_number"
    entry = _black(client, app, firms[0]).get_json()
    assert entry["higher_approval_required"] and entry["decision_due"] == clock.today().isoformat()
    waiting = _move(client, app, "credit2", entry["id"], "decide", decision_number="杭上市监严失〔2026〕1号")
    assert waiting.status_code == 422 and waiting.get_json()["fields"][0]["field"] == "higher_approved_by"
    same_level = _move(client, app, "credit2", entry["id"], "approve_higher")
    assert same_level.status_code == 403 and "杭州市" in same_level.get_json()["message"]
    assert _move(client, app, "credit_city", entry["id"], "approve_higher").status_code == 200
    decided = _move(client, app, "credit2", entry["id"], "decide", decision_number="杭上市监严失〔2026〕1号")
    assert decided.status_code == 200 and decided.get_json()["state"] == "listed"


def _check(client: Any, app: Any, uscc: str, matter: str) -> dict[str, Any]:
    return _post(client, app, "licensing", "/api/credit/check", {"uscc": uscc, "matter": matter}).get_json()


def _list_black(client: Any, app: Any, firm: Enterprise, **kw: Any) -> int:
    entry = _black(client, app, firm, **kw).get_json()
    _move(client, app, "credit_city", entry["id"], "approve_higher")
    resp = _move(client, app, "credit2", entry["id"], "decide", decision_number="杭上市监严失〔2026〕2号")
    assert resp.status_code == 200, resp.get_json()
    return int(entry["id"])


def test_food_law_article_135_denies_only_firms_whose_licence_was_revoked(
    app: Any, client: Any, firms: list[Enterprise]
) -> None:
    _list_black(client, app, firms[0])  # 吊销许可证以外的较重行政处罚
    _list_black(client, app, firms[1], ground="LICENCE_REVOKED")
    heavy, revoked = _check(client, app, firms[0].uscc, "SCJG-SPJY"), _check(client, app, firms[1].uscc, "SCJG-SPJY")
    assert heavy["decision"] == "restrict" and "deny" not in {m["effect"] for m in heavy["measures"]}
    assert revoked["decision"] == "deny"
    deny = next(m for m in revoked["measures"] if m["effect"] == "deny")
    assert "第一百三十五条" in deny["legal_basis"] and "食品安全法" in deny["legal_basis"]


def test_black_listing_puts_the_firm_under_key_supervision_and_red_lists_lower_its_ratio(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_black(client, app, firms[0])
    import_red(engine, "RED_CONTRACT", [firms[1].uscc])
    with Session(engine) as session:
        tiers = {e.uscc: e.risk_tier for e in session.exec(select(Enterprise)).all()}
    assert tiers[firms[0].uscc] == "D" and tiers[firms[1].uscc] == "A"


def test_a_red_list_import_is_all_or_nothing_and_ends_with_its_period(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    from credit.feeds import expire_due
    from supervise.errors import ApiError

    with pytest.raises(ApiError) as info:
        import_red(engine, "RED_TAX", [firms[0].uscc, "91330102000000000X"])
    assert info.value.status == 422 and "line 3: uscc" in str(info.value.fields)
    with Session(engine) as session:
        assert not session.exec(select(ListEntry)).all()
    until = clock.today() + timedelta(days=30)
    assert import_red(engine, "RED_TAX", [firms[0].uscc], until=until)["created"] == 1
    refused = _post(client, app, "credit", "/api/credit/entries", {"list_type": "RED_TAX"})
    assert refused.status_code == 422
    with unit_of_work(engine) as session:
        assert expire_due(session, today=until)["expired"] == 1


def _rules_json(app: Any) -> str:
    from tests.conftest import Runner

    result = Runner(app).invoke(["credit", "rules", "--json"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_credit_rules_json_prints_the_stored_rules_with_their_sources(app: Any, engine: Any, province: Any) -> None:
    printed = json.loads(_rules_json(app))
    with Session(engine) as session:
        assert printed == json.loads(json.dumps(stored_rules(session), ensure_ascii=False))
    by_code = {t["code"]: t for t in printed["list_types"]}
    abnormal = by_code["ABNORMAL"]["rules"]
    assert abnormal["min_display"]["amount"] == 0 and abnormal["objection_window"]["amount"] == 30
    assert abnormal["objection_accept"]["amount"] == 5 and abnormal["objection_answer"]["amount"] == 20
    assert by_code["BLACK"]["rules"]["decision_deadline"] is None and by_code["BLACK"]["rules"]["min_display"]["amount"]
    for lt in printed["list_types"]:  # every period names its source: an instrument, or 本地设定
        for key, value in lt["rules"].items():
            if isinstance(value, dict) and "amount" in value:
                assert value["source"]["instrument"], (lt["code"], key)
        assert all(m["legal_basis"] for m in lt["measures"])
    assert printed["local_settings"]["tier_ratios"]["source"]["instrument"] == "本地设定"


def test_the_rules_table_in_docs_is_what_the_command_prints(app: Any, province: Any) -> None:
    from pathlib import Path

    from tests.conftest import Runner

    printed = Runner(app).invoke(["credit", "rules", "--markdown"])
    assert printed.exit_code == 0, printed.output
    doc = (Path(__file__).parent.parent / "docs" / "credit.md").read_text(encoding="utf-8")
    table = doc.split("<!-- rules-table:start -->\n")[1].split("<!-- rules-table:end -->")[0]
    assert table == printed.output


def test_a_published_red_list_is_imported_from_a_file_by_command_and_by_api(
    app: Any, client: Any, engine: Any, firms: list[Enterprise], tmp_path: Any
) -> None:
    import io

    from tests.conftest import Runner

    bad = tmp_path / "a级纳税人.csv"
    bad.write_text(f"uscc,name\n{firms[0].uscc},甲\n91330102000000000X,乙\n", encoding="utf-8")
    args = ["credit", "import-red", "RED_TAX", str(bad), "--document", "浙税公告〔2026〕3号"]
    args += ["--valid-from", "2026-04-20", "--valid-until", "2027-04-19", "--department", "330100-SCJG"]
    refused = Runner(app).invoke(args)
    assert refused.exit_code == 1 and "未导入任何数据" in refused.output
    assert "第 3 行 统一社会信用代码" in refused.output
    with Session(engine) as session:
        assert not session.exec(select(ListEntry)).all()  # nothing half-written
    good = tmp_path / "good.csv"
    good.write_text(f"uscc,name\n{firms[0].uscc},甲\n", encoding="utf-8")
    done = Runner(app).invoke([*args[:3], str(good), *args[4:]])
    assert done.exit_code == 0 and "新列入 1 户" in done.output
    upload = {
        "file": (io.BytesIO(f"uscc\n{firms[1].uscc}\n".encode()), "守合同.csv"),
        "document": "浙市监守〔2026〕5号",
        "valid_from": "2026-03-16",
        "valid_until": "2028-03-15",
        "department_code": "330100-SCJG",
    }
    resp = client.post(
        "/api/credit/red-lists/RED_CONTRACT/import", data=upload, headers=bearer(app, "credit"),
        content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 200 and resp.get_json()["created"] == 1, resp.get_json()
    with Session(engine) as session:
        entries = session.exec(select(ListEntry).order_by(col(ListEntry.id))).all()
    assert [(e.list_type, e.state, e.expires_on) for e in entries] == [
        ("RED_TAX", "listed", date(2027, 4, 19)),
        ("RED_CONTRACT", "listed", date(2028, 3, 15)),
    ]
