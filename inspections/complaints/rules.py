"""The complaint rules as data, each period beside its source (pure): what a 投诉 and a 举报 are due by, and how
a complainant's name and phone are masked for everyone but the handling officer and the 督查室.

An article that could not be checked against the text on this machine is not given; the note says so. The
platform's own 签收 and 办结 limits are the installation's choice (本地设定)."""

from __future__ import annotations

from typing import Any

from credit.law import UNCHECKED, local, src

COMPLAINT, REPORT = "投诉", "举报"
CATEGORIES = (COMPLAINT, REPORT)
CHANNELS = ("12345热线", "12345网站", "12345移动端", "信件", "来访", "其他")


HANDLING = ("《市场监督管理投诉举报处理暂行办法》", "国家市场监督管理总局令第20号")
PROCEDURE = ("《市场监督管理行政处罚程序规定》", "国家市场监督管理总局令第2号（经修改）")

# step -> {category: working days} with the source; a step a category does not have is absent.
DEADLINES: dict[str, dict[str, Any]] = {
    "sign": {
        "label": "签收",
        "days": {COMPLAINT: 1, REPORT: 1},
        "source": local("政务咨询投诉举报平台的签收时限（平台规则，按本地设定配置）"),
    },
    "accept": {
        "label": "受理/不予受理决定",
        "days": {COMPLAINT: 7},
        "source": src(*HANDLING, note="收到投诉之日起七个工作日内作出受理或者不予受理的决定；" + UNCHECKED),
    },
    "verify": {
        "label": "核查并决定是否立案",
        "days": {REPORT: 15},
        "extension": 15,
        "source": src(
            *PROCEDURE,
            note="对举报等途径发现的违法线索，十五个工作日内核查并决定是否立案，经批准可延长十五个工作日；" + UNCHECKED,
        ),
    },
    "close": {
        "label": "办结",
        "days": {COMPLAINT: 15, REPORT: 30},
        "source": local("平台的办结时限（按本地设定配置）"),
    },
}


def steps_of(category: str) -> list[tuple[str, int]]:
    """The deadline steps of a category, in order, with their working days."""
    return [(step, rule["days"][category]) for step, rule in DEADLINES.items() if category in rule["days"]]


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳小明 -> 欧***: the surname stays, so the officer's colleagues can refer to the case."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678; anything shorter keeps only its last two digits."""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 0) + digits[-2:] if digits else ""


# --- the workflow: states, what moves a 工单 on, and routing ----------------------------------------------

RECEIVED, SIGNED, ACCEPTED, REJECTED, VERIFYING, VERIFIED, CLOSED, REPLIED = (
    "received", "signed", "accepted", "rejected", "verifying", "verified", "closed", "replied",
)  # fmt: skip
STATE_LABELS = {
    RECEIVED: "待签收",
    SIGNED: "已签收",
    ACCEPTED: "已受理",
    REJECTED: "不予受理",
    VERIFYING: "核查中",
    VERIFIED: "已核查",
    CLOSED: "已办结",
    REPLIED: "已答复",
}
ACTION_LABELS = {"sign": "签收", "accept": "受理/转入核查", "verify": "核查", "close": "办结", "reply": "答复"}
# action -> the states it may be taken from
FROM_STATES: dict[str, frozenset[str]] = {
    "sign": frozenset({RECEIVED}),
    "accept": frozenset({SIGNED}),
    "verify": frozenset({ACCEPTED, VERIFYING}),
    "close": frozenset({VERIFIED, REJECTED}),
    "reply": frozenset({CLOSED}),
}
FINDINGS = ("属实", "部分属实", "不属实")
SUBSTANTIATED = frozenset({"属实", "部分属实"})
CASE_DECISIONS = ("立案", "不予立案")
REPLY_CHANNELS = ("电话", "短信", "书面", "平台回复")
# A firm with this many 工单 (this one included) within the window is flagged as a repeat complaint (本地设定).
REPEAT_COUNT, REPEAT_WINDOW_DAYS = 2, 365
REPEAT_SOURCE = local("同一经营主体一年内被投诉举报两次及以上即标注重复投诉（本地设定）")

# 转办/交办: category × region -> the department kind that handles it; the longest matching region prefix wins,
# "" matches every region. The department is that kind's department of the firm's county (属地管理).
ROUTES: tuple[dict[str, Any], ...] = (
    {"category": COMPLAINT, "region": "", "kind": "SCJG", "source": local("投诉由经营者所在地县级市场监管部门处理")},
    {"category": REPORT, "region": "", "kind": "SCJG", "source": local("举报由违法行为发生地县级市场监管部门核查")},
)


class WorkflowRefused(Exception):
    """A step a 工单 cannot take now; the message names the state and the step."""


def next_state(category: str, state: str, action: str, decision: str | None = None) -> str:
    """The state a 工单 moves to, or WorkflowRefused with the reason in Chinese."""
    if state not in FROM_STATES[action]:
        raise WorkflowRefused(f"工单当前为“{STATE_LABELS[state]}”，不能{ACTION_LABELS[action]}")
    if action == "sign":
        return SIGNED
    if action == "accept":
        if category == REPORT:
            return VERIFYING  # a 举报 is not 受理 but 核查: the decision it needs is whether to file a case
        if decision not in ("受理", "不予受理"):
            raise WorkflowRefused("投诉应作出受理或者不予受理的决定")
        return ACCEPTED if decision == "受理" else REJECTED
    return {"verify": VERIFIED, "close": CLOSED, "reply": REPLIED}[action]


def route(category: str, region_code: str) -> dict[str, Any] | None:
    """The routing rule for a 工单 of this category about a firm in this region (the most specific one)."""
    fitting = [r for r in ROUTES if r["category"] == category and region_code.startswith(r["region"])]
    return max(fitting, key=lambda r: len(r["region"])) if fitting else None


def current_step(category: str, state: str) -> str | None:
    """The deadline step a 工单 in this state is waiting on (None once answered)."""
    if state == RECEIVED:
        return "sign"
    if state == SIGNED:
        return "accept" if category == COMPLAINT else "verify"
    if state in (ACCEPTED, VERIFYING):
        return "verify" if category == REPORT else "close"
    if state in (VERIFIED, REJECTED):
        return "close"
    return "reply" if state == CLOSED else None  # the 答复 is due within the 办结 period


def step_label(step: str) -> str:
    """What a deadline step is called on the page and in the CLI."""
    return "答复" if step == "reply" else str(DEADLINES[step]["label"])
