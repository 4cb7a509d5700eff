"""`supervise rectification list|recheck`: the 整改 items with their state and due dates, and the re-check of
the units in a later period's metrics."""

from __future__ import annotations

import json

import click

from supervise.cliutil import run_unit


def register(main: click.Group) -> None:
    """Add the rectification commands to the `supervise` group."""
    from reports.oversight.queries import items, recheck_period

    @main.group("rectification")
    def rectification_group() -> None:
        """督查整改事项."""

    @rectification_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per item).")
    @click.option("--open", "only_open", is_flag=True, help="Leave out the items already accepted.")
    def rectification_list(as_json: bool, only_open: bool) -> None:
        """List 整改 items, overdue first, with state, due date and the escalation due."""
        rows = run_unit(lambda s: items(s, only_open=only_open))
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            click.echo("没有整改事项")
        for r in rows:
            late = "（已逾期）" if r["overdue"] else ""
            step = f"  应{r['escalation']}" if r["escalation"] else ""
            click.echo(
                f"{r['number']}  {r['period']}  {r['unit']['name']}  {r['status_label']}  期限 {r['due']}{late}{step}"
            )

    @rectification_group.command("recheck")
    @click.option("--region", required=True, help="行政区划代码, e.g. 330100")
    @click.option("--period", required=True, help="the later period, e.g. 2027Q1")
    def rectification_recheck(region: str, period: str) -> None:
        """Record whether each unit under 整改 is still lagging in PERIOD's metrics."""
        touched = run_unit(lambda s: recheck_period(s, region=region, period=period, actor="cli"))
        click.echo(f"已在 {period} 的指标中复核 {len(touched)} 项整改事项")
