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
    @click.option("--full", is_flag=True, help="The full bundle with tiers, recusals and the salt (督查室, 审计).")
    def bundle(draw_id: str, output: Path, full: bool) -> None:
        """Write a draw's public bundle (record.json, firms.txt), or with --full every frozen file, to a folder."""
        from inspections.draw.services import bundle_files
        from inspections.models import Draw, Task

        with Session(engine()) as session:
            row = session.exec(
                select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).where(Draw.public_id == draw_id)
            ).first()
            if row is None:
                click.echo(f"错误：抽取 {draw_id} 不存在（可用 supervise draw list 查看）", err=True)
                sys.exit(1)
            files = bundle_files(*row, full=full)
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (output / name).write_bytes(text.encode("utf-8"))
        click.echo(f"已写入 {output}：{'、'.join(sorted(files))}")

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
