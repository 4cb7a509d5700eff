"""明显滞后: thresholds that flag departments and regions for 追责, each with its evidence (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    plan_draw_min: float = 1.0  # county target: every planned task drawn before its window opens
    completion_min: float = 0.8
    publication_overdue_max: int = 10  # working days
    joint_share_min: float = 0.6
    breaches_max: int = 0
    complaint_sign_min: float = 0.9  # 投诉举报 signed within the platform's limit (本地设定)
    complaint_close_min: float = 0.9  # ... and closed within it

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Thresholds:
        """Thresholds from SUPERVISE_LAG_* variables (supervise.config.Tuning.lagging), with the defaults above."""
        d = cls()
        return cls(
            plan_draw_min=float(env.get("SUPERVISE_LAG_PLAN_DRAW_MIN", d.plan_draw_min)),
            completion_min=float(env.get("SUPERVISE_LAG_COMPLETION_MIN", d.completion_min)),
            publication_overdue_max=int(env.get("SUPERVISE_LAG_PUBLICATION_OVERDUE_MAX", d.publication_overdue_max)),
            joint_share_min=float(env.get("SUPERVISE_LAG_JOINT_SHARE_MIN", d.joint_share_min)),
            breaches_max=int(env.get("SUPERVISE_LAG_BREACHES_MAX", d.breaches_max)),
            complaint_sign_min=float(env.get("SUPERVISE_LAG_COMPLAINT_SIGN_MIN", d.complaint_sign_min)),
            complaint_close_min=float(env.get("SUPERVISE_LAG_COMPLAINT_CLOSE_MIN", d.complaint_close_min)),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def flags(row: Mapping[str, Any], t: Thresholds) -> list[dict[str, Any]]:
    """The reasons one unit is lagging; empty if it is not. Rates that are not available never flag."""
    rates, evidence = row["rates"], row["evidence"]
    out: list[dict[str, Any]] = []

    def flag(rule: str, message: str, kinds: tuple[str, ...] = ()) -> None:
        out.append({"rule": rule, "message": message, "evidence": [e for e in evidence if e["kind"] in kinds]})

    if rates["plan_draw_rate"] is not None and rates["plan_draw_rate"] < t.plan_draw_min:
        flag("plan_draw", f"按时抽取率{_pct(rates['plan_draw_rate'])}，低于{_pct(t.plan_draw_min)}", ("draw_late",))
    if rates["completion_rate"] is not None and rates["completion_rate"] < t.completion_min:
        counts = row["counts"]
        flag(
            "completion",
            f"抽查完成率{_pct(rates['completion_rate'])}（{counts['inspected_in_window']}/{counts['targets']}），"
            f"低于{_pct(t.completion_min)}",
        )
    overdue = [
        e for e in evidence if e["kind"] == "publication_overdue" and e["working_days"] > t.publication_overdue_max
    ]
    if overdue:
        worst = max(e["working_days"] for e in overdue)
        out.append(
            {
                "rule": "publication",
                "message": f"{len(overdue)}项检查结果公示超期超过{t.publication_overdue_max}个工作日"
                f"（最长{worst}个工作日）",
                "evidence": overdue,
            }
        )
    if rates["joint_share"] is not None and rates["joint_share"] < t.joint_share_min:
        flag("joint", f"联合抽查占比{_pct(rates['joint_share'])}，低于{_pct(t.joint_share_min)}")
    for key, minimum, label, kind in (
        ("complaint_sign_rate", t.complaint_sign_min, "投诉举报按期签收率", "complaint_sign_late"),
        ("complaint_close_rate", t.complaint_close_min, "投诉举报按期办结率", "complaint_close_late"),
    ):
        if rates.get(key) is not None and rates[key] < minimum:
            flag(key.removeprefix("complaint_").removesuffix("_rate") + "_complaints",
                 f"{label}{_pct(rates[key])}，低于{_pct(minimum)}", (kind,))  # fmt: skip
    breaches = [e for e in evidence if e["kind"] == "breach"]
    if len(breaches) > t.breaches_max:
        out.append({"rule": "breach", "message": f"联合惩戒落实不到位{len(breaches)}起", "evidence": breaches})
    return out


def lagging_units(metrics: Mapping[str, Any], t: Thresholds) -> list[dict[str, Any]]:
    """Every flagged department and region with its reasons, departments first."""
    result = []
    for row in [*metrics["departments"], *metrics["regions"]]:
        reasons = flags(row, t)
        if reasons:
            result.append({"kind": row["kind"], "code": row["code"], "name": row["name"], "reasons": reasons})
    return result
