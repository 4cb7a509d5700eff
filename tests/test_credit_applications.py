"""Firms object and apply for repair online, follow the status with number and USCC; officers register the
applications and a second officer decides them."""

import io
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import CreditApplication, ListEntry
from supervise import clock
from tests.conftest import bearer, csrf_token, district_firms, login
from tests.test_credit_law import _list_abnormal, _list_black, _move, _set
from tests.test_exactly_once import at_once, statuses

PDF = b"%PDF-1.4\n% supervise test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def firms(province: Any, engine: Any) -> list[Any]:

    return district_firms(engine, 3)


def _apply(client: Any, firm: Any, *, list_type: str = "ABNORMAL", kind: str = "objection", **extra: Any) -> Any:
    data = {
        "uscc": firm.uscc,
        "list_type": list_type,
        "kind": kind,
        "contact_name": "王经理",
        "contact_phone": "0571-88886666",
        "reason": "企业已于列入前迁入新址，通过新住所可以联系",
        "csrf_token": csrf_token(client, "/credit/apply"),
        **extra,
    }
    return client.post(
        "/credit/apply",
        data=data,
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/credit/apply"},
        follow_redirects=True,
    )


def _number(engine: Any, firm: Any) -> str:
    with Session(engine) as session:
        app = session.exec(
            select(CreditApplication).where(CreditApplication.uscc == firm.uscc).order_by(col(CreditApplication.id))
        ).all()[-1]
        return app.number


def test_a_firm_objects_online_and_follows_the_status_while_two_officers_decide(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    page = _apply(client, firms[0]).get_data(as_text=True)
    number = _number(engine, firms[0])
    assert "申请已提交" in page and number in page and "已提交，待登记" in page
    assert "0571-88886666" not in page  # the status page never shows the contact details
    assert "请勿重复提交" in _apply(client, firms[0]).get_data(as_text=True)
    stranger = client.get(f"/credit/apply/status?number={number}&uscc={firms[1].uscc}")
    assert stranger.status_code == 404 and "已提交，待登记" not in stranger.get_data(as_text=True)
    queue = client.get("/api/credit/applications", headers=bearer(app, "credit")).get_json()
    assert [a["number"] for a in queue] == [number] and queue[0]["contact_phone"] == "0571-88886666"
    registered = client.post(f"/api/credit/applications/{queue[0]['id']}/register", headers=bearer(app, "credit"))
    assert registered.status_code == 200 and registered.get_json()["status"] == "registered"
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
    assert entry.state == "objection_filed" and entry.objected_on == clock.today()
    assert _move(client, app, "credit", entry_id, "accept_objection").status_code == 403  # the registrar
    assert _move(client, app, "credit2", entry_id, "accept_objection").status_code == 200
    status = client.get(f"/credit/apply/status?number={number}&uscc={firms[0].uscc}").get_data(as_text=True)
    assert "已登记，办理中" in status and "异议核实中" in status and "异议核实期限" in status


def test_an_online_objection_after_30_days_is_refused_and_the_form_keeps_the_input(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    _set(engine, entry_id, listed_on=clock.today() - timedelta(days=31))
    page = _apply(client, firms[0]).get_data(as_text=True)
    assert "30日" in page and "已逾期" in page and 'value="王经理"' in page
    with Session(engine) as session:
        assert not session.exec(select(CreditApplication)).all()


def test_the_black_list_takes_review_not_objections_and_repair_needs_its_conditions(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    _list_black(client, app, firms[0])
    refused = _apply(client, firms[0], list_type="BLACK").get_data(as_text=True)
    assert "行政复议" in refused and "行政诉讼" in refused
    early = _apply(client, firms[0], list_type="BLACK", kind="repair").get_data(as_text=True)
    assert "最短公示期" in early  # a year on the list first


def test_a_removal_application_with_a_document_is_registered_and_decided_by_another_officer(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    bad = _apply(client, firms[0], kind="repair", attachments=(io.BytesIO(b"MZ\x90\x00"), "证明.pdf"))
    assert "不是 PDF、PNG 或 JPEG" in bad.get_data(as_text=True)
    # 信用修复管理办法: every repair application comes with a 守信承诺书, 经营异常名录 included
    unpledged = _apply(client, firms[0], kind="repair", attachments=(io.BytesIO(PDF), "住所变更登记通知书.pdf"))
    assert "承诺书" in unpledged.get_data(as_text=True) and "申请已提交" not in unpledged.get_data(as_text=True)
    done = _apply(
        client, firms[0], kind="repair", commitment_letter="on", attachments=(io.BytesIO(PDF), "住所变更登记通知书.pdf")
    )
    assert "申请已提交" in done.get_data(as_text=True)
    queue = client.get("/api/credit/applications", headers=bearer(app, "credit")).get_json()
    [meta] = queue[0]["attachments"]
    login(client, "credit")
    got = client.get(f"/credit/applications/{queue[0]['id']}/files/{meta['sha256']}")
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    page = client.get("/credit/entries").get_data(as_text=True)
    assert "网上申请（待登记）" in page and queue[0]["number"] in page
    token = csrf_token(client, "/credit/entries")
    assert client.post(f"/credit/applications/{queue[0]['id']}/register", data={"csrf_token": token}).status_code == 302
    assert _move(client, app, "credit", entry_id, "approve_repair").status_code == 403
    removed = _move(client, app, "credit2", entry_id, "approve_repair")
    assert removed.status_code == 200 and removed.get_json()["state"] == "removed"


def test_ten_officers_registering_one_application_register_it_once(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    _apply(client, firms[0])
    app_id = client.get("/api/credit/applications", headers=bearer(app, "credit")).get_json()[0]["id"]
    headers = bearer(app, "credit")
    responses = at_once(app, 10, lambda c: c.post(f"/api/credit/applications/{app_id}/register", headers=headers))
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as session:
        assert session.get(ListEntry, entry_id).state == "objection_filed"


def test_the_public_credit_page_publishes_the_removal_history_without_the_risk_tier(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    entry_id = _list_abnormal(client, app, firms[0])
    _move(client, app, "credit", entry_id, "apply_repair", note="已补报年度报告", commitment_letter=True)
    _move(client, app, "credit2", entry_id, "approve_repair")
    page = client.get(f"/credit?q={firms[0].uscc}").get_data(as_text=True)
    history = page.split("移出记录")[1]
    assert clock.today().isoformat() in history and "信用修复（申请移出）获准" in history
    assert f"{firms[0].region_code}-SCJG" not in history and "市场监督管理局" in history  # the authority by name
    assert "风险" not in page and "risk" not in page


def test_a_firms_credit_report_is_a_pdf_of_public_information_anchored_in_the_audit_chain(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    import hashlib

    from supervise.models import AuditLog

    entry_id = _list_abnormal(client, app, firms[0])
    login(client, "credit")  # an officer's print is audited with its own anchor
    resp = client.get(f"/credit/report/{firms[0].uscc}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF-")
    digest = hashlib.sha256(resp.data).hexdigest()
    assert resp.headers["X-Content-SHA256"] == digest
    assert resp.headers["Content-Disposition"].isascii()  # gunicorn refuses non-ASCII headers
    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(resp.data)).metadata
    assert meta is not None and str(meta.title).startswith("企业信用报告 ")  # not "(anonymous)"
    with Session(engine) as session:
        logged = session.exec(select(AuditLog.payload).where(AuditLog.action == "credit.report_generated")).one()
        anchored = session.exec(select(AuditLog.action).where(AuditLog.action == "audit.anchored")).all()
        entry = session.get(ListEntry, entry_id)
    assert digest in logged and anchored and entry is not None
    assert client.get("/credit/report/91330102000000000X.pdf").status_code in (404, 422)


def test_an_anonymous_flood_of_credit_reports_writes_nothing_and_is_limited(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    from sqlmodel import func

    from credit.public import PUBLIC_REPORTS_PER_HOUR
    from supervise.models import AuditLog, Enterprise

    _list_abnormal(client, app, firms[0])
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(AuditLog)).one()
        others = session.exec(select(Enterprise.uscc).where(Enterprise.uscc != firms[0].uscc).limit(40)).all()
    anonymous = app.test_client()
    first = anonymous.get(f"/credit/report/{firms[0].uscc}.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    for _ in range(22):  # the same firm again: the day's report, from the cache, byte for byte
        again = anonymous.get(f"/credit/report/{firms[0].uscc}.pdf")
        assert again.status_code == 200 and again.data == first.data
    answers = [anonymous.get(f"/credit/report/{uscc}.pdf").status_code for uscc in others]
    assert answers[: PUBLIC_REPORTS_PER_HOUR - 1] == [200] * (PUBLIC_REPORTS_PER_HOUR - 1)
    assert answers[PUBLIC_REPORTS_PER_HOUR - 1 :] and set(answers[PUBLIC_REPORTS_PER_HOUR - 1 :]) == {429}
    refused = anonymous.get(f"/credit/report/{others[-1]}.pdf")
    assert "过于频繁" in refused.get_data(as_text=True)
    assert anonymous.get(f"/credit/report/{firms[0].uscc}.pdf").status_code == 200  # cached: still served
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == before


def test_an_objection_for_a_firm_on_no_list_comes_back_on_the_form(
    app: Any, client: Any, engine: Any, firms: list[Any]
) -> None:
    page = _apply(client, firms[0])  # nothing listed for this firm
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "没有正在公示的该类名单信息" in html and "未找到" not in html
    assert 'value="王经理"' in html and html.count("统一社会信用代码：统一社会信用代码") == 0
