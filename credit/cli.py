"""`supervise credit ...`: the licensing check and the expiry job from the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlmodel import select

from supervise.cliutil import cli_errors, engine
from supervise.errors import field_error


def _cite(source: dict[str, str]) -> str:
    from credit.rules import cite

    return cite(source)


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

    @credit_group.command("rules")
    @click.option("--json", "as_json", is_flag=True, help="print the stored rules as JSON")
    @click.option("--markdown", is_flag=True, help="print the table of docs/credit.md")
    @click.option("--load", is_flag=True, help="write the rules of credit/law.py into the database first")
    def rules_cmd(as_json: bool, markdown: bool, load: bool) -> None:
        """Print every list type's periods, deadlines and measures with their legal sources, as stored."""
        from credit.reference import RULE_LABELS, UNITS, install, rules_table, stored_rules
        from supervise import audit
        from supervise.db import unit_of_work

        with unit_of_work(engine()) as session:
            if load:
                counts = install(session)
                audit.record(
                    session, actor="cli", action="credit.rules_loaded", object_type="list_type", object_id="*",
                    payload=counts,
                )  # fmt: skip
            data = stored_rules(session)
        if not data["list_types"]:
            raise click.ClickException("数据库中没有名单规则：请先运行 supervise credit rules --load")
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if markdown:
            click.echo(rules_table(data), nl=False)
            return
        for lt in data["list_types"]:
            click.echo(f"{lt['name']}（{lt['code']}）")
            for key, value in lt["rules"].items():
                if isinstance(value, dict) and "amount" in value:
                    amount = f"{value['amount']}{UNITS[value['unit']]}"
                    click.echo(f"  {RULE_LABELS.get(key, key)}：{amount}  〔{_cite(value['source'])}〕")
            for g in lt["rules"].get("grounds", ()):
                click.echo(f"  列入事由 {g['code']}：{g['label']}  〔{_cite(g['source'])}〕")
            for m in lt["measures"]:
                click.echo(f"  措施（{m['matter']}）：{m['text']}  〔{m['legal_basis']}〕")

    @credit_group.command("import-red")
    @click.argument("list_type", type=click.Choice(["RED_TAX", "RED_CONTRACT"]))
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--document", required=True, help="发布文件（名称及文号）")
    @click.option("--valid-from", "valid_from", required=True, type=click.DateTime(["%Y-%m-%d"]), help="有效期起始日")
    @click.option("--valid-until", "valid_until", required=True, type=click.DateTime(["%Y-%m-%d"]), help="有效期截止日")
    @click.option("--department", "department_code", required=True, help="导入部门代码")
    def import_red_cmd(
        list_type: str, path: Path, document: str, valid_from: Any, valid_until: Any, department_code: str
    ) -> None:
        """Import a published red list (.csv/.xlsx with a uscc column); any bad row rejects the whole file."""
        from credit.redlist import RED_IMPORT, import_red_list
        from supervise.db import unit_of_work
        from supervise.models import Department
        from supervise.tabular import TableError, read_table

        try:
            rows = read_table(path.name, path.read_bytes(), spec=RED_IMPORT)
        except TableError as exc:
            raise click.ClickException(f"无法读取 {path}（{exc}）") from None

        @cli_errors
        def go() -> None:
            with unit_of_work(engine()) as session:
                dept = session.exec(select(Department).where(Department.code == department_code)).first()
                if dept is None:
                    raise field_error("department_code", f"部门 {department_code} 不存在")
                result = import_red_list(
                    session, list_type=list_type, rows=rows, document=document, valid_from=valid_from.date(),
                    valid_until=valid_until.date(), department_id=dept.id or 0, actor="cli",
                )  # fmt: skip
            click.echo(f"已导入：新列入 {result['created']} 户，续期 {result['renewed']} 户（{document}）")

        go()

    @credit_group.command("expire")
    def expire_cmd() -> None:
        """Run the daily expiry job now (idempotent)."""
        from credit.feeds import expire_due
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
