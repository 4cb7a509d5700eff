"""What every `supervise` command shares: the engine, one transaction per command, errors as one-line messages.

Domain packages import these instead of Flask, so that only the shell knows where the application lives.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from pydantic import ValidationError
from sqlmodel import Session

from supervise.errors import ApiError
from supervise.messages import label, pydantic_message

F = TypeVar("F", bound=Callable[..., Any])
CLI_ACTOR = "cli"


def engine() -> Any:
    """The database engine of the application the command runs in."""
    return current_app.extensions["supervise.engine"]


def cli_errors(fn: F) -> F:
    """Turn validation and service errors into a message and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "input"
                click.echo(f"错误：{label(field)}：{pydantic_message(err)}", err=True)
            sys.exit(1)
        except ApiError as exc:
            if len(exc.fields) == 1 and exc.fields[0]["message"] == exc.message:
                name = exc.fields[0].get("label") or label(exc.fields[0]["field"])
                text = exc.message if exc.message.startswith(name) else f"{name}：{exc.message}"
                click.echo(f"错误：{text}", err=True)
            else:
                click.echo(f"错误：{exc.message}", err=True)
                for f in exc.fields:
                    click.echo(f"  {f.get('label') or label(f['field'])}：{f['message']}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def run_unit(fn: Callable[[Session], Any]) -> Any:
    """Run fn(session) in one transaction, turning service errors into messages and exit 1."""

    @cli_errors
    def go() -> Any:
        with unit() as session:
            return fn(session)

    return go()


def unit() -> Any:
    """One transaction for the whole command."""
    from supervise.db import unit_of_work

    return unit_of_work(engine())


def table_file(path: Path, required: Sequence[str] = (), *, spec: Any = None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a .csv/.xlsx file given on the command line, or a message and exit 1 if it cannot be read."""
    from supervise.tabular import TableError, read_table

    try:
        return read_table(path.name, path.read_bytes(), required=required, spec=spec)
    except TableError as exc:
        click.echo(f"错误：无法读取 {path}（{exc}）", err=True)
        sys.exit(1)
