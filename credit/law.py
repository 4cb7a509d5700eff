"""The credit rules as data, each value beside its legal source (instrument, 文号, article).

This is the reference the application loads into `list_type` and `sanction_measure` (`supervise credit rules
--load`); the service reads the stored copy, and `supervise credit rules --json` prints it. An article
number that could not be checked against the text on this machine is left out (`article: None`) and the
`note` says so; a value that no instrument fixes is a local choice and says 本地设定.
"""

from __future__ import annotations

from typing import Any

WD, DAYS, MONTHS, YEARS = "working_days", "days", "months", "years"
UNCHECKED = "条号待核对，仅引文件名"
UNCHECKED_44 = "；总局令第44号原文未能读到：第二条（较重行政处罚的定义）仅据其英文译本转引，条号未核对"


def src(instrument: str, number: str = "", article: str | None = None, note: str = "") -> dict[str, Any]:
    """One legal source: the instrument, its 文号, the article when checked."""
    return {"instrument": instrument, "number": number, "article": article, "note": note}


def local(note: str) -> dict[str, Any]:
    """A value no instrument fixes: the installation's own choice (本地设定)."""
    return {"instrument": "本地设定", "number": "", "article": None, "note": note}


def period(amount: int, unit: str, source: dict[str, Any]) -> dict[str, Any]:
    return {"amount": amount, "unit": unit, "source": source}


ABN_RULES = src("《企业经营异常名录管理暂行办法》", "国家工商行政管理总局令第68号")
# Read in its 2024 text (国务院令第654号公布，2024年3月10日《国务院关于修改和废止部分行政法规的决定》修订, from the
# 国家法律法规数据库 copy): the 2014 第十七条 (满三年转列严重违法企业名单) is gone; 第十八、十九条 hold the rules.
DISCLOSURE = src("《企业信息公示暂行条例》", "国务院令第654号，2024年修订")
SERIOUS = src("《市场监督管理严重违法失信名单管理办法》", "国家市场监督管理总局令第44号")
REPAIR = src("《市场监督管理信用修复管理办法》", "国市监信规〔2021〕3号")
PENALTY_DISCLOSURE = src("《市场监督管理行政处罚信息公示规定》", "国家市场监督管理总局令第45号")
FOOD_LAW = src("《中华人民共和国食品安全法》", "", "第一百三十五条")
COMPANY_LAW = src("《中华人民共和国公司法》（2023年修订）", "", "第一百七十八条")
GUIDING = src("《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》", "国发〔2016〕33号")
COMMITMENT = src("《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》", "国办发〔2020〕42号")


def _with(base: dict[str, Any], article: str | None = None, note: str = "") -> dict[str, Any]:
    return {**base, "article": article, "note": note or ("" if article else UNCHECKED)}


# --- 经营异常名录 ---------------------------------------------------------------------------------------
ABNORMAL_GROUNDS = [
    {
        "code": "ANNUAL_REPORT",
        "label": "未按照规定的期限公示年度报告",
        "decision_from": "found",  # 年报公示期届满（6月30日）后查实
        "decision_period": period(10, WD, _with(ABN_RULES)),
        "removal": "补报未报年份的年度报告并公示",
        "source": _with(ABN_RULES, "第四条第（一）项"),
    },
    {
        "code": "INSTANT_INFO",
        "label": "未在责令的期限内公示即时信息",
        "order_period": period(10, DAYS, _with(ABN_RULES, note="先书面责令限期公示；" + UNCHECKED)),
        "decision_from": "order_due",  # 责令期限届满之日起
        "decision_period": period(10, WD, _with(ABN_RULES)),
        "removal": "履行即时信息公示义务",
        "source": _with(ABN_RULES, "第四条第（二）项"),
    },
    {
        "code": "FALSE_INFO",
        "label": "公示信息隐瞒真实情况、弄虚作假",
        "decision_from": "found",  # 自查实之日起
        "decision_period": period(10, WD, _with(ABN_RULES)),
        "removal": "更正其公示的信息",
        "source": _with(ABN_RULES, "第四条第（三）项"),
    },
    {
        "code": "UNREACHABLE",
        "label": "通过登记的住所或者经营场所无法联系",
        "decision_from": "found",
        "decision_period": period(10, WD, _with(ABN_RULES)),
        "removal": "依法办理住所或经营场所变更登记，或提出通过登记的住所或经营场所可以重新取得联系",
        "source": _with(ABN_RULES, "第四条第（四）项"),
    },
]

ABNORMAL = {
    "manager": "registrar",  # 谁登记、谁管理
    "manager_source": _with(
        ABN_RULES, note="县级以上工商（市场监管）部门负责其登记的企业的经营异常名录管理；" + UNCHECKED
    ),
    "statement_period": period(
        5, WD, local("列入前书面告知并给予陈述申辩机会，暂行办法未规定该期限；列入仍须在法定期限内作出")
    ),
    "decision_deadline": period(10, WD, _with(ABN_RULES)),
    "objection_window": period(30, DAYS, _with(ABN_RULES, note="自公示之日起30日内提出书面异议；" + UNCHECKED)),
    "objection_accept": period(5, WD, _with(ABN_RULES, note="5个工作日内决定是否受理；" + UNCHECKED)),
    "objection_answer": period(20, WD, _with(ABN_RULES, note="受理后20个工作日内核实并书面告知；" + UNCHECKED)),
    "min_display": period(0, DAYS, _with(ABN_RULES, note="改正后即可申请移出，无最短公示期；" + UNCHECKED)),
    "repair_decision": period(
        5, WD, _with(ABN_RULES, note="自收到申请（或查实）之日起5个工作日内作出移出决定；" + UNCHECKED)
    ),
    # 信用修复管理办法 lists the 守信承诺书 among the materials of every 信用修复 application, 经营异常 included
    "repair_requires_commitment": True,
    "repair_commitment_source": _with(
        REPAIR,
        note="申请信用修复应当提交信用修复申请书、守信承诺书和履行法定义务、纠正违法行为的材料；据地方政府网站转引，未读到原文",
    ),
    "grounds": ABNORMAL_GROUNDS,
}

# --- 严重违法失信名单 -------------------------------------------------------------------------------
BLACK_GROUNDS = [
    {
        "code": "LICENCE_REVOKED",
        "label": "受到吊销许可证件的较重行政处罚",
        "decision_from": "penalty",
        "requires_penalty": True,
        "source": _with(SERIOUS, None, "较重行政处罚含吊销许可证件；列入情形据转引在第五条至第十条" + UNCHECKED_44),
    },
    {
        "code": "CHARTER_REVOKED",
        "label": "受到吊销营业执照或责令关闭的行政处罚",
        "decision_from": "penalty",
        "requires_penalty": True,
        "restricts_officers": True,
        "officer_bar_effect": "自吊销、责令关闭之日起三年内不得担任公司的董事、监事、高级管理人员（负有个人责任的）",
        "officer_bar": period(
            3,
            YEARS,
            _with(
                COMPANY_LAW,
                "第一百七十八条",
                "被吊销营业执照、责令关闭的企业的法定代表人，负有个人责任的，自吊销、责令关闭之日起未逾三年不得担任董事、监事、高级管理人员",
            ),
        ),
        "source": _with(SERIOUS, None, "较重行政处罚含吊销营业执照；列入情形据转引在第五条至第十条" + UNCHECKED_44),
    },
    {
        "code": "HEAVY_PENALTY",
        "label": "受到吊销许可证件、营业执照以外的较重行政处罚",
        "decision_from": "penalty",
        "requires_penalty": True,
        "source": _with(
            SERIOUS,
            None,
            "从重罚款、降低资质等级、限制生产经营、责令停产停业等；列入情形据转引在第五条至第十条" + UNCHECKED_44,
        ),
    },
    {
        "code": "DISCLOSURE_FRAUD",
        "label": "公示信息隐瞒真实情况、弄虚作假，情节严重",
        "decision_from": "penalty",
        "requires_penalty": True,
        "restricts_officers": True,
        "officer_bar": period(
            3,
            YEARS,
            _with(
                DISCLOSURE,
                "第十八条第二款",
                "被列入严重违法失信名单的企业的法定代表人、负责人，3年内不得担任其他企业的法定代表人、负责人",
            ),
        ),
        "officer_bar_effect": "三年内不得担任其他企业的法定代表人、负责人",
        "source": _with(
            DISCLOSURE, "第十八条第二款", "情节严重的，处5万元以上20万元以下罚款，列入市场监督管理严重违法失信名单"
        ),
    },
    {
        "code": "ABNORMAL_3Y",
        "label": "列入经营异常名录满三年仍未履行相关义务（已废止）",
        "decision_from": "found",
        # Kept so that entries listed on it before the revision still show their ground; never chosen again.
        "retired": "2024年修订的《企业信息公示暂行条例》已删去原第十七条“满三年列入严重违法企业名单”的规定，"
        "不得再以此事由列入",
        "source": _with(DISCLOSURE, None, "原第十七条第二款（2014年文本），2024年修订时删去"),
    },
]

BLACK = {
    "manager": "decider",  # 谁处罚、谁列入
    "manager_source": _with(SERIOUS, note="作出行政处罚决定的市场监管部门作出列入决定；" + UNCHECKED),
    "statement_period": period(0, WD, _with(SERIOUS, note="告知、陈述申辩、听证与行政处罚程序一并进行；" + UNCHECKED)),
    "decision_deadline": None,  # the listing decision goes with the penalty decision
    "higher_approval_levels": ["县", "市"],
    "higher_approval_source": _with(
        SERIOUS, note="县级、设区的市级部门作出列入决定的，应当报经上一级市场监管部门同意；" + UNCHECKED
    ),
    "objection_route": "review",  # 行政复议或行政诉讼
    "objection_route_source": _with(SERIOUS, note="对列入决定不服的，依法申请行政复议或提起行政诉讼；" + UNCHECKED),
    "objection_answer": period(0, WD, _with(SERIOUS, note="系统内不设异议期限，异议走行政复议、诉讼")),
    "min_display": period(1, YEARS, _with(SERIOUS, note="列入满一年可申请提前移出；" + UNCHECKED)),
    "max_period": period(3, YEARS, _with(SERIOUS, note="公示期三年，期满移出；" + UNCHECKED)),
    "repair_decision": period(
        10, WD, local("修复申请的办理期限取本地设定；《市场监督管理信用修复管理办法》的期限未能读到")
    ),
    "repair_requires_commitment": True,
    "repair_commitment_source": _with(REPAIR),
    "repair_conditions": [
        {"code": "performed", "label": "已经自觉履行行政处罚决定中规定的义务", "source": _with(SERIOUS)},
        {"code": "harm_removed", "label": "已经主动消除危害后果和不良影响", "source": _with(SERIOUS)},
        {"code": "no_heavy_penalty", "label": "列入后未再受到市场监管部门较重行政处罚", "source": _with(SERIOUS)},
    ],
    "no_early_removal": [
        {
            "code": "measure_running",
            "label": "依照法律、行政法规规定，实施相应管理措施期限尚未届满",
            "source": _with(SERIOUS),
        },
    ],
    "revocation_source": _with(
        SERIOUS,
        None,
        "所依据的行政处罚被撤销、确认违法或无效的，撤销列入决定；条号（第十九条）凭记忆，未能读到原文核对",
    ),
    "grounds": BLACK_GROUNDS,
}

RED_IMPORT = local("红名单由发布机关公布，本系统导入，不作列入决定")
RED_TAX = {
    "imported": True,
    "publisher": "税务部门",
    "statement_period": period(0, WD, RED_IMPORT),
    "decision_deadline": None,
    "objection_answer": period(0, WD, RED_IMPORT),
    "min_display": period(0, DAYS, RED_IMPORT),
    "max_period": period(1, YEARS, local("按发布文件的有效期；未注明时取一年")),
    "repair_requires_commitment": False,
    "grounds": [
        {"code": "PUBLISHED", "label": "发布机关公布的名单", "source": src("《纳税信用管理办法》", note=UNCHECKED)}
    ],
}
RED_CONTRACT = {
    **RED_TAX,
    "publisher": "市场监管部门",
    "max_period": period(2, YEARS, local("按发布文件的有效期；未注明时取两年")),
    "grounds": [
        {"code": "PUBLISHED", "label": "发布机关公布的名单", "source": local("守合同重信用企业公示按发布文件")}
    ],
}

LIST_TYPES: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("BLACK", "严重违法失信名单", "black", BLACK),
    ("ABNORMAL", "经营异常名录", "abnormal", ABNORMAL),
    ("RED_TAX", "纳税信用A级纳税人名单", "red", RED_TAX),
    ("RED_CONTRACT", "守合同重信用企业名单", "red", RED_CONTRACT),
)


# --- 联合奖惩措施 ----------------------------------------------------------------------------------------
# list type, matter ('*': every licensing matter; DRAW: the 双随机 draw; HONOR: 表彰), effect, text, source,
# and the condition on the entry (ground, penalty field) where the law ties the measure to it.
def _measure(
    list_type: str, matter: str, effect: str, text: str, source: dict[str, Any], **when: str
) -> dict[str, Any]:
    return {"list_type": list_type, "matter": matter, "effect": effect, "text": text, "source": source, "when": when}


SERIOUS_MEASURE = _with(SERIOUS, note="第44号令所列管理措施；" + UNCHECKED)
MEASURES = (
    _measure("BLACK", "*", "strict_review", "审查行政许可时作为重要考量因素", SERIOUS_MEASURE),
    _measure("BLACK", "DRAW", "key_supervision", "列为重点监管对象，提高检查频次", SERIOUS_MEASURE),
    _measure("BLACK", "*", "no_commitment", "不适用告知承诺制", SERIOUS_MEASURE),
    _measure("BLACK", "HONOR", "no_award", "不予授予荣誉称号等表彰奖励", SERIOUS_MEASURE),
    _measure(
        "BLACK",
        "SCJG-SPSC",
        "deny",
        "被吊销许可证的食品生产经营者五年内不予食品生产许可",
        FOOD_LAW,
        ground="LICENCE_REVOKED",
        field="食品",
    ),  # fmt: skip
    _measure(
        "BLACK",
        "SCJG-SPJY",
        "deny",
        "被吊销许可证的食品生产经营者五年内不予食品经营许可",
        FOOD_LAW,
        ground="LICENCE_REVOKED",
        field="食品",
    ),  # fmt: skip
    _measure(
        "ABNORMAL",
        "*",
        "strict_review",
        "作为重要考量因素依法予以限制",
        _with(DISCLOSURE, "第十九条", "对被列入经营异常名录或者严重违法失信名单的企业依法予以限制或者禁入"),
    ),  # fmt: skip
    _measure(
        "ABNORMAL",
        "*",
        "no_commitment",
        "曾弄虚作假的，信用修复前不适用告知承诺制",
        COMMITMENT
        | {"note": "国办发〔2020〕42号只排除有较严重不良信用记录或曾作出虚假承诺者；本地设定：仅对弄虚作假情形适用"},
        ground="FALSE_INFO",
    ),  # fmt: skip
    _measure("RED_TAX", "*", "tolerance", "容缺受理", _with(GUIDING)),
    _measure("RED_TAX", "*", "green", "绿色通道、优先办理", _with(GUIDING)),
    _measure("RED_TAX", "DRAW", "lower_ratio", "降低双随机抽查比例", _with(GUIDING)),
    _measure("RED_CONTRACT", "*", "commitment", "适用告知承诺制", _with(COMMITMENT)),
    _measure("RED_CONTRACT", "DRAW", "lower_ratio", "降低双随机抽查比例", _with(GUIDING)),
)

# --- 行政处罚信息 (45号令, read in full from the LawRefBook/Laws collection; 信用修复管理办法 only as quoted) ------
REPAIR_QUOTED = "第六条（据地方政府网站转引，未读到该办法原文）"
PENALTY_INFO: dict[str, Any] = {
    "publish_within": period(
        20,
        WD,
        _with(PENALTY_DISCLOSURE, "第九条", "作出决定的部门与当事人登记地在同一省（区、市）的，自作出决定之日起"),
    ),
    "display": period(3, YEARS, _with(PENALTY_DISCLOSURE, "第十三条第一款", "其他行政处罚信息自公示之日起届满三年")),
    "display_light": period(
        3,
        MONTHS,
        _with(
            PENALTY_DISCLOSURE,
            "第十三条第一款",
            "仅受到通报批评或者较低数额罚款的，自公示之日起届满三个月停止公示；较低数额罚款由省级以上市场监督管理部门"
            "规定（第十三条第二款），浙江的标准未能查到，由办案机构按省级规定判定",
        ),
    ),
    "display_restricted": _with(
        PENALTY_DISCLOSURE,
        "第十三条第三款",
        "依照法律法规被限制开展生产经营活动、限制从业超过三年的，公示期按照实际限制期限执行",
    ),
    "not_published": {
        "warning": _with(
            PENALTY_DISCLOSURE, "第二条第二款", "仅受到警告行政处罚的不予公示（法律、行政法规另有规定的除外）"
        ),
        "simple_procedure": _with(PENALTY_DISCLOSURE, "第二条第一款", "只公示适用普通程序作出的行政处罚决定"),
    },
    "publication_notice": _with(
        PENALTY_DISCLOSURE, "第八条", "送达行政处罚决定书时，书面告知当事人行政处罚信息将向社会进行公示"
    ),
    "withdraw_within": period(
        3,
        WD,
        _with(PENALTY_DISCLOSURE, "第十一条", "行政处罚决定被依法变更、撤销、确认违法或者确认无效的，撤回并说明理由"),
    ),
    "early_stop_conditions": _with(
        PENALTY_DISCLOSURE, "第十四条第一款", "四项条件同时符合，并提交守信承诺书（信用修复管理办法）"
    ),
    "no_early_stop": _with(
        PENALTY_DISCLOSURE,
        "第十四条第三款",
        "责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件、吊销营业执照等较为严重的行政处罚，"
        "不得提前停止公示",
    ),
    "min_display_ordinary": period(
        6, MONTHS, _with(REPAIR, note="其他一般行政处罚，公示满六个月可申请提前停止公示；" + REPAIR_QUOTED)
    ),
    "min_display_strict": period(1, YEARS, _with(REPAIR, note="食品、药品、特种设备领域公示满一年；" + REPAIR_QUOTED)),
    "strict_fields": ["食品", "药品", "特种设备"],
}

# --- local choices the demo makes, labelled as such ---------------------------------------------------
LOCAL_SETTINGS = {
    "tier_ratios": {"value": {"A": "1%", "B": "2%", "C": "10%", "D": "30%"}, "source": local("差异化抽查比例")},
    "tier_rule": {
        "value": "重点监管措施→D；经营异常、两年内发现问题或投诉举报经核查属实→C；"
        "降低抽查比例措施或两年内未发现问题→A；其余→B",
        "source": local("信用风险分类规则"),
    },
}
