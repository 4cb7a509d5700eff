"""Generate, archive and fetch accountability reports (one transaction per generation)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from reports.dashboard import dashboard
from reports.models import ReportArchive
from reports.oversight.queries import recheck_period
from reports.oversight.services import notice_number
from reports.pdf import charts, render
from reports.schemas import ReportPublic
from supervise import audit, clock
from supervise.anchors import fix_anchor
from supervise.config import current, tuning
from supervise.drawings import svg
from supervise.errors import field_error
from supervise.fonts import find_cjk_font
from supervise.messages import ROLE_LABELS, actor_label
from supervise.models import Department, User
from supervise.paper import PdfFontMissing, page_count, register_font
from supervise.periods import parse_period
from supervise.queue import RegionJob
from supervise.services import people_names

log = logging.getLogger(__name__)
ACCOUNTABILITY_REPORT = RegionJob(
    func="reports.jobs.generate_accountability",
    action="report.requested",
    object_type="report",  # the same report twice at once would archive two PDFs with two document numbers
    what="督查报告",
    description="accountability report",
    timeout=1800,
    whole_year=True,
)


def report_public(row: ReportArchive, *, download_url: str) -> ReportPublic:
    """The archive row as the API and the dashboard show it."""
    return ReportPublic(
        id=row.public_id,
        doc_number=row.doc_number,
        region=row.region_code,
        period=row.period,
        sha256=row.sha256,
        size=row.size,
        pages=row.pages,
        generated_by=row.generated_by,
        created_at=row.created_at,
        download_url=download_url,
    )


TITLE = "“双随机、一公开”监管和信用联合奖惩工作督查通报"


def reports_dir() -> Path:
    """Where archived PDFs live (inside the instance folder, never the package)."""
    path: Path = current().files_path / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def dashboard_charts(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """The PDF's charts as inline SVG (title, svg) for the dashboard; none if no CJK font is installed."""
    font = find_cjk_font()
    if font is None:
        return []
    register_font(*font)  # the drawings measure their labels in the report's font
    return [(title, svg(drawing)) for title, drawing in charts(metrics)]


def author(session: Session, actor: str) -> str:
    """Who generated a report, as printed: the person's name and office (department, or role without one)."""
    kind, _, username = actor.partition(":")
    user = session.exec(select(User).where(User.username == username)).first() if kind == "user" else None
    if user is None:
        return actor_label(actor, people_names(session, [actor]))
    dept = session.get(Department, user.department_id) if user.department_id else None
    office = dept.name if dept else ROLE_LABELS.get(user.role, user.role)
    return f"{user.display_name}（{office}）"


def _inspector_prompts(session: Session, region: str) -> dict[str, Any] | None:
    """The region's inspectors whose findings are implausibly low against the risk model (a prompt to review)."""
    from credit.risk.queries import inspector_effects

    found = inspector_effects(session, region=region)  # as the latest scoring run measured it
    if not found["rows"]:
        return None
    return {"rows": [r for r in found["rows"] if r["flagged"]], "wording": found["wording"],
            "compared": len(found["rows"]), "since": str(found["since"]), "until": str(found["until"])}  # fmt: skip


def generate(
    session: Session,
    *,
    region: str,
    period: str,
    actor: str,
    job_id: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ReportArchive:
    """Compute, render and archive one report in the caller's transaction; the file is content-addressed."""
    step = progress or (lambda d, t, m: None)
    font = find_cjk_font()
    if font is None:
        raise PdfFontMissing("no TrueType CJK font: install fonts-wqy-microhei or set SUPERVISE_CJK_FONT")
    step(0, 3, "computing metrics")
    today = clock.today()
    data = dashboard(session, region=region, period=period, today=today)
    now = clock.now()
    doc_number = notice_number(session)  # the 督查室 numbers all its 通报 in one series
    # The report carries the audit chain's head and length: deleting later audit rows contradicts it.
    anchor = fix_anchor(session, source=f"督查报告 {doc_number}", actor=actor)
    interim = today <= parse_period(period, whole_year=True).end  # the period has not ended yet
    report = {
        "audit_anchor": anchor.as_json(),
        "title": TITLE + ("（阶段性）" if interim else ""),
        "interim": interim,
        "as_of": today.isoformat(),
        "issuer": tuning().report_issuer,
        "doc_number": doc_number,
        "generated_at": clock.to_beijing(now).strftime("%Y-%m-%d %H:%M"),
        "generated_by": author(session, actor),
        "inspectors": _inspector_prompts(session, region),
        **data,
    }
    if parse_period(period, whole_year=True).quarter:  # the units under 整改 are re-checked in this period
        recheck_period(session, region=region, period=period, actor=actor, lagging=data["lagging"])
    step(1, 3, "rendering PDF")
    pdf = render(report, font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    target = reports_dir() / f"{digest}.pdf"
    tmp = target.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)  # atomic: a killed job leaves either no file or a whole one, never an archive row
    step(2, 3, "archiving")
    params = {
        "interim": interim,
        "thresholds": data["thresholds"],
        "today": today.isoformat(),
        "job_id": job_id,
        "audit_anchor": {"head_id": anchor.head_id, "rows": anchor.rows, "head_hash": anchor.head_hash},
    }
    row = ReportArchive(
        public_id=uuid.uuid4().hex[:16],
        doc_number=doc_number,
        region_code=region,
        period=period,
        params=json.dumps(params, ensure_ascii=False, sort_keys=True),
        sha256=digest,
        size=len(pdf),
        pages=page_count(pdf),
        generated_by=actor,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="report.generated",
        object_type="report",
        object_id=row.public_id,
        payload={"doc_number": doc_number, "region": region, "period": period, "sha256": digest, **params},
    )
    return row


def archive_file(session: Session, *, public_id: str) -> tuple[ReportArchive, bytes]:
    """The archived report and its bytes, checked against the stored SHA-256."""
    row = session.exec(select(ReportArchive).where(ReportArchive.public_id == public_id)).first()
    if row is None:
        raise field_error("report", f"督查报告 {public_id} 不存在", status=404)
    path = reports_dir() / f"{row.sha256}.pdf"
    if not path.exists():  # the database came back without the instance folder's files
        raise field_error("report", f"督查报告 {public_id} 的归档文件缺失，请从完整备份恢复实例目录", status=410)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise field_error("report", "归档文件与其 SHA-256 不符，可能已被改动", status=500)
    return row, data
