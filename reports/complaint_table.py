"""The 投诉举报 table of the dashboard and the PDF, from the same metrics (pure): each department and region
that received 工单 in the period, with its on-time rates, substantiated share, repeat rate and average days."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

HEADER = ("单位", "工单", "按期签收率", "按期办结率", "属实占比", "重复投诉率", "平均办理工作日")
NA = "无数据"


def _pct(value: float | None) -> str:
    return NA if value is None else f"{value * 100:.1f}%"


def complaint_rows(units: Sequence[dict[str, Any]]) -> list[list[str]]:
    """One row per unit that received 工单, most 工单 first."""
    rows = []
    for u in sorted(units, key=lambda u: (-u["counts"]["complaints"], u["code"])):
        c, r = u["counts"], u["rates"]
        if not c["complaints"]:
            continue
        days = r["complaint_avg_days"]
        rows.append([
            u["name"], str(c["complaints"]), _pct(r["complaint_sign_rate"]), _pct(r["complaint_close_rate"]),
            _pct(r["complaint_substantiated_share"]), _pct(r["complaint_repeat_rate"]),
            NA if days is None else f"{days:.1f}",
        ])  # fmt: skip
    return rows
