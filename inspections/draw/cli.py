"""`supervise draw ...`: verify, list, bundle and run draws."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from sqlmodel import Session, col, select

from inspections.draw.verify_cli import verify
from supervise.cliutil import cli_errors, engine


def register(main: click.Group) -> None:
    """Add the draw commands to the `supervise` group."""

    @main.group("draw")
    def draw_group() -> None:
        """Verifiable 双随机 draws."""

    draw_group.add_command(verify)

    @draw_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
    def list_draws(as_json: bool) -> None:
        """List the draws: id, task, creation time, single-operator flag, firms selected and unstaffed."""
        from inspections.models import Draw, Task

        with Session(engine()) as session:
            rows = session.exec(
                select(Draw, Task.code).join(Task, col(Task.id) == col(Draw.task_id)).order_by(col(Draw.id))
            ).all()
        items: list[dict[str, Any]] = [
            {
                "id": d.public_id,
                "task": code,
                "created_at": d.created_at.isoformat(),
                "single_operator": d.single_operator,
                "record_sha256": d.record_sha256,
                "selected": d.selected_count,
                "unstaffed": d.unstaffed_count,
            }
            for d, code in rows
        ]
        if as_json:
            click.echo(json.dumps(items, ensure_ascii=False, indent=2))
            return
        for i in items:
            flag = "  [single operator]" if i["single_operator"] else ""
            counts = f"{i['selected']} selected, {i['unstaffed']} unstaffed"
            click.echo(f"{i['id']:<28} {i['task']:<24} {i['created_at']}  {counts}{flag}")

    @draw_group.command("bundle")
    @click.argument("draw_id")
    @click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path))
    def bundle(draw_id: str, output: Path) -> None:
        """Write record.json, population.txt and inspectors.txt of a draw to a folder."""
        from inspections.models import BUNDLE, Draw

        with Session(engine()) as session:
            draw = session.exec(select(Draw).where(Draw.public_id == draw_id)).first()
            if draw is None:
                click.echo(f"错误：抽取 {draw_id} 不存在（可用 supervise draw list 查看）", err=True)
                sys.exit(1)
            output.mkdir(parents=True, exist_ok=True)
            # One file in memory at a time: a provincial population.txt is tens of megabytes.
            for name, attribute in BUNDLE.items():
                (output / name).write_bytes(getattr(draw, attribute).encode("utf-8"))
        click.echo(f"wrote {output}/record.json, population.txt, inspectors.txt")

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
        from inspections.directory import INSPECTOR_REQUIRED, import_inspectors
        from supervise.db import unit_of_work
        from supervise.services import ENTERPRISE_COLUMNS, import_enterprises
        from supervise.tabular import TableError, read_table

        required = INSPECTOR_REQUIRED if which == "inspectors" else ENTERPRISE_COLUMNS
        try:
            rows = read_table(path.name, path.read_bytes(), required=required)
        except TableError as exc:
            click.echo(f"错误：无法读取 {path}（{exc}）", err=True)
            sys.exit(1)
        importer = import_inspectors if which == "inspectors" else import_enterprises

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                report = importer(session, rows=rows, actor="cli", source=path.name, only_valid=only_valid)
            for e in report.errors:
                click.echo(f"skipped line {e.line}: {e.field}: {e.message}", err=True)
            click.echo(f"imported {report.imported} rows, skipped {report.skipped}")

        go()

    @draw_group.command("run")
    @click.argument("task_code")
    @click.option(
        "--single-operator",
        is_flag=True,
        required=True,
        help="Seed from one operator secret (flagged publicly); use the API for commit-reveal.",
    )
    def run(task_code: str, single_operator: bool) -> None:
        """Freeze and draw a task in one step with a single-operator seed."""
        from inspections.draw.services import run_single_operator
        from supervise.db import unit_of_work

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                draw = run_single_operator(session, task_code=task_code, actor="cli")
                click.echo(f"drew {draw.public_id} (single operator); record sha256 {draw.record_sha256}")

        go()
