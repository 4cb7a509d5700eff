"""`supervise draw verify`: the public verifier, light enough to start without the application.

It needs only the three published files, so `supervise.entry` runs it without importing Flask, the
ORM or any configuration: anyone can check a draw on a machine with no database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from inspections.draw.record import verify_bundle


@click.command("verify")
@click.argument("record", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--population", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--inspectors", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify(record: Path, population: Path, inspectors: Path) -> None:
    """Recompute a draw from its published files alone; print MATCH or the first difference."""
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (record, population, inspectors)]
    except UnicodeDecodeError as exc:
        click.echo(f"MISMATCH: a file is not UTF-8: {exc}")
        sys.exit(1)
    verdict = verify_bundle(*texts)
    click.echo(str(verdict))
    if not verdict.ok:
        sys.exit(1)
