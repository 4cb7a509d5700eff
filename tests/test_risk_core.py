"""The risk engine's pure core on plain data: no leakage past the as-of date, determinism, the metrics."""

from __future__ import annotations

import hashlib
import math
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from credit.risk import features as feat
from credit.risk.engine import fit_and_score
from credit.risk.history import History, read_history, write_history
from credit.risk.metrics import auc, gains, lift_at, resequence
from credit.risk.model import from_bytes, to_bytes
from supervise.errors import ApiError
from tests.riskkit import START, synthetic_history

AS_OF = START + timedelta(days=300)


def _targets(history: History, day: date) -> pl.DataFrame:
    return history.firms.select(
        pl.col("firm_id").alias("row_id"), "firm_id", pl.lit(day).alias("as_of"), pl.lit("乙").alias("inspector_id")
    )


def _rewrite_from(history: History, day: date) -> History:
    """Change everything dated on or after `day`: outcomes flipped, new failing visits, events and signals."""
    late = pl.col("date") >= day
    inspections = history.inspections.with_columns(
        pl.when(late).then(1 - pl.col("critical_found")).otherwise(pl.col("critical_found")).alias("critical_found"),
        pl.when(late).then(pl.col("critical_count") + 9).otherwise(pl.col("critical_count")).alias("critical_count"),
    )
    extra = (
        history.firms.select("firm_id")
        .with_columns(
            ("X" + pl.col("firm_id")).alias("inspection_id"),
            pl.lit(day).alias("date"),
            pl.lit("丁").alias("inspector_id"),
            pl.lit("Fail").alias("result"),
            pl.lit(1.0).alias("critical_found"),
            pl.lit(5.0).alias("critical_count"),
            pl.lit(3.0).alias("serious_count"),
            pl.lit(2.0).alias("minor_count"),
        )
        .select(inspections.columns)
    )
    events = pl.concat(
        [history.events, history.firms.select("firm_id", pl.lit(day).alias("date"), pl.lit("complaint").alias("kind"))]
    )
    area = history.area.with_columns(
        pl.when(late).then(999.0).otherwise(pl.col("garbage_density_90d")).alias("garbage_density_90d")
    )
    return History(
        firms=history.firms, inspections=pl.concat([inspections, extra]), due=history.due, events=events, area=area
    )


def test_features_are_computed_only_from_history_strictly_before_the_as_of_date() -> None:
    history = synthetic_history()
    seen = feat.build(history, _targets(history, AS_OF), inspector=True)
    after = feat.build(_rewrite_from(history, AS_OF), _targets(history, AS_OF), inspector=True)
    assert seen.frame.equals(after.frame)  # nothing dated on or after the day reaches its features
    # the check is not vacuous: the same rewrite one day earlier does reach them
    before = feat.build(_rewrite_from(history, AS_OF - timedelta(days=1)), _targets(history, AS_OF), inspector=True)
    assert not seen.frame.equals(before.frame)
    assert {"found_rate", "event_complaint_365d", "garbage_density_90d", "area_found_rate"} <= set(seen.numeric)


def test_a_target_that_carries_its_outcome_is_refused() -> None:
    history = synthetic_history(firms=20)
    leaky = _targets(history, AS_OF).with_columns(pl.lit(1).alias("critical_found"))
    with pytest.raises(feat.LeakageError):
        feat.build(history, leaky, inspector=False)


def test_the_same_history_and_seed_give_the_same_model_and_scores() -> None:
    history = synthetic_history(firms=160)
    first = fit_and_score(history, inspector=False)
    second = fit_and_score(history, inspector=False)
    one, two = to_bytes(first.model), to_bytes(second.model)
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()
    assert first.scores.equals(second.scores) and first.scores.height == history.due.height
    loaded = from_bytes(one, sha256=hashlib.sha256(one).hexdigest())
    due = feat.build(
        history.before(first.as_of),
        history.due.select(pl.col("inspection_id").alias("row_id"), "firm_id", pl.lit(first.as_of).alias("as_of")),
        inspector=False,
    )
    assert loaded.score(due.frame).tolist() == first.scores["score"].to_list()
    with pytest.raises(ValueError, match="SHA-256"):
        from_bytes(one + b"x", sha256=hashlib.sha256(one).hexdigest())


def test_scores_are_probabilities_and_each_is_explained_by_its_features() -> None:
    history = synthetic_history(firms=160)
    scored = fit_and_score(history, inspector=True)
    assert all(0 < s < 1 for s in scored.scores["score"].to_list())
    due = history.due.select(pl.col("inspection_id").alias("row_id"), "firm_id", "inspector_id").with_columns(
        pl.lit(scored.as_of).alias("as_of")
    )
    frame = feat.build(history.before(scored.as_of), due, inspector=True).frame
    factors = scored.model.explain(frame.head(3))
    assert len(factors) == 3 and {name for name, _push in factors[0]} == set(scored.model.meta["features"])
    assert [abs(p) for _n, p in factors[0]] == sorted((abs(p) for _n, p in factors[0]), reverse=True)
    assert scored.model.kind == "logistic"  # chosen by validation on this history; its pushes are additive:
    odds = [math.log(p / (1 - p)) for p in scored.model.score(frame.head(3)).tolist()]
    gap = odds[0] - math.log(scored.model.baseline() / (1 - scored.model.baseline()))  # to the reference firm
    assert abs(sum(push for _n, push in factors[0]) - gap) < 1e-6


def test_resequencing_replays_the_ranking_on_the_real_calendar() -> None:
    days = [date(2014, 9, 2), date(2014, 9, 3), date(2014, 9, 3), date(2014, 9, 10)]
    ids, labels = ["a", "b", "c", "d"], [0, 0, 0, 1]
    ranked = resequence([0.1, 0.2, 0.3, 0.9], ids, days, labels)  # the one finding is visited first
    assert ranked.days_earlier == 8.0 and ranked.first_half_actual == 0.0 and ranked.first_half_model == 1.0
    assert ranked.auc == 1.0
    same = resequence([0.4, 0.3, 0.2, 0.1], ids, days, labels)  # the real order: nothing earlier
    assert same.days_earlier == 0.0 and same.auc == 0.0
    tied = resequence([0.5, 0.5, 0.5, 0.5], ids, days, labels)  # ties go by ascending id: the real order here
    assert tied.days_earlier == 0.0 and tied.auc == 0.5


def test_auc_gains_and_lift_on_plain_data() -> None:
    assert auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert auc([0.2, 0.2], [1, 1]) is None
    curve = gains([0.9, 0.8, 0.1, 0.2], ["a", "b", "c", "d"], [1, 1, 0, 0], points=4)
    assert curve == [(0.0, 0.0), (0.25, 0.5), (0.5, 1.0), (0.75, 1.0), (1.0, 1.0)]
    assert lift_at([0.9, 0.8, 0.1, 0.2], ["a", "b", "c", "d"], [1, 0, 0, 0], ratio=0.25) == 4.0


def test_a_history_folder_round_trips_and_a_bad_one_is_refused_naming_file_and_column(tmp_path: Path) -> None:
    history = synthetic_history(firms=12)
    write_history(history, tmp_path / "h")
    again = read_history(tmp_path / "h")
    assert again.inspections.height == history.inspections.height and again.due.height == 12
    (tmp_path / "bad").mkdir()
    for name in ("firms.csv", "due.csv"):
        (tmp_path / "bad" / name).write_text((tmp_path / "h" / name).read_text())
    (tmp_path / "bad" / "inspections.csv").write_text("inspection_id,firm_id,date\n1,F0000,2024-01-01\n")
    with pytest.raises(ApiError, match="检查结果文件（inspections.csv）缺少列：critical_found"):
        read_history(tmp_path / "bad")
    (tmp_path / "bad" / "inspections.csv").write_text("inspection_id,firm_id,date,critical_found\n1,F0000,2024/1/1,0\n")
    with pytest.raises(ApiError, match="第 2 行的 date 应为日期"):
        read_history(tmp_path / "bad")


def test_the_benchmark_command_scores_every_due_row_from_a_folder_and_prints_its_validation(
    runner: object, tmp_path: Path
) -> None:
    history = synthetic_history(firms=80)
    write_history(history, tmp_path / "h")
    out = tmp_path / "scores.csv"
    result = runner.invoke(args=["risk", "benchmark", str(tmp_path / "h"), "-o", str(out), "--no-inspector"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "验证（时间切分）" in result.output and "现行规则分类（对照）" in result.output
    scores = pl.read_csv(out, schema_overrides={"inspection_id": pl.Utf8})
    assert scores.columns == ["inspection_id", "score"]
    assert sorted(scores["inspection_id"].to_list()) == sorted(history.due["inspection_id"].to_list())
    missing = runner.invoke(args=["risk", "benchmark", str(tmp_path / "nowhere"), "-o", str(out)])  # type: ignore[attr-defined]
    assert missing.exit_code == 1 and "市场主体文件（firms.csv）不存在" in missing.output
