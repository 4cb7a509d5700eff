"""Imports speak the user's language: the Chinese headers of real exports and the English names systems send are
both accepted, and every import offers a 导入模板 whose example row imports as it is."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from inspections.complaints.models import Complaint
from supervise import clock
from supervise.importspec import SPECS
from tests.conftest import bearer

CHINESE = (
    "工单编号,受理时间,来源渠道,诉求类型,统一社会信用代码,企业名称,企业地址,诉求内容,联系人,联系电话,是否保密\n"
    "ZJ12345-20261120-0001,2026-11-20 09:30:00,12345热线,投诉,,杭州某某食品店,杭州市上城区解放路1号,"
    "牛奶过期,张女士,13800000000,是\n"
)
ALIASES = "工单号,受理时间,渠道,类别,内容\nZJ12345-20261120-0002,2026-11-20 10:00:00,信件,举报,无证经营\n"


def _import(app: Any, client: Any, name: str, data: bytes) -> Any:
    return client.post(
        "/api/complaints/import",
        data={"file": (io.BytesIO(data), name)},
        headers=bearer(app, "supervisor"),
        content_type="multipart/form-data",
    )


def test_a_12345_export_with_chinese_headers_imports(app: Any, client: Any, engine: Any, province: Any) -> None:
    for body in (CHINESE, ALIASES):
        resp = _import(app, client, "工单.csv", body.encode())
        assert resp.status_code == 200, resp.get_json()
    with Session(engine) as session:
        first = session.exec(select(Complaint).where(Complaint.ticket_no == "ZJ12345-20261120-0001")).one()
        second = session.exec(select(Complaint).where(Complaint.ticket_no == "ZJ12345-20261120-0002")).one()
    # A time without a zone in a Chinese export is Beijing time.
    assert clock.to_beijing(first.received_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:30"
    assert first.confidential and first.complainant_name == "张女士" and first.firm_name == "杭州某某食品店"
    assert (second.channel, second.category, second.content) == ("信件", "举报", "无证经营")


def test_a_missing_column_is_named_in_chinese(app: Any, client: Any, province: Any) -> None:
    resp = _import(app, client, "工单.csv", "工单编号,来源渠道\nZJ1-1,信件\n".encode())
    message = resp.get_json()["message"]
    assert resp.status_code == 422 and "受理时间" in message and "诉求内容" in message and "导入模板" in message


KINDS = ("checklists", "complaints", "enterprises", "inspectors", "lenient-list", "red-lists")


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_offers_a_template_explaining_each_column(app: Any, client: Any, kind: str) -> None:
    assert set(SPECS) == set(KINDS)  # every import the application declares is in this list
    spec = SPECS[kind]
    from tests.conftest import ROLE_USERS

    role = next(r for r in spec.roles if r in ROLE_USERS)
    resp = client.get(f"/api/imports/{kind}/template.xlsx", headers=bearer(app, _account(app, role)))
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].isascii()
    wb = load_workbook(io.BytesIO(resp.data))
    rows = list(wb["导入模板"].iter_rows(values_only=True))
    labels = [h.rstrip("*") for h in rows[0]]
    assert labels == [c.label for c in spec.columns]
    assert [h.endswith("*") for h in rows[0]] == [c.required for c in spec.columns]
    assert len(rows) == 2  # the headers and one example row
    explained = {r[0]: r for r in wb["填写说明"].iter_rows(min_row=2, values_only=True) if r and r[0] in labels}
    assert set(explained) == {c.label for c in spec.columns}


def test_the_complaint_templates_example_row_imports_as_it_is(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    template = client.get("/api/imports/complaints/template.xlsx", headers=bearer(app, "supervisor"))
    resp = _import(app, client, "模板.xlsx", template.data)
    assert resp.status_code == 200, resp.get_json()
    with Session(engine) as session:
        assert session.exec(select(Complaint.ticket_no)).all() == ["ZJ12345-20261201-0001"]


def test_a_template_is_refused_to_a_role_that_does_not_import_it(app: Any, client: Any, users: Any) -> None:
    assert client.get("/api/imports/checklists/template.xlsx", headers=bearer(app, "credit")).status_code == 403
    assert client.get("/api/imports/nothing/template.xlsx", headers=bearer(app, "admin")).status_code == 404


def _account(app: Any, role: str) -> str:
    """A signed-up account with this role (the suite's one per role)."""
    from supervise.auth import hash_password
    from supervise.db import unit_of_work
    from supervise.models import User
    from tests.conftest import PASSWORD, ROLE_USERS

    username = ROLE_USERS[role]
    with unit_of_work(app.extensions["supervise.engine"]) as session:
        if session.exec(select(User).where(User.username == username)).first() is None:
            session.add(
                User(username=username, display_name=username, password_hash=hash_password(PASSWORD), role=role)
            )
    return username
