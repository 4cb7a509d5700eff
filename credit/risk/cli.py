"""`supervise risk ...`: the risk engine from the terminal (benchmark, export, fit, score, evaluate, explain)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from supervise.cliutil import cli_errors


def validation_lines(validation: Any) -> list[str]:
    """The time-split validation as officers read it."""
    from credit.risk.model import CANDIDATE_LABELS

    start, end = validation.window
    lines = [
        f"验证（时间切分）：以 {validation.train_until} 之前的 {validation.train_rows} 次检查训练；"
        f"留出 {start} 至 {end} 的检查，按 {start} 之前的历史评分，再按真实日程重排",
    ]
    for kind, f in validation.figures.items():
        mark = "  ← 选用" if kind == validation.chosen else ""
        auc = f"{f['auc']:.3f}" if f["auc"] is not None else "—"
        lines.append(
            f"  {CANDIDATE_LABELS.get(kind, kind)}：问题平均提前 {f['days_earlier']:.2f} 天发现；"
            f"前半程发现的问题占比 {f['first_half_actual']:.1%} → {f['first_half_model']:.1%}；AUC {auc}"
            f"（{f['n']} 次检查，{f['positives']} 次发现问题）{mark}"
        )
    c = validation.calibration
    lines.append(f"  校准：留出期平均评分 {c['mean_calibrated']:.1%}，实际发现问题比例 {c['observed']:.1%}")
    return lines


def register(main: click.Group) -> None:
    """Add the risk commands to the `supervise` group."""

    @main.group("risk")
    def risk_group() -> None:
        """智慧监管：企业信用风险评分。"""

    @risk_group.command("benchmark", with_appcontext=False)  # files in, files out: no database, no settings
    @click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
    @click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path, dir_okay=False))
    @click.option("--no-inspector", is_flag=True, help="不使用检查人员（双随机下检查人员在企业之后抽取）")
    @click.option("--json", "as_json", is_flag=True, help="以 JSON 输出验证结果")
    def benchmark_cmd(folder: Path, output: Path, no_inspector: bool, as_json: bool) -> None:
        """只用 FOLDER 中的文件训练，为 due.csv 的每一行写出 inspection_id,score，并打印时间切分验证。"""
        from dataclasses import asdict

        import polars as pl

        from credit.risk.engine import fit_and_score
        from credit.risk.history import read_history

        @cli_errors
        def go() -> None:
            scored = fit_and_score(read_history(folder), inspector=not no_inspector)
            scored.scores.select(pl.col("row_id").alias("inspection_id"), "score").write_csv(output, float_precision=6)
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "as_of": scored.as_of.isoformat(),
                            "inspector": not no_inspector,
                            "rows": scored.scores.height,
                            "validation": asdict(scored.validation),
                        },
                        ensure_ascii=False,
                        indent=2,
                    )
                )
                return
            click.echo(
                f"评分基准日 {scored.as_of}（只用此前的数据）；{'使用' if not no_inspector else '不使用'}检查人员"
            )
            for line in validation_lines(scored.validation):
                click.echo(line)
            click.echo(f"已写出 {scored.scores.height} 行评分：{output}")

        go()
