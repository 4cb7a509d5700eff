"""A task's frozen population.txt, read from the 名录库 already formatted and sorted by the database.

A provincial freeze reads millions of firms. Fetching them as rows costs a Python tuple and five strings per
firm (gigabytes at 5 million, and most of the freeze's time); here the database writes each line, PostgreSQL
streams them with COPY, and Python holds one text. The few lines a rule must drop or look up are found by
binary search on that text, which is sorted by USCC (docs/draw-algorithm.md §1, §10.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import func, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from inspections.draw.algorithm import clean_field, format_population
from inspections.draw.rows import Target
from supervise.models import Enterprise

_FETCH = 100_000
_NAME_SPACE = re.compile(r"[^\S\t\n]")  # white space (str.isspace) other than the line's own TABs and LFs
_SPACED_LINE = re.compile(r"^([^\t\n]*\t[^\t\n]*\t[^\t\n]*\t)([^\n]*[^\S\t\n][^\n]*)$", re.MULTILINE)


def read_population(session: Session, conditions: Sequence[Any]) -> str:
    """population.txt of the firms meeting these conditions: `USCC TIER AREA NAME` lines sorted by USCC."""
    tab = literal("\t")
    # the area of population.txt: the township where it is known (所所交叉), else the county
    area = func.coalesce(col(Enterprise.township_code), col(Enterprise.region_code))
    fields = (col(Enterprise.uscc), col(Enterprise.risk_tier), area, col(Enterprise.name))
    text: str | None
    if session.get_bind().dialect.name == "postgresql":
        text = _copy_out(session, sa_select(*fields).where(*conditions).order_by(col(Enterprise.uscc).collate("C")))
    else:
        line = fields[0] + tab + fields[1] + tab + area + tab + fields[3]
        result = session.connection().execute(sa_select(line).where(*conditions).order_by(col(Enterprise.uscc)))
        chunks, count = [], 0
        while rows := result.fetchmany(_FETCH):
            chunks.append("\n".join(map(itemgetter(0), rows)))
            count += len(rows)
        text = "\n".join(chunks) + "\n" if chunks else ""
        if text.count("\t") != 3 * count or text.count("\n") != count:  # a TAB or LF inside a name
            text = None
    if text is None:  # a name with a TAB or LF (or, for COPY, a backslash): read the rows and clean them
        found = session.connection().execute(sa_select(*fields).where(*conditions)).all()
        return format_population(Target(uscc, tier, region, name) for uscc, tier, region, name in found)
    if _NAME_SPACE.search(text):  # names with white space are cleaned as format_population cleans them
        text = _SPACED_LINE.sub(lambda m: m.group(1) + clean_field(m.group(2)), text)
    return text


def _copy_out(session: Session, query: Any) -> str | None:
    """The query's rows as COPY's text format (TAB-separated, LF-ended); None if any value needed escaping."""
    sql = str(query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT") as copy:  # type: ignore[union-attr]
        data = b"".join(bytes(chunk) for chunk in copy)
    if b"\\" in data:  # COPY writes a backslash only to escape one (or a TAB, LF, CR) inside a value
        return None
    return data.decode("utf-8")


def _line_at(text: str, key: str) -> tuple[int, int] | None:
    """The span [start, end) of the line whose first field is `key`, by binary search over the sorted text."""
    lo, hi = 0, len(text)
    probe = f"{key}\t"
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind("\n", 0, mid) + 1
        end = text.find("\n", start) + 1 or len(text)
        field = text[start : text.find("\t", start, end)]
        if field == key:
            return (start, end) if text.startswith(probe, start) else None
        if field < key:
            lo = end
        else:
            hi = start
    return None


def has_line(text: str, key: str) -> bool:
    """Whether the sorted population.txt has a line for this USCC."""
    return _line_at(text, key) is not None


def drop_lines(text: str, keys: Iterable[str]) -> str:
    """The sorted population.txt without the lines of these USCCs (those absent are ignored)."""
    spans = sorted(span for key in set(keys) if (span := _line_at(text, key)) is not None)
    if not spans:
        return text
    parts, at = [], 0
    for start, end in spans:
        parts.append(text[at:start])
        at = end
    parts.append(text[at:])
    return "".join(parts)
