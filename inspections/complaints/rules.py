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
