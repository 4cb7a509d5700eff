"""JSON API of the application shell: health, OpenAPI, regions, enterprises, licences, tokens, jobs, audit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_login import current_user
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import col, select

from supervise.accounts import mint_token
from supervise.auth import PUBLIC, roles
from supervise.errors import ApiError, field_error
from supervise.imports import JOB_TIMEOUT as IMPORT_JOB_TIMEOUT
from supervise.imports import RUNNERS, SYNC_BYTES, as_json, stash
from supervise.importspec import SPECS, ImportSpec, template
from supervise.jobs import request_audit_verification
from supervise.messages import label
from supervise.models import AuditLog, Department, Region
from supervise.openapi import Operation, Param, api_doc, build_openapi
from supervise.queue import enqueue_requested, fetch_job, job_status, redis_connection
from supervise.schemas import (
    AuditEntryPublic,
    DepartmentPublic,
    EnterpriseCreate,
    EnterprisePage,
    EnterprisePublic,
    Health,
    ImportReport,
    JobAccepted,
    JobStatus,
    LicenseCreate,
    LicensePublic,
    OfficersChanged,
    OfficersUpdate,
    RegionPublic,
    TokenCreate,
    TokenIssued,
    UserPublic,
)
from supervise.services import (
    ENTERPRISE_IMPORT,
    create_enterprise,
    create_license,
    get_enterprise,
    licenses_of,
    search_enterprises,
    set_officers,
    to_public,
)
from supervise.tabular import TableError, TableTooLarge, read_table, write_table
from supervise.web import actor, attachment, request_session

bp = Blueprint("api", __name__)


class UploadForm(BaseModel):
    """multipart/form-data with a .csv or .xlsx file."""

    file: bytes
    only_valid: bool = False


def json_body() -> dict[str, Any]:
    """Return the request's JSON object or raise a 4xx naming the body."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise field_error("body", "请求体应为 JSON 对象", status=400)
    where = _nul_in(data)
    if where is not None:
        raise field_error(where, f"{label(where)}不能包含空字符（\\u0000）")
    return data


def _nul_in(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string holding a NUL character (PostgreSQL stores no such text)."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        if isinstance(key, str) and "\x00" in key:
            return path or "body"
        found = _nul_in(inner, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def int_arg(name: str, default: int, *, lo: int = 1, hi: int = 10_000) -> int:
    """Parse an integer query parameter within bounds or raise a 422 naming it."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise field_error(name, f"{label(name)}只能给出一次")
    raw = values[0] if values else None
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise field_error(name, f"{label(name)}应为整数") from None
    if not lo <= value <= hi:
        raise field_error(name, f"{label(name)}应在 {lo} 到 {hi} 之间")
    return value


def start_import(spec: ImportSpec, *, options: dict[str, Any] | None = None) -> tuple[Any, str | None]:
    """Run an uploaded import: a small file within the request, a large one as a job; (report, None) or
    (None, job id). Either way all rows or none, each bad row named."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise field_error("file", "请以 file 字段上传 .csv 或 .xlsx 文件")
    data = upload.read()
    only_valid = request.form.get("only_valid", "").lower() in ("1", "true", "yes", "on")
    options = {**(options or {}), "only_valid": only_valid}
    session = request_session()
    if len(data) <= SYNC_BYTES:
        try:
            rows = read_table(upload.filename, data, spec=spec)
        except TableTooLarge as exc:
            raise field_error("file", str(exc), status=413) from None
        except TableError as exc:
            raise field_error("file", str(exc)) from None
        return RUNNERS[spec.kind](session, rows=rows, actor=actor(), source=upload.filename, options=options), None
    if not upload.filename.lower().endswith((".csv", ".txt", ".xlsx")):
        raise field_error("file", f"不支持的文件类型 {upload.filename}：请使用 .csv 或 .xlsx")
    job_id = enqueue_requested(
        session, "supervise.imports.run", spec.kind, stash(data), upload.filename, actor(), options,
        actor=actor(), owner_id=current_user.id, action="import.requested", object_type="import",
        object_id=spec.kind, description=f"{spec.title}：{upload.filename}", timeout=IMPORT_JOB_TIMEOUT,
    )  # fmt: skip
    return None, job_id


def import_upload(spec: ImportSpec, *, options: dict[str, Any] | None = None) -> Any:
    """An import by API: 200 and its report, or 202 and the URL of the job's progress and result."""
    report, job_id = start_import(spec, options=options)
    if job_id is None:
        return jsonify(as_json(report))
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)


SPREADSHEET = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def uploaded_files() -> list[tuple[str, bytes]]:
    """The files of a multipart request's `files` field, as (name, bytes)."""
    return [(f.filename or "附件", f.read()) for f in request.files.getlist("files") if f.filename]


def spreadsheet(filename: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """Serve rows as a downloadable .csv or .xlsx file."""
    return Response(
        write_table(fmt, header, rows),
        mimetype=SPREADSHEET[fmt],
        headers={"Content-Disposition": attachment(filename)},
    )


def ok(model: BaseModel | Sequence[BaseModel], status: int = 200) -> Any:
    """Serialize a schema (or a list of them) as the JSON response."""
    if not isinstance(model, BaseModel):
        body: Any = [m.model_dump(mode="json") for m in model]
    else:
        body = model.model_dump(mode="json")
    resp = jsonify(body)
    resp.status_code = status
    return resp


@bp.get("/healthz")
@roles(PUBLIC)
@api_doc(Operation("Liveness of the app, its database and its Redis", "system", response=Health, errors=(503,)))
def healthz() -> Any:
    db_state = redis_state = "ok"
    try:
        request_session().execute(text("SELECT 1"))
    except Exception:
        db_state = "unavailable"
    try:
        redis_connection(current_app.extensions["supervise.settings"]).ping()
    except Exception:
        redis_state = "unavailable"
    healthy = db_state == redis_state == "ok"
    return ok(
        Health(status="ok" if healthy else "degraded", database=db_state, redis=redis_state), 200 if healthy else 503
    )


@bp.get("/api/openapi.json")
@roles(PUBLIC)
@api_doc(Operation("This OpenAPI document", "system", response_schema={"type": "object"}))
def openapi() -> Any:
    return jsonify(build_openapi(current_app))


@bp.get("/api/me")
@roles("inspector", "credit_officer", "licensing_officer", "supervisor", "admin")
@api_doc(Operation("The signed-in account", "accounts", response=UserPublic))
def me() -> Any:
    return ok(
        UserPublic(
            id=current_user.id,
            username=current_user.username,
            display_name=current_user.display_name,
            role=current_user.role,
            department_id=current_user.department_id,
        )
    )


@bp.post("/api/tokens")
@roles("admin")
@api_doc(
    Operation(
        "Issue a bearer token for the signed-in administrator (interactive session only, never by a token)",
        "accounts",
        body=TokenCreate,
        response=TokenIssued,
        status=201,
        errors=(403,),
    )
)
def create_token() -> Any:
    if current_user.via_token:
        raise ApiError(403, "令牌不能签发新令牌，请管理员登录后在页面上签发", code="forbidden")
    data = TokenCreate.model_validate(json_body())
    row, clear = mint_token(request_session(), user_id=current_user.id, name=data.name, actor=actor())
    return ok(TokenIssued(id=row.id or 0, name=row.name, token=clear), 201)


@bp.get("/api/regions")
@roles(PUBLIC)
@api_doc(
    Operation(
        "Administrative divisions, optionally the children of one",
        "reference",
        response=RegionPublic,
        response_list=True,
        params=(
            Param("parent"),
            Param("level", schema={"type": "string", "enum": ["province", "city", "county", "township"]}),
        ),
    )
)
def regions() -> Any:
    stmt = select(Region).order_by(Region.code)
    parent, level = request.args.get("parent"), request.args.get("level")
    if parent:
        stmt = stmt.where(Region.parent_code == parent)
    if level is not None:
        if level not in ("province", "city", "county", "township"):
            raise field_error("level", "层级应为 province（省）、city（市）、county（县）或 township（乡镇）")
        stmt = stmt.where(Region.level == level)
    return ok([RegionPublic.model_validate(r) for r in request_session().exec(stmt.limit(5000)).all()])


@bp.get("/api/departments")
@roles("inspector", "credit_officer", "licensing_officer", "supervisor", "admin")
@api_doc(
    Operation(
        "Departments, optionally within a region",
        "reference",
        response=DepartmentPublic,
        response_list=True,
        params=(Param("region"),),
    )
)
def departments() -> Any:
    stmt = select(Department).order_by(Department.code)
    region = request.args.get("region")
    if region:
        stmt = stmt.where(col(Department.region_code).startswith(region.rstrip("0")))
    return ok([DepartmentPublic.model_validate(d) for d in request_session().exec(stmt.limit(5000)).all()])


@bp.get("/api/imports/<kind>/template.xlsx")
@roles("credit_officer", "supervisor", "admin")
@api_doc(
    Operation(
        "An import's 导入模板: the headers, an example row and a sheet explaining each column",
        "imports",
        response_schema={"type": "string", "format": "binary"},
        response_content=SPREADSHEET["xlsx"],
        errors=(403, 404),
    )
)
def import_template(kind: str) -> Any:
    spec = SPECS.get(kind)
    if spec is None:
        raise field_error("kind", f"没有“{kind}”这种导入；可选：{'、'.join(SPECS)}", status=404)
    if current_user.role not in spec.roles:
        raise ApiError(403, f"{spec.title}不由您的角色办理", code="forbidden")
    return Response(
        template(spec),
        mimetype=SPREADSHEET["xlsx"],
        headers={"Content-Disposition": attachment(f"{spec.title}模板.xlsx")},
    )


@bp.get("/api/enterprises")
@roles(PUBLIC)
@api_doc(
    Operation(
        "Search market entities by name or USCC",
        "enterprises",
        response=EnterprisePage,
        params=(
            Param("q"),
            Param("region"),
            Param("page", schema={"type": "integer", "minimum": 1}),
            Param("per_page", schema={"type": "integer", "minimum": 1, "maximum": 200}),
        ),
    )
)
def enterprises() -> Any:
    page = int_arg("page", 1, hi=1_000_000)
    per_page = int_arg("per_page", 20, hi=200)
    return ok(
        search_enterprises(
            request_session(), q=request.args.get("q"), region=request.args.get("region"), page=page, per_page=per_page
        )
    )


@bp.get("/api/enterprises/<uscc>")
@roles(PUBLIC)
@api_doc(Operation("One market entity's public record", "enterprises", response=EnterprisePublic, errors=(404,)))
def enterprise(uscc: str) -> Any:
    return ok(to_public(get_enterprise(request_session(), uscc=uscc)))


@bp.post("/api/enterprises")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Register a market entity (USCC check digit verified)",
        "enterprises",
        body=EnterpriseCreate,
        response=EnterprisePublic,
        status=201,
        errors=(409,),
    )
)
def add_enterprise() -> Any:
    data = EnterpriseCreate.model_validate(json_body())
    ent = create_enterprise(request_session(), data=data, actor=actor())
    return ok(to_public(ent), 201)


@bp.put("/api/enterprises/<uscc>/officers")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Record a change of legal representative and officers (checked against 任职限制)",
        "enterprises",
        body=OfficersUpdate,
        response=OfficersChanged,
        errors=(404, 409),
    )
)
def change_officers(uscc: str) -> Any:
    data = OfficersUpdate.model_validate(json_body())
    return ok(set_officers(request_session(), uscc=uscc, data=data, actor=actor()))


@bp.post("/api/enterprises/import")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Import market entities from .csv/.xlsx; any bad row rejects the file unless only_valid",
        "enterprises",
        body=UploadForm,
        body_content="multipart/form-data",
        response=ImportReport,
    )
)
def import_enterprise_file() -> Any:
    return import_upload(ENTERPRISE_IMPORT)


@bp.get("/api/enterprises/<uscc>/licenses")
@roles(PUBLIC)
@api_doc(
    Operation(
        "Licences held by a market entity", "licensing", response=LicensePublic, response_list=True, errors=(404,)
    )
)
def enterprise_licenses(uscc: str) -> Any:
    return ok(licenses_of(request_session(), uscc=uscc))


@bp.post("/api/licenses")
@roles("licensing_officer", "admin")
@api_doc(
    Operation(
        "Record an issued licence", "licensing", body=LicenseCreate, response=LicensePublic, status=201, errors=(404,)
    )
)
def add_license() -> Any:
    data = LicenseCreate.model_validate(json_body())
    return ok(create_license(request_session(), data=data, actor=actor()), 201)


@bp.get("/api/audit")
@roles("supervisor", "auditor", "admin")
@api_doc(
    Operation(
        "The newest audit log rows",
        "audit",
        response=AuditEntryPublic,
        response_list=True,
        params=(Param("limit", schema={"type": "integer", "minimum": 1, "maximum": 500}),),
    )
)
def audit_rows() -> Any:
    limit = int_arg("limit", 50, hi=500)
    rows = request_session().exec(select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)).all()
    return ok([AuditEntryPublic.model_validate(r) for r in rows])


@bp.post("/api/audit/verify")
@roles("supervisor", "admin")
@api_doc(
    Operation("Start a background verification of the audit hash chain", "audit", response=JobAccepted, status=202)
)
def audit_verify() -> Any:
    job_id = request_audit_verification(request_session(), actor=actor(), owner_id=current_user.id)
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)


@bp.get("/api/jobs/<job_id>")
@roles("inspector", "credit_officer", "licensing_officer", "supervisor", "admin")
@api_doc(
    Operation("State, progress and result of a background job you started", "jobs", response=JobStatus, errors=(404,))
)
def job(job_id: str) -> Any:
    found = fetch_job(job_id)
    if found is None or (found.meta.get("owner_id") != current_user.id and current_user.role != "admin"):
        # Someone else's job is reported as absent, not forbidden, so ids cannot be probed.
        raise ApiError(
            404,
            f"没有您发起的后台任务 {job_id[:64]}",
            code="not_found",
            fields=[{"field": "job_id", "label": "任务编号", "message": "没有这个任务"}],
        )
    return ok(JobStatus.model_validate(job_status(found)))
