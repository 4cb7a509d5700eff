"""检查要点 (按标执法): items carry their checklists as data, kept by spreadsheet and published with the list."""

import io
import json
from typing import Any

from sqlmodel import Session, col, select

from inspections.models import CheckPoint, InspectionItem
from supervise.tabular import read_table
from tests.conftest import Runner, bearer, csrf_token, login


def _seed(app: Any) -> None:
    from seeds.inspections import seed_inspections
    from supervise.db import unit_of_work

    with unit_of_work(app.extensions["supervise.engine"]) as session:
        seed_inspections(session, seed=7)
        from seeds.checklists import seed_checklists

        seed_checklists(session)


def test_an_item_shows_its_points_by_command_and_api(app: Any, client: Any, province: Any) -> None:
    _seed(app)
    shown = Runner(app).invoke(["item", "show", "SCJG-002", "--json"])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.output)
    assert detail["code"] == "SCJG-002" and 5 <= len(detail["points"]) <= 12
    assert [p["seq"] for p in detail["points"]] == sorted(p["seq"] for p in detail["points"])
    assert all(p["legal_basis"] and p["criterion"] for p in detail["points"])
    assert client.get("/api/items/SCJG-002").get_json() == detail
    assert client.get("/api/items/NOPE").status_code == 404
    page = client.get("/public/items").get_data(as_text=True)
    assert "从业人员取得健康证明后上岗" in page and "第四十五条" in page


def test_checklists_are_replaced_from_a_spreadsheet_all_rows_or_none(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    _seed(app)
    exported = client.get("/api/items/checklists.xlsx")
    assert exported.status_code == 200
    rows = read_table("x.xlsx", exported.data, required=("item_code", "seq", "text"))
    assert any(r["item_code"] == "SCJG-003" for _line, r in rows)
    csv = "item_code,seq,text,legal_basis,criterion,severity,discretion_ref\n"
    bad = (
        csv + "SCJG-001,1,年报按期公示,《企业信息公示暂行条例》第八条,按期公示,一般,\nSCJG-001,1,重复,依据,标准,极重,\n"
    )
    refused = client.post(
        "/api/items/checklists", data={"file": (io.BytesIO(bad.encode()), "points.csv")},
        headers=bearer(app, "admin"), content_type="multipart/form-data",
    )  # fmt: skip
    fields = {f["field"] for f in refused.get_json()["fields"]}
    assert refused.status_code == 422 and {"line 3: seq", "line 3: severity"} <= fields
    with Session(engine) as session:
        item = session.exec(select(InspectionItem).where(InspectionItem.code == "SCJG-001")).one()
        assert len(session.exec(select(CheckPoint).where(CheckPoint.item_id == item.id)).all()) == 5  # untouched
    good = csv + "SCJG-001,1,年报按期公示,《企业信息公示暂行条例》第八条,6月30日前公示,较重,\n"
    login(client, "admin")
    done = client.post(
        "/admin/items/checklists",
        data={"file": (io.BytesIO(good.encode()), "points.csv"), "csrf_token": csrf_token(client, "/admin/items")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    with Session(engine) as session:
        points = session.exec(
            select(CheckPoint).where(CheckPoint.item_id == item.id).order_by(col(CheckPoint.seq))
        ).all()
    assert [(p.seq, p.severity) for p in points] == [(1, "较重")]
    assert "1 项" in client.get("/admin/items").get_data(as_text=True)


def test_an_item_takes_several_check_methods(app: Any, client: Any, province: Any) -> None:
    body = {
        "code": "SCJG-009",
        "department_kind": "SCJG",
        "name": "产品质量监督抽查",
        "legal_basis": "《中华人民共和国产品质量法》第十五条",
        "check_methods": ["实地核查", "检验检测"],
    }
    added = client.post("/api/items", json=body, headers=bearer(app, "admin"))
    assert added.status_code == 201 and added.get_json()["check_methods"] == ["实地核查", "检验检测"]
    wrong = client.post(
        "/api/items", json=body | {"code": "SCJG-010", "check_methods": ["电话核查"]}, headers=bearer(app, "admin")
    )
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"].startswith("check_methods")
