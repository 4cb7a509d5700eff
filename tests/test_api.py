from typing import Any

from openapi_spec_validator import validate

from supervise.openapi import _openapi_path, documented
from tests.conftest import bearer


def test_openapi_document_is_valid_and_describes_every_json_route(app: Any, client: Any) -> None:
    doc = client.get("/api/openapi.json").get_json()
    validate(doc)
    rules = {
        (r.rule, m)
        for r in app.url_map.iter_rules()
        if documented(r.rule)
        for m in (r.methods or set()) - {"HEAD", "OPTIONS"}
    }
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    assert {(_openapi_path(r), m) for r, m in rules} == described


def test_openapi_lists_roles_of_each_operation(client: Any) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["paths"]["/api/audit"]["get"]["x-roles"] == ["admin", "auditor", "supervisor"]
    assert "security" not in doc["paths"]["/api/enterprises"]["get"]


def test_healthz_reports_database_and_redis(client: Any) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_unknown_api_path_gets_a_json_404(client: Any) -> None:
    resp = client.get("/api/nothing-here")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"


def test_malformed_json_body_names_the_body(app: Any, client: Any, users: Any) -> None:
    resp = client.post(
        "/api/enterprises", data="{not json", content_type="application/json", headers=bearer(app, "admin")
    )
    assert resp.status_code == 400 and resp.get_json()["fields"][0]["field"] == "body"


def test_missing_and_unknown_fields_are_named(app: Any, client: Any, users: Any) -> None:
    resp = client.post("/api/enterprises", json={"name": "x公司", "colour": "red"}, headers=bearer(app, "admin"))
    assert resp.status_code == 422
    fields = {f["field"] for f in resp.get_json()["fields"]}
    assert {"uscc", "region_code", "colour"} <= fields


def test_bad_query_parameter_is_named(client: Any) -> None:
    resp = client.get("/api/enterprises?per_page=100000")
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "per_page"


def test_public_enterprise_views_never_show_id_numbers(client: Any, province: Any, engine: Any) -> None:
    from sqlmodel import Session, select

    from supervise.models import Enterprise

    with Session(engine) as session:
        ent = session.exec(select(Enterprise).limit(1)).one()
    assert ent.legal_rep_id_number
    for path in (
        f"/api/enterprises/{ent.uscc}",
        f"/api/enterprises?q={ent.uscc}",
        f"/enterprises/{ent.uscc}",
        f"/enterprises?q={ent.uscc}",
    ):
        body = client.get(path).get_data(as_text=True)
        assert ent.uscc in body
        assert ent.legal_rep_id_number not in body and "legal_rep_id_number" not in body


def test_license_is_recorded_for_a_known_firm(app: Any, client: Any, province: Any, engine: Any) -> None:
    from sqlmodel import Session, select

    from supervise.models import Enterprise

    with Session(engine) as session:
        ent = session.exec(select(Enterprise).where(Enterprise.region_code == "330102")).first()
    assert ent is not None
    body = {
        "uscc": ent.uscc,
        "matter_code": "SCJG-SPJY",
        "matter_name": "食品经营许可",
        "department_code": "330102-SCJG",
        "issued_on": "2026-03-01",
        "expires_on": "2031-02-28",
    }
    resp = client.post("/api/licenses", json=body, headers=bearer(app, "licensing"))
    assert resp.status_code == 201, resp.get_json()
    listed = client.get(f"/api/enterprises/{ent.uscc}/licenses").get_json()
    assert any(lic["matter_code"] == "SCJG-SPJY" and lic["issued_on"] == "2026-03-01" for lic in listed)
    bad = client.post("/api/licenses", json={**body, "department_code": "nope"}, headers=bearer(app, "licensing"))
    assert bad.status_code == 422 and bad.get_json()["fields"][0]["field"] == "department_code"


def test_item_patch_with_explicit_nulls_changes_nothing(app: Any, client: Any, province: Any) -> None:
    headers = bearer(app, "admin")
    body = {"code": "SCJG-X1", "department_kind": "SCJG", "name": "价格行为检查", "legal_basis": "《价格法》第三十四条"}
    assert client.post("/api/items", json=body, headers=headers).status_code == 201
    resp = client.patch(
        "/api/items/SCJG-X1", json={"legal_basis": None, "scope_industries": None, "specialty": "价格"}, headers=headers
    )
    assert resp.status_code == 200
    assert resp.get_json()["legal_basis"] == "《价格法》第三十四条" and resp.get_json()["specialty"] == "价格"


def test_anonymous_write_gets_401_not_a_csrf_error(client: Any) -> None:
    assert client.post("/api/audit/verify").status_code == 401


def test_wrong_method_lists_the_allowed_ones(client: Any) -> None:
    resp = client.delete("/api/regions")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]


def test_repeated_or_empty_query_parameters_are_refused(client: Any) -> None:
    assert client.get("/api/enterprises?page=1&page=2").status_code == 422
    assert client.get("/api/regions?level=").status_code == 422
