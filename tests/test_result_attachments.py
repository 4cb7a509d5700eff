"""Photos and documents attached to a visit's result: type by content, size and count limits, team-only access."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from sqlmodel import Session, select

from inspections.models import ResultAttachment
from supervise.models import AuditLog
from tests.conftest import bearer
from tests.drawkit import add_firms, ceremony, make_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"1 0 obj\n" * 20


@pytest.fixture
def recorded(app: Any, client: Any, province: Any, engine: Any) -> int:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    target = int(client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]["target_id"])
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    assert (
        client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector")).status_code == 201
    )
    return target


def _upload(
    app: Any, client: Any, target: int, files: list[tuple[bytes, str]], user: str = "inspector", **form: Any
) -> Any:
    data = {"files": [(io.BytesIO(b), n) for b, n in files], **form}
    return client.post(
        f"/api/assignments/{target}/attachments",
        data=data,
        headers=bearer(app, user),
        content_type="multipart/form-data",
    )


def _count(engine: Any) -> int:
    with Session(engine) as session:
        return len(session.exec(select(ResultAttachment)).all())


def test_a_photo_and_a_document_are_kept_by_content_and_read_by_the_team_only(
    app: Any, client: Any, engine: Any, recorded: int
) -> None:
    resp = _upload(app, client, recorded, [(PNG, "现场照片.png"), (PDF, "现场笔录.pdf")])
    assert resp.status_code == 201, resp.get_json()
    listed = resp.get_json()["result"]["attachments"]
    assert [(f["name"], f["type"]) for f in listed] == [
        ("现场照片.png", "image/png"),
        ("现场笔录.pdf", "application/pdf"),
    ]
    assert listed[0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    got = client.get(f"/api/assignments/{recorded}/attachments/{listed[0]['sha256']}", headers=bearer(app, "inspector"))
    assert got.status_code == 200 and got.data == PNG and got.mimetype == "image/png"
    other = client.get(
        f"/api/assignments/{recorded}/attachments/{listed[0]['sha256']}", headers=bearer(app, "inspector2")
    )
    assert other.status_code == 403
    unknown = client.get(f"/api/assignments/{recorded}/attachments/{'0' * 64}", headers=bearer(app, "inspector"))
    assert unknown.status_code == 404
    stored = app.extensions["supervise.settings"].files_path / "attachments"
    assert (stored / listed[0]["sha256"][:2] / listed[0]["sha256"]).read_bytes() == PNG
    with Session(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "result.attachment_added")).first() is not None


def test_the_wrong_type_too_many_or_too_large_files_are_refused_and_nothing_is_kept(
    app: Any, client: Any, engine: Any, recorded: int
) -> None:
    disguised = _upload(app, client, recorded, [(b"MZ\x90\x00" + b"\x00" * 100, "photo.png")])
    assert disguised.status_code == 422 and disguised.get_json()["fields"][0]["field"] == "files"
    assert "photo.png 不是 PDF、PNG 或 JPEG 文件" in disguised.get_json()["message"]
    six = _upload(app, client, recorded, [(PNG, f"{n}.png") for n in range(6)])
    assert six.status_code == 422 and "最多上传 5 个附件" in six.get_json()["message"]
    large = _upload(app, client, recorded, [(PNG + b"\x00" * (5 * 1024 * 1024), "big.png")])
    assert large.status_code == 422 and "超过 5 MB" in large.get_json()["message"]
    assert _upload(app, client, recorded, []).get_json()["fields"][0]["field"] == "files"
    assert _count(engine) == 0


def test_an_attachment_belongs_to_one_of_the_departments_points_and_needs_a_result(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    target = int(client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]["target_id"])
    early = _upload(app, client, target, [(PNG, "a.png")])
    assert early.status_code == 409
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector"))
    wrong = _upload(app, client, target, [(PNG, "a.png")], point_id="999999")
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"] == "point_id"
    assert _count(engine) == 0
