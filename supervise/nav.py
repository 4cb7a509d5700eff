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
    """Return the menu a role sees, in order."""
    items = app.extensions.get("supervise.nav", [])
    return sorted(
        (i for i in items if "public" in i.roles or (role is not None and role in i.roles)),
        key=lambda i: (i.order, i.label),
    )
