"""Each user's to-do list: what is waiting for them, with counts, how many are overdue and where to act.

The domains know what is due; each registers a provider (as they register their deadline recounts), and this
module gathers them for the home page and for the daily reminders (supervise.reminders)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from supervise import clock
from supervise.models import User


@dataclass(frozen=True)
class TodoItem:
    """One kind of waiting work: `count` items, `overdue` of them past their deadline."""

    key: str  # stable: the reminder of a day is keyed by it
    label: str
    count: int
    overdue: int
    url: str  # the page to act on (a path)
    urgent: bool = False  # remind even when nothing is overdue (a returned result, a decision waiting)


Provider = Callable[[Session, User, date], list[TodoItem]]
_providers: list[Provider] = []


def provides_todo(provider: Provider) -> Provider:
    """Register a domain's to-do provider (used as a decorator)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todo_for(session: Session, user: User, today: date | None = None) -> list[TodoItem]:
    """The user's waiting work, overdue first, then by how much is waiting."""
    today = today or clock.today()
    items = [item for provider in _providers for item in provider(session, user, today) if item.count]
    return sorted(items, key=lambda i: (-i.overdue, not i.urgent, -i.count, i.key))
