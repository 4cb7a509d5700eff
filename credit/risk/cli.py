"""`supervise risk ...`: the risk engine from the terminal (benchmark, export, fit, score, evaluate, explain)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from supervise.cliutil import CLI_ACTOR, cli_errors, unit


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
            who = "不使用" if no_inspector else "使用"
            click.echo(f"评分基准日 {scored.as_of}（只用此前的数据）；{who}检查人员")
            for line in validation_lines(scored.validation):
                click.echo(line)
            if no_inspector:  # the old rule tiers and chance on the same window, for comparison
                rest = scored.validation.backtest
                for key, name in (("rule_tiers", "现行规则分类（对照）"), ("random", "随机顺序（200 次平均）")):
                    f = rest[key]
                    click.echo(f"  {name}：问题平均提前 {f['days_earlier']:.2f} 天；AUC {f['auc']:.3f}")
            click.echo(f"已写出 {scored.scores.height} 行评分：{output}")

        go()

    @risk_group.command("export-history")
    @click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
    @click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="基准日（默认今天）：只导出此前的记录"
    )
    def export_cmd(folder: Path, as_of: Any) -> None:
        """把本系统的记录按基准测试的格式写成 CSV（firms、inspections、events、area_signals、due）。"""
        from credit.risk.export import export
        from credit.risk.history import write_history
        from supervise import audit, clock

        @cli_errors
        def go() -> None:
            day = as_of.date() if as_of else clock.today()
            with unit() as session:
                written = write_history(export(session, as_of=day), folder)
                audit.record(session, actor=CLI_ACTOR, action="risk.history_exported", object_type="risk_model",
                             object_id=day.isoformat(), payload={"rows": written})  # fmt: skip
            for name, rows in written.items():
                click.echo(f"{name}：{rows} 行")

        go()

    @risk_group.command("fit")
    @click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="基准日（默认今天）：只用此前的记录"
    )
    def fit_cmd(as_of: Any) -> None:
        """用本系统的记录训练风险模型，保存模型文件（按 SHA-256 命名）并记入审计日志。"""
        from credit.risk.services import fit

        @cli_errors
        def go() -> None:
            with unit() as session:
                row = fit(session, as_of=as_of.date() if as_of else None, actor=CLI_ACTOR)
                sha, kind, day, rows = row.sha256, row.kind, row.as_of, row.rows
                validation = json.loads(row.validation)
            click.echo(f"模型 {sha}（{kind}），基准日 {day}，{rows} 次检查")
            for line in validation_lines(SimpleNamespace(**validation)):
                click.echo(line)

        go()

    @risk_group.command("score")
    def score_cmd() -> None:
        """用最新模型为所有在营企业评分，划分信用风险分类（含规则下限），分类变化逐条记入审计日志。"""
        from credit.risk.services import score_all

        @cli_errors
        def go() -> None:
            def progress(done: int, total: int | None, message: str) -> None:
                click.echo(f"[{done}/{total}] {message}", err=True)

            with unit() as session:
                run = score_all(session, actor=CLI_ACTOR, progress=progress)
                summary, scored, changed = json.loads(run.summary), run.scored, run.changed
            counts = "、".join(f"{t}类 {n}" for t, n in summary["counts"].items())
            click.echo(f"已评分 {scored} 户：{counts}；分类变化 {changed} 户，规则下限调高 {summary['floored']} 户")

        go()

    @risk_group.command("evaluate")
    @click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
    def evaluate_cmd(as_json: bool) -> None:
        """在本系统的历史上回测：模型与现行规则分类、随机顺序比较（AUC、提前天数、按抽查比例的提升倍数）。"""
        from credit.risk.services import evaluate

        @cli_errors
        def go() -> None:
            with unit() as session:
                result = evaluate(session)
            if as_json:
                click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
                return
            start, end = result["window"]
            click.echo(f"回测：留出 {start} 至 {end} 的 {result['n']} 次检查（{result['positives']} 次发现问题）")
            for key, name in (("model", "风险模型"), ("rule_tiers", "现行规则分类"), ("random", "随机顺序（平均）")):
                f = result[key]
                auc = f"{f['auc']:.3f}" if f.get("auc") is not None else "—"
                lift = f"{f['lift']:.2f}" if f.get("lift") is not None else "—"
                click.echo(f"  {name}：AUC {auc}；问题平均提前 {f['days_earlier']:.2f} 天；"
                           f"按 {result['draw_ratio']:.0%} 抽查比例的提升 {lift} 倍")  # fmt: skip

        go()

    @risk_group.command("explain")
    @click.argument("uscc")
    @click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
    def explain_cmd(uscc: str, as_json: bool) -> None:
        """说明一户企业的风险评分：主要因素及其影响（仅供内部使用）。"""
        from credit.risk.queries import explain

        @cli_errors
        def go() -> None:
            with unit() as session:
                result = explain(session, uscc=uscc.strip().upper())
            if as_json:
                click.echo(json.dumps(result, ensure_ascii=False, indent=2))
                return
            click.echo(f"{result['name']}（{result['uscc']}）：评分 {result['score']:.1%}，{result['tier_label']}")
            for f in result["factors"]:
                click.echo(f"  {f['label']}：{f['value']}（{f['direction']}评分，{f['effect']:+.3f}）")
            click.echo(result["note"])

        go()
