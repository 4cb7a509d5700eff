"""`supervise disposal list`: every 后续处置; `supervise case rules` and `case show`: the 行政处罚 procedure."""

from __future__ import annotations

import json
from pathlib import Path

import click

from supervise.cliutil import run_unit, table_file


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

    register_case(main)


def register_case(main: click.Group) -> None:
    """Add `supervise case rules` and `supervise case show`."""
    from inspections.disposals import procedure
    from inspections.disposals.case_record import case_by_number, case_record, cite, rules_markdown

    @main.group("case")
    def case_group() -> None:
        """行政处罚案件: the procedure's rules and one case's steps."""

    @case_group.command("rules")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.option("--markdown", is_flag=True, help="Print the table of docs/cases.md.")
    def case_rules(as_json: bool, markdown: bool) -> None:
        """Every step of the case procedure with its deadline, its source and when it applies."""
        if markdown:
            click.echo(rules_markdown(), nl=False)
            return
        if as_json:
            body = {
                "steps": procedure.STEPS, "measures": procedure.MEASURES,
                "large_amount": {k: str(v) for k, v in procedure.LARGE_AMOUNT.items()},
                "large_amount_source": procedure.LARGE_AMOUNT_SOURCE,
                "not_filing_grounds": procedure.NOT_FILING_GROUNDS, "not_filing_source": procedure.NOT_FILING_SOURCE,
                "no_penalty_grounds": procedure.NO_PENALTY_GROUNDS, "education_source": procedure.EDUCATION_SOURCE,
                "first_violation_source": procedure.FIRST_VIOLATION_SOURCE,
                "working_days_rule": procedure.WORKING_DAYS_RULE,
            }  # fmt: skip
            click.echo(json.dumps(body, ensure_ascii=False, indent=2))
            return
        for s in procedure.STEPS:
            click.echo(f"{s['name']}：{s['deadline']}。适用：{s['applies']}。依据：{cite(s['source'])}")

    @case_group.command("lenient-import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def lenient_import(path: Path) -> None:
        """Import a local 轻微违法行为不予处罚清单 (.csv/.xlsx); a list already held is replaced by its 文号."""
        from inspections.disposals.lenient import LENIENT_IMPORT, import_lenient

        rows = table_file(path, spec=LENIENT_IMPORT)
        report = run_unit(lambda s: import_lenient(s, rows=rows, actor="cli", source=path.name))
        click.echo(f"已导入不予处罚清单事项 {report.imported} 项")

    @case_group.command("lenient-list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def lenient_list(as_json: bool) -> None:
        """The 不予处罚清单 rows held, list by list."""
        from inspections.disposals.lenient import lenient_items

        rows = run_unit(lenient_items)
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            click.echo("尚未导入不予处罚清单")
        for r in rows:
            click.echo(f"{r['document_number']} 第{r['seq']}项 {r['violation']}（{r['basis']}）：{r['conditions']}")

    @case_group.command("show")
    @click.argument("number")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def case_show(number: str, as_json: bool) -> None:
        """One case by its 案件编号 or 决定书文号: each step with its date, due date and source."""
        record = run_unit(lambda s: case_record(s, case_by_number(s, number)))
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        click.echo(f"{record['case_number'] or '待立案'}  {record['enterprise']}  {record['status_label']}")
        for step in record["steps"]:
            due = f"（期限 {step['due']}{'，逾期' if step['late'] else ''}）" if step["due"] else ""
            click.echo(f"  {step['on']}  {step['name']}{due}  {step['citation']}")
        for line in record["overdue"]:
            click.echo(f"  已超期：{line}")
        for line in record["waiting"]:
            click.echo(f"  尚需：{line}")
