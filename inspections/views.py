"""Web pages of the 双随机 module: public announcements, inspectors' own tasks, overdue publications."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlmodel import col, func, select

from inspections.checklists import POINT_IMPORT, published_list
from inspections.draw.frozen import FULL_BUNDLE
from inspections.draw.public import ROLE_LABELS, draw_facts, public_outcome, timeline
from inspections.draw.services import FULL_BUNDLE_ROLES, draw_summary, find_draw
from inspections.models import CHECK_METHODS, METHODS, CheckPoint, Draw, InspectionItem, Plan, Task
from inspections.planning import create_item, item_public, update_item
from inspections.results import count_public_results, overdue_publications, public_results
from inspections.schemas import ItemCreate, ItemUpdate
from inspections.services import task_definition
from supervise.api import start_import
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.markdown import render_markdown
from supervise.models import AuditAnchor, Department
from supervise.nav import NavItem, register_nav
from supervise.web import actor, attachment, page_arg, register_audit_values, request_session

RESULTS_PER_PAGE = 50
bp = Blueprint("inspections", __name__, template_folder="templates")
VERIFIER = Path(__file__).parent / "static" / "verify.mjs"
ALGORITHM = Path(__file__).parent / "draw" / "draw-algorithm.md"  # docs/draw-algorithm.md, shipped with the package
DRAW_ROWS_PER_PAGE = 100


def register_inspection_audit_values(app: Flask) -> None:
    """The task codes the audit log shows by name."""
    register_audit_values(app, "task", {"assignment": {"territorial": "属地分派", "cross_office": "所所交叉"}})


def register_inspections_nav(app: Flask) -> None:
    """Menu entries of the 双随机 pages."""
    register_nav(
        app,
        NavItem("inspections.public_plans", "抽查计划", frozenset({"public"}), 19),
        NavItem("inspections.public_draws", "抽取公告", frozenset({"public"}), 20),
        NavItem("inspections.public_results", "抽查结果", frozenset({"public"}), 21),
        NavItem("inspections.overdue", "公示超期", frozenset({"supervisor", "admin"}), 60),
        NavItem("inspections.admin_items", "抽查事项清单", frozenset({"admin"}), 55),
    )


@bp.get("/public/plans")
@roles(PUBLIC)
def public_plans() -> Any:
    session = request_session()
    plans = session.exec(
        select(Plan, Department)
        .join(Department, col(Department.id) == col(Plan.department_id))
        .order_by(col(Plan.year).desc(), col(Plan.quarter).desc(), col(Plan.code))
    ).all()
    tasks = session.exec(select(Task).order_by(col(Task.code))).all()
    draws = dict(session.exec(select(Draw.task_id, Draw.public_id)).all())
    by_plan: dict[int, list[Any]] = {}
    for t in tasks:
        by_plan.setdefault(t.plan_id, []).append(
            {
                "task": t,
                "definition": task_definition(session, t),
                "draw": draws.get(t.id or 0),
                # The freeze notice: its digest is shown from the freeze on, before any reveal (§10.6).
                "freeze": json.loads(t.freeze_json)["freeze"] if t.freeze_json else None,
            }
        )
    return render_template("inspections/plans.html", plans=plans, by_plan=by_plan)


@bp.get("/public/draws")
@roles(PUBLIC)
def public_draws() -> Any:
    rows = (
        request_session()
        .exec(select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).order_by(col(Draw.id).desc()))
        .all()
    )
    return render_template("inspections/draws.html", draws=[draw_summary(d, t) for d, t in rows])


@bp.get("/public/draws/<draw_id>")
@roles(PUBLIC)
def public_draw(draw_id: str) -> Any:
    session = request_session()
    draw, task = find_draw(session, draw_id)
    record = json.loads(draw.record)
    q = request.args.get("q", "").strip()[:64] or None
    total = len(record["outcome"]["selected"])
    if record["algorithm"] == "supervise-draw/v1":  # v1 lists unstaffed firms apart from the selected ones
        total += len(record["outcome"]["unstaffed"])
    page = max(1, min(page_arg(), -(-total // DRAW_ROWS_PER_PAGE) or 1))
    rows, matching = public_outcome(session, record, q=q, page=page, per_page=DRAW_ROWS_PER_PAGE)
    definition = record["task"]  # the task as drawn
    dept_names = dict(
        session.exec(
            select(Department.code, Department.name).where(col(Department.code).in_(definition["departments"]))
        ).all()
    )
    return render_template(
        "inspections/draw.html",
        draw=draw,
        task=task,
        record=record,
        facts=draw_facts(record),
        role_labels=ROLE_LABELS,
        full_bundle=FULL_BUNDLE,
        full_access=current_user.is_authenticated and current_user.role in FULL_BUNDLE_ROLES,
        rows=rows,
        q=q or "",
        page=page,
        per_page=DRAW_ROWS_PER_PAGE,
        matching=matching,
        steps=timeline(session, draw, task, record),
        definition=definition,
        dept_names=dept_names,
        anchor=session.exec(select(AuditAnchor).where(AuditAnchor.source == f"抽取 {draw.public_id}")).first(),
    )


@bp.get("/public/draw-algorithm")
@roles(PUBLIC)
def algorithm() -> Any:
    """Show the Chinese guide to the draw algorithm; the byte-level specification is a file beside it."""
    guide = ALGORITHM.with_name("draw-algorithm.zh.md")
    if not guide.is_file():
        raise field_error("document", "算法导读文件缺失，请从源代码仓库的 docs/draw-algorithm.zh.md 查看", status=404)
    return render_template("inspections/algorithm.html", body=render_markdown(guide.read_text(encoding="utf-8")),
                           has_spec=ALGORITHM.is_file())  # fmt: skip


@bp.get("/public/draw-algorithm/specification.md")
@roles(PUBLIC)
def algorithm_spec() -> Any:
    """Offer the full specification (in English, as the verifiers are written from it) as a file."""
    if not ALGORITHM.is_file():
        raise field_error("document", "算法规范文件缺失，请从源代码仓库的 docs/draw-algorithm.md 查看", status=404)
    return Response(ALGORITHM.read_bytes(), mimetype="text/markdown",
                    headers={"Content-Disposition": attachment("抽取算法完整规范.md")})  # fmt: skip


@bp.get("/public/verify.mjs")
@roles(PUBLIC)
def verifier() -> Any:
    """Offer the independent JavaScript verifier, so that anyone can re-run a draw without this system."""
    return send_file(VERIFIER, mimetype="text/javascript", as_attachment=True, download_name="verify.mjs")


@bp.get("/public/results", endpoint="public_results")
@roles(PUBLIC)
def public_results_page() -> Any:
    q = request.args.get("q", "").strip()[:64] or None
    session = request_session()
    total = count_public_results(session, q=q)
    page = max(1, min(page_arg(), -(-total // RESULTS_PER_PAGE) or 1))
    rows = public_results(session, q=q, limit=RESULTS_PER_PAGE, offset=(page - 1) * RESULTS_PER_PAGE)
    return render_template(
        "inspections/results.html", q=q or "", rows=rows, page=page, per_page=RESULTS_PER_PAGE, total=total
    )


@bp.get("/inspections/overdue")
@roles("supervisor", "admin")
def overdue() -> Any:
    return render_template("inspections/overdue.html", rows=overdue_publications(request_session()))


@bp.route("/admin/items", methods=["GET", "POST"])
@roles("admin")
def admin_items() -> Any:
    session = request_session()
    if request.method == "POST":
        form = request.form
        data = ItemCreate.model_validate(
            {
                "code": form.get("code", ""),
                "department_kind": form.get("department_kind", ""),
                "name": form.get("name", ""),
                "legal_basis": form.get("legal_basis", ""),
                "scope_industries": [x.strip() for x in form.get("scope_industries", "").split(",") if x.strip()],
                "scope_matters": [x.strip() for x in form.get("scope_matters", "").split(",") if x.strip()],
                "method": form.get("method", "现场检查"),
                "specialty": form.get("specialty", ""),
                "key_item": form.get("key_item") == "on",
                "check_methods": form.getlist("check_methods"),
            }
        )
        create_item(session, data=data, actor=actor())
        flash(f"已添加抽查事项 {data.code}", "ok")
        return redirect(url_for("inspections.admin_items"))
    items = [item_public(i) for i in session.exec(select(InspectionItem).order_by(col(InspectionItem.code))).all()]
    kinds = sorted(set(session.exec(select(Department.kind)).all()))
    counts = dict(
        session.exec(
            select(InspectionItem.code, func.count(col(CheckPoint.id)))
            .join(CheckPoint, col(CheckPoint.item_id) == col(InspectionItem.id))
            .group_by(col(InspectionItem.code))
        ).all()
    )
    return render_template(
        "inspections/items.html",
        items=items,
        kinds=kinds,
        methods=METHODS,
        check_methods=CHECK_METHODS,
        point_counts=counts,
        job_id=request.args.get("job"),
        kind_names=_kind_names(session),
    )


def _kind_names(session: Any) -> dict[str, str]:
    """Each department kind under the name of its highest department (浙江省市场监督管理局), not its code."""
    rows = session.exec(select(Department.kind, Department.name).order_by(col(Department.region_code))).all()
    names: dict[str, str] = {}
    for kind, name in rows:  # the province's own department comes first (the shortest region code)
        names.setdefault(kind, name)
    return names


@bp.post("/admin/items/checklists")
@roles("admin")
def admin_checklists() -> Any:
    """Import the 检查要点 from an uploaded spreadsheet (all rows or none)."""
    report, job_id = start_import(POINT_IMPORT)
    if job_id is not None:  # a large file: the page follows the job's progress and shows its result
        return redirect(url_for("inspections.admin_items", job=job_id))
    flash(f"已导入检查要点 {report.imported} 条", "ok")
    return redirect(url_for("inspections.admin_items"))


@bp.get("/public/items")
@roles(PUBLIC)
def public_items() -> Any:
    """The 抽查事项清单 with each item's 检查要点 (一单公开)."""
    return render_template("inspections/items_public.html", items=published_list(request_session()))


@bp.post("/admin/items/<code>/toggle")
@roles("admin")
def admin_item_toggle(code: str) -> Any:
    session = request_session()
    item = session.exec(select(InspectionItem).where(InspectionItem.code == code)).first()
    if item is None:
        raise field_error("code", f"抽查事项 {code} 不存在", status=404)
    update_item(session, code=code, data=ItemUpdate(active=not item.active), actor=actor())
    return redirect(url_for("inspections.admin_items"))
