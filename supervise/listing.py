"""Work lists that scale: one search-and-filter form (text, state, category, overdue only, a date range) read from
the query string, applied to a list's rows, and the same rows exported as .xlsx (text never a formula)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from supervise.errors import field_error


@dataclass(frozen=True)
class ListFilter:
    """What the user asked the list for; an empty filter keeps every row."""

    q: str = ""
    state: str = ""
    category: str = ""
    overdue: bool = False
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.state or self.category or self.overdue or self.since or self.until)


def _day(args: Mapping[str, str], key: str, label: str) -> date | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise field_error(key, f"{label}应为日期，如 2026-12-06", named=label) from None


def read_filter(args: Mapping[str, str]) -> ListFilter:
    """The filter of a list page's query string (?q=&state=&category=&overdue=1&since=&until=)."""
    since, until = _day(args, "since", "起始日期"), _day(args, "until", "截止日期")
    if since and until and since > until:
        raise field_error("until", "截止日期不能早于起始日期", named="截止日期")
    return ListFilter(
        q=(args.get("q") or "").strip()[:64], state=(args.get("state") or "").strip(),
        category=(args.get("category") or "").strip(), overdue=args.get("overdue") == "1", since=since, until=until,
    )  # fmt: skip


def apply(
    rows: Iterable[dict[str, Any]], f: ListFilter, *, text: Sequence[str], state: str = "state",
    category: str = "category", day: str | None = None, overdue: Callable[[dict[str, Any]], bool] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The rows the filter keeps: the text in any of the `text` fields, the state, the category, overdue only, and
    the `day` field (an ISO date or time) inside the range."""
    out = []
    for r in rows:
        if f.q and not any(f.q.lower() in str(r.get(k) or "").lower() for k in text):
            continue
        if f.state and str(r.get(state) or "") != f.state or f.category and str(r.get(category) or "") != f.category:
            continue
        if f.overdue and not (overdue(r) if overdue else bool(r.get("overdue"))):
            continue
        if day and (f.since or f.until):
            when = str(r.get(day) or "")[:10]
            if not when or f.since and when < f.since.isoformat() or f.until and when > f.until.isoformat():
                continue
        out.append(r)
    return out
