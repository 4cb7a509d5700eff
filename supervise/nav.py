"""Navigation entries per role; each domain registers its own when its blueprint is installed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavItem:
    """One menu entry shown to the listed roles ('public' means everyone, signed in or not)."""

    endpoint: str
    label: str
    roles: frozenset[str]
    order: int = 50


def register_nav(app: Flask, *items: NavItem) -> None:
    """Add menu entries to the app."""
    app.extensions.setdefault("supervise.nav", []).extend(items)


def nav_for(app: Flask, role: str | None) -> list[NavItem]:
    """Return the menu a role sees, in order: the home page, then the role's own work, then the public pages
    (a signed-in officer's desk is never pushed under 更多 by pages everyone can read)."""
    items = app.extensions.get("supervise.nav", [])

    def rank(i: NavItem) -> tuple[int, int, str]:
        own = role is not None and role in i.roles
        return (0 if i.order == 0 else 1 if own else 2, i.order, i.label)

    return sorted((i for i in items if "public" in i.roles or (role is not None and role in i.roles)), key=rank)
