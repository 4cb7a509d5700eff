"""`supervise draw verify`: the public verifier, light enough to start without the application.

It needs only the published files, so `supervise.entry` runs it without importing Flask, the ORM or any
configuration: anyone can check a draw on a machine with no database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from inspections.draw.record2 import FULL_BUNDLE, verify_files

KNOWN = (*FULL_BUNDLE, "firms.txt")


@click.command("verify")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
@click.option("--population", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="v1: population.txt")
@click.option("--inspectors", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="v1: inspectors.txt")
def verify(bundle: Path, population: Path | None, inspectors: Path | None) -> None:
    """Recompute a draw from a bundle folder (or a v1 record.json with its two files); print MATCH or MISMATCH.

    A full bundle is recomputed entirely; a public bundle (record.json and firms.txt) allows the checks listed."""
    if bundle.is_dir():
        paths = {name: bundle / name for name in KNOWN if (bundle / name).is_file()}
    else:
        paths = {"record.json": bundle}
        if population and inspectors:
            paths |= {"population.txt": population, "inspectors.txt": inspectors}
    try:
        files = {name: path.read_bytes().decode("utf-8") for name, path in paths.items()}
    except UnicodeDecodeError as exc:
        click.echo(f"MISMATCH: a file is not UTF-8: {exc}")
        sys.exit(1)
    report = verify_files(files)
    labels = {"full": "完整包", "public": "公开包", "v1": "第1版记录", "unknown": "无法识别"}
    click.echo(f"核验的文件包：{labels.get(report.bundle, report.bundle)}（{'、'.join(sorted(files))}）")
    for check in report.checks:
        click.echo(f"  已核验：{check}")
    click.echo(str(report))
    if not report.ok:
        sys.exit(1)
