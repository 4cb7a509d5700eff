"""The choices of a region or period select: forms choose by name, never by a typed code."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from supervise.models import Region
from supervise.periods import period_label


def region_choices(session: Any) -> list[tuple[str, str]]:
    """The province, its cities and their counties, each under its name, indented by level."""
    rows = session.exec(
        select(Region.code, Region.name, Region.level).where(col(Region.level).in_(["province", "city", "county"]))
        .order_by(col(Region.code))
    ).all()  # fmt: skip
    indent = {"province": "", "city": "　", "county": "　　"}
    return [(code, f"{indent.get(level, '')}{name}") for code, name, level in rows]


def period_choices(today: date, current: str = "", *, whole_years: bool = True) -> list[tuple[str, str]]:
    """This year's and the last two years' quarters (and whole years), newest first, the shown one among them."""
    out = []
    for year in range(today.year, today.year - 3, -1):
        out += [
            (f"{year}Q{q}", period_label(f"{year}Q{q}")) for q in range(4, 0, -1) if date(year, 3 * q - 2, 1) <= today
        ]
        if whole_years:
            out.append((str(year), f"{year}年全年"))
    if current and current not in {code for code, _label in out}:
        out.insert(0, (current, period_label(current)))
    return out
