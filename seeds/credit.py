"""Credit reference data: list types with their rules, licensing matters, and the 联合奖惩措施 catalogue."""

from __future__ import annotations

import json

from sqlmodel import Session

from credit.models import LicenseMatter, ListType, SanctionMeasure
from seeds.catalog import LICENSE_MATTERS

WD, MONTHS, YEARS = "working_days", "months", "years"


def _p(amount: int, unit: str) -> dict[str, object]:
    return {"amount": amount, "unit": unit}


LIST_TYPES = (
    (
        "BLACK",
        "严重失信主体名单",
        "black",
        {
            "statement_period": _p(5, WD),
            "decision_deadline": _p(10, WD),
            "objection_answer": _p(10, WD),
            "min_display": _p(1, YEARS),
            "max_period": _p(3, YEARS),
            "restricts_officers": True,
            "repair_requires_commitment": True,
            "repair_decision": _p(10, WD),
        },
    ),
    (
        "ABNORMAL",
        "经营异常名录",
        "abnormal",
        {
            "statement_period": _p(5, WD),
            "decision_deadline": _p(10, WD),
            "objection_answer": _p(10, WD),
            "min_display": _p(6, MONTHS),
            "min_display_strict": _p(1, YEARS),
            "strict_industries": ["C13", "C14", "C15", "C27"],  # food and drugs
            "escalate_after": _p(3, YEARS),
            "escalate_to": "BLACK",
            "repair_requires_commitment": True,
            "repair_decision": _p(10, WD),
        },
    ),
    (
        "RED_TAX",
        "纳税信用A级纳税人名单",
        "red",
        {
            "statement_period": _p(0, WD),
            "decision_deadline": _p(20, WD),
            "objection_answer": _p(10, WD),
            "min_display": _p(0, MONTHS),
            "max_period": _p(1, YEARS),
            "repair_requires_commitment": False,
        },
    ),
    (
        "RED_CONTRACT",
        "守合同重信用企业名单",
        "red",
        {
            "statement_period": _p(0, WD),
            "decision_deadline": _p(20, WD),
            "objection_answer": _p(10, WD),
            "min_display": _p(0, MONTHS),
            "max_period": _p(2, YEARS),
            "repair_requires_commitment": False,
        },
    ),
)

GUIDING = "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）"
COMMITMENT = "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"
MEASURES = (
    ("BLACK", "*", "strict_review", "从严审查行政许可申请", GUIDING),
    ("BLACK", "*", "no_commitment", "不适用告知承诺制", COMMITMENT),
    ("BLACK", "*", "no_tolerance", "不适用容缺受理", GUIDING),
    ("BLACK", "SCJG-SPSC", "deny", "不予食品生产许可", "《中华人民共和国食品安全法》第一百三十五条"),
    ("BLACK", "SCJG-SPJY", "deny", "不予食品经营许可", "《中华人民共和国食品安全法》第一百三十五条"),
    ("ABNORMAL", "*", "strict_review", "作为重点监管对象从严审查", "《企业经营异常名录管理暂行办法》第十八条"),
    ("ABNORMAL", "*", "no_commitment", "不适用告知承诺制", COMMITMENT),
    ("RED_TAX", "*", "tolerance", "容缺受理", GUIDING),
    ("RED_TAX", "*", "green", "绿色通道、优先办理", GUIDING),
    ("RED_CONTRACT", "*", "commitment", "适用告知承诺制", COMMITMENT),
    ("RED_CONTRACT", "*", "lower_ratio", "降低双随机抽查比例", GUIDING),
)


def seed_credit_reference(session: Session) -> dict[str, int]:
    """Load list types, licensing matters and the measures catalogue."""
    for code, name, kind, rules in LIST_TYPES:
        session.add(ListType(code=code, name=name, kind=kind, rules=json.dumps(rules, ensure_ascii=False)))
    for code, name, kind, _probs, _years in LICENSE_MATTERS:
        session.add(LicenseMatter(code=code, name=name, department_kind=kind))
    session.flush()
    for list_type, matter, effect, text, basis in MEASURES:
        session.add(SanctionMeasure(list_type=list_type, matter=matter, effect=effect, text=text, legal_basis=basis))
    session.flush()
    return {"list_types": len(LIST_TYPES), "matters": len(LICENSE_MATTERS), "measures": len(MEASURES)}
