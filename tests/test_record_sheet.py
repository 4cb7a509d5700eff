"""The 随机抽查情况记录表: printed blank before the visit and filled after it, by command, page and API."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from supervise.models import AuditLog
from tests.conftest import Runner, bearer, http_request
from tests.drawkit import add_firms, ceremony, make_task


@pytest.fixture
def visit(app: Any, client: Any, province: Any, engine: Any) -> dict[str, Any]:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    # A basis whose article is unconfirmed: officers see the caveat, the paper handed to the firm does not.
    points = (
        "item_code,seq,text,legal_basis,criterion\n"
        "I-SCJG,1,年报按期公示,《企业信息公示暂行条例》（条号待核对）,按期公示\n"
    )
    imported = client.post(
        "/api/items/checklists", data={"file": (io.BytesIO(points.encode()), "p.csv")},
        headers=bearer(app, "admin"), content_type="multipart/form-data",
    )  # fmt: skip
    assert imported.status_code == 200
    return dict(client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0])


def _text(pdf: bytes) -> str:
    # Cells wrap their text: the words are compared without the line breaks.
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_record_sheet_is_printed_blank_before_and_filled_after_the_visit(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], tmp_path: Path
) -> None:
    target = visit["target_id"]
    blank = tmp_path / "blank.pdf"
    out = Runner(app).invoke(["record-sheet", str(target), "-o", str(blank), "--blank"])
    assert out.exit_code == 0 and "已写入空白记录表" in out.output, out.output
    text = _text(blank.read_bytes())
    assert "随机抽查情况记录表" in text and visit["enterprise_name"] in text and "年报按期公示" in text
    assert all(m["badge"] in text for m in visit["team"]) and "□符合" in text and "签字" in text
    assert "《企业信息公示暂行条例》" in text and "待核对" not in text  # an official paper carries no caveat
    point = visit["items"][0]["points"][0]["id"]
    body = {
        "category": "发现问题待后续处理", "findings": "年报未按期公示", "inspected_on": "2026-07-02",
        "points": [{"point_id": point, "outcome": "不符合", "note": "2025年度年报未报送"}],
    }  # fmt: skip
    recorded = client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector"))
    assert recorded.status_code == 201
    filled = tmp_path / "filled.pdf"
    out = Runner(app).invoke(["record-sheet", str(target), "-o", str(filled)])
    assert out.exit_code == 0 and "已写入已填写记录表" in out.output, out.output
    text = _text(filled.read_bytes())
    assert "2025年度年报未报送" in text and "发现问题待后续处理" in text and "2026-07-02" in text
    with Session(engine) as session:
        printed = session.exec(
            select(AuditLog.payload).where(AuditLog.action == "visit.sheet_printed").order_by(col(AuditLog.id))
        ).all()
    assert len(printed) == 2
    missing = Runner(app).invoke(["record-sheet", "999999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "不存在" in missing.output and not (tmp_path / "x.pdf").exists()


def test_the_record_sheet_downloads_through_gunicorn_for_team_members_only(
    app: Any, client: Any, visit: dict[str, Any], served: str
) -> None:
    target = visit["target_id"]
    status, headers, data = http_request(
        f"{served}/api/assignments/{target}/sheet.pdf?blank=1", headers=bearer(app, "inspector")
    )
    assert status == 200 and headers["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
    assert "filename*=UTF-8''%E9%9A%8F%E6%9C%BA%E6%8A%BD%E6%9F%A5" in headers["Content-Disposition"]  # 随机抽查…
    assert len(headers["X-Content-SHA256"]) == 64
    status, _headers, _data = http_request(
        f"{served}/api/assignments/{target}/sheet.pdf", headers=bearer(app, "inspector2")
    )
    assert status == 403
    status, _headers, _data = http_request(
        f"{served}/api/assignments/{target}/sheet.pdf", headers=bearer(app, "credit")
    )
    assert status == 403
