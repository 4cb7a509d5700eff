"""The 督查 follow-up's papers as plain data (pure): the 整改通知, the 约谈通知, the 追责建议函, the 整改报告
审核意见 and the 送达回证 of any of them. supervise.paper lays them out; the service fills them from the item."""

from __future__ import annotations

from datetime import date
from typing import Any

from supervise.paper import paper_date, sentence

REGULATION = "《政府督查工作条例》（国务院令第733号）"
KINDS = {
    "notice": "整改通知",
    "interview": "约谈通知",
    "accountability": "追责建议函",
    "verdict": "整改报告审核意见",
}


def rectification_notice(item: dict[str, Any], issuer: str) -> dict[str, Any]:
    """The 整改通知: the findings, the requirement and the deadline, and what follows a missed one."""
    findings = "；".join(r.rstrip("。") for r in item["reasons"])
    paragraphs = [
        f"经督查，你单位{item['period_label']}存在下列问题：{sentence(findings)}",
        f"请你单位按照以下要求整改：{sentence(item['requirement'])}" if item["requirement"] else "",
        f"请于{paper_date(item['due'])}前完成整改，并通过督查工作平台报送整改报告及佐证材料。"
        f"逾期未完成整改的，本机关将依照{REGULATION}的规定约谈你单位负责人，并视情提出追责建议。",
    ]
    return _paper(item, issuer, "notice", [p for p in paragraphs if p], item["issued_on"], "责任单位签收")


def interview_notice(item: dict[str, Any], issuer: str) -> dict[str, Any]:
    """The 约谈通知: who is to attend, when, and the new deadline (条例第十二条所列的约谈方式)."""
    interview = item["interview"]
    paragraphs = [
        f"你单位未按期完成{item['number']}整改通知要求的整改。依照{REGULATION}第十二条，"
        f"本机关定于{paper_date(interview['held_on'])}约谈你单位负责人。",
        f"参加人员：{sentence(interview['participants'])}",
        f"约谈事项：{sentence(interview['minutes'])}" if interview.get("minutes") else "",
        f"请于{paper_date(item['due'])}前完成整改并报送整改报告。",
    ]
    return _paper(item, issuer, "interview", [p for p in paragraphs if p], interview["held_on"], "责任单位签收")


def accountability_letter(item: dict[str, Any], issuer: str) -> dict[str, Any]:
    """The 追责建议函 to the 任免机关 or 纪检监察机关, with the approval it went out under (条例第二十一条)."""
    a = item["accountability"]
    approval = item.get("approval") or {}
    paragraphs = [
        f"{item['unit']['name']}未按期完成{item['number']}整改通知要求的整改，经约谈后仍未完成。",
        f"依照{REGULATION}的规定，建议：{sentence(a['text'])}",
        f"本建议经{approval.get('by', '本级人民政府')}于{paper_date(approval['on'])}批准（{approval.get('ref', '')}）。"
        if approval.get("on")
        else "",
        "请将处理结果函告本机关。证据材料附后。",
    ]
    paper = _paper(item, issuer, "accountability", [p for p in paragraphs if p], a["on"], "接收机关签收")
    paper["addressee"] = paper["served"] = a["to"]
    return paper


def verdict(item: dict[str, Any], report: dict[str, Any], issuer: str) -> dict[str, Any]:
    """The 审核意见 on one 整改报告: accepted, or returned with the reason and what to add."""
    submitted = paper_date(date.fromisoformat(report["submitted_at"][:10]))
    if report["outcome"] == "accepted":
        text = (
            f"经审核，你单位于{submitted}报送的整改报告符合{item['number']}整改通知的要求，"
            "本机关予以认可，该整改事项办结。"
        )
        rest: list[str] = []
    else:
        text = f"经审核，你单位于{submitted}报送的整改报告未达到{item['number']}整改通知的要求，予以退回。"
        rest = [
            f"退回理由：{sentence(report['reason'] or '')}",
            f"请于{paper_date(item['due'])}前补充整改并重新报送。",
        ]
    decided = date.fromisoformat(report["decided_on"]) if report.get("decided_on") else item["issued_on"]
    return _paper(item, issuer, "verdict", [text, *rest], decided, "责任单位签收")


def service_receipt(paper: dict[str, Any]) -> dict[str, Any]:
    """The 送达回证 of a paper: what was served on whom, how, and the signatures (a form filled in by hand)."""
    rows = [
        ("送达文书名称及文号", f"{paper['title']}（{paper['number']}）"),
        ("受送达人", paper["addressee"]),
        ("送达地点", ""),
        ("送达方式", "直接送达　／　电子送达　／　邮寄送达"),
        ("受送达人签名或盖章", "　　　　　　　　　　年　　月　　日"),
        ("送达人签名", "　　　　　　　　　　年　　月　　日"),
        ("备注", ""),
    ]
    return {"issuer": paper["issuer"], "title": "送达回证", "number": paper["number"], "rows": rows}


def _paper(item: dict[str, Any], issuer: str, kind: str, paragraphs: list[str], dated: date,
           receiver: str) -> dict[str, Any]:  # fmt: skip
    title = KINDS[kind]
    number = item["number"] if kind == "notice" else f"（{item['number']}）"
    return {
        "issuer": issuer, "title": title, "number": number, "addressee": item["unit"]["name"],
        "paragraphs": paragraphs, "dated": paper_date(dated), "receiver": receiver, "served": "责任单位",
    }  # fmt: skip
