from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from supervise import audit
from supervise.auditchain import GENESIS_HASH, ChainEntry, entry_hash, verify_chain
from supervise.db import unit_of_work
from supervise.models import AuditLog


def _chain(n: int) -> list[ChainEntry]:
    out, prev = [], GENESIS_HASH
    t0 = datetime(2026, 10, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        fields = dict(
            created_at=t0 + timedelta(seconds=i),
            actor="user:a",
            action="x",
            object_type="t",
            object_id=str(i),
            payload=f'{{"n":{i}}}',
        )
        h = entry_hash(prev_hash=prev, **fields)  # type: ignore[arg-type]
        out.append(ChainEntry(id=i, prev_hash=prev, hash=h, **fields))  # type: ignore[arg-type]
        prev = h
    return out


def test_intact_chain_verifies() -> None:
    assert verify_chain(_chain(5)) is None


def test_edited_payload_is_named_by_row() -> None:
    rows = _chain(5)
    rows[2] = ChainEntry(**{**rows[2].__dict__, "payload": '{"n":999}'})
    problem = verify_chain(rows)
    assert problem is not None and problem.row_id == 3 and "被改动" in problem.reason


def test_deleted_row_is_detected_at_its_successor() -> None:
    rows = _chain(5)
    del rows[1]
    problem = verify_chain(rows)
    assert problem is not None and problem.row_id == 3


def _record_some(engine: Any, n: int) -> None:
    with unit_of_work(engine) as session:
        for i in range(n):
            audit.record(
                session,
                actor="user:test",
                action="thing.done",
                object_type="thing",
                object_id=i,
                payload={"i": i, "名称": "测试"},
            )


def test_stored_chain_verifies_after_round_trip(engine: Any) -> None:
    _record_some(engine, 4)
    with Session(engine) as session:
        checked, problem = audit.verify(session)
    assert (checked, problem) == (4, None)


def test_direct_sql_edit_is_named_by_audit_verify(engine: Any, runner: Any) -> None:
    _record_some(engine, 5)
    with Session(engine) as session:
        target = session.exec(select(AuditLog).order_by(AuditLog.id).offset(2)).first()  # type: ignore[arg-type]
        assert target is not None
        target_id = target.id
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = :p WHERE id = :id"), {"p": '{"i":42}', "id": target_id})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"审计链被破坏：第 {target_id} 条" in result.output


def test_direct_sql_delete_is_named_by_audit_verify(engine: Any, runner: Any) -> None:
    _record_some(engine, 5)
    with Session(engine) as session:
        ids = list(session.exec(select(AuditLog.id).order_by(AuditLog.id)).all())  # type: ignore[arg-type]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"审计链被破坏：第 {ids[2]} 条" in result.output


def test_audit_verify_passes_on_a_clean_database(engine: Any, runner: Any) -> None:
    _record_some(engine, 3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "审计链完整：已校验 3 条" in result.output


def test_audit_rows_roll_back_with_their_transaction(engine: Any) -> None:
    try:
        with unit_of_work(engine) as session:
            audit.record(session, actor="user:x", action="a", object_type="t", object_id=1)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    with Session(engine) as session:
        assert session.exec(select(AuditLog)).all() == []


def test_deleting_the_newest_audit_rows_is_reported_against_the_anchor(engine: Any, runner: Any) -> None:
    _record_some(engine, 4)
    anchored = runner.invoke(args=["audit", "anchor"])
    assert anchored.exit_code == 0, anchored.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with engine.begin() as conn:  # the newest row, as someone covering their tracks would
        newest = conn.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": newest})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"记录的第 {newest} 条审计记录已不存在" in result.output and "末尾至少 1 条审计记录被删除" in result.output


def test_the_anchor_survives_in_the_instance_file_when_the_table_is_emptied(app: Any, engine: Any, runner: Any) -> None:
    _record_some(engine, 3)
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    with engine.begin() as conn:  # the anchors' table and the newest rows, both gone
        conn.execute(text("DELETE FROM audit_anchor"))
        newest = conn.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": newest - 1})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "末尾至少 2 条审计记录被删除" in result.output


def test_cutting_the_tail_behind_the_newest_anchor_is_named_by_the_witness(app: Any, engine: Any, runner: Any) -> None:
    assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
    for _ in range(5):  # five later transactions, as requests would commit them, with no anchor after them
        with app.app_context(), unit_of_work(engine) as session:
            audit.record(session, actor="user:test", action="thing.done", object_type="thing", object_id=1)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with engine.begin() as conn:  # the newest three rows, deleted: the chain that is left is still consistent
        newest = conn.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE id > :id"), {"id": newest - 3})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"第 {newest - 2} 条至第 {newest} 条之间的审计记录被删除" in result.output


def test_a_rolled_back_transaction_leaves_no_witness_line(app: Any, engine: Any) -> None:
    from supervise.witness import newest, witness_file

    with app.app_context():
        with unit_of_work(engine) as session:
            audit.record(session, actor="user:test", action="thing.done", object_type="thing", object_id=1)
        path = witness_file()
        assert path is not None
        before = newest(path)
        with pytest.raises(RuntimeError), unit_of_work(engine) as session:
            audit.record(session, actor="user:test", action="thing.done", object_type="thing", object_id=2)
            raise RuntimeError("the change failed")
        assert newest(path) == before and before is not None
