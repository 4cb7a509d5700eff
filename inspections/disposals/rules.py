"""后续处置 as data: the kinds of disposal, their deadlines with their sources, and the state machine (pure).

A result with a 不符合 point or a problem category needs a disposal before it is complete. Each kind says who
owns it, when it is due, and what closes it. A value no instrument fixes says 本地设定."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credit.law import UNCHECKED, local, src

PROCEDURE = "《市场监督管理行政处罚程序规定》"
PROCEDURE_NO = "国家市场监督管理总局令第2号（经总局令第61号等修改）"

NONE, RECTIFY, CASE, REFER, ABNORMAL = "none", "rectify", "case", "refer", "abnormal"
CRIMINAL = "criminal"
KINDS: dict[str, str] = {
    NONE: "无需处置",
    RECTIFY: "责令改正",
    CASE: "立案查处",
    REFER: "抄告/移交其他部门",
    ABNORMAL: "列入经营异常名录",
    CRIMINAL: "涉嫌犯罪，移送司法机关",
}
CASE_KINDS = (CASE, CRIMINAL)  # a case is opened: 立案, or the 移送司法机关 of a suspected crime
OPEN, CLOSED, ESCALATED = "open", "closed", "escalated"
STATUS_LABELS = {OPEN: "处置中", CLOSED: "已完结", ESCALATED: "已转移送"}
RECHECK_FIXED, RECHECK_NOT_FIXED = "已改正", "未改正"

DEADLINES: dict[str, dict[str, Any]] = {
    "rectify_max": {
        "amount": 60,
        "unit": "working_days",
        "source": local("责令改正期限的上限，由检查人员在此范围内确定"),
    },
    "recheck_after": {
        "amount": 5,
        "unit": "working_days",
        "source": local("改正期限届满后复查的期限：复查排入联合检查排期，窗口为期限届满之日起 5 个工作日"),
    },
    "case_filing": {
        "amount": 15,
        "unit": "working_days",
        "source": src(
            PROCEDURE, PROCEDURE_NO, note="自发现线索或者收到材料之日起十五个工作日内核查并决定是否立案；" + UNCHECKED
        ),
    },
    "refer_ack": {"amount": 5, "unit": "working_days", "source": local("抄告、移交的接收部门签收期限")},
    "criminal_approval": {
        "amount": 3,
        "unit": "days",
        "source": src(
            "《行政执法机关移送涉嫌犯罪案件的规定》",
            "国务院令第310号（经国务院令第730号修订）",
            note="负责人自接到报告之日起 3 日内决定是否批准移送，批准的 24 小时内移送；" + UNCHECKED,
        ),
    },
}


@dataclass(frozen=True)
class Move:
    """A disposal's transition: from which statuses, to which status."""

    sources: frozenset[str]
    target: str
    label: str


MOVES: dict[str, Move] = {
    "close": Move(frozenset({OPEN}), CLOSED, "处置完结"),
    "escalate": Move(frozenset({OPEN}), ESCALATED, "复查未改正，转立案查处"),
}


def move(action: str, status: str) -> str:
    """The status after `action`, or raise ValueError naming why it cannot happen (pure)."""
    rule = MOVES[action]
    if status not in rule.sources:
        raise ValueError(f"该处置当前为“{STATUS_LABELS.get(status, status)}”，不能{rule.label}")
    return rule.target
