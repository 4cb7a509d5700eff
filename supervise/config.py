"""Settings read from the environment, with an embedded default that needs no configuration."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "supervise-dev-insecure-key"  # noqa: S105 - refused outside development/testing
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The configuration is unsafe or inconsistent; the app refuses to start."""


DEFAULT_COOLDOWN = {"A": 365, "B": 180, "C": 90, "D": 0}


def parse_cooldown(text: str) -> dict[str, int]:
    """Read SUPERVISE_COOLDOWN_DAYS: "A=365,B=180,C=90,D=0" (tiers not named keep their defaults), or one
    number of days for tiers A to C (D stays at its default)."""
    days = dict(DEFAULT_COOLDOWN)
    if text.strip().isdigit():
        days.update(dict.fromkeys("ABC", int(text)))
        return days
    for part in text.split(","):
        tier, sep, value = part.partition("=")
        tier = tier.strip().upper()
        if not sep or tier not in days or not value.strip().isdigit():
            raise ValueError(text)
        days[tier] = int(value)
    return days


@dataclass(frozen=True)
class Tuning:
    """The operational SUPERVISE_* settings with their defaults, read from the environment in one place."""

    # An ordinary draw leaves out a firm its departments inspected this many days before, by risk tier; never a
    # D-tier firm (对失信、高风险主体提高抽查比例和频次). The values are 本地设定.
    cooldown_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_COOLDOWN))
    general_max_ratio: str = "0.3"  # 一般事项 may not be sampled above this; 重点事项 may
    draw_processes: int | None = None  # None: the machine's CPU count
    reference_ttl: float = 60.0  # seconds the licensing check keeps the credit reference data
    licence_check_days: int = 30  # a licence must follow a check of its firm and matter within this (本地设定)
    outcome_report_days: int = 5  # a check's outcome is reported within this many working days (本地设定)
    recording_days: int = 5  # a visit's result is recorded within this many working days of the visit (本地设定)
    # 督查 belongs to the 省政府督查室 (its 专项督查 to the 省政府办公厅): a 市场监管 office cannot hold 卫健 or 应急
    # to account. Configurable for an installation run by another office.
    report_issuer: str = "浙江省人民政府督查室"
    # 政府督查工作条例 第七条: the designation (指定事项、范围、期限) the 督查 desk works under, shown on it
    oversight_mandate: str = ""
    # The government messaging platform's webhook (浙政钉 or similar) that reminders are also posted to; "" = none
    reminder_webhook: str = ""
    # The 督查室's 发文机关代字 before its series (浙政 -> 浙政督通〔2026〕1号); "" keeps the bare series (本地设定)
    doc_prefix: str = ""
    credit_issuer: str = "浙江省市场监督管理局"  # who issues the 企业信用报告
    lagging: dict[str, str] = field(default_factory=dict)  # SUPERVISE_LAG_* (reports.lagging.Thresholds)
    cap_quarter: int = 1
    cap_year: int = 2
    daily_visits: int = 3
    import_max_mb: int = 64
    session_idle_minutes: int = 30  # a signed-in session unused this long ends (本地设定)
    session_max_hours: int = 12  # and any session ends this long after sign-in (本地设定)
    job_heartbeat: int = 15
    job_sweep: int = 30
    cjk_font: str | None = None
    clock_start: str | None = None  # testing only: a server a test starts keeps the test's clock


def read_tuning(env: Mapping[str, str] | None = None) -> Tuning:
    """Read the operational settings from the environment (or the mapping given); unset ones keep defaults."""
    env = os.environ if env is None else env
    d = Tuning()

    def get(name: str, default: Any, kind: Callable[[str], Any]) -> Any:
        raw = env.get(f"SUPERVISE_{name}")
        if raw is None or raw == "":
            return default
        try:
            return kind(raw)
        except ValueError:
            raise ConfigError(f"SUPERVISE_{name} is not a valid value: {raw!r}") from None

    return Tuning(
        cooldown_days=get("COOLDOWN_DAYS", d.cooldown_days, parse_cooldown),
        general_max_ratio=get("GENERAL_MAX_RATIO", d.general_max_ratio, str),
        draw_processes=get("DRAW_PROCESSES", d.draw_processes, lambda v: max(1, int(v))),
        reference_ttl=get("REFERENCE_TTL", d.reference_ttl, float),
        licence_check_days=get("LICENCE_CHECK_DAYS", d.licence_check_days, int),
        outcome_report_days=get("OUTCOME_REPORT_DAYS", d.outcome_report_days, int),
        recording_days=get("RECORDING_DAYS", d.recording_days, int),
        report_issuer=get("REPORT_ISSUER", d.report_issuer, str),
        oversight_mandate=get("OVERSIGHT_MANDATE", d.oversight_mandate, str),
        reminder_webhook=get("REMINDER_WEBHOOK", d.reminder_webhook, str),
        doc_prefix=get("DOC_PREFIX", d.doc_prefix, str),
        credit_issuer=get("CREDIT_ISSUER", d.credit_issuer, str),
        lagging={k: v for k, v in env.items() if k.startswith("SUPERVISE_LAG_")},
        cap_quarter=get("CAP_QUARTER", d.cap_quarter, int),
        cap_year=get("CAP_YEAR", d.cap_year, int),
        daily_visits=get("DAILY_VISITS", d.daily_visits, int),
        import_max_mb=get("IMPORT_MAX_MB", d.import_max_mb, int),
        session_idle_minutes=get("SESSION_IDLE_MINUTES", d.session_idle_minutes, lambda v: max(1, int(v))),
        session_max_hours=get("SESSION_MAX_HOURS", d.session_max_hours, lambda v: max(1, int(v))),
        job_heartbeat=get("JOB_HEARTBEAT", d.job_heartbeat, int),
        job_sweep=get("JOB_SWEEP", d.job_sweep, int),
        cjk_font=get("CJK_FONT", d.cjk_font, str),
        clock_start=get("CLOCK_START", d.clock_start, str),
    )


_installed: Settings | None = None


def install(settings: Settings) -> None:
    """Make these the settings every module reads (create_app does this; tests may too)."""
    global _installed
    _installed = settings


def current() -> Settings:
    """The installed settings; outside an application (the bare verifier, scripts) read from the environment."""
    return _installed if _installed is not None else load_settings()


def tuning() -> Tuning:
    """The operational settings of the installed application, else of the environment."""
    return _installed.tuning if _installed is not None else read_tuning()


@dataclass(frozen=True)
class Settings:
    """Everything the application needs to know about where it runs."""

    env: str
    instance_path: Path
    secret_key: str
    database_url: str
    redis_url: str | None
    queue_name: str = "supervise"
    tuning: Tuning = field(default_factory=Tuning)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded_redis_path(self) -> Path:
        return self.instance_path / "redis.db"

    @property
    def files_path(self) -> Path:
        return self.instance_path / "files"


def default_instance_path() -> Path:
    """Return the instance folder: $SUPERVISE_INSTANCE, else ./instance under the working tree."""
    configured = os.environ.get("SUPERVISE_INSTANCE")
    if configured:
        return Path(configured).expanduser().resolve()
    return (Path.cwd() / "instance").resolve()


def load_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Build settings from the environment plus explicit overrides, refusing unsafe combinations."""
    o = dict(overrides or {})
    env = str(o.pop("ENV", None) or os.environ.get("SUPERVISE_ENV", "production"))
    if env not in ENVIRONMENTS:
        raise ConfigError(f"SUPERVISE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    instance = Path(o.pop("INSTANCE_PATH", None) or default_instance_path())
    secret = str(o.pop("SECRET_KEY", None) or os.environ.get("SUPERVISE_SECRET_KEY") or "")
    if not secret or secret == DEV_SECRET_KEY:
        if env == "production":
            raise ConfigError(
                "refusing to start in production with the default secret key: "
                "set SUPERVISE_SECRET_KEY to a long random value "
                "(or SUPERVISE_ENV=development for a local demo)"
            )
        secret = DEV_SECRET_KEY
    database_url = str(
        o.pop("DATABASE_URL", None) or os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'supervise.db'}"
    )
    database_url = normalize_database_url(database_url)
    redis_url = o.pop("REDIS_URL", None) or os.environ.get("REDIS_URL") or None
    queue = str(o.pop("QUEUE_NAME", None) or os.environ.get("SUPERVISE_QUEUE", "supervise"))
    return Settings(
        env=env,
        instance_path=instance,
        secret_key=secret,
        database_url=database_url,
        redis_url=redis_url,
        queue_name=queue,
        tuning=read_tuning(),
        extra=o,
    )


def normalize_database_url(url: str) -> str:
    """Select the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
