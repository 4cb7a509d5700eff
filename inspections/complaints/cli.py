"""`supervise complaint import|list|rules`: 工单 from a file, each complaint's state and due dates, and the rules
they follow with their sources."""

from __future__ import annotations

import json
from pathlib import Path

import click

from supervise.cliutil import run_unit, table_file


def register(main: click.Group) -> None:
    """Add the complaint commands to the `supervise` group."""
    from inspections.complaints.services import IMPORT, complaint_rows, import_rows

    @main.group("complaint")
    def complaint_group() -> None:
        """投诉举报 from the 12345 platform."""

    @complaint_group.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def complaint_import(path: Path) -> None:
        """Import 工单 from FILE.xlsx or FILE.csv: every row valid or none stored."""
        rows = table_file(path, spec=IMPORT)
        report = run_unit(lambda s: import_rows(s, rows=rows, actor="cli"))
        click.echo(f"已导入 {report.imported} 件工单，{report.skipped} 件工单号已存在未改动")

    @complaint_group.command("rules")
    @click.option("--markdown", is_flag=True, help="Print the tables of docs/complaints.md.")
    def complaint_rules(markdown: bool) -> None:
        """Print the 投诉举报 rules: deadlines, routing, grounds, 调解 and notices, each with its source."""
        from inspections.complaints.rules import rules_table

        text = rules_table()
        click.echo(text if markdown else text.replace("|", " ").replace("---", ""), nl=False)

    @complaint_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per complaint).")
    def complaint_list(as_json: bool) -> None:
        """List complaints with their state and due dates; the complainant's contact is masked."""
        rows = run_unit(lambda s: complaint_rows(s, viewer_role="cli"))
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            click.echo("没有投诉举报工单")
        for r in rows:
            due = r["due"]
            steps = [
                f"签收 {due['sign']}",
                *(f"{k} {due[v]}" for k, v in (("受理", "accept"), ("核查", "verify")) if due[v]),
            ]
            nxt = (
                f"  待{r['next_step']}（{r['next_due']}前{'，已超期' if r['overdue'] else ''}）"
                if r["next_step"]
                else ""
            )
            flags = "  重复投诉" if r["repeat"] else ""
            firm = r["firm_name"] or r["uscc"] or "未识别"
            click.echo(f"{r['ticket_no']}  {r['category']}  {r['state_label']}  {firm}  "
                       f"{r['department'] or '未分派'}  " + "，".join(steps) + nxt + flags)  # fmt: skip
