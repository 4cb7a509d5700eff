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


def instance() -> Path:
    return Path(current_app.extensions["supervise.settings"].instance_path)


def register(main: click.Group) -> None:
    """Add the backup commands to the `supervise` group."""

    @main.command("backup")
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
    def backup_cmd(output: Path) -> None:
        """Write the whole installation to OUTPUT: the database (SQLite backup API or pg_dump -Fc) and every file
        of the instance folder (attachments, archived reports, audit anchors and witness), with SHA-256s."""
        from supervise.backup import BackupError
        from supervise.backup_archive import backup_archive

        try:
            manifest = backup_archive(engine(), instance(), output)
        except BackupError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(1)
        files = [e for e in manifest["files"] if e["path"].startswith("instance/")]
        db = next(e for e in manifest["files"] if e["path"] == manifest["database"])
        click.echo(
            f"已备份到 {output}：数据库 {db['size']:,} 字节，实例文件 {len(files)} 个"
            f"（{sum(e['size'] for e in files):,} 字节），每个文件的 SHA-256 记在清单中"
        )

    @main.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def restore_cmd(source: Path) -> None:
        """Check every file of a backup against its SHA-256, load it into this instance's empty database and
        folder, then verify the audit chain against its anchors and witness."""
        from supervise.anchors import check_latest_anchor
        from supervise.backup import BackupError, restore
        from supervise.backup_archive import is_archive, restore_archive
        from supervise.witness import check as check_witness

        try:
            if is_archive(source):
                manifest = restore_archive(engine(), instance(), source)
                kept = sum(1 for e in manifest["files"] if e["path"].startswith("instance/"))
                click.echo(f"已核对备份清单的全部 SHA-256，恢复数据库和实例文件 {kept} 个")
            else:
                restore(engine(), source)
                click.echo(
                    "警告：这是只含数据库的旧式备份，附件、归档报告、审计锚点和见证文件不在其中，"
                    "请从原实例目录另行复制",
                    err=True,
                )
        except BackupError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(1)
        with Session(engine()) as session:
            checked, problem = audit.verify(session)
            _anchor, missing = check_latest_anchor(session)
            cut = check_witness(session)
        if problem is not None or missing is not None or cut is not None:
            reason = problem.reason if problem else missing or cut
            click.echo(f"已恢复，但审计链校验未通过：{reason}", err=True)
            sys.exit(1)
        click.echo(f"已从 {source} 恢复；审计链完整，已校验 {checked} 条，与锚点和见证文件一致")
