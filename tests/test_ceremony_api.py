import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest

from inspections.draw.algorithm import commitment_of
from inspections.draw.bundles import verify_files
from inspections.draw.frozen import FULL_BUNDLE
from supervise import clock
from tests.conftest import bearer
from tests.drawkit import add_firms

ITEM = {"department_kind": "SCJG", "legal_basis": "《企业信息公示暂行条例》第十四条", "scope_industries": ["H62"]}


@pytest.fixture
def planned(app: Any, client: Any, province: Any, engine: Any) -> dict[str, str]:
    add_firms(engine, 30)
    admin = bearer(app, "admin")
    assert (
        client.post(
            "/api/items", json={**ITEM, "code": "SCJG-GS", "name": "企业公示信息检查"}, headers=admin
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/items",
            json={**ITEM, "code": "WSJK-GG", "name": "公共场所卫生检查", "department_kind": "WSJK", "key_item": True},
            headers=admin,
        ).status_code
        == 201
    )
    plan = {
        "code": "P-2026Q3",
        "department_code": "330102-SCJG",
        "title": "2026年第三季度双随机抽查计划",
        "year": 2026,
        "quarter": 3,
    }
    assert client.post("/api/plans", json=plan, headers=admin).status_code == 201
    return admin


def task_body(**kw: Any) -> dict[str, Any]:
    return {
        "code": "T-J1",
        "plan_code": "P-2026Q3",
        "title": "餐饮企业联合抽查",
        "region_code": "330102",
        "department_codes": ["330102-SCJG", "330102-WSJK"],
        "item_codes": ["SCJG-GS", "WSJK-GG"],
        "window_start": "2026-07-01",
        "window_end": "2026-09-30",
        "ratios": {"B": "0.3"},
        **kw,
    }


def test_full_ceremony_over_the_api_produces_a_verifiable_draw(
    app: Any, client: Any, planned: Any, frozen_clock: Any, tmp_path: Any
) -> None:
    admin, sup = planned, bearer(app, "supervisor")
    assert client.post("/api/tasks", json=task_body(), headers=admin).status_code == 201
    secrets = {
        "330102-SCJG": "scjg-secret-0123456789",
        "330102-WSJK": "wsjk-secret-0123456789",
        "督查室": "observer-secret-012345",
    }
    for who, secret in secrets.items():
        headers = sup if who == "督查室" else admin
        body = {"commitment": hashlib.sha256(secret.encode()).hexdigest()}
        if who != "督查室":
            body["participant"] = who
        assert client.post("/api/tasks/T-J1/commitments", json=body, headers=headers).status_code == 201
    start = clock.now()
    at = clock.to_beijing(start + timedelta(hours=2)).replace(tzinfo=None).isoformat()
    plan = {"beacon_source": "福彩3D", "beacon_issue": "2026180期", "beacon_at": at}
    frozen = client.post("/api/tasks/T-J1/freeze", json=plan, headers=admin)
    assert frozen.status_code == 200 and frozen.get_json()["population"] == 30
    assert len(frozen.get_json()["freeze_digest"]) == 64 and frozen.get_json()["beacon"]["issue"] == "2026180期"
    published = client.get("/api/tasks/T-J1").get_json()  # anyone sees the freeze before the reveals
    assert published["freeze"]["digest"] == frozen.get_json()["freeze_digest"]
    assert published["freeze"]["beacon"]["issue"] == "2026180期" and "salt" not in json.dumps(published)
    # v3: the published freeze binds every commitment; 30 firms leave some tier under 10, so no count is shown
    bound = {p["participant"]: p["commitment"] for p in published["freeze"]["participants"]}
    assert bound == {who: commitment_of(secret) for who, secret in secrets.items()}
    assert published["freeze"]["firms"]["count"] == 30
    assert [t["count"] for t in published["freeze"]["tiers"].values()] == [None] * 4
    frozen_clock.set(start + timedelta(hours=1))
    early = client.post("/api/tasks/T-J1/draw", json={}, headers=admin)
    assert early.status_code == 409 and "尚待以下参与方揭示随机数" in early.get_json()["message"]
    for who, secret in secrets.items():
        headers = sup if who == "督查室" else admin
        body = {"secret": secret} | ({} if who == "督查室" else {"participant": who})
        assert client.post("/api/tasks/T-J1/reveals", json=body, headers=headers).status_code == 200
    early_beacon = client.post("/api/tasks/T-J1/draw", json={"beacon_value": "4 7 1"}, headers=admin)
    assert early_beacon.status_code == 409 and "开奖时间尚未到" in early_beacon.get_json()["message"]
    frozen_clock.set(start + timedelta(hours=3))
    wrong = client.post("/api/tasks/T-J1/draw", json={"beacon_value": "4 7 1", "beacon_source": "体彩"}, headers=admin)
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"] == "beacon_source"
    drawn = client.post(
        "/api/tasks/T-J1/draw", json={"beacon_value": "4 7 1", "beacon_source": "福彩3D"}, headers=admin
    )
    assert drawn.status_code == 201, drawn.get_json()
    draw_id = drawn.get_json()["id"]
    public = {n: client.get(f"/api/draws/{draw_id}/{n}").get_data(as_text=True) for n in ("record.json", "firms.txt")}
    report = verify_files(public)
    assert (str(report), report.bundle) == ("MATCH", "public")
    assert client.get(f"/api/draws/{draw_id}/population.txt").status_code == 404  # holds the tiers
    assert client.get(f"/api/draws/{draw_id}/full/population.txt").status_code == 401
    auditor = bearer(app, "auditor")
    full = {
        n: client.get(f"/api/draws/{draw_id}/full/{n}", headers=auditor).get_data(as_text=True) for n in FULL_BUNDLE
    }
    report = verify_files(full)
    assert (str(report), report.bundle) == ("MATCH", "full")
    record = json.loads(public["record.json"])
    assert record["freeze"]["beacon"]["issue"] == "2026180期" and record["seed"]["beacon"]["value"] == "4 7 1"
    public = client.get("/api/tasks/T-J1").get_json()
    assert (
        public["status"] == "drawn" and public["draw"] == draw_id and all(c["revealed"] for c in public["commitments"])
    )
    again = client.post("/api/tasks/T-J1/draw", json={}, headers=admin)
    assert again.status_code == 409


def test_general_item_ratio_above_the_cap_is_refused(client: Any, planned: Any) -> None:
    resp = client.post("/api/tasks", json=task_body(ratios={"D": "0.5"}), headers=planned)
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "ratios.D"


def test_key_items_alone_may_exceed_the_cap(client: Any, planned: Any) -> None:
    body = task_body(department_codes=["330102-WSJK"], item_codes=["WSJK-GG"], ratios={"D": "0.5"})
    assert client.post("/api/tasks", json=body, headers=planned).status_code == 201


@pytest.mark.parametrize(
    "change,field",
    [
        ({"team_size": 1}, "team_size"),
        ({"department_codes": ["330102-SCJG"]}, "item_codes"),
        ({"window_end": "2026-06-01"}, "window_end"),
        ({"ratios": {"E": "0.1"}}, "ratios.E"),
        ({"plan_code": "nope"}, "plan_code"),
    ],
)
def test_bad_task_parameters_name_the_field(client: Any, planned: Any, change: dict[str, Any], field: str) -> None:
    resp = client.post("/api/tasks", json=task_body(**change), headers=planned)
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == field


def test_freeze_needs_two_commitments_and_roles_are_enforced(app: Any, client: Any, planned: Any) -> None:
    client.post("/api/tasks", json=task_body(), headers=planned)
    digest = hashlib.sha256(b"only-one-secret-0000").hexdigest()
    client.post(
        "/api/tasks/T-J1/commitments", json={"participant": "330102-SCJG", "commitment": digest}, headers=planned
    )
    assert client.post("/api/tasks/T-J1/freeze", headers=planned).status_code == 409
    assert client.post("/api/tasks/T-J1/freeze", headers=bearer(app, "inspector")).status_code == 403
    wrong = client.post(
        "/api/tasks/T-J1/commitments", json={"participant": "330106-SCJG", "commitment": digest}, headers=planned
    )
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"] == "participant"


def test_admin_maintains_the_item_list_through_the_web_page(client: Any, province: Any) -> None:
    from tests.conftest import csrf_token, login

    login(client, "admin", "correct-horse-battery")
    token = csrf_token(client, "/admin/items")
    form = {
        "csrf_token": token,
        "code": "SCJG-009",
        "department_kind": "SCJG",
        "name": "价格行为检查",
        "legal_basis": "《中华人民共和国价格法》第三十四条",
        "scope_industries": "F52",
        "method": "现场检查",
    }
    assert client.post("/admin/items", data=form).status_code == 302
    page = client.get("/admin/items").get_data(as_text=True)
    assert "价格行为检查" in page and "《中华人民共和国价格法》第三十四条" in page
    assert client.post("/admin/items/SCJG-009/toggle", data={"csrf_token": token}).status_code == 302
    items = {i["code"]: i for i in client.get("/api/items").get_json()}
    assert items["SCJG-009"]["active"] is False and items["SCJG-009"]["scope_industries"] == ["F52"]
    bad = client.post("/admin/items", data={**form, "code": "X", "legal_basis": ""})
    assert bad.status_code == 422


def test_item_page_refuses_other_roles(client: Any, province: Any) -> None:
    from tests.conftest import login

    login(client, "credit", "correct-horse-battery")
    assert client.get("/admin/items").status_code == 403


def test_a_beacon_must_be_fixed_whole_and_in_the_future(app: Any, client: Any, planned: Any) -> None:
    admin, sup = planned, bearer(app, "supervisor")
    assert client.post("/api/tasks", json=task_body(), headers=admin).status_code == 201
    for who, headers in (("330102-SCJG", admin), ("督查室", sup)):
        body = {"commitment": hashlib.sha256(who.encode()).hexdigest()} | (
            {} if who == "督查室" else {"participant": who}
        )
        assert client.post("/api/tasks/T-J1/commitments", json=body, headers=headers).status_code == 201
    partial = client.post("/api/tasks/T-J1/freeze", json={"beacon_source": "福彩3D"}, headers=admin)
    assert partial.status_code == 422 and "期号、开奖时间" in partial.get_json()["message"]
    past = clock.to_beijing(clock.now() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    body = {"beacon_source": "福彩3D", "beacon_issue": "2026001期", "beacon_at": past}
    late = client.post("/api/tasks/T-J1/freeze", json=body, headers=admin)
    assert late.status_code == 422 and late.get_json()["fields"][0]["field"] == "beacon_at"
    assert client.get("/api/tasks/T-J1").get_json()["status"] != "frozen"  # nothing was frozen
