"""Each feature's name as officers read it (pure data)."""

from __future__ import annotations

from credit.risk.features import WINDOW_DAYS

FEATURES = {
    "insp_n": "既往检查次数",
    "found_n": "既往发现问题的检查次数",
    "critical_sum": "既往严重不符合项数",
    "serious_sum": "既往较重不符合项数",
    "minor_sum": "既往一般不符合项数",
    "last_critical": "上次检查的严重不符合项数",
    "last_serious": "上次检查的较重不符合项数",
    "last_minor": "上次检查的一般不符合项数",
    "last_failed": "上次检查未通过",
    "first_record": "此前从未检查",
    "days_since_last": "距上次检查天数",
    "found_rate": "既往检查发现问题的比例",
    f"found_{WINDOW_DAYS}d": "近一年发现问题的检查次数",
    "area_found_rate": "所在乡镇（街道）近一年检查发现问题的比例",
    f"area_insp_{WINDOW_DAYS}d": "所在乡镇（街道）近一年检查次数",
    "age_years": "成立年限",
    "licence_count": "持有行政许可数",
    "registered_capital": "注册资本",
    "holds_tobacco_licence": "持有烟草零售许可",
    "holds_alcohol_licence": "持有酒类经营许可",
    "facility_group": "行业门类",
    "risk_category": "风险等级（原分级）",
    "inspector_id": "检查人员",
    "complaint_density_90d": "所在乡镇（街道）近90天投诉举报密度",
    "burglary_density_90d": "周边近90天入室盗窃密度",
    "garbage_density_90d": "周边近90天垃圾清运投诉密度",
    "sanitation_density_90d": "周边近90天环境卫生投诉密度",
}
EVENTS = {
    "complaint": "投诉举报",
    "complaint_substantiated": "经核查属实的投诉举报",
    "penalty": "行政处罚",
    "uncorrected": "复查仍未改正的责令改正",
    "licence": "取得行政许可",
    "list_abnormal": "列入经营异常名录",
    "list_black": "列入严重违法失信名单",
    "list_red": "列入守信激励名单",
}


def feature_label(name: str) -> str:
    """The feature's Chinese name; dated event counts read "近一年…次数" or "累计…次数"."""
    if name in FEATURES:
        return FEATURES[name]
    if name.startswith("event_"):
        kind, _, window = name.removeprefix("event_").rpartition("_")
        what = EVENTS.get(kind, kind)
        return f"近一年{what}次数" if window == f"{WINDOW_DAYS}d" else f"累计{what}次数"
    return name
