"""`supervise calendar`: enter a year's official holidays from the State Council notice, or one day."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from supervise.cliutil import run_unit


def _moved(moved: dict[str, int]) -> str:
    total = sum(moved.values())
    return f"重新计算了 {total} 个期限" + (
        f"（{', '.join(f'{k} {v}' for k, v in moved.items() if v)}）" if total else ""
    )


def register(main: click.Group) -> None:
    """Add the calendar commands to the `supervise` group."""
    from supervise.holidays import enter_year, parse_days, set_day, years_overview

    @main.group("calendar")
    def calendar_group() -> None:
        """Official working-day calendar (法定节假日与调休)."""

    @calendar_group.command("show")
    def calendar_show() -> None:
        """List the years around this one and whether their holidays are official."""
        for row in run_unit(lambda s: years_overview(s)):
            notice = f"  {row['notice']}" if row["notice"] else ""
            click.echo(
                f"{row['year']}  {row['label']}  放假 {row['holidays']} 天 调休上班 {row['workdays']} 天{notice}"
            )

    @calendar_group.command("year")
    @click.argument("year", type=int)
    @click.option("--notice", required=True, help="国务院办公厅通知文号, e.g. 国办发明电〔2026〕1号")
    @click.option(
        "--holidays", required=True, help="放假日期: dates or ranges, e.g. '2027-01-01 2027-02-06..2027-02-12'"
    )
    @click.option("--workdays", default="", help="调休上班日期 (weekend days that are working days)")
    @click.option("--complete/--partial", default=False, help="mark the year complete (official) or still partial")
    def calendar_year(year: int, notice: str, holidays: str, workdays: str, complete: bool) -> None:
        """Enter YEAR's holidays and make-up working days, replacing what was entered before."""
        summary = run_unit(
            lambda s: enter_year(
                s,
                year=year,
                notice=notice,
                holidays=parse_days(holidays, field="holidays"),
                workdays=parse_days(workdays, field="workdays"),
                complete=complete,
                actor="cli",
            )
        )
        state = "已完整录入，按官方日历计算" if complete else "录入中，期限仍暂按工作日计算"
        click.echo(
            f"{year} 年：放假 {summary['holidays']} 天，调休上班 {summary['workdays']} 天，{state}；"
            f"{_moved(summary['deadlines_recomputed'])}"
        )

    @calendar_group.command("set")
    @click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--working/--holiday", required=True)
    @click.option("--note", default="")
    def calendar_set(day: Any, working: bool, note: str) -> None:
        """Mark DAY (YYYY-MM-DD) as an official working day or holiday."""
        when: date = day.date()
        moved = run_unit(lambda s: set_day(s, day=when, working=working, note=note, actor="cli"))
        click.echo(f"{when} 设为{'工作日' if working else '休息日'}；{_moved(moved)}")
