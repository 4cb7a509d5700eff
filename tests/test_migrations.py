import json
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from supervise.migrate import MIGRATIONS, alembic_config, current_revision, downgrade, upgrade


def _fresh_engine(database_url: str, tmp_path: Any) -> Any:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    return None


def test_upgrade_reaches_head_and_matches_the_models(engine: Any) -> None:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_from_empty_database_creates_every_table(migrated: str, tmp_path: Any) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(migrated)
    if url.get_backend_name() == "sqlite":
        target = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    else:
        name = url.database + "_fresh"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        target = create_engine(url.set(database=name))
    try:
        upgrade(target)
        tables = set(inspect(target).get_table_names())
        assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
        downgrade(target, "base")
        assert set(inspect(target).get_table_names()) <= {"alembic_version"}
        upgrade(target)
        assert current_revision(target) == ScriptDirectory.from_config(alembic_config(target)).get_current_head()
    finally:
        target.dispose()
        if url.get_backend_name() != "sqlite":
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_migrations_live_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()


def test_outcome_counts_of_existing_draws_are_filled_in_from_their_records(engine: Any, province: Any) -> None:
    from tests.drawkit import add_firms, ceremony, make_task

    add_firms(engine, 30)
    make_task(engine, "T1")
    draw = ceremony(engine, "T1")
    outcome = json.loads(draw.record)["outcome"]
    downgrade(engine, "0006")  # the counts did not exist before 0007: the draw is now as 0006 stored it
    try:
        assert "selected_count" not in {c["name"] for c in inspect(engine).get_columns("draw")}
    finally:
        upgrade(engine)
    with engine.connect() as conn:
        counts = conn.execute(text("SELECT selected_count, unstaffed_count FROM draw WHERE id = :id"), {"id": draw.id})
        assert tuple(counts.one()) == (len(outcome["selected"]), len(outcome["unstaffed"]))
    assert len(outcome["selected"]) > 0
