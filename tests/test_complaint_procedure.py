"""投诉举报 to the letter of 总局令第20号: routing by 第十二、二十五、二十七、二十八条, anonymous 举报 without the
第三十一条 notice, 调解 with its 45 working days, 中止 and 终止 and the 7-day notice, a mixed 工单 split in two
(第七条) and a 线索 found in 调解 opening a 核查 (第二十三条); each step once under concurrent requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from inspections.complaints import rules
from inspections.complaints.models import Complaint
from supervise.models import AuditLog, Department
from tests.conftest import bearer
from tests.test_complaint_workflow import _post, _push
from tests.test_complaint_workflow import setting as workflow_setting
from tests.test_complaints import TICKET
from tests.test_exactly_once import at_once, statuses

setting = workflow_setting  # the fixture: a 330102 firm, an item with two 检查要点, the platform account
BASE = f"/api/complaints/{TICKET['ticket_no']}"


def _accepted(app: Any, client: Any, setting: dict[str, Any]) -> None:
    _push(app, client, setting)
    assert _post(app, client, "inspector", f"{BASE}/sign").status_code == 200
    assert _post(app, client, "inspector", f"{BASE}/accept", decision="受理").status_code == 200


def test_a_report_goes_where_the_act_happened_and_an_advert_where_its_publisher_is(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],
) -> None:
    report = _push(app, client, setting, category="举报", act_region="330106")
    assert report["route_rule"] == "举报·线下经营→第二十五条"
    with Session(engine) as session:
        dept = session.exec(select(Department).where(Department.name == report["department"])).one()
    assert dept.region_code == "330106"  # the firm is in 330102; the act was in 西湖区
    online = _push(app, client, setting, ticket_no="ZJ12345-20261201-0002", trade="in_platform")
    assert online["route_rule"] == "投诉·平台内经营者→第十二条第二款"
    body = {**TICKET, "ticket_no": "ZJ12345-20261201-0003", "received_at": "2026-12-01T09:00:00+08:00",
            "category": "举报", "uscc": setting["uscc"], "trade": "ad_media"}  # fmt: skip
    missing = client.post("/api/complaints", json=body, headers=bearer(app, "platform12345"))
    assert missing.status_code == 422 and missing.get_json()["fields"][0]["field"] == "other_region"
    assert "第二十八条" in missing.get_json()["message"]
    advert = client.post(
        "/api/complaints", json=body | {"other_region": "330106"}, headers=bearer(app, "platform12345")
    )
    assert advert.get_json()["route_rule"] == "举报·通过大众传播媒介发布的广告→第二十八条第一款"
    assert rules.ROUTES[(rules.REPORT, rules.PLATFORM)]["source"]["article"] == "第二十七条第一款"


def test_an_anonymous_report_is_taken_and_its_case_decision_owes_no_notice(
    app: Any,
    client: Any,
    setting: dict[str, Any],
) -> None:
    pushed = _push(app, client, setting, category="举报", complainant_name="", complainant_phone="")
    assert pushed["anonymous"] is True
    assert _post(app, client, "inspector", f"{BASE}/sign").status_code == 200
    team = {"team": ["330102010001", "330102010002"], "items": ["I-TS"]}
    assert _post(app, client, "inspector", f"{BASE}/accept", **team).status_code == 200
    points = dict.fromkeys(setting["points"], "符合")
    done = _post(app, client, "inspector", f"{BASE}/verify", visited_on="2026-12-02", finding="不属实",
                 note="未发现问题", points=points, case_decision="不予立案")  # fmt: skip
    assert done.status_code == 200 and done.get_json()["notice_due"] is None
    assert _post(app, client, "inspector", f"{BASE}/close", note="不予立案").status_code == 200


def test_mediation_runs_45_working_days_from_acceptance_and_time_not_counted_moves_the_limit(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],
    frozen_clock: Any,
) -> None:
    _accepted(app, client, setting)  # accepted Wednesday 2 December 2026
    started = _post(app, client, "inspector", f"{BASE}/mediate", action="start").get_json()
    # 45 working days: 21 in December, 20 in January (元旦 is off), 4 in February (春节 is not yet known: provisional)
    assert started["mediation"]["due"] == "2027-02-04"
    early = _post(app, client, "inspector", f"{BASE}/mediate", action="terminate", ground="5")
    assert early.status_code == 422 and "2027-02-04" in early.get_json()["message"]
    assert _post(app, client, "inspector", f"{BASE}/mediate", action="suspend", reason="testing").status_code == 200
    frozen_clock.set(datetime(2026, 12, 9, 2, 0, tzinfo=UTC))  # a week of testing: 5 working days not counted
    resumed = _post(app, client, "inspector", f"{BASE}/mediate", action="resume").get_json()
    assert resumed["mediation"]["due"] == "2027-02-11"
    assert _post(app, client, "inspector", f"{BASE}/close", note="结束").status_code == 409  # still mediating
    frozen_clock.set(datetime(2027, 2, 12, 2, 0, tzinfo=UTC))
    late = _post(app, client, "inspector", f"{BASE}/mediate", action="agree", paper="制作调解书")
    assert late.status_code == 409 and "第二十一条第一款第（五）项" in late.get_json()["message"]
    ended = at_once(app, 5, lambda c: c.post(f"{BASE}/mediate", json={"action": "terminate", "ground": "5"},
                                              headers=bearer(app, "inspector")))  # fmt: skip
    assert statuses(ended) == {200: 1, 409: 4}
    view = _post(app, client, "inspector", f"{BASE}/mediation-notice", notified_on="2027-02-11", channel="书面")
    assert view.status_code == 422 and view.get_json()["fields"][0]["field"] == "notified_on"  # before the 终止
    told = _post(app, client, "inspector", f"{BASE}/mediation-notice", notified_on="2027-02-12", channel="书面")
    m = told.get_json()["mediation"]
    assert (m["state"], m["notice_due"], m["noticed_on"]) == ("terminated", "2027-02-23", "2027-02-12")
    assert m["ground"].startswith("第二十一条第一款第（五）项")
    with Session(engine) as session:
        steps = session.exec(select(AuditLog.action).where(AuditLog.object_id == TICKET["ticket_no"])).all()
    assert [a for a in steps if a.startswith("complaint.mediation")] == [
        "complaint.mediation_start", "complaint.mediation_suspend", "complaint.mediation_resume",
        "complaint.mediation_terminate", "complaint.mediation_end_noticed",
    ]  # fmt: skip


def test_an_agreement_records_its_paper_and_a_report_is_not_mediated(
    app: Any,
    client: Any,
    setting: dict[str, Any],
) -> None:
    _accepted(app, client, setting)
    assert _post(app, client, "inspector", f"{BASE}/mediate", action="agree").status_code == 409  # not started
    assert _post(app, client, "inspector", f"{BASE}/mediate", action="start").status_code == 200
    bare = _post(app, client, "inspector", f"{BASE}/mediate", action="agree")
    assert bare.status_code == 422 and "第二十二条" in bare.get_json()["message"]
    body = {"action": "agree", "paper": "调解协议已即时履行"}
    answers = at_once(app, 5, lambda c: c.post(f"{BASE}/mediate", json=body, headers=bearer(app, "inspector")))
    assert statuses(answers) == {200: 1, 409: 4}
    agreed = next(a.get_json() for a in answers if a.status_code == 200)
    assert (agreed["mediation"]["state_label"], agreed["mediation"]["paper"]) == ("达成调解协议", "调解协议已即时履行")
    assert _post(app, client, "inspector", f"{BASE}/close", note="调解结案").status_code == 200
    _push(app, client, setting, ticket_no="ZJ12345-20261201-0009", category="举报")
    refused = _post(app, client, "inspector", "/api/complaints/ZJ12345-20261201-0009/mediate", action="start")
    assert refused.status_code == 409 and "只有投诉可以调解" in refused.get_json()["message"]


def test_a_mixed_ticket_is_split_into_a_complaint_and_a_report_each_with_its_own_clock(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],
) -> None:
    first = _push(app, client, setting, category="投诉举报", act_region="330106")
    assert first["category"] == "投诉" and first["due"]["accept"]
    again = client.post("/api/complaints", json={**TICKET, "category": "投诉举报", "uscc": setting["uscc"],
                        "received_at": "2026-12-01T09:00:00+08:00"}, headers=bearer(app, "platform12345"))  # fmt: skip
    assert again.status_code == 200  # the same 工单号 again changes nothing
    with Session(engine) as session:
        rows = session.exec(select(Complaint).order_by(Complaint.ticket_no)).all()
    assert [(r.ticket_no, r.category, r.origin, r.parent_ticket) for r in rows] == [
        (TICKET["ticket_no"], "投诉", "", None), (TICKET["ticket_no"] + "-JB", "举报", "split", TICKET["ticket_no"]),
    ]  # fmt: skip
    report = rows[1]
    assert report.accept_due is None and report.verify_due is not None  # a 举报 is 核查ed, not 受理ed
    assert report.route_rule == "举报·线下经营→第二十五条" and report.department_id != rows[0].department_id


def test_a_clue_found_in_mediation_opens_a_report_due_in_15_working_days_once(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],
) -> None:
    _accepted(app, client, setting)
    clue = {"origin": "clue", "content": "调解中发现该店销售无中文标签的进口食品"}
    early = _post(app, client, "inspector", f"{BASE}/reports", **clue)
    assert early.status_code == 409 and "第二十三条" in early.get_json()["message"]
    assert _post(app, client, "inspector", f"{BASE}/mediate", action="start").status_code == 200
    opened = at_once(app, 5, lambda c: c.post(f"{BASE}/reports", json=clue, headers=bearer(app, "inspector")))
    assert statuses(opened) == {201: 1, 409: 4}
    child = next(r.get_json() for r in opened if r.status_code == 201)
    assert (child["ticket_no"], child["category"], child["state"]) == (TICKET["ticket_no"] + "-XS", "举报", "signed")
    assert child["due"]["verify"] == "2026-12-23"  # 15 working days from Wednesday 2 December
    assert child["parent_ticket"] == TICKET["ticket_no"] and child["origin"] == "clue"
    assert rules.CLUE_SOURCE["article"] == "第二十三条"
    assert (
        rules.REWARD_OUT_OF_SCOPE["instrument"] == "本地设定"
        and "不在本系统范围内" in rules.REWARD_OUT_OF_SCOPE["note"]
    )


def test_the_rules_tables_in_docs_complaints_are_what_the_command_prints(app: Any) -> None:
    from pathlib import Path

    from tests.conftest import Runner

    printed = Runner(app).invoke(["complaint", "rules", "--markdown"])
    assert printed.exit_code == 0, printed.output
    doc = (Path(__file__).parent.parent / "docs" / "complaints.md").read_text(encoding="utf-8")
    assert doc.split("<!-- rules-table:start -->\n")[1].split("<!-- rules-table:end -->")[0] == printed.output
    assert "第十二条第一款" in printed.output and "第二十一条第二款" in printed.output


def test_each_new_step_takes_effect_once_under_simultaneous_requests(
    app: Any, client: Any, engine: Any, setting: dict[str, Any]
) -> None:
    _accepted(app, client, setting)

    def five(path: str, body: dict[str, Any], ok: int = 200) -> None:
        answers = at_once(app, 5, lambda c: c.post(path, json=body, headers=bearer(app, "inspector")))
        assert statuses(answers) == {ok: 1, 409: 4}, (path, body, [a.get_json() for a in answers])

    for body in ({"action": "start"}, {"action": "suspend", "reason": "recusal"}, {"action": "resume"},
                 {"action": "terminate", "ground": "4"}):  # fmt: skip
        five(f"{BASE}/mediate", body)
    five(f"{BASE}/mediation-notice", {"notified_on": "2026-12-02", "channel": "电话"})
    five(f"{BASE}/reports", {"origin": "split", "content": "该店销售无中文标签的进口食品"}, ok=201)

    report = "ZJ12345-20261201-0005"
    _push(app, client, setting, ticket_no=report, category="举报")
    url = f"/api/complaints/{report}"
    assert _post(app, client, "inspector", f"{url}/sign").status_code == 200
    team = {"team": ["330102010001", "330102010002"], "items": ["I-TS"]}
    assert _post(app, client, "inspector", f"{url}/accept", **team).status_code == 200
    points = dict.fromkeys(setting["points"], "符合")
    filed = _post(app, client, "inspector", f"{url}/verify", visited_on="2026-12-02", finding="属实", note="属实",
                  points=points, case_decision="立案", case_number="杭上市监立〔2026〕399号")  # fmt: skip
    assert filed.status_code == 200, filed.get_json()
    five(f"{url}/reporter-notice", {"notified_on": "2026-12-02", "channel": "短信"})
    with Session(engine) as session:
        logged = session.exec(select(AuditLog.action).where(col(AuditLog.action).startswith("complaint."))).all()
    for action in ("complaint.mediation_start", "complaint.mediation_suspend", "complaint.mediation_resume",
                   "complaint.mediation_terminate", "complaint.mediation_end_noticed", "complaint.split",
                   "complaint.reporter_noticed"):  # fmt: skip
        assert logged.count(action) == 1, action


def test_the_mediation_form_names_the_missing_choice_by_its_label_and_keeps_what_was_typed(
    app: Any, client: Any, setting: dict[str, Any]
) -> None:
    from tests.conftest import csrf_token, login

    _accepted(app, client, setting)
    page = f"/complaints/{TICKET['ticket_no']}"
    login(client, "inspector")
    assert "组织调解" in client.get(page).get_data(as_text=True)
    start = {"action": "start", "csrf_token": csrf_token(client, page)}
    assert client.post(f"{page}/mediate", data=start, headers={"Referer": f"http://localhost{page}"}).status_code == 302
    form = {"action": "terminate", "note": "被投诉人拒绝调解", "csrf_token": csrf_token(client, page)}
    refused = client.post(f"{page}/mediate", data=form, headers={"Referer": f"http://localhost{page}"},
                          follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "未保存：终止情形：请选择终止调解的情形" in refused and "被投诉人拒绝调解</textarea>" in refused
    done = client.post(f"{page}/mediate", data=form | {"ground": "3", "csrf_token": csrf_token(client, page)},
                       headers={"Referer": f"http://localhost{page}"}, follow_redirects=True)  # fmt: skip
    text = done.get_data(as_text=True)
    assert "第二十一条第一款第（三）项" in text and "告知投诉人和被投诉人终止调解" in text
    untold = _post(app, client, "inspector", f"{BASE}/close", note="调解终止")
    assert untold.status_code == 409 and "第二十一条第二款" in untold.get_json()["message"]
