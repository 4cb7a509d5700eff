"""Every import and the 12345 push, fed hostile input: never a server error, nothing half-stored."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from supervise.models import AuditLog
from tests.conftest import bearer

IMPORTS = {  # the API route of each import, with the form fields it needs besides the file
    "enterprises": ("/api/enterprises/import", {}),
    "inspectors": ("/api/directory/inspectors", {}),
    "checklists": ("/api/items/checklists", {}),
    "complaints": ("/api/complaints/import", {}),
    "red-lists": (
        "/api/credit/red-lists/RED_TAX/import",
        {
            "document": "某公告",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "department_code": "330100-SCJG",
        },
    ),
}


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (80 * 1024 * 1024))
    return out.getvalue()


HOSTILE = {
    "garbage named .csv": ("a.csv", bytes(range(256)) * 40),
    "garbage named .xlsx": ("a.xlsx", b"PK\x03\x04" + bytes(range(256)) * 40),
    "an executable": ("a.exe", b"MZ" + b"\x00" * 100),
    "a 200 KB cell": ("a.csv", ("uscc,name\n" + "9" * 200_000 + ",x\n").encode()),
    "NUL bytes in cells": ("a.csv", b"uscc,name\n\x00\x00,\x00x\n"),
    "a broken quote": ("a.csv", b'uscc,name\n"9133,unterminated\n'),
    "five hundred columns": ("a.csv", (",".join(f"c{i}" for i in range(500)) + "\n" + "x," * 499 + "x\n").encode()),
    "only a header": ("a.csv", "统一社会信用代码,企业名称\n".encode()),
    "an empty file": ("a.csv", b""),
    "a zip bomb": ("a.xlsx", _bomb()),
    "formula cells": ("a.csv", b"uscc,name\n=cmd|' /C calc'!A0,@SUM(1)\n"),
}


def _rows(engine: Any) -> dict[str, int]:
    with Session(engine) as session:
        return {
            t.name: int(session.exec(select(func.count()).select_from(t)).one())  # type: ignore[call-overload]
            for t in SQLModel.metadata.sorted_tables
            if t.name != AuditLog.__tablename__
        }


@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_every_import_refuses_hostile_files_without_a_server_error(
    app: Any, client: Any, engine: Any, province: Any, kind: str
) -> None:
    path, form = IMPORTS[kind]
    headers = bearer(app, "admin")
    before = _rows(engine)
    for what, (name, data) in HOSTILE.items():
        resp = client.post(
            path, data={**form, "file": (io.BytesIO(data), name)}, headers=headers, content_type="multipart/form-data"
        )
        assert 400 <= resp.status_code < 500, (kind, what, resp.status_code, resp.get_data(as_text=True)[:300])
        body = resp.get_json()
        assert body["message"] and all(ord(c) < 0x80 for c in body["error"]), (kind, what)
        assert any("\u4e00" <= c <= "\u9fff" for c in body["message"]), (kind, what, body["message"])
    assert _rows(engine) == before  # nothing of any refused file was stored


PUSHES = [
    [],
    "a string",
    {"ticket_no": ["ZJ1-0001"]},
    {"ticket_no": "ZJ1-0001", "received_at": "yesterday", "channel": "12345热线", "category": "投诉", "content": "x"},
    {"ticket_no": "ZJ1-0001", "received_at": "2026-12-01T09:00:00+08:00", "channel": "12345热线", "category": "投诉",
     "content": "x" * 100_000},
    {"ticket_no": "ZJ1-0001", "received_at": "2026-12-01T09:00:00+08:00", "channel": "12345热线", "category": "投诉",
     "content": "x", "extra": 1},
    {"ticket_no": "../../etc/passwd", "received_at": "2026-12-01T09:00:00+08:00", "channel": "12345热线",
     "category": "投诉", "content": "x"},
    {"ticket_no": "ZJ1-0001", "received_at": "2026-12-01T09:00:00+08:00", "channel": "12345热线", "category": "投诉",
     "content": "x", "uscc": "9" * 18, "complainant_phone": "<script>", "confidential": 1},
    {"ticket_no": "ZJ1-0001", "received_at": -1e308, "channel": None, "category": 7, "content": {"a": 1}},
]  # fmt: skip


@pytest.mark.parametrize("body", PUSHES, ids=range(len(PUSHES)))
def test_hostile_pushes_of_the_12345_platform_are_4xx(
    app: Any, client: Any, engine: Any, users: Any, body: Any
) -> None:
    from inspections.complaints.models import Complaint
    from supervise.auth import hash_password
    from supervise.db import unit_of_work
    from supervise.models import User

    with unit_of_work(engine) as session:
        session.add(
            User(username="hotline", display_name="12345", password_hash=hash_password("x" * 20), role="hotline")
        )
    resp = client.post("/api/complaints", json=body, headers=bearer(app, "hotline"))
    assert 400 <= resp.status_code < 500, resp.get_data(as_text=True)[:300]
    with Session(engine) as session:
        assert session.exec(select(Complaint)).first() is None
