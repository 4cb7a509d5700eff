"""`supervise credit ...`: the licensing check and the expiry job from the terminal."""

from __future__ import annotations

import json

import click

from supervise.cliutil import cli_errors, engine


def register(main: click.Group) -> None:
    """Add the credit commands to the `supervise` group."""

    @main.group("credit")
    def credit_group() -> None:
        """Credit lists and the licensing check."""

    @credit_group.command("check")
    @click.option("--uscc", required=True, help="统一社会信用代码")
    @click.option("--matter", required=True, help="licensing matter code, e.g. SCJG-SPJY")
    def check_cmd(uscc: str, matter: str) -> None:
        """Print the licensing check's JSON answer (logged; no outcome is recorded)."""
        from credit.licensing import check
        from credit.schemas import CheckRequest
        from supervise.db import unit_of_work

        @cli_errors
        def go() -> None:
            data = CheckRequest.model_validate({"uscc": uscc, "matter": matter})
            with unit_of_work(engine()) as session:
                answer = check(session, uscc=data.uscc, matter=data.matter, user_id=None, actor="cli")
            click.echo(json.dumps(answer, ensure_ascii=False, indent=2))

        go()

    @credit_group.command("expire")
    def expire_cmd() -> None:
        """Run the daily expiry job now (idempotent)."""
        from credit.services import expire_due
        from supervise import audit
        from supervise.db import unit_of_work

        with unit_of_work(engine()) as session:
            result = expire_due(session)
            audit.record(
                session,
                actor="cli",
                action="credit.expiry_run",
                object_type="list_entry",
                object_id="*",
                payload=result,
            )
        click.echo(json.dumps(result))
