"""`supervise disposal list`: every 后续处置 with its type, status, due date and links."""

from __future__ import annotations

import json

import click

from supervise.cliutil import run_unit


def register(main: click.Group) -> None:
    """Add the disposal commands to the `supervise` group."""
    from inspections.disposals.services import disposal_rows

    @main.group("disposal")
    def disposal_group() -> None:
        """后续处置 of inspection findings."""

    @disposal_group.command("list")
    @click.option("--status", type=click.Choice(["open", "closed", "escalated"]), default=None)
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per disposal).")
    def disposal_list(status: str | None, as_json: bool) -> None:
        """List disposals, the due ones first: type, status, due date, the result, the 复查 and the case."""
        rows = run_unit(lambda s: disposal_rows(s, status=status))
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            click.echo("没有后续处置记录")
        for r in rows:
            due = f"期限 {r['due']}" + ("（已超期）" if r["overdue"] else "") if r["due"] else "无期限"
            src = r["result"]
            links = [f"检查任务 {src['target_id']}" if src["target_id"] else f"投诉举报核查（工单 {src['ticket_no']}）"]
            if r["recheck"]:
                links.append(f"复查窗口 {r['recheck']['window_start']} 至 {r['recheck']['window_end']}")
            if r["case"]:
                links.append(f"案件 {r['case']['case_number'] or '待立案'}")
            click.echo(
                f"{r['number']}  {r['kind_label']}  {r['status_label']}  {due}  {r['enterprise_name']}  "
                + "；".join(links)
            )
