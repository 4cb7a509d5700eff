"""The 行政处罚 procedure between 立案 and the decision as data with sources, and its checks (pure).

Each step has its source (instrument, 文号, article), when it applies and its deadline. The checks take plain
facts of a case and say what still blocks a step, in Chinese, with the article; no session, no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from credit.law import UNCHECKED, local, src
from inspections.disposals.rules import PROCEDURE, PROCEDURE_NO

LAW = "《中华人民共和国行政处罚法》"
LAW_NO = "中华人民共和国主席令第七十号（2021年修订）"
REFERRAL = "《行政执法机关移送涉嫌犯罪案件的规定》"
REFERRAL_NO = "国务院令第310号（经国务院令第730号修订）"
# 第八十五条: "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日。" The 90 days of 第六十条 are
# calendar days.
WORKING_DAYS_RULE = src(LAW, LAW_NO, "第八十五条", "本法中“五日”“七日”的规定是指工作日，不含法定节假日")


def law(article: str, note: str = "") -> dict[str, Any]:
    return src(LAW, LAW_NO, article, note)


DECISION_DAYS = 90  # 第六十条, calendar days from 立案
EXTENSION_MAX_DAYS = 30  # 本地设定 per approval (the 程序规定's text could not be read here)
HEARING_REQUEST_WD = 5  # 第六十四条第（一）项
HEARING_NOTICE_WD = 7  # 第六十四条第（二）项
SERVICE_WD = 7  # 第六十一条
FILING_EXTENSION_WD = 15  # 程序规定 第十八条
FIRST_VIOLATION_YEARS = 2  # 本地设定: "初次违法" looks back this far for the same kind of violation

# 较大数额 (第六十三条): set by each province; Zhejiang's figure could not be read, so these are 本地设定.
LARGE_AMOUNT = {"person": Decimal(10_000), "organisation": Decimal(100_000)}
LARGE_AMOUNT_SOURCE = local(
    "较大数额罚款、没收较大数额违法所得或较大价值非法财物的标准由省级规定；浙江省的标准原文未能读到，"
    "暂按个体工商户一万元、法人和其他组织十万元（含）以上"
)

# The measures a 告知 proposes. `hearing`: 第六十三条 lists it; `heavy`: 较重 for publication and listing.
MEASURES: dict[str, dict[str, Any]] = {
    "warning": {"label": "警告", "hearing": False, "heavy": False},
    "criticism": {"label": "通报批评", "hearing": False, "heavy": False},
    "fine": {"label": "罚款", "hearing": "amount", "heavy": False},
    "confiscate": {"label": "没收违法所得、没收非法财物", "hearing": "amount", "heavy": False},
    "lower_grade": {"label": "降低资质等级", "hearing": True, "heavy": True},
    "revoke_licence": {"label": "吊销许可证件", "hearing": True, "heavy": True},
    "revoke_charter": {"label": "吊销营业执照", "hearing": True, "heavy": True},
    "suspend": {"label": "责令停产停业", "hearing": True, "heavy": True},
    "close": {"label": "责令关闭", "hearing": True, "heavy": True},
    "restrict": {"label": "限制开展生产经营活动", "hearing": True, "heavy": True},
    "bar": {"label": "限制从业", "hearing": True, "heavy": True},
}
SEVERITY = {"warning": 0, "light": 1, "ordinary": 2, "heavy": 3}  # credit.penalties.KINDS, lightest first

# 程序规定 第二十条 (read as quoted by a government page; see the legal review): the grounds not to file.
NOT_FILING_GROUNDS: dict[str, dict[str, Any]] = {
    "minor": {"label": "违法行为轻微并及时改正，没有造成危害后果", "lenient": True},
    "first": {"label": "初次违法且危害后果轻微并及时改正", "lenient": True, "first": True},
    "no_fault": {"label": "当事人有证据足以证明没有主观过错", "lenient": True},
    "other": {"label": "依法可以不予立案的其他情形", "lenient": False},
}
NOT_FILING_SOURCE = src(PROCEDURE, PROCEDURE_NO, "第二十条", "据第十四师市场监督管理局网页转引，原文未能读到")
# 行政处罚法 第三十三条: the grounds of a 不予行政处罚决定; 第三款 requires 教育.
NO_PENALTY_GROUNDS: dict[str, dict[str, Any]] = {
    "minor": {"label": "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚", "source": law("第三十三条第一款")},
    "first": {
        "label": "初次违法且危害后果轻微并及时改正的，可以不予行政处罚",
        "source": law("第三十三条第一款"),
        "first": True,
    },
    "no_fault": {"label": "当事人有证据足以证明没有主观过错的，不予行政处罚", "source": law("第三十三条第二款")},
}
EDUCATION_SOURCE = law("第三十三条第三款", "对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育")
FIRST_VIOLATION_SOURCE = local(
    f"“初次违法”：此前 {FIRST_VIOLATION_YEARS} 年内未因同一类违法行为（同一法律依据）受到行政处罚"
)

STEPS: list[dict[str, Any]] = [
    {"step": "filed", "name": "立案", "applies": "每一件移送的案件线索",
     "deadline": "自发现线索或者收到材料之日起 15 个工作日内核查并决定是否立案；经负责人批准可延长 15 个工作日；"
                 "检测、检验、检疫、鉴定等时间不计入",
     "source": src(PROCEDURE, PROCEDURE_NO, "第十八条", "据第十四师市场监督管理局网页转引，原文未能读到")},
    {"step": "filing_extended", "name": "延长立案期限", "applies": "特殊情况经负责人批准的；检测、检验、检疫、鉴定的",
     "deadline": f"经批准延长 {FILING_EXTENSION_WD} 个工作日（一次），在立案期限届满前批准；检测等所需时间顺延",
     "source": src(PROCEDURE, PROCEDURE_NO, "第十八条", "据第十四师市场监督管理局网页转引，原文未能读到")},
    {"step": "not_filed", "name": "不予立案", "applies": "具有法定不予立案情形的（从所列情形中选择）",
     "deadline": "同立案期限", "source": NOT_FILING_SOURCE},
    {"step": "notified", "name": "行政处罚告知", "applies": "作出行政处罚决定之前，每一件",
     "deadline": "在作出决定之前；拟列入严重违法失信名单的，列入告知与处罚告知一并进行",
     "source": law("第四十四条")},
    {"step": "statement", "name": "陈述、申辩及复核", "applies": "当事人提出陈述、申辩的",
     "deadline": "在作出决定之前复核；不得因当事人陈述、申辩而给予更重的处罚", "source": law("第四十五条")},
    {"step": "hearing_requested", "name": "申请听证", "applies": "拟作出第六十三条所列较重处罚的",
     "deadline": f"当事人在告知送达后 {HEARING_REQUEST_WD} 个工作日内提出；期限届满前不得作出决定",
     "source": law("第六十三条、第六十四条第（一）项")},
    {"step": "hearing_noticed", "name": "听证通知", "applies": "当事人申请听证的",
     "deadline": f"在举行听证的 {HEARING_NOTICE_WD} 个工作日前通知当事人听证的时间、地点",
     "source": law("第六十四条第（二）项")},
    {"step": "hearing_held", "name": "举行听证", "applies": "当事人申请听证的",
     "deadline": "由非本案调查人员主持；当事人可申请主持人回避；听证后方可作出决定",
     "source": law("第六十四条第（四）项")},
    {"step": "legal_review", "name": "法制审核", "applies": "较重处罚、经过听证的、案情疑难复杂的",
     "deadline": "在作出决定之前，由非本案办案人员审核", "source": law("第五十八条")},
    {"step": "collective", "name": "负责人集体讨论", "applies": "较重处罚（情节复杂或者重大违法行为）",
     "deadline": "在作出决定之前", "source": law("第五十七条第二款")},
    {"step": "extended", "name": "延长办案期限", "applies": "九十日内不能作出决定的",
     "deadline": f"经负责人批准，每次延长不超过 {EXTENSION_MAX_DAYS} 日（本地设定）",
     "source": src(PROCEDURE, PROCEDURE_NO, None, UNCHECKED + "；延长期限本地设定")},
    {"step": "decided", "name": "行政处罚决定", "applies": "每一件立案的案件",
     "deadline": f"自立案之日起 {DECISION_DAYS} 日内（含经批准的延长）", "source": law("第六十条")},
    {"step": "no_penalty", "name": "不予行政处罚决定", "applies": "具有第三十三条情形的；记录教育和改正情况",
     "deadline": f"自立案之日起 {DECISION_DAYS} 日内", "source": law("第三十三条")},
    {"step": "served", "name": "送达决定书", "applies": "每一项决定；应公示的，同时书面告知将公示",
     "deadline": f"当场交付；当事人不在场的，{SERVICE_WD} 个工作日内送达", "source": law("第六十一条")},
    {"step": "transferred", "name": "移送司法机关", "applies": "涉嫌犯罪的",
     "deadline": "负责人自接到报告之日起 3 日内作出是否批准移送的决定；批准的，24 小时内移送公安机关",
     "source": src(REFERRAL, REFERRAL_NO, None, UNCHECKED + "；另见行政处罚法第二十七条")},
]  # fmt: skip
STEP_NAMES = {
    **{s["step"]: s["name"] for s in STEPS},
    "statement_reviewed": "复核陈述、申辩",
    "hearing_waived": "放弃听证",
    "fulfilled": "履行",
}


def party_kind(uscc: str) -> str:
    """'person' for a 个体工商户 (GB 32100: registration authority 9, type 2), else 'organisation' (pure)."""
    return "person" if uscc[:2] == "92" else "organisation"


def hearing_applies(measures: list[str], amount: Decimal | None, uscc: str) -> bool:
    """Return True if the proposed penalty is one 第六十三条 offers a 听证 for (pure)."""
    for m in measures:
        rule = MEASURES[m]["hearing"]
        if rule is True or (rule == "amount" and amount is not None and amount >= LARGE_AMOUNT[party_kind(uscc)]):
            return True
    return False


def proposed_kind(measures: list[str], amount: Decimal | None, uscc: str) -> str:
    """The publication class (credit.penalties.KINDS) the proposed measures fall in (pure)."""
    if any(MEASURES[m]["heavy"] for m in measures):
        return "heavy"
    if measures == ["warning"]:
        return "warning"
    large = amount is not None and amount >= LARGE_AMOUNT[party_kind(uscc)]
    return "ordinary" if large or "confiscate" in measures else "light"


@dataclass(frozen=True)
class CaseFacts:
    """What the decision checks read: the steps done and their dates."""

    filed_on: date
    extension_days: int
    notified_on: date | None  # the 告知 served
    hearing_applies: bool
    hearing_request_due: date | None
    hearing_requested: bool
    hearing_held: bool
    statement_made: bool
    statement_reviewed: bool
    complex_case: bool
    legal_reviewed: bool
    collective_done: bool
    listing_notified: bool
    notified_kind: str | None
    notified_amount: Decimal | None


def decision_due(filed_on: date, extension_days: int) -> date:
    """The last day for the decision: 90 days from 立案 plus the approved extensions (pure)."""
    return filed_on + timedelta(days=DECISION_DAYS + extension_days)


def decision_blockers(
    facts: CaseFacts, *, decided_on: date, kind: str, amount: Decimal | None, listing: bool
) -> list[tuple[str, str]]:
    """What stops a penalty decision on `decided_on`: (field, Chinese reason with its article) (pure)."""
    out: list[tuple[str, str]] = []
    if facts.notified_on is None:
        return [("decided_on", "作出行政处罚决定之前，须先告知当事人拟作出的处罚及其权利（行政处罚法第四十四条）")]
    if facts.statement_made and not facts.statement_reviewed:
        out.append(("decided_on", "当事人已提出陈述、申辩，须先复核（行政处罚法第四十五条）"))
    window = facts.hearing_request_due
    if facts.hearing_applies and not facts.hearing_requested and window and decided_on <= window:
        opens = window + timedelta(days=1)
        out.append(("decided_on", f"听证申请期限至 {window} 届满，{opens} 起方可作出决定（行政处罚法第六十四条）"))
    if facts.hearing_requested and not facts.hearing_held:
        out.append(("decided_on", "当事人已申请听证，须举行听证后方可作出决定（行政处罚法第六十四条）"))
    heavy = kind == "heavy"
    if (heavy or facts.hearing_held or facts.complex_case) and not facts.legal_reviewed:
        out.append(("decided_on", "须先经法制审核（行政处罚法第五十八条）"))
    if heavy and not facts.collective_done:
        out.append(("decided_on", "较重行政处罚须经负责人集体讨论决定（行政处罚法第五十七条第二款）"))
    due = decision_due(facts.filed_on, facts.extension_days)
    if decided_on > due:
        out.append(("decided_on", late_decision(due)))
    if facts.notified_kind is not None and SEVERITY[kind] > SEVERITY[facts.notified_kind]:
        out.append(("penalty_kind", _heavier(facts)))
    elif amount is not None and facts.notified_amount is not None and amount > facts.notified_amount:
        out.append(("amount", _heavier(facts)))
    if listing and not facts.listing_notified:
        out.append(
            ("serious_ground", "列入严重违法失信名单的告知须与行政处罚告知一并进行；告知时未告知列入的，须重新告知")
        )
    return out


def late_decision(due: date) -> str:
    return f"自立案之日起九十日内（至 {due}）应当作出决定；逾期须先登记经批准的延长（行政处罚法第六十条）"


def _heavier(facts: CaseFacts) -> str:
    if facts.statement_made:
        return "不得因当事人陈述、申辩而给予更重的处罚（行政处罚法第四十五条第二款）；拟加重的须重新告知"
    return "拟作出的处罚重于已告知的内容，须重新告知（行政处罚法第四十四条）"


def lenient_blockers(ground: str, *, first_violation: bool, education: str, correction: str) -> list[tuple[str, str]]:
    """What stops a 不予处罚/不予立案 on a leniency ground (pure)."""
    out: list[tuple[str, str]] = []
    rule = NO_PENALTY_GROUNDS.get(ground) or NOT_FILING_GROUNDS.get(ground) or {}
    if rule.get("first") and not first_violation:
        out.append(("ground", f"当事人此前 {FIRST_VIOLATION_YEARS} 年内因同一类违法行为受过行政处罚，不属于初次违法"))
    if ground in NO_PENALTY_GROUNDS and not education.strip():
        out.append(("education", "不予行政处罚的，应当对当事人进行教育：请填写教育情况（行政处罚法第三十三条第三款）"))
    if ground in ("minor", "first") and not correction.strip():
        out.append(("correction", "请填写当事人及时改正的情况"))
    return out
