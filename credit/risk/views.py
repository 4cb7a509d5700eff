"""/credit/risk: the risk engine for credit officers and the 督查室 (never for the public)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user

from credit.risk import grading
from credit.risk.chart import gains_chart
from credit.risk.labels import feature_label
from credit.risk.model import CANDIDATE_LABELS
from credit.risk.queries import FOCUS_HEADER, explain, focus_list, inspector_effects, note_data, overview, synthetic
from credit.risk.report_pdf import render_risk_note
from credit.risk.services import request_scoring
from supervise import clock
from supervise.api import spreadsheet
from supervise.auth import roles
from supervise.drawings import svg
from supervise.errors import ApiError
from supervise.fonts import find_cjk_font
from supervise.nav import NavItem, register_nav
from supervise.paper import PdfFontMissing, register_font
from supervise.web import actor, pdf_download, request_session

bp = Blueprint("risk", __name__, template_folder="templates")
READERS = ("credit_officer", "supervisor", "admin")


def register_risk_nav(app: Flask) -> None:
    """Menu entry of the risk page."""
    register_nav(app, NavItem("risk.index", "风险分类", frozenset({"credit_officer", "supervisor"}), 31))


@bp.get("/credit/risk")
@roles(*READERS)
def index() -> Any:
    session = request_session()
    data = overview(session)
    chart = None
    backtest = (data["model"] or {}).get("validation", {}).get("backtest")
    font = find_cjk_font()
    if backtest and font is not None:
        register_font(*font)  # the drawing measures its labels in the PDF's font
        chart = svg(gains_chart(backtest["gains"]))
    uscc = request.args.get("uscc", "").strip().upper()
    explained, refused = None, None
    if uscc:
        try:
            explained = explain(session, uscc=uscc, user_id=current_user.id)
        except ApiError as exc:
            refused = exc.message
    return render_template(
        "risk/index.html", data=data, chart=chart, backtest=backtest, explained=explained, refused=refused,
        uscc=uscc, tier_labels=grading.TIER_LABELS, kinds=CANDIDATE_LABELS, feature_label=feature_label,
        inspectors=inspector_effects(session) if current_user.role in ("supervisor", "admin") else None,
        synthetic=synthetic(session), shares=grading.SHARES_SOURCE["note"], floors=grading.FLOORS,
        classification=grading.CLASSIFICATION, job=request.args.get("job"),
    )  # fmt: skip


@bp.post("/credit/risk/score")
@roles("credit_officer", "supervisor")
def score() -> Any:
    job_id = request_scoring(request_session(), actor=actor(), owner_id=current_user.id)
    flash(f"评分任务已提交（{job_id}），完成后刷新本页查看", "ok")
    return redirect(url_for("risk.index", job=job_id))


@bp.get("/credit/risk/focus.xlsx")
@roles(*READERS)
def focus_export() -> Any:
    rows = focus_list(request_session(), user_id=current_user.id)
    return spreadsheet(f"重点监管建议名单-{clock.today():%Y%m%d}.xlsx", "xlsx", FOCUS_HEADER, rows)


@bp.get("/credit/risk/note.pdf")
@roles(*READERS)
def note_pdf() -> Any:
    import hashlib

    font = find_cjk_font()
    if font is None:
        raise PdfFontMissing("no TrueType CJK font: install fonts-wqy-microhei or set SUPERVISE_CJK_FONT")
    pdf = render_risk_note(note_data(request_session()), font=font)
    return pdf_download(f"信用风险分类模型说明-{clock.today():%Y%m%d}.pdf", pdf, hashlib.sha256(pdf).hexdigest())
