"""Photos and documents a team attaches to a visit's result, or to one of its 检查要点: stored content-addressed
(supervise.attachments: PDF, PNG or JPEG recognised by their bytes, 5 MB each, 5 at a time) and audited."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from inspections.models import CheckPoint, ResultAttachment
from inspections.recording import department_items, department_visit, points_of_items
from supervise import attachments, audit, clock
from supervise.errors import field_error
from supervise.models import Inspector

MAX_PER_RESULT = 30


def attach(
    session: Session,
    *,
    target_id: int,
    inspector: Inspector,
    files: list[tuple[str, bytes]],
    point_id: int | None,
    actor: str,
) -> list[ResultAttachment]:
    """Keep the files and attach them to the visit's result (or to one of the department's points)."""
    _target, task, dept, result = department_visit(session, target_id, inspector)
    if result is None:
        raise field_error("target_id", "请先录入检查结果，再上传附件", status=409)
    if result.published_at is not None:
        raise field_error("target_id", "结果已公示，不能再上传附件", status=409)
    if not files:
        raise field_error("files", "请选择要上传的附件")
    if point_id is not None and point_id not in {
        p.id for p in points_of_items(session, department_items(session, task, dept))
    }:
        raise field_error("point_id", "该检查要点不属于本部门在该任务中的检查事项")
    have = session.exec(
        select(func.count()).select_from(ResultAttachment).where(ResultAttachment.result_id == result.id)
    ).one()
    if have + len(files) > MAX_PER_RESULT:
        raise field_error("files", f"每项检查结果最多 {MAX_PER_RESULT} 个附件（已有 {have} 个）")
    kept = attachments.store(files, field="files")
    rows = [
        ResultAttachment(
            result_id=result.id or 0,
            point_id=point_id,
            department_id=dept.id or 0,
            sha256=k["sha256"],
            name=k["name"],
            size=k["size"],
            content_type=k["type"],
            uploaded_by=inspector.id or 0,
        )  # fmt: skip
        for k in kept
    ]
    session.add_all(rows)
    audit.record(
        session, actor=actor, action="result.attachment_added", object_type="draw_target", object_id=target_id,
        payload={"files": [{"sha256": k["sha256"], "name": k["name"], "size": k["size"]} for k in kept],
                 "point": point_id},
    )  # fmt: skip
    return rows


def attachment_rows(session: Session, *, result_id: int) -> list[dict[str, Any]]:
    """A result's attachments with the point each belongs to."""
    rows = session.exec(
        select(ResultAttachment, CheckPoint.text)
        .outerjoin(CheckPoint, col(CheckPoint.id) == col(ResultAttachment.point_id))
        .where(ResultAttachment.result_id == result_id)
        .order_by(col(ResultAttachment.id))
    ).all()
    return [
        {
            "sha256": a.sha256,
            "name": a.name,
            "size": a.size,
            "type": a.content_type,
            "point": text,
            "uploaded_at": clock.to_beijing(a.uploaded_at).strftime("%Y-%m-%d %H:%M"),
        }  # fmt: skip
        for a, text in rows
    ]


def attachment_file(session: Session, *, result_id: int, sha256: str) -> tuple[str, str, bytes]:
    """(name, type, bytes) of one of the result's attachments; 404 for any other digest."""
    row = session.exec(
        select(ResultAttachment).where(ResultAttachment.result_id == result_id, ResultAttachment.sha256 == sha256)
    ).first()
    if row is None:
        raise field_error("sha256", "附件不存在", status=404)
    try:
        return row.name, row.content_type, attachments.read(sha256)
    except FileNotFoundError:
        raise field_error("sha256", "附件文件缺失，请联系系统管理员", status=404) from None
