"""The complaint rules as data, each period beside its source (pure): what a 投诉 and a 举报 are due by, who
handles them (the statutory routing), the grounds an officer chooses from, 调解 and its clock, and how a
complainant's name and phone are masked for everyone but the handling officer and the 督查室.

The 办法 (总局令第20号, as amended 2022) was read in full; its articles are cited. The platform's own 签收 and
办结 limits are the installation's choice (本地设定). 举报奖励 (办法第三十二条 and the reward rules it refers to)
is out of scope: the system records no reward and says so."""

from __future__ import annotations

from typing import Any

from credit.law import local, src

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
        "source": src(*HANDLING, "第十四条", "自收到投诉之日起七个工作日内作出受理或者不予受理的决定，并告知投诉人"),
    },
    "verify": {
        "label": "核查并决定是否立案",
        "days": {REPORT: 15},
        "extension": 15,
        "source": src(
            *PROCEDURE,
            "第十八条",
            "十五个工作日内核查并决定是否立案，经批准可延长十五个工作日；举报依《市场监督管理投诉举报处理暂行办法》第三十一条第一款"
            "按行政处罚有关规定处理",
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

# --- who handles it (办法第十二条、第二十五条、第二十七条、第二十八条) -----------------------------------------
# How the firm trades, as the 工单 says: offline, or one of the online and advertising cases the 办法 names.
OFFLINE, PLATFORM, IN_PLATFORM, AD_MEDIA, AD_SELF = "", "platform", "in_platform", "ad_media", "ad_self"
TRADE_LABELS = {
    OFFLINE: "线下经营",
    PLATFORM: "电子商务平台经营者或自建网站等电子商务经营者",
    IN_PLATFORM: "平台内经营者",
    AD_MEDIA: "通过大众传播媒介发布的广告",
    AD_SELF: "广告主自行发布的互联网广告",
}
# (category, trade) -> where the handling department sits: "firm" (the firm's registered place, which this
# system holds as its 区划; the 实际经营地 where it differs is set by 交办), "act" (被举报行为发生地, the firm's
# place when the 工单 gives none) or "other" (the 广告发布者's place, given on the 工单).


def _rule(place: str, article: str, text: str) -> dict[str, Any]:
    return {"place": place, "source": src(*HANDLING, article, text)}


_HANDLES = "市场监督管理部门处理"
ROUTES: dict[tuple[str, str], dict[str, Any]] = {
    (COMPLAINT, OFFLINE): _rule("firm", "第十二条第一款", "被投诉人实际经营地或者住所地县级" + _HANDLES),
    (COMPLAINT, PLATFORM): _rule("firm", "第十二条第二款", "由其住所地县级" + _HANDLES),
    (COMPLAINT, IN_PLATFORM): _rule("firm", "第十二条第二款", "由其实际经营地或者平台经营者住所地县级" + _HANDLES),
    (REPORT, OFFLINE): _rule("act", "第二十五条", "由被举报行为发生地的县级以上" + _HANDLES),
    (REPORT, PLATFORM): _rule("firm", "第二十七条第一款", "由其住所地县级以上" + _HANDLES),
    (REPORT, IN_PLATFORM): _rule("firm", "第二十七条第二款", "由其实际经营地县级以上" + _HANDLES),
    (REPORT, AD_MEDIA): _rule("other", "第二十八条第一款", "由广告发布者所在地" + _HANDLES),
    (REPORT, AD_SELF): _rule("firm", "第二十八条第三款", "由广告主所在地" + _HANDLES),
}
ROUTE_KIND = "SCJG"  # the 办法 binds the 市场监督管理部门


class RouteMissing(Exception):
    """The 工单 lacks the place its routing rule needs; the message names it."""


def route(category: str, trade: str, *, firm_region: str | None, act_region: str | None,
          other_region: str | None) -> tuple[str | None, dict[str, Any]]:  # fmt: skip
    """The region whose department handles this 工单 under the 办法, and the rule (None: wait for the firm)."""
    rule = ROUTES.get((category, trade)) or ROUTES[(category, OFFLINE)]  # a 投诉 about an advert is a 投诉
    if rule["place"] == "other":
        if not other_region:
            raise RouteMissing("通过大众传播媒介发布的广告，须填写广告发布者所在地区划代码（办法第二十八条）")
        return other_region, rule
    if rule["place"] == "act" and act_region:
        return act_region, rule
    return firm_region, rule


# --- 不予受理 (第十五条) and 调解 (第十六条至第二十三条) -----------------------------------------------------
REJECT_GROUNDS = {
    "1": "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限",
    "2": "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织"
    "已经受理或者处理过同一消费者权益争议",
    "3": "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议",
    "4": "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年",
    "5": "未提供本办法第九条第一款和第十条规定的材料",
    "6": "法律、法规、规章规定不予受理的其他情形",
}  # fmt: skip
REJECT_SOURCE = src(*HANDLING, "第十五条")
NUMERALS = "一二三四五六七"

MEDIATION_DAYS = 45
MEDIATION_SOURCE = src(
    *HANDLING, "第二十一条第一款第（五）项", "自投诉受理之日起四十五个工作日内未能达成调解协议的，终止调解"
)
TESTING_SOURCE = src(*HANDLING, "第二十条第三款", "检定、检验、检测、鉴定所需时间不计算在调解期限内")
RECUSAL_SOURCE = src(*HANDLING, "第十九条第二款", "对调解人员提出回避申请的，应当中止调解，并作出是否回避的决定")
SUSPENSION_NOT_COUNTED = local("因回避申请中止调解的期间不计入四十五个工作日（办法未规定，本地设定）")
SUSPEND_REASONS = {"recusal": ("申请回避", RECUSAL_SOURCE), "testing": ("检定、检验、检测、鉴定", TESTING_SOURCE)}
END_GROUNDS = {
    "1": "投诉人撤回投诉或者双方自行和解",
    "2": "投诉人与被投诉人对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致",
    "3": "投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解",
    "4": "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议",
    "5": "自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议",
    "6": "市场监督管理部门受理投诉后，发现存在本办法第十五条规定情形",
    "7": "法律、法规、规章规定的应当终止调解的其他情形",
}  # fmt: skip
END_SOURCE = src(*HANDLING, "第二十一条第一款")
END_NOTICE_DAYS = 7
END_NOTICE_SOURCE = src(*HANDLING, "第二十一条第二款", "自作出终止调解决定之日起七个工作日内告知投诉人和被投诉人")
AGREEMENT_PAPERS = ("制作调解书", "调解协议已即时履行", "双方同意不制作调解书")
AGREEMENT_SOURCE = src(*HANDLING, "第二十二条")
MEDIATION_LABELS = {"mediating": "调解中", "suspended": "调解中止", "agreed": "达成调解协议", "terminated": "终止调解"}
MEDIATION_OPEN, MEDIATION_ENDED = frozenset({"mediating", "suspended"}), frozenset({"agreed", "terminated"})

# --- 举报: the 实名 reporter's notice, a 线索 found in 调解, a mixed 工单 -----------------------------------
REPORT_NOTICE_DAYS = 5
REPORT_NOTICE_SOURCE = src(*HANDLING, "第三十一条第二款", "实名举报的，自作出是否立案决定之日起五个工作日内告知举报人")
ANONYMOUS_SOURCE = src(
    *HANDLING, "第二十四条", "举报人提供具体线索即可，办法不要求举报人的姓名；匿名举报不作第三十一条第二款的告知"
)
CLUE_DAYS, CLUE_EXTENSION = 15, 15
CLUE_SOURCE = src(
    *HANDLING, "第二十三条", "调解中发现违法线索的，自发现之日起十五个工作日内予以核查，特殊情况下可以延长十五个工作日"
)
SPLIT_SOURCE = src(*HANDLING, "第七条", "同时提出投诉和举报的，按照本办法规定的程序分别处理")
MIXED = "投诉举报"  # what the platform sends for a 工单 holding both
REWARD_OUT_OF_SCOPE = local(
    "举报奖励（办法第三十二条及《市场监管领域重大违法行为举报奖励暂行办法》）不在本系统范围内：本系统不记录、不计算奖励"
)


def real_name(name: str, phone: str) -> bool:
    """A reporter who gave a name and a way to reach them is 实名; the others are anonymous."""
    return bool(name.strip() and phone.strip())


class WorkflowRefused(Exception):
    """A step a 工单 cannot take now; the message names the state and the step."""


def next_state(category: str, state: str, action: str, decision: str | None = None, *, mediation: str = "") -> str:
    """The state a 工单 moves to, or WorkflowRefused with the reason in Chinese."""
    if action == "close" and state == ACCEPTED and mediation in MEDIATION_ENDED:
        return CLOSED  # the 调解 ended it: no site 核查 is owed
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


def _cite(source: dict[str, Any]) -> str:
    from credit.rules import cite  # the one citation format (instrument, 文号, article, note)

    return cite(source).replace("|", "｜")


def rules_table() -> str:
    """The tables of docs/complaints.md: deadlines, routing, grounds and notices, each with its source."""
    lines = ["| 步骤 | 投诉 | 举报 | 依据 |", "|---|---|---|---|"]
    for rule in DEADLINES.values():
        days = [f"{rule['days'][c]}个工作日" if c in rule["days"] else "—" for c in CATEGORIES]
        lines.append(f"| {rule['label']} | {days[0]} | {days[1]} | {_cite(rule['source'])} |")
    lines += ["", "| 诉求类型 | 经营方式 | 承办部门所在地 | 依据 |", "|---|---|---|---|"]
    place = {"firm": "被投诉举报人所在地", "act": "被举报行为发生地", "other": "广告发布者所在地"}
    for (category, trade), rule in ROUTES.items():
        lines.append(f"| {category} | {TRADE_LABELS[trade]} | {place[rule['place']]} | {_cite(rule['source'])} |")
    rows = [
        *(("不予受理", f"（{NUMERALS[int(k) - 1]}）{v}", REJECT_SOURCE) for k, v in REJECT_GROUNDS.items()),
        ("调解期限", f"{MEDIATION_DAYS}个工作日", MEDIATION_SOURCE),
        *(("调解中止", label, source) for label, source in SUSPEND_REASONS.values()),
        ("调解中止", "中止期间不计入调解期限", SUSPENSION_NOT_COUNTED),
        *(("终止调解", f"（{NUMERALS[int(k) - 1]}）{v}", END_SOURCE) for k, v in END_GROUNDS.items()),
        ("终止调解告知", f"{END_NOTICE_DAYS}个工作日", END_NOTICE_SOURCE),
        ("调解书", "、".join(AGREEMENT_PAPERS), AGREEMENT_SOURCE),
        ("实名举报告知", f"{REPORT_NOTICE_DAYS}个工作日", REPORT_NOTICE_SOURCE),
        ("匿名举报", "接收并核查，不作立案告知", ANONYMOUS_SOURCE),
        ("调解中发现的违法线索", f"{CLUE_DAYS}个工作日，可延长{CLUE_EXTENSION}个工作日", CLUE_SOURCE),
        ("同时包含投诉和举报", "分为两件，各按其程序办理", SPLIT_SOURCE),
        ("举报奖励", "不在本系统范围内", REWARD_OUT_OF_SCOPE),
        ("重复投诉标注", f"{REPEAT_WINDOW_DAYS}日内{REPEAT_COUNT}次", REPEAT_SOURCE),
    ]
    lines += ["", "| 规则 | 值 | 依据 |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {_cite(source)} |" for name, value, source in rows]
    return "\n".join(lines) + "\n"
