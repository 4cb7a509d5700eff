"""`supervise report accountability ...`: generate and archive a report from the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from supervise.cliutil import cli_errors, engine


def register(main: click.Group) -> None:
    """Add the report commands to the `supervise` group."""

    @main.group("report")
    def report_group() -> None:
        """Accountability reports for the 督查室."""

    @report_group.command("accountability")
    @click.option("--period", required=True, help="quarter, e.g. 2026Q3")
    @click.option("--region", required=True, help="行政区划代码, e.g. 330100")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def accountability_cmd(period: str, region: str, output: Path) -> None:
        """Generate, archive (audited) and write the PDF report."""
        from reports.services import archive_file, generate
        from supervise.db import unit_of_work

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                row = generate(session, region=region, period=period, actor="cli")
                public_id = row.public_id
            with unit_of_work(engine()) as session:
                row, data = archive_file(session, public_id=public_id)
            output.write_bytes(data)
            click.echo(f"{row.doc_number}: {output} ({row.pages} pages, sha256 {row.sha256})")

        go()
