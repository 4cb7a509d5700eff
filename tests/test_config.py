from pathlib import Path

import pytest

from supervise import create_app
from supervise.config import DEV_SECRET_KEY, ConfigError, load_settings


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SUPERVISE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="default secret key"):
        create_app({"ENV": "production", "INSTANCE_PATH": tmp_path})


def test_production_refuses_the_development_default_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUPERVISE_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(ConfigError):
        load_settings({"ENV": "production", "INSTANCE_PATH": tmp_path})


def test_unset_environment_means_production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SUPERVISE_ENV", raising=False)
    monkeypatch.delenv("SUPERVISE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_settings({"INSTANCE_PATH": tmp_path})


def test_production_starts_with_its_own_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUPERVISE_SECRET_KEY", "a-long-random-production-secret-0123456789")
    app = create_app({"ENV": "production", "INSTANCE_PATH": tmp_path})
    assert app.config["SECRET_KEY"] == "a-long-random-production-secret-0123456789"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("env", ["development", "testing"])
def test_development_and_testing_may_use_the_default_key(
    env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SUPERVISE_SECRET_KEY", raising=False)
    assert load_settings({"ENV": env, "INSTANCE_PATH": tmp_path}).secret_key == DEV_SECRET_KEY


def test_unknown_environment_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SUPERVISE_ENV"):
        load_settings({"ENV": "staging", "INSTANCE_PATH": tmp_path})


def test_embedded_default_lives_under_the_instance_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SUPERVISE_INSTANCE", str(tmp_path / "site-a"))
    s = load_settings({"ENV": "testing"})
    assert s.database_url == f"sqlite:///{tmp_path / 'site-a' / 'supervise.db'}"
    assert s.redis_url is None
    assert s.embedded_redis_path == tmp_path / "site-a" / "redis.db"


def test_plain_postgresql_urls_use_psycopg3(tmp_path: Path) -> None:
    s = load_settings({"ENV": "testing", "INSTANCE_PATH": tmp_path, "DATABASE_URL": "postgresql://u@h:5432/db"})
    assert s.database_url == "postgresql+psycopg://u@h:5432/db"
