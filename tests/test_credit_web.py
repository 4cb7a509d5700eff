import json
import re
from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import ListEntry
from supervise import clock
from supervise.models import AuditLog, Enterprise, User
from tests.conftest import PASSWORD, bearer, csrf_token, district_firms, login


@pytest.fixture
def demo(app: Any, runner: Any, engine: Any) -> dict[str, Any]:
    """The full demo (draws, results and the credit scenario) on a small province."""
    result = runner.invoke(args=["seed", "demo", "--entities", "3000", "--seed", "2026", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        row = session.exec(select(AuditLog).where(AuditLog.action == "seed.credit_scenario")).one()
        return dict(json.loads(row.payload))


def _api_check(client: Any, app: Any, uscc: str, matter: str) -> dict[str, Any]:
    resp = client.post("/api/credit/check", json={"uscc": uscc, "matter": matter}, headers=bearer(app, "licensing"))
    assert resp.status_code == 200, resp.get_json()
    return dict(resp.get_json())


def test_demo_black_listed_firm_is_refused_and_red_listed_firm_rewarded(app: Any, client: Any, demo: Any) -> None:
    black = _api_check(client, app, demo["black_listed"], "SCJG-SPJY")
    # 吊销许可证以外的较重行政处罚: 食品安全法第一百三十五条 does not bar it; 44号令's measures restrict.
    assert black["decision"] == "restrict" and {m["effect"] for m in black["measures"]} == {
        "strict_review",
        "no_commitment",
    }
    assert _api_check(client, app, demo["black_listed"], "JTYS-DLYS")["decision"] == "restrict"
    red = _api_check(client, app, demo["red_listed"], "SCJG-SPJY")
    assert red["decision"] == "allow_with_measures" and {m["effect"] for m in red["measures"]} == {"tolerance", "green"}
    sister = _api_check(client, app, demo["related_firm"], "SCJG-SPJY")
    assert sister["related_party_warnings"] == []  # 任职限制 follows 吊销营业执照、责令关闭, not this ground


def test_licensing_page_gives_the_same_answer_as_the_api(app: Any, client: Any, demo: Any) -> None:
    login(client, "licensing")
    page = client.post(
        "/credit/check",
        data={"uscc": demo["black_listed"], "matter": "SCJG-SPJY", "csrf_token": csrf_token(client, "/credit/check")},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "审查行政许可时作为重要考量因素" in html and "第44号" in html
    check_id = re.search(r'核查编号 <span class="mono">([0-9a-f]+)</span>', html)
    assert check_id is not None
    outcome = client.post(
        f"/api/credit/check/{check_id.group(1)}/outcome",
        json={"granted": False, "measures_applied": []},
        headers=bearer(app, "licensing"),
    )
    assert outcome.status_code == 200 and outcome.get_json()["breach"] is False
    red = client.post(
        "/credit/check",
        data={"uscc": demo["red_listed"], "matter": "SCJG-SPJY", "csrf_token": csrf_token(client, "/credit/check")},
    ).get_data(as_text=True)
    assert "准予并适用激励措施" in red and "容缺受理" in red


def test_the_outcome_form_preselects_nothing_and_refuses_a_report_without_a_choice(
    app: Any, client: Any, demo: Any
) -> None:
    login(client, "licensing")
    blank = client.get("/credit/check").get_data(as_text=True)
    assert '<select name="matter" required><option value="">请选择</option>' in blank  # no matter run by default
    page = client.post(
        "/credit/check",
        data={"uscc": demo["black_listed"], "matter": "SCJG-SPJY", "csrf_token": csrf_token(client, "/credit/check")},
    ).get_data(as_text=True)
    radios = re.findall(r'<input type="radio" name="granted"[^>]*>', page)
    assert len(radios) >= 2 and not any("checked" in r for r in radios)  # not 准予许可 for a 限制 firm
    check_id = re.search(r'核查编号 <span class="mono">([0-9a-f]+)</span>', page)
    assert check_id is not None
    url = f"/credit/check/{check_id.group(1)}/outcome"
    refused = client.post(
        url,
        data={"csrf_token": csrf_token(client, "/credit/check")},
        headers={"Referer": "http://localhost/credit/check"},
    )
    assert refused.status_code == 303
    assert "请选择办理结果" in client.get("/credit/check").get_data(as_text=True)


def test_demo_breach_is_listed_for_the_supervision_office(app: Any, client: Any, demo: Any) -> None:
    rows = client.get("/api/credit/breaches", headers=bearer(app, "supervisor")).get_json()
    assert demo["breach_check"] in [r["check_id"] for r in rows]


def test_licensing_page_is_for_licensing_officers_only(app: Any, client: Any, province: Any) -> None:
    assert client.get("/credit/check").status_code in (302, 401)
    login(client, "inspector")
    assert client.get("/credit/check").status_code == 403
    assert client.get("/credit/entries").status_code == 403


def test_licensing_page_names_a_bad_uscc(app: Any, client: Any, province: Any) -> None:
    login(client, "licensing")
    resp = client.post(
        "/credit/check",
        data={"uscc": "91330102MA2XXXXXX1", "matter": "SCJG-SPJY", "csrf_token": csrf_token(client, "/credit/check")},
    )
    assert resp.status_code == 422 and "统一社会信用代码" in resp.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(app: Any, client: Any, province: Any) -> None:
    login(client, "licensing")
    assert client.post("/credit/check", data={"uscc": "x", "matter": "y"}).status_code == 400


def _firm(engine: Any) -> Enterprise:
    return district_firms(engine, 1)[0]  # type: ignore[no-any-return]


def _act(client: Any, entry_id: int, action: str, **data: str) -> Any:
    token = csrf_token(client, "/credit/entries")
    return client.post(f"/credit/entries/{entry_id}/{action}", data={"csrf_token": token, **data})


def _unreachable(client: Any, firm: Enterprise, department_code: str) -> dict[str, str]:
    """The entries page's form proposing a firm unreachable at its address for the 经营异常名录."""
    return {
        "uscc": firm.uscc,
        "list_type": "ABNORMAL",
        "ground": "UNREACHABLE",
        "reason": "通过登记的住所无法联系",
        "legal_basis": "《企业经营异常名录管理暂行办法》第四条第（四）项",
        "department_code": department_code,
        "public_summary": "通过登记的住所无法联系",
        "found_on": clock.today().isoformat(),
        "penalty_number": "",
        "penalty_on": "",
        "csrf_token": csrf_token(client, "/credit/entries"),
    }


def test_entries_page_walks_due_process_with_four_eyes(app: Any, client: Any, engine: Any, province: Any) -> None:
    firm = _firm(engine)
    login(client, "credit")
    form = _unreachable(client, firm, "330100-SCJG")
    # Not the registering authority: refused, and the page comes back with what was typed.
    wrong = client.post(
        "/credit/entries", data=form, headers={"Referer": "http://localhost/credit/entries"}, follow_redirects=True
    )
    assert "谁登记、谁管理" in wrong.get_data(as_text=True)
    assert 'value="通过登记的住所无法联系"' in wrong.get_data(as_text=True)
    form |= {"department_code": f"{firm.region_code}-SCJG", "csrf_token": csrf_token(client, "/credit/entries")}
    assert client.post("/credit/entries", data=form).status_code == 302
    with Session(engine) as session:
        entry_id = session.exec(select(ListEntry.id).where(ListEntry.enterprise_id == firm.id)).one()
    assert _act(client, entry_id, "notify").status_code == 302
    assert _act(client, entry_id, "statement", note="企业称已搬迁").status_code == 302
    own = _act(client, entry_id, "decide", decision_number="杭上市监信〔2026〕9号")
    assert own.status_code == 403
    client = app.test_client()  # a second officer at another desk
    login(client, "credit2")
    assert _act(client, entry_id, "decide", decision_number="杭上市监信〔2026〕9号").status_code == 302
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
        assert entry is not None and entry.state == "listed" and entry.decision_number == "杭上市监信〔2026〕9号"
    page = client.get("/credit/entries").get_data(as_text=True)
    assert firm.name in page and "登记异议" in page
    found = client.get(f"/credit/entries?q={firm.uscc}&state=listed").get_data(as_text=True)
    assert (
        firm.name in found and client.get("/credit/entries?state=removed").get_data(as_text=True).count(firm.uscc) == 0
    )
    history = client.get(f"/credit/entries/{entry_id}").get_data(as_text=True)
    assert "企业称已搬迁" in history and "决定列入" in history and "送达告知书" in history
    with Session(engine) as session:  # 办理人 by the person's name, not the account's
        names = session.exec(select(User.display_name).where(col(User.username).in_(["credit", "credit2"]))).all()
    table = history.split("<tbody>", 1)[1]
    assert all(n in table for n in names) and "<td>credit</td>" not in table and "<td>credit2</td>" not in table


def test_public_credit_page_shows_listed_firms_without_personal_data(
    app: Any, client: Any, engine: Any, demo: Any
) -> None:
    html = client.get(f"/credit?q={demo['black_listed']}").get_data(as_text=True)
    assert "严重违法失信名单" in html and "杭上市监严失〔2026〕3号" in html
    with Session(engine) as session:
        firm = session.exec(select(Enterprise).where(Enterprise.uscc == demo["black_listed"])).one()
    assert firm.legal_rep_id_number and firm.legal_rep_id_number not in html
    proposed = client.get(f"/credit?q={demo['abnormal_proposed']}").get_data(as_text=True)
    assert "未查询到" in proposed  # a proposal is not yet public


def test_a_black_list_proposal_on_the_page_waits_for_the_city_and_a_second_officer(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    firm = _firm(engine)
    login(client, "credit")
    form = {
        "uscc": firm.uscc,
        "list_type": "BLACK",
        "ground": "HEAVY_PENALTY",
        "reason": "经营超过保质期的食品，从重罚款",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》",
        "department_code": "330102-SCJG",
        "public_summary": "从重罚款",
        "found_on": clock.today().isoformat(),
        "penalty_number": "杭上市监罚〔2026〕30号",
        "penalty_on": clock.today().isoformat(),
        "penalty_field": "食品",
        "order_number": "",
        "csrf_token": csrf_token(client, "/credit/entries"),
    }
    assert client.post("/credit/entries", data=form).status_code == 302
    with Session(engine) as session:
        entry_id = session.exec(select(ListEntry.id).where(ListEntry.enterprise_id == firm.id)).one()
    page = client.get("/credit/entries").get_data(as_text=True)
    assert "上一级同意：待同意" in page and "决定列入：须由另一名信用管理人员决定" in page  # the proposer
    assert "上一级同意列入" not in page  # the district officer is not offered the city's step
    same_level = _act(client, entry_id, "approve_higher")  # not offered to a district officer, and refused
    assert same_level.status_code == 403
    second = app.test_client()
    login(second, "credit2")
    assert "决定列入：待上一级同意" in second.get("/credit/entries").get_data(as_text=True)  # withheld, and why
    city = app.test_client()
    login(city, "credit_city")
    assert "上一级同意列入" in city.get("/credit/entries").get_data(as_text=True)  # offered to the city
    assert _act(city, entry_id, "approve_higher").status_code == 302
    assert _act(second, entry_id, "decide", decision_number="杭上市监严失〔2026〕9号").status_code == 302
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
        assert entry is not None and entry.state == "listed" and entry.higher_approved_on == clock.today()


def test_an_overdue_credit_deadline_is_flagged_on_the_entries_page(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    from datetime import timedelta

    firm = _firm(engine)
    login(client, "credit")
    form = _unreachable(client, firm, f"{firm.region_code}-SCJG")
    assert client.post("/credit/entries", data=form).status_code == 302
    badge = '<span class="badge warn">已超期</span>'
    assert badge not in client.get("/credit/entries").get_data(as_text=True)
    with Session(engine) as session:
        entry = session.exec(select(ListEntry).where(ListEntry.enterprise_id == firm.id)).one()
        entry.decision_due = clock.today() - timedelta(days=1)
        session.add(entry)
        session.commit()
    page = client.get("/credit/entries").get_data(as_text=True)
    assert f"应于 {clock.today() - timedelta(days=1)} 前决定" in page and badge in page
