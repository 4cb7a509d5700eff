from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from credit.models import LicensingCheck, ListEntry
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer, district_firms, run_jobs


@pytest.fixture
def firms(province: Any, engine: Any) -> list[Enterprise]:
    return district_firms(engine, 3)


def _propose(client: Any, headers: Any, uscc: str, list_type: str = "BLACK", **kw: Any) -> dict[str, Any]:
    """Propose on the list's usual ground: 严重违法失信 with its penalty, at the district's 市场监管局."""
    body = {
        "uscc": uscc,
        "list_type": list_type,
        "reason": "从重罚款的较重行政处罚",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》",
        "department_code": "330102-SCJG",
        "public_summary": "因严重违法失信行为列入",
        "found_on": clock.today().isoformat(),
        "ground": "HEAVY_PENALTY",
        "penalty_number": "杭上市监罚〔2026〕7号",
        "penalty_on": clock.today().isoformat(),
        "penalty_field": "食品",
        **kw,
    }
    resp = client.post("/api/credit/entries", json=body, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _move(client: Any, headers: Any, entry_id: int, action: str, **kw: Any) -> Any:
    return client.post(f"/api/credit/entries/{entry_id}/transitions", json={"action": action, **kw}, headers=headers)


def _list_now(engine: Any, client: Any, app: Any, uscc: str, **kw: Any) -> int:
    """Propose a 严重违法失信 listing, have the city approve it, and decide it with a second officer."""
    entry = _propose(client, bearer(app, "credit"), uscc, **kw)
    assert _move(client, bearer(app, "credit_city"), entry["id"], "approve_higher").status_code == 200
    decided = _move(client, bearer(app, "credit2"), entry["id"], "decide", decision_number="杭上市监信〔2026〕1号")
    assert decided.status_code == 200, decided.get_json()
    return int(entry["id"])


def test_proposer_cannot_approve_their_own_proposal(app: Any, client: Any, firms: list[Enterprise]) -> None:
    entry = _propose(client, bearer(app, "credit"), firms[0].uscc)
    _move(client, bearer(app, "credit_city"), entry["id"], "approve_higher")
    resp = _move(client, bearer(app, "credit"), entry["id"], "decide", decision_number="文号1")
    assert resp.status_code == 403 and "双人审核" in resp.get_json()["message"]


def test_decision_waits_for_the_statement_period(app: Any, client: Any, firms: list[Enterprise]) -> None:
    entry = _propose(
        client, bearer(app, "credit"), firms[0].uscc, "ABNORMAL", ground="UNREACHABLE",
        department_code=f"{firms[0].region_code}-SCJG",
    )  # fmt: skip
    notified = _move(client, bearer(app, "credit"), entry["id"], "notify").get_json()
    assert notified["state"] == "notified" and notified["statement_due"] > clock.today().isoformat()
    early = _move(client, bearer(app, "credit2"), entry["id"], "decide", decision_number="文号1")
    assert early.status_code == 422 and early.get_json()["fields"][0]["field"] == "statement_due"
    assert notified["statement_due"] in early.get_json()["message"]


def test_skipping_notice_is_refused(app: Any, client: Any, firms: list[Enterprise]) -> None:
    entry = _propose(
        client, bearer(app, "credit"), firms[0].uscc, "ABNORMAL", ground="UNREACHABLE",
        department_code=f"{firms[0].region_code}-SCJG",
    )  # fmt: skip
    resp = _move(client, bearer(app, "credit2"), entry["id"], "decide", decision_number="x")
    assert resp.status_code == 409 and "须先送达告知书" in resp.get_json()["message"]


def test_listing_records_history_recomputes_tier_and_audits(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    entry_id = _list_now(engine, client, app, firms[0].uscc)
    with Session(engine) as session:
        entry = session.get(ListEntry, entry_id)
        assert entry.state == "listed" and entry.expires_on == entry.listed_on.replace(year=entry.listed_on.year + 3)
        assert session.exec(select(Enterprise.risk_tier).where(Enterprise.id == entry.enterprise_id)).one() == "D"
        actions = session.exec(
            select(AuditLog.action).where(col(AuditLog.action).startswith("credit.")).order_by(col(AuditLog.id))
        ).all()
    assert actions[:3] == ["credit.proposed", "credit.approve_higher", "credit.decide"]


def test_early_repair_is_refused_with_the_first_allowed_date(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    entry_id = _list_now(engine, client, app, firms[0].uscc)
    resp = _move(client, bearer(app, "credit"), entry_id, "apply_repair", commitment_letter=True)
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "applied_on"
    first = (clock.today().replace(year=clock.today().year + 1)).isoformat()
    assert first[:7] in resp.get_json()["message"]


def test_expiry_job_is_idempotent(app: Any, client: Any, engine: Any, firms: list[Enterprise]) -> None:
    entry_id = _list_now(engine, client, app, firms[0].uscc)
    with unit_of_work(engine) as session:
        entry = session.get(ListEntry, entry_id)
        entry.expires_on = clock.today() - timedelta(days=1)
        session.add(entry)
    first = client.post("/api/credit/expire", headers=bearer(app, "admin"))
    assert first.status_code == 202
    run_jobs(app)
    status = client.get(first.get_json()["status_url"], headers=bearer(app, "admin")).get_json()
    assert status["status"] == "finished" and status["result"]["expired"] == 1
    client.post("/api/credit/expire", headers=bearer(app, "admin"))
    run_jobs(app)
    with Session(engine) as session:
        assert session.get(ListEntry, entry_id).state == "expired"
        runs = session.exec(
            select(AuditLog.payload).where(AuditLog.action == "credit.expiry_run").order_by(col(AuditLog.id))
        ).all()
        assert runs == [
            '{"expired":1,"penalties_ended":0}',
            '{"expired":0,"penalties_ended":0}',
        ]
        assert session.exec(select(Enterprise.risk_tier).where(Enterprise.uscc == firms[0].uscc)).one() != "D"


def test_black_listed_firm_is_restricted_with_measures_and_basis(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_now(engine, client, app, firms[0].uscc)
    resp = client.post(
        "/api/credit/check", json={"uscc": firms[0].uscc, "matter": "WSJK-GGCS"}, headers=bearer(app, "licensing")
    )
    answer = resp.get_json()
    assert resp.status_code == 200 and answer["decision"] == "restrict"
    assert {m["effect"] for m in answer["measures"]} == {"strict_review", "no_commitment"}
    assert all("第44号" in m["legal_basis"] for m in answer["measures"]) and answer["entries"][0]["decision_number"]


def test_red_listed_firm_gets_tolerance(app: Any, client: Any, engine: Any, firms: list[Enterprise]) -> None:
    from tests.test_credit_law import import_red

    import_red(engine, "RED_TAX", [firms[1].uscc])
    answer = client.post(
        "/api/credit/check", json={"uscc": firms[1].uscc, "matter": "SCJG-SPJY"}, headers=bearer(app, "licensing")
    ).get_json()
    assert answer["decision"] == "allow_with_measures" and "容缺受理" in {m["text"] for m in answer["measures"]}


def test_granting_against_the_check_is_a_breach(app: Any, client: Any, engine: Any, firms: list[Enterprise]) -> None:
    _list_now(engine, client, app, firms[0].uscc)
    headers = bearer(app, "licensing")

    def ask() -> dict[str, Any]:
        return dict(client.post("/api/credit/check", json={"uscc": firms[0].uscc, "matter": "WSJK-GGCS"},
                                headers=headers).get_json())  # fmt: skip

    c1 = ask()
    assert ask()["check_id"] == c1["check_id"]  # asked again while pending: the same check, counted once
    with Session(engine) as session:
        assert len(session.exec(select(LicensingCheck).where(LicensingCheck.enterprise_id == firms[0].id)).all()) == 1
    bad = client.post(f"/api/credit/check/{c1['check_id']}/outcome", json={"granted": True}, headers=headers)
    assert bad.get_json()["breach"] is True
    c2 = ask()  # the first has its outcome: a new check
    assert c2["check_id"] != c1["check_id"]
    good = client.post(
        f"/api/credit/check/{c2['check_id']}/outcome",
        json={"granted": True, "measures_applied": ["strict_review", "no_commitment"]},
        headers=headers,
    )
    assert good.get_json()["breach"] is False
    listed = client.get("/api/credit/breaches", headers=bearer(app, "supervisor")).get_json()
    assert [b["check_id"] for b in listed] == [c1["check_id"]]
    assert (
        client.post(f"/api/credit/check/{c1['check_id']}/outcome", json={"granted": False}, headers=headers).status_code
        == 409
    )


def test_related_firms_of_a_black_listed_legal_representative_are_warned(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    with unit_of_work(engine) as session:
        a, b = session.get(Enterprise, firms[0].id), session.get(Enterprise, firms[1].id)
        b.legal_rep_id_number, b.legal_rep_name = a.legal_rep_id_number, a.legal_rep_name
        session.add(b)
    _list_now(engine, client, app, firms[0].uscc, ground="CHARTER_REVOKED")  # 任职限制 follows this ground
    answer = client.post(
        "/api/credit/check", json={"uscc": firms[1].uscc, "matter": "WSJK-GGCS"}, headers=bearer(app, "licensing")
    ).get_json()
    assert [w["uscc"] for w in answer["related_party_warnings"]] == [firms[0].uscc]
    assert firms[0].legal_rep_id_number not in str(answer)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"uscc": "91330102000000000X", "matter": "WSJK-GGCS"}, "uscc"),
        ({"uscc": None, "matter": "NOPE"}, "matter"),
    ],
)
def test_bad_uscc_or_unknown_matter_is_422_naming_the_field(
    app: Any, client: Any, firms: list[Enterprise], body: dict[str, Any], field: str
) -> None:
    if body["uscc"] is None:
        body = {**body, "uscc": firms[0].uscc}
    resp = client.post("/api/credit/check", json=body, headers=bearer(app, "licensing"))
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == field


def test_every_check_is_logged(app: Any, client: Any, engine: Any, firms: list[Enterprise]) -> None:
    client.post(
        "/api/credit/check", json={"uscc": firms[2].uscc, "matter": "WSJK-GGCS"}, headers=bearer(app, "licensing")
    )
    with Session(engine) as session:
        assert session.exec(select(LicensingCheck.decision)).all() == ["allow"]
        assert session.exec(select(AuditLog.action).where(AuditLog.action == "credit.checked")).all()


def test_public_credit_query_never_shows_id_numbers(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_now(engine, client, app, firms[0].uscc)
    body = client.get(f"/api/credit/public?q={firms[0].uscc}").get_data(as_text=True)
    assert firms[0].uscc in body and "严重违法失信名单" in body
    assert firms[0].legal_rep_id_number not in body


def test_inspection_result_feeds_the_abnormal_list(app: Any, engine: Any, province: Any) -> None:
    from credit.feeds import feed_inspection_result
    from tests.drawkit import add_firms, ceremony, make_task

    add_firms(engine, 5)
    make_task(engine, "T1")
    draw = ceremony(engine, "T1")
    from inspections.models import DrawTarget

    with unit_of_work(engine) as session:
        target = session.exec(select(DrawTarget).where(DrawTarget.draw_id == draw.id)).first()
        entry = feed_inspection_result(
            session,
            target_id=target.id,
            category="通过登记的住所（经营场所）无法联系",
            inspected_on=date(2026, 7, 3),
        )
        assert entry is not None and entry.state == "proposed" and entry.proposed_by is None
        assert entry.ground == "UNREACHABLE" and "第四条第（四）项" in entry.legal_basis
        none = feed_inspection_result(
            session,
            target_id=target.id,
            category="未发现问题",
            inspected_on=date(2026, 7, 3),
        )
        assert none is None


def test_the_abnormal_listing_notice_prints_the_ground_the_right_to_be_heard_and_its_deadline(
    app: Any, client: Any, firms: list[Enterprise]
) -> None:
    import io

    from pypdf import PdfReader

    from supervise.paper import paper_date
    from tests.conftest import login

    entry = _propose(
        client, bearer(app, "credit"), firms[0].uscc, "ABNORMAL", ground="UNREACHABLE",
        department_code=f"{firms[0].region_code}-SCJG",
    )  # fmt: skip
    reader = app.test_client()
    login(reader, "credit")
    url = f"/credit/entries/{entry['id']}/notice.pdf"
    assert reader.get(url).status_code == 409  # not served yet: no paper to print
    notified = _move(client, bearer(app, "credit"), entry["id"], "notify").get_json()
    got = reader.get(url)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(got.data)).pages)
    due = paper_date(date.fromisoformat(notified["statement_due"]))
    assert "市场监督管理局列入经营异常名录告知书" in text  # the issuer, then the title
    assert firms[0].name in text and firms[0].uscc in text and "通过登记的住所或者经营场所无法联系" in text
    assert f"请于{due}前向本机关提出书面陈述、申辩意见" in text and "—1—" in text and "异告〔" in text
    assert "申请移出经营异常名录" in text and "条号" not in text
    assert "列入经营异常名录告知书（PDF）" in reader.get(f"/credit/entries/{entry['id']}").get_data(as_text=True)


def test_the_entries_list_keeps_only_overdue_work_when_asked_and_exports_what_it_shows(
    app: Any, client: Any, firms: list[Enterprise], frozen_clock: Any
) -> None:
    import io

    from openpyxl import load_workbook

    from tests.conftest import login

    late = _propose(client, bearer(app, "credit"), firms[0].uscc, "ABNORMAL", ground="UNREACHABLE",
                    department_code=f"{firms[0].region_code}-SCJG")  # fmt: skip
    frozen_clock.set(frozen_clock.now() + timedelta(days=40))  # its decision is now past due
    fresh = _propose(client, bearer(app, "credit"), firms[1].uscc, "ABNORMAL", ground="UNREACHABLE",
                     department_code=f"{firms[1].region_code}-SCJG")  # fmt: skip
    officer = app.test_client()
    login(officer, "credit")
    page = officer.get("/credit/entries?overdue=1").get_data(as_text=True)
    assert f'/credit/entries/{late["id"]}"' in page and f'/credit/entries/{fresh["id"]}"' not in page
    sheet = officer.get("/credit/entries.xlsx?overdue=1")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and [r[0] for r in rows[1:]] == [late["id"]] and rows[1][2] == firms[0].name
