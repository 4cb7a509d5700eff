"""The papers a case serves: the 行政处罚告知书, the 听证通知书 and the 不予行政处罚决定书, rendered from the case's
recorded steps and audited with their SHA-256."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session

from inspections.disposals import procedure
from inspections.disposals.case_base import audit_case, last_step
from inspections.disposals.models import EnforcementCase
from supervise.citations import for_paper
from supervise.errors import ApiError, field_error
from supervise.fonts import find_cjk_font
from supervise.models import Department, Enterprise, Inspector
from supervise.paper import paper_date, render_paper

PAPERS = {"inform": "行政处罚告知书", "hearing-notice": "听证通知书", "no-penalty": "不予行政处罚决定书"}
REMEDY = "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"


def _inform(case: EnforcementCase, data: dict[str, Any]) -> tuple[str, list[str], Any]:
    measures = "、".join(procedure.MEASURES[m]["label"] for m in data["measures"])
    amount = f"（金额 {data['amount']} 元）" if data.get("amount") else ""
    out = [
        f"经查，你单位存在以下违法事实：{data['facts']}",
        f"本机关认为：{data['reasons']}依据{for_paper(data['basis'])}的规定，本机关拟对你单位作出如下行政处罚：{measures}{amount}。",
    ]
    if data.get("listing"):
        out.append(
            "依据《市场监督管理严重违法失信名单管理办法》，本机关拟同时将你单位列入严重违法失信名单；"
            "你单位可以就列入事项一并陈述、申辩和要求听证。"
        )
    out.append(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权在本机关作出行政处罚决定之前"
        "进行陈述和申辩；本机关不因你单位陈述、申辩而给予更重的处罚。"
    )
    if data.get("hearing_applies"):
        out.append(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你单位有权要求举行听证；要求听证的，"
            f"应当在收到本告知书之日起五个工作日内（即 {data['hearing_request_due']} 前）向本机关提出。"
        )
    out.append("逾期未提出陈述、申辩或听证要求的，本机关将依法作出行政处罚决定。")
    return data["inform_number"], out, case.informed_on


def _hearing(case: EnforcementCase, data: dict[str, Any]) -> tuple[str, list[str], Any]:
    out = [
        f"根据你单位的听证要求，本机关定于 {data['hearing_on']} 在{data['place']}举行听证，"
        f"就本机关{case.inform_number}行政处罚告知书所告知的事项听取你单位的意见。听证由{data['host']}主持。",
        "根据《中华人民共和国行政处罚法》第六十四条的规定，你单位可以亲自参加听证，也可以委托一至二人代理；"
        "认为主持人与本案有直接利害关系的，有权申请回避。无正当理由拒不出席听证的，视为放弃听证权利。",
    ]
    return data["notice_number"], out, None


def _no_penalty(case: EnforcementCase, data: dict[str, Any]) -> tuple[str, list[str], Any]:
    rule = procedure.NO_PENALTY_GROUNDS[data["ground"]]
    article = rule["source"]["article"]
    out = [f"经查，你单位存在以下违法行为：{for_paper(case.points)}"]
    if data.get("correction"):
        out.append(f"你单位已改正：{data['correction']}")
    item = data.get("lenient_item")
    listed = (
        f"，并符合{item['issuer']}发布的不予处罚清单（{item['document_number']}）第{item['seq']}项所列情形"
        f"（{item['violation']}；适用条件：{item['conditions']}）"
        if item
        else ""
    )
    out += [
        f"本机关认为，你单位的情形属于“{rule['label']}”{listed}。根据《中华人民共和国行政处罚法》{article}的规定，"
        "本机关决定对你单位不予行政处罚。",
        f"本机关已依法对你单位进行教育：{data['education']}",
        REMEDY,
    ]
    return data["decision_number"], out, case.decided_on


_BUILD = {"inform": ("notified", _inform), "hearing-notice": ("hearing_noticed", _hearing),
          "no-penalty": ("no_penalty", _no_penalty)}  # fmt: skip


def case_paper(
    session: Session, *, case_id: int, paper: str, inspector: Inspector, actor: str
) -> tuple[str, bytes, str]:
    """Render one of the case's papers for its 办案机构 and audit it; (file name, PDF, SHA-256)."""
    case = session.get(EnforcementCase, case_id)
    if case is None or paper not in PAPERS:
        raise field_error("case_id", f"案件 {case_id} 不存在", status=404)
    if inspector.department_id != case.department_id:
        raise ApiError(403, "只有办案机构的执法人员可以打印该案件的文书", code="forbidden")
    step, build = _BUILD[paper]
    row = last_step(session, case_id, step)
    if row is None:
        raise field_error("case_id", f"该案件尚未办理“{procedure.STEP_NAMES[step]}”，没有{PAPERS[paper]}", status=409)
    font = find_cjk_font()
    if font is None:
        raise field_error("case_id", "服务器未安装可嵌入的中文字体，暂不能生成文书", status=503)
    ent, dept = session.get(Enterprise, case.enterprise_id), session.get(Department, case.department_id)
    assert ent is not None and dept is not None
    number, paragraphs, dated = build(case, json.loads(row.data))
    on = dated or row.on
    pdf = render_paper(
        {"issuer": dept.name, "title": PAPERS[paper], "number": number, "firm_name": ent.name, "uscc": ent.uscc,
         "paragraphs": paragraphs, "dated": paper_date(on)},
        font=font,
    )  # fmt: skip
    digest = hashlib.sha256(pdf).hexdigest()
    audit_case(session, case, "case.paper_printed", actor, {"paper": paper, "sha256": digest})
    return f"{PAPERS[paper]}-{number}.pdf", pdf, digest
