"""The 行政处罚 procedure to the letter: 告知 before every decision, 陈述申辩 reviewed and never answered with a
heavier penalty, the 听证 offered, noticed 7 working days ahead and hosted by someone who did not investigate,
法制审核 and 集体讨论 before heavy decisions, and the 90-day clock with its recorded extension."""

# ruff: noqa: F811 - the `visit` fixture is imported and named as a parameter
from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

from pypdf import PdfReader
from sqlmodel import Session, select

from inspections.disposals import procedure
from inspections.disposals.models import CaseStep, Disposal
from supervise.models import AuditLog, Inspector, User
from tests.casekit import HEAVY, at, inform
from tests.conftest import Runner, bearer
from tests.test_disposals import _dispose, visit  # noqa: F401 - the fixture

FILED = date(2026, 9, 28)  # Monday, before the National Day holiday
OPENS = date(2026, 10, 11)  # the 听证 window closes on Saturday 10 October, a 调休 working day


def _filed(app: Any, client: Any, target: int, number: str = "杭上市监立〔2026〕501号") -> int:
    d = _dispose(  # one case per number: the same order registered twice is refused as a duplicate
        app,
        client,
        target,
        kind="case",
        reason=f"涉嫌未落实进货查验（{number}）",
        legal_basis="《中华人民共和国食品安全法》",
    )
    case_id = int(d.get_json()["case"]["id"])
    body = {"case_number": number, "filed_on": FILED.isoformat()}
    assert client.post(f"/api/cases/{case_id}/file", json=body, headers=bearer(app, "inspector")).status_code == 200
    return case_id


def _post(app: Any, client: Any, case_id: int, step: str, user: str = "inspector", **body: Any) -> Any:
    return client.post(f"/api/cases/{case_id}/{step}", json=body, headers=bearer(app, user))


def _decision(on: date, kind: str = "heavy", amount: str = "100000", **extra: Any) -> dict[str, Any]:
    return {
        "decision_number": "杭上市监罚〔2026〕501号", "decided_on": on.isoformat(), "penalty_kind": kind,
        "content": "罚款十万元，责令停业整顿", "amount": amount, **extra,
    }  # fmt: skip


def _refusal(response: Any) -> str:
    assert response.status_code in (403, 409, 422), response.get_json()
    return str(response.get_json()["message"])


def _badge(engine: Any, username: str) -> str:
    with Session(engine) as session:
        return session.exec(
            select(Inspector.badge_no).join(User, User.id == Inspector.user_id).where(User.username == username)
        ).one()


# --- the pure core ----------------------------------------------------------------------------------------


def test_a_hearing_is_offered_for_the_penalties_the_law_lists_and_for_large_fines_by_the_party_kind() -> None:
    firm, shop = "91330102MA2CXXXX0X", "92330102MA2CXXXX0X"  # a company; a 个体工商户 (GB 32100: 9, 2)
    assert procedure.hearing_applies(["suspend"], None, firm)
    assert procedure.hearing_applies(["revoke_licence"], None, shop)
    assert not procedure.hearing_applies(["warning", "fine"], Decimal(99_999), firm)
    assert procedure.hearing_applies(["fine"], Decimal(100_000), firm)
    assert procedure.hearing_applies(["fine"], Decimal(10_000), shop)
    assert procedure.proposed_kind(["warning"], None, firm) == "warning"
    assert procedure.proposed_kind(["warning", "fine"], Decimal(2000), firm) == "light"
    assert procedure.proposed_kind(["fine", "close"], Decimal(2000), firm) == "heavy"
    assert procedure.LARGE_AMOUNT_SOURCE["instrument"] == "本地设定"  # Zhejiang's figure was not read


def test_every_step_cites_its_instrument_and_the_day_counts_follow_article_85() -> None:
    for step in procedure.STEPS:
        assert step["source"]["instrument"].startswith("《") and step["deadline"] and step["applies"]
    by = {s["step"]: s["source"] for s in procedure.STEPS}
    assert by["notified"]["article"] == "第四十四条" and by["decided"]["article"] == "第六十条"
    assert by["legal_review"]["article"] == "第五十八条" and by["collective"]["article"] == "第五十七条第二款"
    assert by["served"]["article"] == "第六十一条" and by["statement"]["article"] == "第四十五条"
    assert by["extended"]["article"] is None and "条号待核对" in by["extended"]["note"]  # not invented
    assert procedure.WORKING_DAYS_RULE["article"] == "第八十五条"
    assert procedure.decision_due(date(2026, 12, 2), 0) == date(2027, 3, 2)  # 90 calendar days
    assert procedure.decision_due(date(2026, 12, 2), 30) == date(2027, 4, 1)


# --- steps that cannot be skipped -------------------------------------------------------------------------


def test_a_heavy_decision_before_the_hearing_window_closes_is_refused_with_the_day_it_opens(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    told = inform(app, client, case_id, FILED, measures=HEAVY, amount="100000")
    assert told.get_json()["case"]["hearing_request_due"] == "2026-10-10"
    frozen_clock.set(at(date(2026, 10, 10)))
    message = _refusal(_post(app, client, case_id, "decide", **_decision(date(2026, 10, 10))))
    assert "2026-10-10 届满" in message and f"{OPENS} 起方可作出决定" in message
    frozen_clock.set(at(OPENS))
    late = _post(app, client, case_id, "request-hearing", requested_on=OPENS.isoformat())
    assert "已于 2026-10-10 届满" in _refusal(late)
    assert "法制审核" in _refusal(_post(app, client, case_id, "decide", **_decision(OPENS)))


def test_a_requested_hearing_is_noticed_seven_working_days_ahead_hosted_by_a_non_investigator_then_held(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    inform(app, client, case_id, FILED, measures=HEAVY, amount="100000")
    asked = _post(app, client, case_id, "request-hearing", requested_on="2026-09-28")
    assert asked.status_code == 200, asked.get_json()
    assert _post(app, client, case_id, "request-hearing", requested_on="2026-09-28").status_code == 409
    frozen_clock.set(at(OPENS))
    assert "须举行听证" in _refusal(_post(app, client, case_id, "decide", **_decision(OPENS)))
    notice = {
        "notice_number": "杭上市监听通〔2026〕501号",
        "noticed_on": "2026-09-29",
        "hearing_on": "2026-10-13",
        "place": "听证室",
        "host_badge": "",
    }
    early = _post(app, client, case_id, "notice-hearing", **{**notice, "host_badge": _badge(engine, "inspector2")})
    assert "最早于 2026-10-14 举行" in _refusal(early)  # 30 September, 8, 9, Saturday 10, 12, 13, 14 October
    notice["hearing_on"] = "2026-10-14"
    own = _post(app, client, case_id, "notice-hearing", **{**notice, "host_badge": _badge(engine, "inspector")})
    assert "非本案调查人员" in _refusal(own)
    assert _post(app, client, case_id, "notice-hearing", **{**notice, "host_badge": _badge(engine, "inspector2")})
    held = {"held_on": "2026-10-13", "record": "当事人到场申辩"}
    frozen_clock.set(at(date(2026, 10, 14)))
    assert "不能早于 2026-10-14" in _refusal(_post(app, client, case_id, "hearing", **held))
    assert _post(app, client, case_id, "hearing", **{**held, "held_on": "2026-10-14"}).status_code == 200
    assert "法制审核" in _refusal(_post(app, client, case_id, "decide", **_decision(date(2026, 10, 14))))
    pdf = client.get(f"/api/cases/{case_id}/hearing-notice.pdf", headers=bearer(app, "inspector"))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "听证通知书" in text and "2026-10-14在听证室举行听证" in text and "申请回避" in text


def test_a_statement_must_be_reviewed_and_never_earns_a_heavier_penalty(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    inform(app, client, case_id, FILED, measures=["warning", "fine"], amount="5000")
    said = {"stated_on": "2026-09-28", "statement": "已当场改正，请求从轻"}
    assert _post(app, client, case_id, "statement", **said).status_code == 200
    assert _post(app, client, case_id, "statement", **said).status_code == 409  # the same submission twice
    light = _decision(FILED, kind="light", amount="5000")
    assert "须先复核" in _refusal(_post(app, client, case_id, "decide", **light))
    review = {"reviewed_on": "2026-09-28", "adopted": False, "opinion": "改正不影响违法事实的认定"}
    assert _post(app, client, case_id, "review-statement", **review).status_code == 200
    assert _post(app, client, case_id, "review-statement", **review).status_code == 409  # nothing left to review
    heavier = _post(app, client, case_id, "decide", **_decision(FILED, kind="light", amount="8000"))
    assert "第四十五条第二款" in _refusal(heavier) and heavier.get_json()["fields"][0]["field"] == "amount"
    assert "第四十五条第二款" in _refusal(_post(app, client, case_id, "decide", **_decision(FILED, kind="ordinary")))
    assert _post(app, client, case_id, "decide", **light).status_code == 200


def test_a_decision_after_day_90_needs_the_extension_recorded_before_the_deadline(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    inform(app, client, case_id, FILED, measures=["warning"])
    day_91 = date(2026, 12, 28)  # 28 September + 91 days
    frozen_clock.set(at(day_91))
    message = _refusal(_post(app, client, case_id, "decide", **_decision(day_91, kind="warning", amount="")))
    assert "至 2026-12-27" in message and "第六十条" in message
    grant = {"days": 30, "approved_on": "2026-12-28", "approved_by": "局长 张某", "reason": "需检验"}
    assert "已于 2026-12-27 届满" in _refusal(_post(app, client, case_id, "extend", **grant))
    assert "1 至 30 日" in _refusal(_post(app, client, case_id, "extend", **{**grant, "days": 31}))
    frozen_clock.set(at(date(2026, 12, 20)))
    granted = _post(app, client, case_id, "extend", **{**grant, "approved_on": "2026-12-20"})
    assert granted.status_code == 200 and granted.get_json()["case"]["decision_due"] == "2027-01-26"
    frozen_clock.set(at(day_91))
    assert _post(app, client, case_id, "decide", **_decision(day_91, kind="warning", amount="")).status_code == 200


def test_a_listing_needs_its_notice_with_the_penalty_and_the_legal_review_is_not_the_investigators(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    inform(app, client, case_id, FILED, measures=HEAVY, amount="100000", listing=False)
    frozen_clock.set(at(OPENS))
    review = {"reviewed_on": OPENS.isoformat(), "passed": True, "opinion": "同意"}
    own = _post(app, client, case_id, "legal-review", **review)
    assert own.status_code == 403 and "非本案调查人员" in own.get_json()["message"]
    assert _post(app, client, case_id, "legal-review", "inspector2", **review).status_code == 200
    assert "集体讨论" in _refusal(_post(app, client, case_id, "decide", **_decision(OPENS)))
    talk = {"held_on": OPENS.isoformat(), "attendees": "局长、副局长", "conclusion": "同意"}
    assert _post(app, client, case_id, "collective", **talk).status_code == 200
    listed = _post(app, client, case_id, "decide", **_decision(OPENS, serious_ground=True, field="食品"))
    assert "一并进行" in _refusal(listed) and listed.get_json()["fields"][0]["field"] == "serious_ground"
    assert _post(app, client, case_id, "decide", **_decision(OPENS)).status_code == 200


def test_the_inform_paper_states_the_penalty_the_rights_and_the_hearing_deadline(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    case_id = _filed(app, client, visit["target"])
    assert client.get(f"/api/cases/{case_id}/inform.pdf", headers=bearer(app, "inspector")).status_code == 409
    inform(app, client, case_id, FILED, measures=HEAVY, amount="100000", listing=True)
    pdf = client.get(f"/api/cases/{case_id}/inform.pdf", headers=bearer(app, "inspector"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "行政处罚告知书" in text and f"杭上市监罚告〔2026〕{case_id}号" in text
    assert "罚款、没收违法所得、没收非法财物、责令停产停业" in text and "2026-10-10前" in text
    assert "陈述和申辩" in text and "严重违法失信名单" in text and "条号待核对" not in text
    other = client.get(f"/api/cases/{case_id}/inform.pdf", headers=bearer(app, visit["mate"]))
    assert other.status_code == 403


# --- 审慎监管: 首违不罚 -------------------------------------------------------------------------------------------


def test_a_first_violation_closes_without_a_penalty_with_the_education_recorded_and_a_second_cannot(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    first = _filed(app, client, visit["target"])
    body = {"decision_number": "杭上市监不罚〔2026〕1号", "decided_on": "2026-09-28", "ground": "first",
            "education": "", "correction": "当场补建记录"}  # fmt: skip
    assert "第三十三条第三款" in _refusal(_post(app, client, first, "no-penalty", **body))
    body["education"] = "讲解进货查验义务，当事人签署学习确认书"
    done = _post(app, client, first, "no-penalty", **body)
    assert (
        done.status_code == 200
        and done.get_json()["status"] == "closed"
        and "不予行政处罚" in done.get_json()["close_note"]
    )
    pdf = client.get(f"/api/cases/{first}/no-penalty.pdf", headers=bearer(app, "inspector"))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "不予行政处罚决定书" in text and "第三十三条第一款" in text and "签署学习确认书" in text
    assert "六十日内" in text  # 复议 and 诉讼
    # Punished for the same kind of violation, the firm's next case is no longer a first one.
    second = _filed(app, client, visit["target"], "杭上市监立〔2026〕502号")
    inform(app, client, second, FILED, measures=["warning"], number="杭上市监罚告〔2026〕502号")
    assert _post(app, client, second, "decide", **_decision(FILED, kind="warning", amount="")).status_code == 200
    third = _filed(app, client, visit["target"], "杭上市监立〔2026〕503号")
    reused = _post(app, client, third, "no-penalty", **body)  # the first case's 文号
    assert reused.status_code == 409 and "已被使用" in reused.get_json()["message"]
    again = _post(app, client, third, "no-penalty", **{**body, "decision_number": "杭上市监不罚〔2026〕3号"})
    assert "不属于初次违法" in _refusal(again)
    minor = {**body, "decision_number": "杭上市监不罚〔2026〕3号", "ground": "minor"}
    assert _post(app, client, third, "no-penalty", **minor).status_code == 200  # 轻微: no first-time test


def test_not_filing_offers_the_statutory_grounds_and_a_lenient_one_records_the_education(
    app: Any, client: Any, visit: dict[str, Any]
) -> None:
    d = _dispose(app, client, visit["target"], kind="case", reason="涉嫌违法").get_json()
    case_id = d["case"]["id"]
    wrong = _post(app, client, case_id, "not-file", reason="x", ground="whatever")
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"] == "ground"
    bare = _post(app, client, case_id, "not-file", reason="首次轻微", ground="first", correction="已改正")
    assert bare.get_json()["fields"][0]["field"] == "education"
    done = _post(app, client, case_id, "not-file", reason="首次轻微", ground="first", correction="已改正",
                 education="当场宣讲")  # fmt: skip
    assert done.status_code == 200 and "初次违法且危害后果轻微并及时改正" in done.get_json()["close_note"]


def test_a_criminal_referral_closes_the_case_and_records_a_late_approval(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    frozen_clock.set(at(date(2026, 10, 9)))
    body = {"reported_on": "2026-10-01", "approved_on": "2026-10-08", "transferred_on": "2026-10-09",
            "approved_by": "局长", "organ": "杭州市公安局上城区分局"}  # fmt: skip
    done = _post(app, client, case_id, "transfer", **body)
    assert done.status_code == 200 and "移送杭州市公安局上城区分局" in done.get_json()["close_note"]
    with Session(engine) as session:
        step = session.exec(select(CaseStep).where(CaseStep.case_id == case_id, CaseStep.step == "transferred")).one()
    data = json.loads(step.data)
    assert data["approval_late"] is True and data["approve_due"] == "2026-10-04" and step.late is False


# --- interfaces ---------------------------------------------------------------------------------------------


def test_case_rules_and_case_show_print_each_step_with_its_date_due_date_and_source(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    rules = Runner(app).invoke(["case", "rules", "--json"])
    assert rules.exit_code == 0, rules.output
    steps = json.loads(rules.output)["steps"]
    assert [s["step"] for s in steps][:4] == ["filed", "filing_extended", "not_filed", "notified"]
    assert all(s["source"]["instrument"] for s in steps)
    case_id = _filed(app, client, visit["target"])
    inform(app, client, case_id, FILED, measures=HEAVY, amount="100000")
    shown = Runner(app).invoke(["case", "show", "杭上市监立〔2026〕501号", "--json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output)
    assert [s["step"] for s in record["steps"]] == ["filed", "notified"]
    notified = record["steps"][1]
    assert (
        notified["name"] == "行政处罚告知" and notified["on"] == "2026-09-28" and "第四十四条" in notified["citation"]
    )
    assert record["steps"][0]["due"] and record["decision_due"] == "2026-12-27"
    assert any("听证申请期限" in w for w in record["waiting"])
    text = Runner(app).invoke(["case", "show", "杭上市监立〔2026〕501号"])
    assert "行政处罚告知" in text.output and "尚需" in text.output
    missing = Runner(app).invoke(["case", "show", "不存在"])
    assert missing.exit_code != 0 and "没有案件编号" in missing.output
    with Session(engine) as session:
        audited = session.exec(select(AuditLog.action).where(AuditLog.object_type == "enforcement_case")).all()
        assert "case.notified" in audited and session.get(Disposal, 1) is not None


def test_the_filing_deadline_moves_once_by_approval_and_by_testing_time_before_it_passes(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    d = _dispose(app, client, visit["target"], kind="case", reason="涉嫌违法").get_json()
    case_id = d["case"]["id"]
    assert d["case"]["filing_due"] == "2026-10-23"  # 15 working days from 28 September, across the holiday
    grant = {"approved_on": "2026-09-28", "approved_by": "局长 张某", "reason": "需调取外地证据"}
    moved = _post(app, client, case_id, "extend-filing", **grant)
    assert moved.status_code == 200 and moved.get_json()["case"]["filing_due"] == "2026-11-13"
    again = _post(app, client, case_id, "extend-filing", **{**grant, "reason": "再次延长"})
    assert again.status_code == 409 and "只能经批准延长一次" in again.get_json()["message"]
    tested = {"approved_on": "2026-09-28", "testing_days": 3, "reason": "样品送检"}
    assert _post(app, client, case_id, "extend-filing", **tested).get_json()["due"] == "2026-11-18"
    frozen_clock.set(at(date(2026, 11, 19)))
    late = _post(app, client, case_id, "extend-filing", **{**tested, "approved_on": "2026-11-19"})
    assert "已于 2026-11-18 届满" in _refusal(late)


def test_the_rules_table_in_docs_cases_is_what_the_command_prints(app: Any) -> None:
    from pathlib import Path

    printed = Runner(app).invoke(["case", "rules", "--markdown"])
    assert printed.exit_code == 0, printed.output
    doc = (Path(__file__).parent.parent / "docs" / "cases.md").read_text(encoding="utf-8")
    assert doc.split("<!-- rules-table:start -->\n")[1].split("<!-- rules-table:end -->")[0] == printed.output


def test_the_case_page_offers_the_next_steps_as_forms_and_a_refused_one_keeps_what_was_typed(
    app: Any, client: Any, visit: dict[str, Any]
) -> None:
    from tests.conftest import csrf_token, login

    case_id = _filed(app, client, visit["target"])
    page = app.test_client()
    login(page, "inspector")
    html = page.get("/disposals/cases").get_data(as_text=True)
    assert f'action="/cases/{case_id}/inform"' in html and "不予行政处罚决定" in html and "移送司法机关" in html
    form = {"inform_number": "杭上市监罚告〔2026〕77号", "informed_on": "2026-09-28", "measures": ["fine", "suspend"],
            "proposed_amount": "50000", "facts": "", "reasons": "拒不改正", "basis": "《食品安全法》",
            "csrf_token": csrf_token(page, "/disposals/cases")}  # fmt: skip
    back = page.post(f"/cases/{case_id}/inform", data=form, headers={"Referer": "http://localhost/disposals/cases"},
                     follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "违法事实" in back and 'value="杭上市监罚告〔2026〕77号"' in back
    assert 'value="fine" style="width:auto" checked' in back and 'value="suspend" style="width:auto" checked' in back
    form["facts"] = "复查仍未建立进货查验记录"
    done = page.post(f"/cases/{case_id}/inform", data=form, headers={"Referer": "http://localhost/disposals/cases"},
                     follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "案件办理已登记" in done and f"/disposals/cases/{case_id}/inform.pdf" in done
    assert "登记听证申请" in done and "听证申请期限 2026-10-10" in done and "作出处罚决定前尚需" in done
    other = _filed(app, client, visit["target"], "杭上市监立〔2026〕509号")
    found = page.get("/disposals/cases?q=509号").get_data(as_text=True)
    assert f'id="case-{other}"' in found and f'id="case-{case_id}"' not in found
    import io

    from openpyxl import load_workbook

    sheet = page.get("/disposals/cases.xlsx?state=filed")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号" and [r[0] for r in rows[1:]] == ["杭上市监立〔2026〕509号"]


def test_a_suspected_crime_is_a_disposal_due_for_approval_in_three_days_and_transferred_without_filing(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    d = _dispose(app, client, visit["target"], kind="criminal", reason="涉嫌生产销售不符合安全标准的食品").get_json()
    assert d["kind_label"] == "涉嫌犯罪，移送司法机关" and d["due"] == "2026-10-01"  # 3 days from 28 September
    body = {"reported_on": "2026-09-28", "approved_on": "2026-09-28", "transferred_on": "2026-09-28",
            "approved_by": "局长", "organ": "杭州市公安局上城区分局"}  # fmt: skip
    done = _post(app, client, d["case"]["id"], "transfer", **body)
    assert done.status_code == 200 and done.get_json()["status"] == "closed"
    assert done.get_json()["case"]["status"] == "transferred" and not done.get_json()["overdue"]


LENIENT_CSV = (
    "文号,发布机关,序号,类别,违法行为,法律依据,适用条件\n"
    "测试清单〔2026〕1号,某市场监督管理局,1,首违不罚,未建立进货查验记录,《中华人民共和国食品安全法》第一百二十六条,"
    "初次违法且危害后果轻微，在责令期限内改正\n"
    "测试清单〔2026〕1号,某市场监督管理局,2,不予处罚,未按规定公示许可证,《中华人民共和国食品安全法》,当场改正\n"
)


def test_a_local_lenient_list_is_imported_with_its_number_and_a_no_penalty_decision_cites_its_row(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], tmp_path: Any
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(LENIENT_CSV.replace("首违不罚", "从轻"), encoding="utf-8")
    refused = Runner(app).invoke(["case", "lenient-import", str(bad)])
    assert refused.exit_code != 0 and "类别应为" in refused.output
    good = tmp_path / "list.csv"
    good.write_text(LENIENT_CSV, encoding="utf-8")
    assert Runner(app).invoke(["case", "lenient-import", str(good)]).exit_code == 0
    assert Runner(app).invoke(["case", "lenient-import", str(good)]).exit_code == 0  # replaced, not doubled
    rows = json.loads(Runner(app).invoke(["case", "lenient-list", "--json"]).output)
    assert [(r["seq"], r["kind"]) for r in rows] == [(1, "first"), (2, "minor")]
    case_id = _filed(app, client, visit["target"])
    body = {"decision_number": "杭上市监不罚〔2026〕7号", "decided_on": "2026-09-28", "ground": "minor",
            "education": "当场宣讲", "correction": "当场补建", "lenient_item": rows[0]["id"]}  # fmt: skip
    mismatch = _post(app, client, case_id, "no-penalty", **body)
    assert mismatch.status_code == 422 and "类别" in mismatch.get_json()["message"]
    assert _post(app, client, case_id, "no-penalty", **{**body, "ground": "first"}).status_code == 200
    pdf = client.get(f"/api/cases/{case_id}/no-penalty.pdf", headers=bearer(app, "inspector"))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "测试清单〔2026〕1号）第1项" in text and "未建立进货查验记录" in text


def test_a_decision_form_names_every_mistake_at_once(app: Any, client: Any, visit: dict[str, Any]) -> None:
    case_id = _filed(app, client, visit["target"])
    wrong = _post(app, client, case_id, "decide", **{**_decision(date(2026, 10, 10)), "decided_on": "2026-13-01",
                                                      "amount": "5万"})  # fmt: skip
    assert wrong.status_code == 422
    named = {f["field"]: f["label"] for f in wrong.get_json()["fields"]}
    assert named.get("decided_on") and named.get("amount") == "罚没金额（元）"  # both, not the first only
