"""`supervise schedule ...`: build a region's joint-inspection schedule and export inspectors' calendars."""

from __future__ import annotations

import json
from pathlib import Path

import click

from supervise.cliutil import cli_errors, engine

SUMMARY_ORDER = (
    "visits_before_merging",
    "visits_after_merging",
    "lower_bound_visits",
    "repeat_checks_avoided",
    "merged_visits",
    "scheduled",
    "deferred_over_cap",
    "unstaffed",
    "undated",
    "firms_over_cap",
    "max_visits_per_inspector_day",
    "avg_townships_per_inspector_day",
    "working_days_used",
    "working_days_lower_bound",
)


def register(main: click.Group) -> None:
    """Add the schedule commands to the `supervise` group."""

    @main.group("schedule")
    def schedule_group() -> None:
        """Joint-inspection scheduling (进一户、查多项)."""

    @schedule_group.command("build")
    @click.option("--region", required=True, help="行政区划代码, e.g. 330106")
    @click.option("--period", required=True, help="quarter, e.g. 2026Q4")
    @click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
    def build_cmd(region: str, period: str, as_json: bool) -> None:
        """Build (or rebuild) the schedule in one transaction and print its summary."""
        from scheduling.services import build
        from supervise.db import unit_of_work

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                row = build(session, region=region, period=period, actor="cli")
                summary = json.loads(row.summary)
            if as_json:
                click.echo(json.dumps(summary, ensure_ascii=False))
                return
            click.echo(f"schedule {region} {period}")
            for key in SUMMARY_ORDER:
                click.echo(f"  {key:<34} {summary[key]}")

        go()

    @schedule_group.command("ics")
    @click.option("--inspector", "badge", required=True, help="执法证号")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def ics_cmd(badge: str, output: Path) -> None:
        """Write an inspector's scheduled visits as an iCalendar file."""
        from sqlmodel import select

        from scheduling.queries import inspector_ics
        from supervise.db import unit_of_work
        from supervise.models import Inspector

        with unit_of_work(engine()) as session:
            inspector = session.exec(select(Inspector).where(Inspector.badge_no == badge)).first()
            if inspector is None:
                raise click.ClickException(f"no inspector with 执法证号 {badge}")
            data = inspector_ics(session, inspector=inspector)
        output.write_bytes(data)
        click.echo(f"wrote {output} ({data.count(b'BEGIN:VEVENT')} visits)")
