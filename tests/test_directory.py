import io
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from supervise.models import AuditLog, Inspector
from tests.conftest import bearer, count
from tests.drawkit import add_firms, make_task

HEADER = [
    "badge_no",
    "name",
    "department_code",
    "region_code",
    "residence_township_code",
    "specialties",
    "active",
    "office_township_code",
]


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _post(client: Any, headers: Any, data: bytes, name: str = "名录.xlsx", **form: str) -> Any:
    return client.post(
        "/api/directory/inspectors",
        data={"file": (io.BytesIO(data), name), **form},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_inspector_import_with_bad_rows_writes_nothing_and_reports_each_row(
    app: Any, client: Any, province: Any, engine: Any
) -> None:
    before = (count(engine, Inspector), count(engine, AuditLog))
    rows = [
        ["330102019001", "张执法", "330102-SCJG", "330102", "330102001", "食品安全", "是"],
        ["330102019002", "李执法", "330102-NOPE", "330102", "", "", "是"],
        ["330102019001", "王执法", "330102-SCJG", "330102", "", "", "是"],
        ["330102019003", "赵执法", "330102-SCJG", "999999", "", "", "也许"],
    ]
    resp = _post(client, bearer(app, "credit"), _xlsx(rows))
    assert resp.status_code == 422
    reported = [(e["line"], e["field"]) for e in resp.get_json()["errors"]]
    assert reported == [(3, "department_code"), (4, "badge_no"), (5, "region_code"), (5, "active")]
    assert (count(engine, Inspector), count(engine, AuditLog)) == before


def test_inspector_import_of_good_rows_only_when_asked(app: Any, client: Any, province: Any, engine: Any) -> None:
    rows = [
        ["330102019001", "张执法", "330102-SCJG", "330102", "", "食品安全", "是"],
        ["330102019002", "李执法", "330102-NOPE", "330102", "", "", "是"],
    ]
    resp = _post(client, bearer(app, "credit"), _xlsx(rows), only_valid="true")
    assert resp.status_code == 200 and resp.get_json()["imported"] == 1 and resp.get_json()["skipped"] == 1
    with Session(engine) as session:
        assert session.exec(select(Inspector.name).where(Inspector.badge_no == "330102019001")).one() == "张执法"


def test_inspector_export_round_trips_through_xlsx(app: Any, client: Any, province: Any, engine: Any) -> None:
    resp = client.get("/api/directory/inspectors.xlsx?region=330102", headers=bearer(app, "admin"))
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) > 2
    assert all(str(r[3]) == "330102" for r in rows[1:])
    again = _post(client, bearer(app, "admin"), resp.data, "export.xlsx")
    assert again.status_code == 200 and again.get_json()["imported"] == len(rows) - 1


def test_target_directory_follows_the_task_scope(app: Any, client: Any, province: Any, engine: Any) -> None:
    usccs = add_firms(engine, 5)
    add_firms(engine, 3, start=950_000, industry="C33")  # outside the items' scope (H62 only)
    make_task(engine, "T1")
    resp = client.get("/api/directory/targets.csv?task=T1", headers=bearer(app, "credit"))
    lines = resp.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("uscc,name")
    listed = {line.split(",")[0] for line in lines[1:]}
    assert set(usccs) <= listed and all(",H62," in line for line in lines[1:])
    assert client.get("/api/directory/targets.csv?task=T1", headers=bearer(app, "inspector")).status_code == 403


def test_cli_directory_import_refuses_bad_file_and_export_writes_csv(
    app: Any, runner: Any, province: Any, engine: Any, tmp_path: Any
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([["X1", "", "330102-SCJG", "330102", "", "", "是"]]))
    before = count(engine, Inspector)
    result = runner.invoke(args=["directory", "import", "inspectors", str(bad)])
    assert result.exit_code == 1 and "第 2 行 名称" in result.output
    assert count(engine, Inspector) == before
    out = tmp_path / "ins.csv"
    result = runner.invoke(args=["directory", "export", "inspectors", "--region", "330102", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("badge_no,name,department_code")
