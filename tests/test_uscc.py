import io
from typing import Any

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc as _uscc

from supervise.models import AuditLog, Enterprise
from supervise.validators import validate_uscc
from tests.conftest import bearer, count

VALID = "91330106MA2GL1RQ5" + _uscc.calc_check_digit("91330106MA2GL1RQ5")
BAD_CHECK = VALID[:17] + ("0" if VALID[17] != "0" else "1")


def test_published_code_is_accepted_and_compacted() -> None:
    # The example in python-stdnum's documentation, a real registered code.
    assert validate_uscc("9 1 110000 600037341L") == "91110000600037341L"


@pytest.mark.parametrize("code,reason", [(BAD_CHECK, "校验位"), ("9133010", "长度"), ("A1330106MA2GL1RQ5J", "格式")])
def test_invalid_codes_are_rejected_naming_the_code(code: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        validate_uscc(code)
    assert code in str(info.value) and reason in str(info.value)


def _firm(uscc: str = VALID, **kw: Any) -> dict[str, Any]:
    return {
        "uscc": uscc,
        "name": "杭州测试食品有限公司",
        "legal_rep_name": "张三",
        "region_code": "330106",
        "industry_code": "C14",
        "registered_on": "2020-05-01",
        **kw,
    }


def test_api_rejects_bad_uscc_with_422_naming_field_and_code(app: Any, client: Any, province: Any) -> None:
    headers = bearer(app, "credit")
    before = (
        count(app.extensions["supervise.engine"], Enterprise),
        count(app.extensions["supervise.engine"], AuditLog),
    )
    resp = client.post("/api/enterprises", json=_firm(BAD_CHECK), headers=headers)
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["fields"][0]["field"] == "uscc"
    assert BAD_CHECK in body["fields"][0]["message"]
    after = (count(app.extensions["supervise.engine"], Enterprise), count(app.extensions["supervise.engine"], AuditLog))
    assert after == before


def test_api_registers_a_valid_firm_and_audits_it(app: Any, client: Any, province: Any) -> None:
    resp = client.post("/api/enterprises", json=_firm(), headers=bearer(app, "credit"))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["uscc"] == VALID
    assert "legal_rep_id_number" not in resp.get_json()
    again = client.post("/api/enterprises", json=_firm(), headers=bearer(app, "credit"))
    assert again.status_code == 409 and again.get_json()["fields"][0]["field"] == "uscc"


def test_cli_rejects_bad_uscc_and_writes_nothing(app: Any, runner: Any, province: Any) -> None:
    before = count(app.extensions["supervise.engine"], Enterprise)
    result = runner.invoke(
        args=[
            "enterprise",
            "add",
            "--uscc",
            BAD_CHECK,
            "--name",
            "某某有限公司",
            "--legal-rep",
            "李四",
            "--region",
            "330106",
            "--industry",
            "C14",
            "--registered-on",
            "2021-01-01",
        ]
    )
    assert result.exit_code == 1
    assert BAD_CHECK in result.output and "统一社会信用代码" in result.output
    assert count(app.extensions["supervise.engine"], Enterprise) == before


def _csv(rows: list[dict[str, Any]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(str(r.get(h, "")) for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


GOOD_2 = "91330106MA2GL1RQ6H"


def test_import_with_a_bad_row_writes_nothing_and_reports_each_row(app: Any, client: Any, province: Any) -> None:
    good2 = GOOD_2[:17] + _uscc.calc_check_digit(GOOD_2[:17])
    data = _csv([_firm(), _firm(BAD_CHECK), _firm(good2, region_code="999999"), _firm(VALID)])
    before = count(app.extensions["supervise.engine"], Enterprise)
    resp = client.post(
        "/api/enterprises/import",
        data={"file": (io.BytesIO(data), "firms.csv")},
        headers=bearer(app, "credit"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [(3, "uscc"), (4, "region_code"), (5, "uscc")]
    assert BAD_CHECK in errors[0]["message"]
    assert count(app.extensions["supervise.engine"], Enterprise) == before


def test_import_only_valid_rows_when_asked(app: Any, client: Any, province: Any) -> None:
    data = _csv([_firm(), _firm(BAD_CHECK)])
    resp = client.post(
        "/api/enterprises/import",
        data={"file": (io.BytesIO(data), "firms.csv"), "only_valid": "true"},
        headers=bearer(app, "credit"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["imported"] == 1 and resp.get_json()["skipped"] == 1


def test_xlsx_import_validates_check_digits(app: Any, runner: Any, province: Any, tmp_path: Any) -> None:
    wb = Workbook()
    ws = wb.active
    row = _firm(BAD_CHECK)
    ws.append(list(row))
    ws.append(list(row.values()))
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    before = count(app.extensions["supervise.engine"], Enterprise)
    result = runner.invoke(args=["enterprise", "import", str(path)])
    assert result.exit_code == 1
    assert "第 2 行 统一社会信用代码" in result.output and BAD_CHECK in result.output
    assert count(app.extensions["supervise.engine"], Enterprise) == before


def test_a_wrong_check_digit_is_refused_without_telling_the_right_one() -> None:
    from stdnum.cn import uscc

    right = uscc.calc_check_digit(BAD_CHECK[:17])
    with pytest.raises(ValueError) as info:
        validate_uscc(BAD_CHECK)
    assert "校验位不符" in str(info.value) and f"应为 {right}" not in str(info.value)
