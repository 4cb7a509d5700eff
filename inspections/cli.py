"""`supervise item|plan|task|result|directory ...`: planning, the ceremony, results and the 名录库."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlmodel import Session, select

from supervise.cliutil import cli_errors, engine, run_unit, table_file
from supervise.errors import field_error
from supervise.messages import label


def _json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        click.echo(f"错误：无法读取 {path}（{exc}）", err=True)
        sys.exit(1)


def register(main: click.Group) -> None:
    """Add the planning commands to the `supervise` group."""
    from inspections.draw.ceremony import commit, freeze, reveal
    from inspections.draw.services import beacon_of, beacon_plan, perform_draw
    from inspections.planning import create_item, create_plan, create_task
    from inspections.reviewing import publish_result
    from inspections.schemas import ItemCreate, PlanCreate, TaskCreate
    from inspections.services import get_task
    from supervise.models import User

    @main.group("item")
    def item_group() -> None:
        """The 抽查事项清单."""

    @item_group.command("add")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def item_add(path: Path) -> None:
        """Add an item from a JSON file (fields as POST /api/items)."""
        data = _json_file(path)
        run_unit(lambda s: create_item(s, data=ItemCreate.model_validate(data), actor="cli"))
        click.echo(f"added item {data.get('code')}")

    @item_group.command("show")
    @click.argument("code")
    @click.option("--json", "as_json", is_flag=True, help="print the item and its points as JSON")
    def item_show(code: str, as_json: bool) -> None:
        """Print an item with its 检查要点."""
        from inspections.checklists import item_detail

        detail = run_unit(lambda s: item_detail(s, code=code))
        if as_json:
            click.echo(json.dumps(detail.model_dump(), ensure_ascii=False, indent=2))
            return
        click.echo(f"{detail.code}  {detail.name}（{detail.legal_basis}）")
        click.echo(f"  核查方式：{'、'.join(detail.check_methods) or '未设定'}")
        for p in detail.points:
            click.echo(f"  {p.seq}. {p.text}〔{p.legal_basis}；{p.severity}〕")
            click.echo(f"     判定标准：{p.criterion}")

    @item_group.command("checklists")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def item_checklists(path: Path) -> None:
        """Replace the 检查要点 of the items a .csv/.xlsx names (any bad row rejects the file)."""
        from inspections.checklists import POINT_IMPORT, import_points
        from supervise.tabular import TableError, read_table

        try:
            rows = read_table(path.name, path.read_bytes(), spec=POINT_IMPORT)
        except TableError as exc:
            raise click.ClickException(f"无法读取 {path}（{exc}）") from None
        report = run_unit(lambda s: import_points(s, rows=rows, actor="cli", source=path.name))
        click.echo(f"已导入检查要点 {report.imported} 条")

    @main.group("plan")
    def plan_group() -> None:
        """抽查计划."""

    @plan_group.command("create")
    @click.option("--code", required=True)
    @click.option("--department", "department_code", required=True, help="e.g. 330102-SCJG")
    @click.option("--title", required=True)
    @click.option("--year", required=True, type=int)
    @click.option("--quarter", type=click.IntRange(1, 4), default=None)
    def plan_create(**fields: Any) -> None:
        """Create and publish a plan."""
        run_unit(lambda s: create_plan(s, data=PlanCreate.model_validate(fields), actor="cli"))
        click.echo(f"published plan {fields['code']}")

    @main.group("task")
    def task_group() -> None:
        """抽查任务 and the commit-reveal ceremony."""

    @task_group.command("create")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def task_create(path: Path) -> None:
        """Create a task from a JSON file (fields as POST /api/tasks)."""
        data = _json_file(path)
        run_unit(lambda s: create_task(s, data=TaskCreate.model_validate(data), actor="cli"))
        click.echo(f"created task {data.get('code')}")

    @task_group.command("commit")
    @click.argument("code")
    @click.option("--participant", required=True, help="a participating department code, or 督查室")
    @click.option("--commitment", required=True, help="SHA-256 of the secret, lowercase hex")
    def task_commit(code: str, participant: str, commitment: str) -> None:
        """Record a participant's commitment (before the freeze)."""
        run_unit(
            lambda s: commit(
                s, task=get_task(s, code=code), participant=participant, commitment=commitment, actor="cli"
            )
        )
        click.echo(f"{participant} committed to {code}")

    @task_group.command("freeze")
    @click.argument("code")
    @click.option("--beacon-source", default=None, help="fix the public beacon: its source, e.g. 福彩3D")
    @click.option("--beacon-issue", default=None, help="the exact future issue, e.g. 2026321期")
    @click.option("--beacon-at", default=None, help="its scheduled draw time, Beijing, e.g. 2026-12-02T21:15")
    def task_freeze(code: str, beacon_source: str | None, beacon_issue: str | None, beacon_at: str | None) -> None:
        """Freeze every input of the draw (needs two commitments, one of them 督查室); prints the freeze digest."""
        try:
            at = datetime.fromisoformat(beacon_at) if beacon_at else None
        except ValueError:
            raise click.BadParameter("开奖时间应为 YYYY-MM-DDTHH:MM 格式", param_hint="--beacon-at") from None
        summary = run_unit(
            lambda s: freeze(
                s,
                task=get_task(s, code=code),
                actor="cli",
                beacon=beacon_plan(beacon_source, beacon_issue, at),
            )
        )
        click.echo(json.dumps(summary, ensure_ascii=False))

    @task_group.command("reveal")
    @click.argument("code")
    @click.option("--participant", required=True)
    @click.option("--secret", required=True)
    def task_reveal(code: str, participant: str, secret: str) -> None:
        """Reveal a participant's secret (after the freeze)."""
        run_unit(lambda s: reveal(s, task=get_task(s, code=code), participant=participant, secret=secret, actor="cli"))
        click.echo(f"{participant} revealed")

    @task_group.command("draw")
    @click.argument("code")
    @click.option("--beacon-value", default=None)
    @click.option("--beacon-source", default=None)
    def task_draw(code: str, beacon_value: str | None, beacon_source: str | None) -> None:
        """Perform the draw once everyone has revealed."""
        draw = run_unit(
            lambda s: perform_draw(s, task_code=code, actor="cli", beacon=beacon_of(beacon_value, beacon_source))
        )
        click.echo(f"drew {draw.public_id}; record sha256 {draw.record_sha256}")

    @main.group("result")
    def result_group() -> None:
        """Inspection results."""

    @result_group.command("publish")
    @click.argument("target_id", type=int)
    @click.option("--reviewer", required=True, help="The 审核人员's username (of the task's lead department).")
    def result_publish(target_id: int, reviewer: str) -> None:
        """Review and publish a complete, confirmed result as the named reviewer."""

        def publish(s: Any) -> None:
            user = s.exec(select(User).where(User.username == reviewer)).first()
            if user is None:
                raise field_error("reviewer", f"用户 {reviewer} 不存在", status=404)
            publish_result(s, target_id=target_id, reviewer=user, actor=f"cli:{reviewer}")

        run_unit(publish)
        click.echo(f"已审核并公示检查任务 {target_id} 的结果（审核人 {reviewer}）")

    @main.command("record-sheet")
    @click.argument("visit_id", type=int)
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.pdf")
    @click.option("--blank", is_flag=True, help="The blank sheet to take to the visit (no results).")
    def record_sheet_cmd(visit_id: int, output: Path, blank: bool) -> None:
        """Write a visit's 随机抽查情况记录表 (VISIT_ID: the assignment's number) as PDF."""
        from inspections.record_sheet import record_sheet

        name, pdf, digest = run_unit(lambda s: record_sheet(s, target_id=visit_id, blank=blank, actor="cli"))
        output.write_bytes(pdf)
        kind = "空白" if name.endswith("（空白）.pdf") else "已填写"
        click.echo(f"已写入{kind}记录表 {output}（{len(pdf):,} 字节，SHA-256 {digest}）")

    @main.group("directory")
    def directory_group() -> None:
        """检查对象名录库 and 执法检查人员名录库 as .xlsx/.csv."""

    @directory_group.command("export")
    @click.argument("which", type=click.Choice(["targets", "inspectors"]))
    @click.option("--task", "task_code", default=None, help="Targets in scope of this task.")
    @click.option("--region", default=None, help="Region code, e.g. 330102.")
    @click.option(
        "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.xlsx or FILE.csv"
    )
    def export(which: str, task_code: str | None, region: str | None, output: Path) -> None:
        """Export a directory as a spreadsheet."""
        from inspections.directory import INSPECTOR_COLUMNS, TARGET_COLUMNS, inspector_rows, target_rows
        from supervise.tabular import write_table

        fmt = output.suffix.lstrip(".").lower()
        if fmt not in ("csv", "xlsx"):
            click.echo("错误：--output 文件名须以 .csv 或 .xlsx 结尾", err=True)
            sys.exit(1)

        @cli_errors
        def go() -> None:
            header: tuple[str, ...]
            with Session(engine()) as session:
                if which == "targets":
                    header, rows = TARGET_COLUMNS, target_rows(session, task_code=task_code, region=region)
                else:
                    header, rows = INSPECTOR_COLUMNS, inspector_rows(session, region=region)
            output.write_bytes(write_table(fmt, header, rows))
            click.echo(f"wrote {len(rows)} rows to {output}")

        go()

    @directory_group.command("import")
    @click.argument("which", type=click.Choice(["targets", "inspectors"]))
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--only-valid", is_flag=True, help="Import the good rows and skip the bad ones.")
    def import_(which: str, path: Path, only_valid: bool) -> None:
        """Import a directory spreadsheet; any bad row rejects the whole file unless --only-valid."""
        from inspections.directory import INSPECTOR_IMPORT, import_inspectors
        from supervise.db import unit_of_work
        from supervise.services import ENTERPRISE_IMPORT, import_enterprises

        rows = table_file(path, spec=INSPECTOR_IMPORT if which == "inspectors" else ENTERPRISE_IMPORT)
        importer = import_inspectors if which == "inspectors" else import_enterprises

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                report = importer(session, rows=rows, actor="cli", source=path.name, only_valid=only_valid)
            for e in report.errors:
                click.echo(f"跳过第 {e.line} 行：{label(e.field)}：{e.message}", err=True)
            click.echo(f"已导入 {report.imported} 行，跳过 {report.skipped} 行")

        go()
