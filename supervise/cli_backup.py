"""`supervise backup` and `supervise restore`: a consistent copy of either backend, loaded into an empty one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import click
from flask import current_app
from sqlalchemy import Engine
from sqlmodel import Session

from supervise import audit


def engine() -> Engine:
    return cast(Engine, current_app.extensions["supervise.engine"])


def register(main: click.Group) -> None:
    """Add the backup commands to the `supervise` group."""

    @main.command("backup")
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
    def backup_cmd(output: Path) -> None:
        """Write a consistent online backup of the database (SQLite backup API or pg_dump -Fc) to OUTPUT."""
        from supervise.backup import BackupError, backup

        try:
            size = backup(engine(), output)
        except BackupError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(1)
        click.echo(f"已备份到 {output}（{size:,} 字节）")

    @main.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def restore_cmd(source: Path) -> None:
        """Load a backup into this instance's empty database, then verify the audit chain."""
        from supervise.anchors import check_latest_anchor
        from supervise.backup import BackupError, restore

        try:
            restore(engine(), source)
        except BackupError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(1)
        with Session(engine()) as session:
            checked, problem = audit.verify(session)
            _anchor, missing = check_latest_anchor(session)
        if problem is not None or missing is not None:
            click.echo(f"已恢复，但审计链校验未通过：{problem.reason if problem else missing}", err=True)
            sys.exit(1)
        click.echo(f"已从 {source} 恢复；审计链完整，已校验 {checked} 条")
