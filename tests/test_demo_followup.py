"""The demo holds what #20 and #30 promise: 投诉举报 in every state (one overdue, a 举报 whose 核查 led to 立案,
one to match, a repeat, 调解 agreed and 终止, a 线索 and a split 工单) and a 督查 follow-up with a returned then
accepted 整改报告 and a second-period laggard escalated to 约谈 and 追责建议; both CLI lists print them."""

from __future__ import annotations

import json
from typing import Any

from inspections.complaints import rules


def test_the_demo_holds_complaints_in_every_state_and_an_escalated_second_period_laggard(runner: Any) -> None:
    assert runner.invoke(args=["seed", "demo", "--entities", "3000", "--seed", "2026"]).exit_code == 0
    listed = runner.invoke(args=["complaint", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    complaints = json.loads(listed.output)
    assert {c["state"] for c in complaints} == set(rules.STATE_LABELS)
    assert any(c["overdue"] and c["state"] == "received" for c in complaints)
    assert any(c["case_decision"] == "立案" and c["case_number"] for c in complaints)
    assert any(c["repeat"] for c in complaints) and any(not c["matched"] for c in complaints)
    assert all("*" in c["complainant_phone"] for c in complaints if not c["anonymous"])  # masked in the CLI
    # 总局令第20号's paths: 调解 agreed with a 调解书, 调解 中止 for testing then 终止 and notified, its 线索's 核查,
    # a 实名 reporter told of the 立案, an anonymous 举报, a mixed 工单 split in two, a statutory 不予受理 ground.
    mediations = [c["mediation"] for c in complaints if c["mediation"]]
    assert {m["state"] for m in mediations} == {"agreed", "terminated"}
    assert any(m["paper"] == "制作调解书" for m in mediations) and all(
        m["noticed_on"] for m in mediations if m["state"] == "terminated"
    )
    assert {c["origin"] for c in complaints if c["parent_ticket"]} == {"clue", "split"}
    assert any(c["noticed_on"] for c in complaints) and any(c["anonymous"] for c in complaints)
    assert any((c["reject_ground"] or "").startswith("第十五条第（三）项") for c in complaints)
    text = runner.invoke(args=["complaint", "list"]).output
    assert "已超期" in text and "核查中" in text
    disposals = [d for d in json.loads(runner.invoke(args=["disposal", "list", "--json"]).output)
                 if d["result"]["complaint_id"]]  # fmt: skip
    assert {d["kind"] for d in disposals} == {"rectify", "case"}  # a 核查's 责令改正, and the 举报's filed case
    assert any(d["case"] and d["case"]["status"] == "filed" for d in disposals)

    listed = runner.invoke(args=["rectification", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    items = {i["unit"]["code"]: i for i in json.loads(listed.output)}
    mended = items["330106-YJGL"]
    assert [r["outcome"] for r in mended["reports"]] == ["returned", "accepted"] and mended["status"] == "accepted"
    laggard = items["330102-WSJK"]
    assert laggard["interview"] and laggard["accountability"]["to"] == "任免机关"
    assert laggard["recheck"][0]["flagged"] and laggard["recovered"] is False  # lagging again in the next quarter
    assert items["330106-SCJG"]["status"] == "open"
    assert "督改" in runner.invoke(args=["rectification", "list"]).output


def test_the_demo_window_has_a_check_waiting_for_its_outcome(runner: Any, engine: Any) -> None:
    from sqlmodel import Session, col, select

    from credit.control import pending_checks
    from supervise.models import User

    assert runner.invoke(args=["seed", "demo", "--entities", "3000", "--seed", "2026"]).exit_code == 0
    with Session(engine) as session:
        window = session.exec(select(User).where(col(User.username) == "licensing")).one()
        waiting = pending_checks(session, user_id=window.id)
    assert len(waiting) == 1 and waiting[0]["matter"] == "SCJG-SPJY"
