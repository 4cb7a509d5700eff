"""Object scope, generated from the route table: every route that names an object (an id, a 工单号, a 整改 number)
is called on a real object of the demo's 上城区 by principals of the same role from elsewhere (西湖区's 市场监管局,
卫健局), by cookie and by token. Each answer must be 403 or 404 and leave the audit log as it was. Adding a route
with an object id adds its rows here by itself; a route whose objects are public or province-wide by design is
named in NOT_SCOPED with the reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from credit.models import CreditApplication, LicensingCheck, ListEntry, PenaltyInfo
from inspections.complaints.models import Complaint
from inspections.disposals.models import Disposal, EnforcementCase
from inspections.models import InspectionResult, ResultAttachment
from reports.oversight.models import OversightNotice, Rectification
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Enterprise, Inspector, User
from tests.conftest import PASSWORD, bearer, csrf_token

OUTSIDERS = {  # username: (role, department): the same roles as the demo's accounts, of another district or unit
    "inspector": ("inspector", "330106-SCJG"),  # the demo's account of a 西湖区 inspector takes this place
    "reviewer_xihu": ("reviewer", "330106-SCJG"),
    "credit_xihu": ("credit_officer", "330106-SCJG"),
    "licensing_xihu": ("licensing_officer", "330106-SCJG"),
    "unit_xihu_wsjk": ("unit", "330106-WSJK"),
}
# Routes whose objects every holder of the role may reach, and why.
NOT_SCOPED: dict[str, str] = {}
PARAMS = ("target_id", "disposal_id", "case_id", "ticket_no", "entry_id", "application_id", "penalty_id",
          "check_id", "number", "notice_id", "sha256", "digest")  # fmt: skip


def _objects(app: Any, engine: Any) -> dict[str, Any]:
    """One object of 上城区 for each kind of id a route can name."""
    client, own = app.test_client(), bearer(app, "inspector")  # the demo's 上城区 inspector
    visits = [v for when in ("past", "current", "upcoming")
              for v in client.get(f"/api/assignments?when={when}", headers=own).get_json()]  # fmt: skip
    with Session(engine) as session:
        scj = session.exec(select(Department.id).where(Department.code == "330102-SCJG")).one()
        wsjk = session.exec(select(Department.id).where(Department.code == "330102-WSJK")).one()
        recorded = [v["target_id"] for v in visits if v.get("result")] or [v["target_id"] for v in visits]
        attachment = session.exec(select(ResultAttachment).where(ResultAttachment.department_id == scj)).first()
        attached = session.get(InspectionResult, attachment.result_id) if attachment else None
        rectification = session.exec(select(Rectification).where(Rectification.department_id == wsjk)).first()
        notice = session.exec(select(OversightNotice).where(OversightNotice.unit_code == "330102-WSJK")).first()
        found = {
            "target_id": attached.target_id if attached else (recorded[0] if recorded else None),
            "sha256": attachment.sha256 if attachment else "0" * 64,
            "disposal_id": session.exec(select(Disposal.id).where(Disposal.department_id == scj)).first(),
            "case_id": session.exec(select(EnforcementCase.id).where(EnforcementCase.department_id == scj)).first(),
            "ticket_no": session.exec(select(Complaint.ticket_no).where(Complaint.department_id == scj)).first(),
            "entry_id": session.exec(select(ListEntry.id).where(ListEntry.department_id == scj)).first(),
            "application_id": session.exec(select(CreditApplication.id)).first(),
            "penalty_id": session.exec(select(PenaltyInfo.id).where(PenaltyInfo.department_id == scj)).first(),
            "check_id": session.exec(select(LicensingCheck.public_id)).first(),
            "number": rectification.number if rectification else None,
            "notice_id": notice.id if notice else None,
            "digest": "0" * 64,
        }
    missing = [k for k, v in found.items() if v is None]
    assert not missing, f"the demo holds no object for {missing}"
    return found


@pytest.fixture
def demo(app: Any, runner: Any, engine: Any, password_hash: str) -> dict[str, Any]:
    result = runner.invoke(args=["seed", "demo", "--entities", "3000", "--seed", "2026", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with unit_of_work(engine) as session:
        outsiders: dict[str, str] = {}
        for key, (role, code) in OUTSIDERS.items():
            dept = session.exec(select(Department).where(Department.code == code)).one()
            if role == "inspector":  # every inspector of the demo has an account: one of 西湖区's
                insp = session.exec(
                    select(Inspector).where(Inspector.department_id == dept.id, col(Inspector.user_id).is_not(None))
                ).first()
                assert insp is not None
                insp.active = True
                session.add(insp)
                user = session.get(User, insp.user_id)
                assert user is not None
                outsiders[user.username] = role
                continue
            session.add(User(username=key, display_name=key, password_hash=password_hash, role=role,
                             department_id=dept.id))  # fmt: skip
            outsiders[key] = role
        if session.exec(select(PenaltyInfo.id)).first() is None:  # a smaller demo publishes no penalty
            from credit.penalties import record

            firm = session.exec(select(Enterprise).where(Enterprise.region_code == "330102")).first()
            assert firm is not None
            record(session, uscc=firm.uscc, decision_number="杭上市监罚〔2026〕990号", decided_on=clock.today(),
                   kind="ordinary", field="食品", content="罚款", department_code="330102-SCJG", user_id=None,
                   actor="test")  # fmt: skip
    return {"objects": _objects(app, engine), "outsiders": outsiders}


def _routes(app: Any, objects: dict[str, Any]) -> list[tuple[str, str, str, frozenset[str]]]:
    out = []
    for rule in app.url_map.iter_rules():
        names = set(rule.arguments)
        if not names & set(PARAMS) or rule.endpoint.endswith("static"):
            continue
        values: dict[str, Any] = {}
        for name, conv in rule._converters.items():
            items = getattr(conv, "items", None)
            values[name] = objects.get(name) if name in objects else (sorted(items)[0] if items else "x0")
        path = rule.build(values, append_unknown=False)[1]
        allowed = app.view_functions[rule.endpoint].allowed_roles
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, path, allowed))
    return out


def _refused_as_invalid(resp: Any) -> bool:
    """A 422 for the empty body's fields (JSON validation_error, or a form page sent back with its errors)."""
    if resp.status_code != 422:
        return False
    return not resp.is_json or resp.get_json().get("error") == "validation_error"


def _audit_rows(engine: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditLog)).one())


def test_no_principal_of_another_district_or_unit_reaches_an_object(
    app: Any, engine: Any, demo: dict[str, Any]
) -> None:
    routes = _routes(app, demo["objects"])
    assert len(routes) > 60
    violations: list[str] = []
    checked = 0
    for username, role in demo["outsiders"].items():
        cookie = app.test_client()
        token = csrf_token(cookie)
        assert (
            cookie.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}).status_code
            == 302
        )
        csrf = csrf_token(cookie, "/")
        headers = bearer(app, username)
        for endpoint, method, path, allowed in routes:
            if role not in allowed or endpoint in NOT_SCOPED:
                continue
            for via in ("cookie", "token"):
                if via == "token" and method != "GET" and not path.startswith("/api/"):
                    continue  # tokens are for the API
                client = cookie if via == "cookie" else app.test_client()
                before = _audit_rows(engine)
                extra = {"X-CSRFToken": csrf} if via == "cookie" else headers
                if method == "GET":
                    resp = client.get(path, headers={} if via == "cookie" else headers)
                elif path.startswith("/api/"):
                    resp = client.open(path, method=method, json={}, headers=extra)
                else:
                    resp = client.open(path, method=method, data={"csrf_token": csrf})
                checked += 1
                changed = _audit_rows(engine) != before
                # A write whose empty body is refused as invalid (422) reveals nothing of the object and changes
                # nothing; the dedicated tests send valid bodies (test_object_scope and each domain's own).
                invalid = method != "GET" and _refused_as_invalid(resp)
                if (resp.status_code not in (403, 404) and not invalid) or changed:
                    note = " and wrote to the audit log" if changed else ""
                    violations.append(f"{method} {path} [{endpoint}] as {username} by {via}: {resp.status_code}{note}")
    assert checked > 50
    assert not violations, f"{len(violations)} of {checked} reached another's object:\n" + "\n".join(violations)


def test_the_path_parameters_cover_every_object_route(app: Any) -> None:
    """A new kind of object id in a route must be added to PARAMS (and to the demo's objects) to be checked."""
    seen = {name for rule in app.url_map.iter_rules() for name in rule.arguments}
    ids = {n for n in seen if re.search(r"(_id|_no|number|sha256|digest)$", n)}
    # decision_id and review_id name 督查 decisions and 复核 requests, which only the 督查室 reaches, and it reaches all
    exempt = {"user_id", "token_id", "draw_id", "job_id", "public_id", "decision_id", "review_id"}
    unchecked = ids - set(PARAMS) - exempt
    assert not unchecked, f"object ids no scope test calls: {sorted(unchecked)}"
