"""Hostile input gets a clear 4xx in Chinese naming the field and writes nothing; exports cannot carry formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from inspections.models import InspectionResult
from seeds.generate import make_uscc
from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer, count, csrf_token, http_request, login
from tests.drawkit import add_firms, ceremony, make_task

HOSTILE_NAME = '=HYPERLINK("http://evil.example/","click")公司'


def test_json_nested_a_hundred_thousand_levels_is_a_400_naming_the_body(app: Any, client: Any, users: Any) -> None:
    body = "[" * 100_000 + "]" * 100_000
    resp = client.post(
        "/api/credit/check", data=body, content_type="application/json", headers=bearer(app, "licensing")
    )
    assert resp.status_code == 400
    assert resp.get_json()["fields"][0]["field"] == "body" and "嵌套" in resp.get_json()["message"]


def test_an_absurd_page_number_shows_the_last_page(client: Any, province: Any) -> None:
    resp = client.get("/enterprises?page=99999999999999999999")
    assert resp.status_code == 200 and "统一社会信用代码" in resp.get_data(as_text=True)
    api = client.get("/api/enterprises?page=99999999999999999999")
    assert api.status_code == 422 and api.get_json()["fields"][0]["field"] == "page"


def test_like_wildcards_in_a_search_match_only_themselves(client: Any, province: Any) -> None:
    for q in ("%", "_", "%%"):
        assert client.get("/api/enterprises", query_string={"q": q}).get_json()["total"] == 0
    assert client.get("/api/enterprises", query_string={"q": "公司"}).get_json()["total"] > 0


def _xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client: Any, headers: Any, data: bytes, name: str = "名录.xlsx") -> Any:
    return client.post(
        "/api/enterprises/import",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_an_import_with_only_a_header_or_missing_columns_is_refused(app: Any, client: Any, users: Any) -> None:
    headers = bearer(app, "admin")
    only_header = _upload(
        client, headers, _xlsx(["uscc", "name", "legal_rep_name", "region_code", "industry_code", "registered_on"], [])
    )
    assert only_header.status_code == 422 and "只有表头" in only_header.get_json()["message"]
    missing = _upload(client, headers, _xlsx(["uscc", "name"], [["91330102MA2XXXXX1X", "某公司"]]))
    assert missing.status_code == 422
    assert "legal_rep_name" in missing.get_json()["message"] and missing.get_json()["fields"][0]["field"] == "file"


def test_a_zip_bomb_spreadsheet_is_refused_before_it_is_parsed(app: Any, client: Any, users: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (80 * 1024 * 1024))  # 80 MB of spaces, ~80 KB packed
    assert len(out.getvalue()) < 1024 * 1024
    resp = _upload(client, bearer(app, "admin"), out.getvalue())
    assert resp.status_code == 413 and "解压后超过" in resp.get_json()["message"]


def test_control_and_format_characters_in_a_name_are_refused(app: Any, client: Any, province: Any) -> None:
    body = {
        "uscc": make_uscc(777_001, "330102"),
        "name": "杭州\u202eXYZ公司",
        "legal_rep_name": "王五",
        "region_code": "330102",
        "industry_code": "H62",
        "registered_on": "2020-01-01",
    }
    resp = client.post("/api/enterprises", json=body, headers=bearer(app, "admin"))
    assert resp.status_code == 422
    assert resp.get_json()["fields"][0]["field"] == "name" and "U+202E" in resp.get_json()["fields"][0]["message"]


def test_unknown_industry_and_licence_scope_codes_on_items_are_422(app: Any, client: Any, province: Any) -> None:
    admin = bearer(app, "admin")
    base = {"code": "SCJG-X", "name": "测试事项", "department_kind": "SCJG", "legal_basis": "《企业信息公示暂行条例》"}
    bad_industry = client.post("/api/items", json={**base, "scope_industries": ["H99"]}, headers=admin)
    assert bad_industry.status_code == 422 and bad_industry.get_json()["fields"][0]["field"].startswith(
        "scope_industries"
    )
    bad_matter = client.post("/api/items", json={**base, "scope_matters": ["NO-SUCH"]}, headers=admin)
    assert bad_matter.status_code == 422 and bad_matter.get_json()["fields"][0]["field"] == "scope_matters"


def test_unknown_measure_codes_in_a_licensing_outcome_are_422(app: Any, client: Any, province: Any) -> None:
    window = bearer(app, "licensing")
    with Session(app.extensions["supervise.engine"]) as session:
        uscc = session.exec(select(Enterprise.uscc)).first()
    check = client.post("/api/credit/check", json={"uscc": uscc, "matter": "SCJG-SPJY"}, headers=window).get_json()
    resp = client.post(
        f"/api/credit/check/{check['check_id']}/outcome",
        json={"granted": True, "measures_applied": ["free_pass"]},
        headers=window,
    )
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "measures_applied"


@pytest.fixture
def assigned(province: Any, engine: Any) -> Any:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    return ceremony(engine, "T1")


def test_five_million_characters_of_findings_are_refused_on_the_form_and_the_api(
    app: Any, client: Any, engine: Any, assigned: Any
) -> None:
    headers = bearer(app, "inspector")
    target = client.get("/api/assignments", headers=headers).get_json()[0]["target_id"]
    huge = "查" * 5_000_000
    api = client.post(
        f"/api/assignments/{target}/result",
        json={"category": "未发现问题", "findings": huge, "inspected_on": "2026-07-02"},
        headers=headers,
    )
    assert api.status_code == 422 and api.get_json()["fields"][0]["field"] == "findings"
    login(client, "inspector")
    form = client.post(
        f"/inspections/my/{target}/result",
        data={
            "csrf_token": csrf_token(client, "/inspections/my"),
            "category": "未发现问题",
            "findings": huge,
            "inspected_on": "2026-07-02",
        },
    )
    assert form.status_code in (303, 422)
    assert count(engine, InspectionResult) == 0


def test_exports_neutralise_formulas_and_download_with_a_chinese_name_through_gunicorn(
    app: Any, client: Any, province: Any, engine: Any, served: str
) -> None:
    headers = bearer(app, "admin")
    header = ["uscc", "name", "legal_rep_name", "region_code", "industry_code", "registered_on"]
    row = [make_uscc(777_002, "330102"), HOSTILE_NAME, "王五", "330102", "H62", "2020-01-01"]
    text = io.StringIO()
    csv.writer(text).writerows([header, row])  # as an attacker's CSV arrives: the formula as plain text
    imported = _upload(client, headers, text.getvalue().encode(), name="名录.csv")
    assert imported.status_code == 200, imported.get_json()
    for fmt in ("csv", "xlsx"):
        status, resp_headers, data = http_request(
            f"{served}/api/directory/targets.{fmt}?region=330102", headers=headers
        )
        assert status == 200
        disposition = resp_headers["Content-Disposition"]
        assert f"filename*=UTF-8''%E6%A3%80%E6%9F%A5%E5%AF%B9%E8%B1%A1%E5%90%8D%E5%BD%95%E5%BA%93.{fmt}" in disposition
        assert f'filename="download.{fmt}"' in disposition
        if fmt == "csv":
            names = [r[1] for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
            assert "'" + HOSTILE_NAME in names and HOSTILE_NAME not in names
        else:
            ws = load_workbook(io.BytesIO(data)).worksheets[0]
            cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
            assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    with Session(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "enterprise.imported")).first() is not None


def test_found_by_schemathesis_year_zero_and_a_forty_digit_id_are_4xx(app: Any, client: Any, users: Any) -> None:
    admin, supervisor = bearer(app, "admin"), bearer(app, "supervisor")
    report = client.post("/api/reports/accountability", json={"period": "0000", "region": "000000"}, headers=supervisor)
    assert report.status_code == 422 and report.get_json()["fields"][0]["field"] == "period"
    schedule = client.post("/api/schedules", json={"period": "0000Q1", "region": "000000"}, headers=supervisor)
    assert schedule.status_code == 422 and "年份" in schedule.get_json()["message"]
    huge = client.post("/api/results/1853915766448030241183796505346048/publish", headers=admin)
    assert huge.status_code == 404
