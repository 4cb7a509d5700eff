"""Settings read from the environment, with an embedded default that needs no configuration."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "supervise-dev-insecure-key"  # noqa: S105 - refused outside development/testing
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The configuration is unsafe or inconsistent; the app refuses to start."""


@dataclass(frozen=True)
class Settings:
    """Everything the application needs to know about where it runs."""

    env: str
    instance_path: Path
    secret_key: str
    database_url: str
    redis_url: str | None
    queue_name: str = "supervise"
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
        extra=o,
    )


def normalize_database_url(url: str) -> str:
    """Select the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
