"""`supervise item|plan|task|result|calendar ...`: the planning and ceremony operations from the terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from supervise.cliutil import run_unit


def _json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        click.echo(f"错误：无法读取 {path}（{exc}）", err=True)
        sys.exit(1)


def register(main: click.Group) -> None:
    """Add the planning commands to the `supervise` group."""
    from inspections.draw.ceremony import commit, freeze, reveal
    from inspections.draw.services import perform_draw
    from inspections.planning import create_item, create_plan, create_task
    from inspections.results import publish_result
    from inspections.schemas import ItemCreate, PlanCreate, TaskCreate
    from inspections.services import get_task

    @main.group("item")
    def item_group() -> None:
        """The 抽查事项清单."""

    @item_group.command("add")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def item_add(path: Path) -> None:
        """Add an item from a JSON file (fields as POST /api/items)."""
        data = _json_file(path)
        run_unit(lambda s: create_item(s, data=ItemCreate.model_validate(data), actor="cli"))
        click.echo(f"added item {data.get('code')}")

    @main.group("plan")
    def plan_group() -> None:
        """抽查计划."""

    @plan_group.command("create")
    @click.option("--code", required=True)
    @click.option("--department", "department_code", required=True, help="e.g. 330102-SCJG")
    @click.option("--title", required=True)
    @click.option("--year", required=True, type=int)
    @click.option("--quarter", type=click.IntRange(1, 4), default=None)
    def plan_create(**fields: Any) -> None:
        """Create and publish a plan."""
        run_unit(lambda s: create_plan(s, data=PlanCreate.model_validate(fields), actor="cli"))
        click.echo(f"published plan {fields['code']}")

    @main.group("task")
    def task_group() -> None:
        """抽查任务 and the commit-reveal ceremony."""

    @task_group.command("create")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def task_create(path: Path) -> None:
        """Create a task from a JSON file (fields as POST /api/tasks)."""
        data = _json_file(path)
        run_unit(lambda s: create_task(s, data=TaskCreate.model_validate(data), actor="cli"))
        click.echo(f"created task {data.get('code')}")

    @task_group.command("commit")
    @click.argument("code")
    @click.option("--participant", required=True, help="a participating department code, or 督查室")
    @click.option("--commitment", required=True, help="SHA-256 of the secret, lowercase hex")
    def task_commit(code: str, participant: str, commitment: str) -> None:
        """Record a participant's commitment (before the freeze)."""
        run_unit(
            lambda s: commit(
                s, task=get_task(s, code=code), participant=participant, commitment=commitment, actor="cli"
            )
        )
        click.echo(f"{participant} committed to {code}")

    @task_group.command("freeze")
    @click.argument("code")
    def task_freeze(code: str) -> None:
        """Freeze the population and inspector pool; prints their sizes."""
        summary = run_unit(lambda s: freeze(s, task=get_task(s, code=code), actor="cli"))
        click.echo(json.dumps(summary, ensure_ascii=False))

    @task_group.command("reveal")
    @click.argument("code")
    @click.option("--participant", required=True)
    @click.option("--secret", required=True)
    def task_reveal(code: str, participant: str, secret: str) -> None:
        """Reveal a participant's secret (after the freeze)."""
        run_unit(lambda s: reveal(s, task=get_task(s, code=code), participant=participant, secret=secret, actor="cli"))
        click.echo(f"{participant} revealed")

    @task_group.command("draw")
    @click.argument("code")
    @click.option("--beacon-value", default=None)
    @click.option("--beacon-source", default=None)
    def task_draw(code: str, beacon_value: str | None, beacon_source: str | None) -> None:
        """Perform the draw once everyone has revealed."""
        if bool(beacon_value) != bool(beacon_source):
            click.echo("错误：信标须同时给出 --beacon-value 和 --beacon-source", err=True)
            sys.exit(1)
        beacon = {"value": beacon_value, "source": beacon_source or ""} if beacon_value else None
        draw = run_unit(lambda s: perform_draw(s, task_code=code, actor="cli", beacon=beacon))
        click.echo(f"drew {draw.public_id}; record sha256 {draw.record_sha256}")

    @main.group("result")
    def result_group() -> None:
        """Inspection results."""

    @result_group.command("publish")
    @click.argument("target_id", type=int)
    def result_publish(target_id: int) -> None:
        """Publish a recorded result."""
        run_unit(lambda s: publish_result(s, target_id=target_id, actor="cli"))
        click.echo(f"published the result of assignment {target_id}")
