"""Object scope: an officer acts only on the credit objects of their own department (or, for the level above,
of the departments below it); another district's officer is refused and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import CreditApplication, EntryEvent, ListEntry
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import Department, User
from tests.conftest import bearer, csrf_token, district_firms, login
from tests.test_credit import _propose


@pytest.fixture
def outsider(province: Any, engine: Any, password_hash: str) -> str:
    """A credit officer of 西湖区's 市场监管局: another district than the demo's 上城区."""
    with unit_of_work(engine) as session:
        dept = session.exec(select(Department).where(Department.code == "330106-SCJG")).one()
        session.add(
            User(
                username="credit_xihu",
                display_name="西湖区 信用科",
                password_hash=password_hash,
                role="credit_officer",
                department_id=dept.id,
            )
        )
    return "credit_xihu"


def _proposal(app: Any, client: Any, engine: Any, list_type: str = "BLACK") -> dict[str, Any]:
    firm = district_firms(engine, 1)[0]
    extra = {"ground": "UNREACHABLE", "reason": "通过登记的住所无法联系"} if list_type == "ABNORMAL" else {}
    return _propose(client, bearer(app, "credit"), firm.uscc, list_type, **extra)


def _state(engine: Any, entry_id: int) -> tuple[str, int]:
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
        events = session.exec(select(EntryEvent.id).where(EntryEvent.entry_id == entry_id)).all()
        return entry.state, len(events)  # type: ignore[union-attr]


def test_another_districts_officer_cannot_withdraw_a_proposal(
    app: Any, client: Any, engine: Any, outsider: str
) -> None:
    entry = _proposal(app, client, engine)
    before = _state(engine, entry["id"])
    resp = client.post(
        f"/api/credit/entries/{entry['id']}/transitions", json={"action": "withdraw"}, headers=bearer(app, outsider)
    )
    assert resp.status_code == 403 and resp.get_json()["error"] == "out_of_scope"
    assert "管辖范围" in resp.get_json()["message"]
    assert _state(engine, entry["id"]) == before
    # The district's own second officer may.
    own = client.post(
        f"/api/credit/entries/{entry['id']}/transitions", json={"action": "withdraw"}, headers=bearer(app, "credit2")
    )
    assert own.status_code == 200 and own.get_json()["state"] == "withdrawn"


def test_another_districts_officer_cannot_record_a_statement_or_read_the_entry(
    app: Any, client: Any, engine: Any, outsider: str
) -> None:
    entry = _proposal(app, client, engine, "ABNORMAL")
    assert (
        client.post(
            f"/api/credit/entries/{entry['id']}/transitions", json={"action": "notify"}, headers=bearer(app, "credit")
        ).status_code
        == 200
    )
    before = _state(engine, entry["id"])
    resp = client.post(
        f"/api/credit/entries/{entry['id']}/statement", json={"note": "陈述"}, headers=bearer(app, outsider)
    )
    assert resp.status_code == 403 and _state(engine, entry["id"]) == before
    login(client, outsider)
    assert client.get(f"/credit/entries/{entry['id']}").status_code == 403
    page = client.get("/credit/entries").get_data(as_text=True)
    assert f'/credit/entries/{entry["id"]}"' not in page
    listed = client.get("/api/credit/entries", headers=bearer(app, outsider)).get_json()
    assert entry["id"] not in [e["id"] for e in listed]
    # Through the page's form too (cookie session with its CSRF token): refused, nothing changes.
    token = csrf_token(client, "/credit/entries")
    assert client.post(f"/credit/entries/{entry['id']}/withdraw", data={"csrf_token": token}).status_code == 403
    assert _state(engine, entry["id"]) == before


def test_the_city_above_reaches_the_districts_entries(app: Any, client: Any, engine: Any, province: Any) -> None:
    entry = _proposal(app, client, engine)
    listed = client.get("/api/credit/entries", headers=bearer(app, "credit_city")).get_json()
    assert entry["id"] in [e["id"] for e in listed]
    resp = client.post(
        f"/api/credit/entries/{entry['id']}/transitions",
        json={"action": "approve_higher"},
        headers=bearer(app, "credit_city"),
    )
    assert resp.status_code == 200, resp.get_json()


def test_an_officer_cannot_propose_for_another_districts_department(
    app: Any, client: Any, engine: Any, outsider: str
) -> None:
    firm = district_firms(engine, 1)[0]
    body = {
        "uscc": firm.uscc,
        "list_type": "ABNORMAL",
        "ground": "UNREACHABLE",
        "reason": "通过登记的住所无法联系",
        "legal_basis": "《企业经营异常名录管理暂行办法》",
        "department_code": "330102-SCJG",
        "public_summary": "通过登记的住所无法联系",
        "found_on": clock.today().isoformat(),
    }
    resp = client.post("/api/credit/entries", json=body, headers=bearer(app, outsider))
    assert resp.status_code == 403
    with Session(engine) as session:
        assert session.exec(select(ListEntry.id)).first() is None


def test_another_districts_officer_cannot_register_an_online_application(
    app: Any, client: Any, engine: Any, outsider: str
) -> None:
    entry = _proposal(app, client, engine, "ABNORMAL")
    with unit_of_work(engine) as session:
        row = CreditApplication(
            number="SQ2026000001",
            kind="objection",
            entry_id=entry["id"],
            uscc=entry["uscc"],
            contact_name="王经理",
            contact_phone="0571-88886666",
            reason="企业已迁入新址",
            register_due=clock.today(),
            status="submitted",
        )
        session.add(row)
        session.flush()
        app_id = row.id
    queue = client.get("/api/credit/applications", headers=bearer(app, outsider)).get_json()
    assert app_id not in [a["id"] for a in queue]
    resp = client.post(f"/api/credit/applications/{app_id}/register", headers=bearer(app, outsider))
    assert resp.status_code == 403
    with Session(engine) as session:
        assert session.exec(select(CreditApplication.status).where(col(CreditApplication.id) == app_id)).one() == (
            "submitted"
        )


def test_a_departmentless_officer_reaches_no_entry(app: Any, client: Any, engine: Any, province: Any) -> None:
    entry = _proposal(app, client, engine)
    with unit_of_work(engine) as session:
        user = session.exec(select(User).where(User.username == "credit2")).one()
        user.department_id = None
        session.add(user)
    resp = client.post(
        f"/api/credit/entries/{entry['id']}/transitions", json={"action": "withdraw"}, headers=bearer(app, "credit2")
    )
    assert resp.status_code == 403 and _state(engine, entry["id"])[0] == "proposed"
