"""The `supervise` command: every operation of the system from the terminal."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup
from sqlmodel import Session, func, select

from supervise import audit
from supervise.cliutil import CLI_ACTOR, cli_errors, engine, table_file, unit
from supervise.config import ConfigError
from supervise.models import ROLES


def _create_app() -> Any:
    from supervise import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


class SuperviseGroup(FlaskGroup):
    """FlaskGroup whose help and command lookup never load the app (so --help needs no config)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an unreachable database or Redis is one line and exit status 2, not a traceback."""
        import redis
        from sqlalchemy.exc import InterfaceError, OperationalError

        try:
            return super().invoke(ctx)
        except (OperationalError, InterfaceError) as exc:
            click.echo(f"错误：数据库不可用（{_first_line(exc.orig or exc)}）", err=True)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            click.echo(f"错误：任务队列（Redis）不可用（{_first_line(exc)}）", err=True)
        sys.exit(2)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@click.group(
    cls=SuperviseGroup, create_app=_create_app, add_version_option=False, load_dotenv=False, set_debug_flag=False
)
def main() -> None:
    """Supervision and credit enforcement: 双随机 draws, credit lists, accountability reports."""


# --- database ---------------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """Schema migrations (Alembic), on SQLite or PostgreSQL alike."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the schema (default: to the newest revision)."""
    from supervise.migrate import current_revision, upgrade

    upgrade(engine(), revision)
    click.echo(
        f"database at revision {current_revision(engine())}: {engine().url.render_as_string(hide_password=True)}"
    )


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION ('base' empties it)."""
    from supervise.migrate import current_revision, downgrade

    downgrade(engine(), revision)
    click.echo(f"database at revision {current_revision(engine())}")


@db_group.command("current")
def db_current() -> None:
    """Print the schema's current revision."""
    from supervise.migrate import current_revision

    click.echo(current_revision(engine()) or "empty (run: supervise db upgrade)")


# --- seeds ------------------------------------------------------------------------------------


@main.group("seed")
def seed_group() -> None:
    """Load realistic demo data."""


@seed_group.command("demo")
@click.option("--entities", default=20000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database already has data.")
@click.option("--password", default=None, help="Password of the demo accounts (default: the one demo-info prints).")
def seed_demo_cmd(entities: int, seed_value: int, if_empty: bool, password: str | None) -> None:
    """Build the demo province: regions, departments, enterprises, licences, inspectors, accounts."""
    from seeds.demo import DEMO_PASSWORD, seed_demo

    password = password or DEMO_PASSWORD
    from supervise.models import Region

    with unit() as session:
        if session.exec(select(func.count()).select_from(Region)).one():
            if if_empty:
                click.echo("演示数据已存在，保留原有数据")
                return
            click.echo("错误：数据库中已有数据，只能向空数据库载入演示数据", err=True)
            sys.exit(1)
        summary = seed_demo(
            session, entities=entities, seed=seed_value, password=password, progress=True, with_inspections=True
        )
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))


@main.command("demo-info")
@click.option("--url", default="http://127.0.0.1:5000/")
def demo_info(url: str) -> None:
    """Print where the demo runs and its accounts, one per role."""
    from seeds.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    from supervise.auth import ROLE_LABELS

    click.echo("")
    click.echo(f"  supervise 演示系统：{url}")
    click.echo(f"  实例目录：{current_app.instance_path}")
    click.echo(f"  演示账户（密码均为 {DEMO_PASSWORD}）：")
    for username, role, _name in DEMO_ACCOUNTS:
        click.echo(f"    {username:<12} {ROLE_LABELS[role]}")
    scenario = _credit_scenario()
    if scenario:
        click.echo("  试一试许可核查（/credit/check，账户 licensing）：")
        click.echo(f"    列入严重违法失信名单的食品经营者  {scenario['black_listed']}（事项 SCJG-SPJY：从严审查）")
        click.echo(f"    纳税信用 A 级纳税人（导入）       {scenario['red_listed']}（准予许可并适用激励措施）")
    if scenario.get("repair_applied_online"):
        click.echo("  试一试名单管理（/credit/entries，账户 credit、credit2、credit_city）：")
        click.echo(f"    异议待受理                        {scenario['objection_pending']}")
        click.echo(f"    网上移出申请待登记                {scenario['repair_applied_online']}")
        click.echo("    企业网上申请：/credit/apply；规则与依据：supervise credit rules")
    click.echo("  试一试投诉举报（/complaints）：")
    click.echo("    inspector 承办（签收、受理、核查、办结、答复），supervisor 确认涉及的经营主体和改派；")
    click.echo("    12345 平台以 hotline 账户的令牌推送工单（POST /api/complaints）；supervise complaint list")
    click.echo("  试一试整改督办（/oversight）：")
    click.echo("    supervisor 提出、supervisor2 确认；整改单位 unit_wsjk、unit_yjgl 提交整改报告；")
    click.echo("    supervise rectification list")
    click.echo("")


def _credit_scenario() -> dict[str, str]:
    from sqlmodel import col, select

    from supervise.models import AuditLog

    with unit() as session:
        row = session.exec(
            select(AuditLog).where(AuditLog.action == "seed.credit_scenario").order_by(col(AuditLog.id).desc())
        ).first()
        return json.loads(row.payload) if row else {}


# --- accounts ---------------------------------------------------------------------------------


@main.group("user")
def user_group() -> None:
    """User accounts."""


@user_group.command("create")
@click.option("--username", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(list(ROLES)),
)
@click.option("--name", "display_name", default=None, help="Display name (default: the username).")
@click.option("--department", default=None, help="Department code, e.g. 330102-SCJG.")
@click.option("--password", default=None, help="Omit to be prompted (recommended).")
@cli_errors
def user_create(
    username: str, role: str, display_name: str | None, department: str | None, password: str | None
) -> None:
    """Create a user account (the password rule applies: 12 characters, not a common password)."""
    from supervise.accounts import create_user

    if password is None:
        password = getpass.getpass("密码：")
    with unit() as session:
        create_user(
            session,
            username=username,
            display_name=display_name or username,
            role=role,
            password=password,
            department_code=department,
            actor=CLI_ACTOR,
        )
    click.echo(f"已创建账户 {username}（{role}）")


@main.group("token")
def token_group() -> None:
    """Bearer tokens for systems calling the API."""


@token_group.command("create")
@click.option("--username", required=True)
@click.option("--name", required=True, help="What the token is for, e.g. 许可审批系统.")
def token_create(username: str, name: str) -> None:
    """Issue a bearer token for a user and print it (shown once)."""
    from supervise.accounts import mint_token
    from supervise.models import User

    with unit() as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None or user.id is None:
            click.echo(f"错误：用户 {username} 不存在", err=True)
            sys.exit(1)
        _row, clear = mint_token(session, user_id=user.id, name=name, actor=CLI_ACTOR)
    click.echo(clear)


# --- enterprises ------------------------------------------------------------------------------


@main.group("enterprise")
def enterprise_group() -> None:
    """Market entities (市场主体)."""


@enterprise_group.command("add")
@click.option("--uscc", required=True, help="统一社会信用代码")
@click.option("--name", required=True)
@click.option("--legal-rep", "legal_rep_name", required=True)
@click.option("--region", "region_code", required=True)
@click.option("--township", "township_code", default=None)
@click.option("--industry", "industry_code", required=True)
@click.option("--registered-on", required=True, help="YYYY-MM-DD")
@cli_errors
def enterprise_add(**fields: Any) -> None:
    """Register one market entity."""
    from supervise.schemas import EnterpriseCreate
    from supervise.services import create_enterprise

    data = EnterpriseCreate.model_validate({k: v for k, v in fields.items() if v is not None})
    with unit() as session:
        create_enterprise(session, data=data, actor=CLI_ACTOR)
    click.echo(f"registered {data.uscc} {data.name}")


@enterprise_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--only-valid", is_flag=True, help="Import the good rows and skip the bad ones.")
@cli_errors
def enterprise_import(path: Path, only_valid: bool) -> None:
    """Import market entities from .csv/.xlsx; any bad row rejects the whole file unless --only-valid."""
    from supervise.services import ENTERPRISE_IMPORT, import_enterprises

    rows = table_file(path, spec=ENTERPRISE_IMPORT)
    with unit() as session:
        report = import_enterprises(session, rows=rows, actor=CLI_ACTOR, source=path.name, only_valid=only_valid)
    for e in report.errors:
        click.echo(f"skipped line {e.line}: {e.field}: {e.message}", err=True)
    click.echo(f"imported {report.imported} rows, skipped {report.skipped}")


# --- audit ------------------------------------------------------------------------------------


@main.group("audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Walk the audit chain and compare it with the newest anchor; exit 1 naming what is broken or missing."""
    from supervise.anchors import check_latest_anchor
    from supervise.witness import check as check_witness

    with Session(engine()) as session:
        checked, problem = audit.verify(session)
        anchor, missing = check_latest_anchor(session)
        cut = check_witness(session)
    if problem is not None:
        click.echo(f"审计链被破坏：第 {problem.row_id} 条 {problem.reason}", err=True)
    if missing is not None:
        click.echo(f"审计链与锚点不符：{missing}", err=True)
    if cut is not None:
        click.echo(f"审计链与见证文件不符：{cut}", err=True)
    if problem is not None or missing is not None or cut is not None:
        sys.exit(1)
    where = (
        f"，与锚点（{anchor.source}，截至第 {anchor.head_id} 条共 {anchor.rows} 条）一致" if anchor else "（尚无锚点）"
    )
    click.echo(f"审计链完整：已校验 {checked} 条{where}，与见证文件记录的最新一条一致")


@audit_group.command("anchor")
def audit_anchor() -> None:
    """Fix an anchor of the audit chain now (the daily job does this at 00:10)."""
    from supervise.anchors import fix_anchor

    with unit() as session:
        anchor = fix_anchor(session, source="命令行", actor=CLI_ACTOR)
    click.echo(f"已锚定审计链：截至第 {anchor.head_id} 条，共 {anchor.rows} 条，末条哈希 {anchor.head_hash}")


# --- background work --------------------------------------------------------------------------


@main.command("reminders")
def reminders() -> None:
    """Send today's to-do reminders now: inboxes, then the webhook (the daily job does this at 08:00)."""
    from supervise.jobs import send_reminders

    r = send_reminders(CLI_ACTOR)
    click.echo(
        f"新提醒 {r['queued']} 条，送达站内消息 {r['delivered']} 条，"
        f"推送 {r['posted']} 条，推送失败 {r['post_failed']} 条"
    )


@main.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--with-scheduler", is_flag=True, help="Also run RQ's scheduler (retries with delays).")
def worker(burst: bool, with_scheduler: bool) -> None:
    """Run an RQ worker on the configured Redis (embedded or REDIS_URL)."""
    from supervise.queue import make_worker

    make_worker().work(burst=burst, with_scheduler=with_scheduler)


@main.command("cron")
@click.option("--once", is_flag=True, help="Enqueue what is due now and exit.")
def cron(once: bool) -> None:
    """Enqueue the daily jobs (e.g. credit list expiry at 02:00) once a day."""
    from supervise.cron import run_forever, tick

    if once:
        click.echo(", ".join(tick(current_app)) or "nothing due")
        return
    run_forever(current_app)


def _register_domain_commands() -> None:
    """Let domain packages add their command groups."""
    for module in (
        "supervise.cli_calendar",
        "supervise.cli_backup",
        "inspections.draw.cli",
        "inspections.cli",
        "inspections.disposals.cli",
        "inspections.complaints.cli",
        "scheduling.cli",
        "credit.cli",
        "credit.risk.cli",
        "reports.cli",
        "reports.oversight.cli",
    ):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(main)


_register_domain_commands()
