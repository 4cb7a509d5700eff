"""The 督查 follow-up rules as data (pure): what a 督查室 decision is, how long a unit has to rectify, and when a
unit is escalated to 约谈 and then to a 追责建议.

The duty comes from the reform's supervision chapter (对工作明显滞后的地区和部门启动追责); the escalation steps,
periods and document numbers below are the installation's choices (本地设定), not national rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from credit.law import local

# Four eyes: a 督查室 member proposes, a second one confirms; only then does the decision take effect.
NOTICE, RECTIFY, ACCEPT, RETURN, INTERVIEW, ACCOUNTABILITY = (
    "notice", "rectify", "accept", "return", "interview", "accountability",
)  # fmt: skip
DECISION_LABELS = {
    NOTICE: "签发督查通报",
    RECTIFY: "下发整改通知",
    ACCEPT: "通过整改报告",
    RETURN: "退回整改报告",
    INTERVIEW: "约谈",
    ACCOUNTABILITY: "提出追责建议",
}
PENDING, CONFIRMED, WITHDRAWN = "pending", "confirmed", "withdrawn"
DECISION_STATES = {PENDING: "待另一名督查人员确认", CONFIRMED: "已确认生效", WITHDRAWN: "已撤回"}

OPEN, SUBMITTED, RETURNED, ACCEPTED = "open", "submitted", "returned", "accepted"
REVOKED = "revoked"  # the 复核 revoked the 督查结论 that ordered it
STATUS_LABELS = {
    OPEN: "待整改", SUBMITTED: "整改报告待审核", RETURNED: "整改报告被退回", ACCEPTED: "整改完成",
    REVOKED: "督查结论已撤销",
}  # fmt: skip

RECTIFY_DAYS = {"default": 20, "min": 5, "max": 60, "source": local("整改期限（工作日）")}
INTERVIEW_DAYS = {"default": 10, "min": 5, "max": 30, "source": local("约谈后重新确定的整改期限（工作日）")}
NUMBERS: dict[str, str] = {NOTICE: "督通", RECTIFY: "督改"}  # 发文字号 (本地设定)
NUMBERS_SOURCE = local("督查通报、整改通知的发文字号")
RECIPIENTS = ("纪检监察机关", "任免机关")

REGULATION = {"instrument": "《政府督查工作条例》", "number": "国务院令第733号"}
# 第二十一条: 批评 and 追责 proposals are carried out, or handed to the competent organ, only after the 本级人民政府
# or its head approved them. Every 通报 here is critical (it names a lagging unit), so every one needs it.
APPROVAL = {**REGULATION, "article": "第二十一条", "note": "批评、追究责任的建议经本级人民政府或者行政首长批准后实施"}
NEEDS_APPROVAL = (NOTICE, ACCOUNTABILITY)
# 第十七条: the unit may ask for 复核 within 30 days of receiving the 结论; the decision is due within 30 days; those
# who made the 结论 are recused.
REVIEW = {**REGULATION, "article": "第十七条"}
REVIEW_REQUEST_DAYS, REVIEW_DECISION_DAYS = 30, 30
MANDATE = {**REGULATION, "article": "第七条", "note": "县级以上人民政府所属部门未经本级人民政府指定，不得开展政府督查"}

SUPERVISION_DUTY = {
    "instrument": "深化“最多跑一次”改革的实施意见（本项目依据文件）五(三)",
    "note": "对工作明显滞后的地区和部门启动追责；具体的约谈、追责建议步骤为本地设定",
}
ESCALATION: tuple[dict[str, Any], ...] = (
    {"code": "missed", "label": "逾期未提交或未通过整改报告", "source": local("整改期限届满未整改到位")},
    {"code": "returned", "label": "整改报告被退回", "source": local("整改报告经审核退回")},
    {"code": "again", "label": "下一督查周期仍被认定为明显滞后", "source": local("连续两个周期明显滞后")},
)
TRIGGER_LABELS = {r["code"]: r["label"] for r in ESCALATION}


@dataclass(frozen=True)
class Facts:
    """What the escalation looks at on one 整改 item."""

    today: date
    due: date
    accepted: bool
    returns: tuple[date, ...] = ()  # the days its reports were returned
    lagging_again: bool = False  # flagged again in the next period's metrics
    interview_on: date | None = None
    interview_due: date | None = None  # the deadline set at the 约谈
    lagging_after_interview: bool = False
    accountability: bool = False


def triggers(f: Facts) -> list[str]:
    """The escalation triggers that hold for the item as it stands (ESCALATION codes)."""
    # A missed deadline or a returned report counts while the 整改 is not done; an accepted report does not
    # mend the metric, so lagging again in the next period counts whatever the report's fate.
    out = []
    if not f.accepted and f.today > f.due:
        out.append("missed")
    if not f.accepted and f.returns:
        out.append("returned")
    if f.lagging_again:
        out.append("again")
    return out


def escalation(f: Facts) -> dict[str, Any] | None:
    """The step the item is escalated to now, with its reasons: 约谈 first, then a 追责建议; None if none is due."""
    if f.accountability:
        return None
    if f.interview_on is None:
        found = triggers(f)
        return {"step": INTERVIEW, "triggers": found} if found else None
    # After a 约谈 only what happens later counts: the new deadline missed, a later return, lagging yet again.
    after = []
    if not f.accepted and f.interview_due is not None and f.today > f.interview_due:
        after.append("missed")
    if not f.accepted and any(d > f.interview_on for d in f.returns):
        after.append("returned")
    if f.lagging_after_interview:
        after.append("again")
    return {"step": ACCOUNTABILITY, "triggers": after} if after else None


def next_period(period: str) -> str:
    """The supervision period after a quarter (2026Q4 -> 2027Q1)."""
    year, quarter = int(period[:4]), int(period[5:])
    return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"
