"""任职限制 at registration: a person barred by 公司法第一百七十八条 is refused with the basis, or registered and
flagged once the registering officer confirms it; the ID number never appears in an answer."""

import io
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select
from stdnum.cn import ric

from supervise import clock
from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer, district_firms
from tests.test_credit_law import _list_black


def _id(stem: str) -> str:
    return stem + ric.calc_check_digit(stem + "0")


BARRED = _id("11010119800101123")


@pytest.fixture
def firms(province: Any, engine: Any) -> list[Enterprise]:
    from supervise.db import unit_of_work

    with unit_of_work(engine) as session:
        firm = session.exec(select(Enterprise).order_by(col(Enterprise.id))).first()
        firm.legal_rep_id_number, firm.legal_rep_name = BARRED, "钱某"
        session.add(firm)
    return district_firms(engine, 3)


def _new_firm(client: Any, app: Any, **kw: Any) -> Any:
    body = {
        "uscc": "91330102MA2B3C4D5J",
        "name": "杭州新设贸易有限公司",
        "legal_rep_name": "钱某",
        "legal_rep_id_number": BARRED,
        "region_code": "330102",
        "industry_code": "F52",
        "registered_on": clock.today().isoformat(),
        **kw,
    }
    from stdnum.cn import uscc

    body["uscc"] = body["uscc"][:17] + uscc.calc_check_digit(body["uscc"][:17])
    return client.post("/api/enterprises", json=body, headers=bearer(app, "credit"))


def test_the_legal_representative_of_a_firm_whose_charter_was_revoked_is_refused_then_flagged(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_black(client, app, firms[0], ground="CHARTER_REVOKED")
    refused = _new_firm(client, app)
    body = refused.get_json()
    assert refused.status_code == 409 and body["error"] == "officer_restricted"
    assert "公司法" in body["message"] and "第一百七十八条" in body["message"] and firms[0].name in body["message"]
    assert BARRED not in str(body)
    confirmed = _new_firm(client, app, confirm_restricted=True)
    assert confirmed.status_code == 201 and BARRED not in confirmed.get_data(as_text=True)
    with Session(engine) as session:
        flags = session.exec(select(AuditLog.payload).where(AuditLog.action == "enterprise.officer_restricted")).all()
    assert len(flags) == 1 and BARRED not in flags[0] and firms[0].uscc in flags[0]


def test_a_change_of_officers_is_checked_against_the_restriction(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_black(client, app, firms[0], ground="CHARTER_REVOKED")
    change = {
        "legal_rep_name": "孙某",
        "legal_rep_id_number": _id("11010119900202223"),
        "officers": [{"role": "董事", "name": "钱某", "id_number": BARRED}],
    }
    url = f"/api/enterprises/{firms[1].uscc}/officers"
    refused = client.put(url, json=change, headers=bearer(app, "credit"))
    assert refused.status_code == 409 and "董事钱某" in refused.get_json()["message"]
    done = client.put(url, json=change | {"confirm_restricted": True}, headers=bearer(app, "credit"))
    assert done.status_code == 200 and done.get_json()["officers"] == 1 and done.get_json()["restricted"]
    with Session(engine) as session:
        assert session.get(Enterprise, firms[1].id).legal_rep_name == "孙某"


def test_other_grounds_and_an_expired_bar_restrict_no_one(
    app: Any, client: Any, engine: Any, firms: list[Enterprise], frozen_clock: Any
) -> None:
    _list_black(client, app, firms[0])  # 吊销许可证件、营业执照以外的较重行政处罚: no 任职限制
    assert _new_firm(client, app).status_code == 201
    from credit.models import ListEntry
    from supervise.db import unit_of_work

    _list_black(client, app, firms[1], ground="CHARTER_REVOKED")
    with unit_of_work(engine) as session:
        other = session.get(Enterprise, firms[1].id)
        other.legal_rep_id_number = _id("11010119700303323")
        session.add(other)
        entry = session.exec(select(ListEntry).where(ListEntry.enterprise_id == firms[1].id)).one()
        penalty_on = entry.penalty_on
    frozen_clock.set(frozen_clock.now() + timedelta(days=365 * 3 + 1))
    later = _new_firm(
        client, app, uscc="91330102MA2B3C4D6J", legal_rep_id_number=_id("11010119700303323"), name="杭州后设有限公司"
    )
    assert later.status_code == 201, (later.get_json(), penalty_on)


def test_an_import_row_with_a_barred_legal_representative_is_refused_with_the_basis(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    _list_black(client, app, firms[0], ground="CHARTER_REVOKED")
    from stdnum.cn import uscc

    code = "91330102MA2B3C4D7" + uscc.calc_check_digit("91330102MA2B3C4D7")
    csv = "uscc,name,legal_rep_name,legal_rep_id_number,region_code,industry_code,registered_on\n"
    csv += f"{code},杭州导入有限公司,钱某,{BARRED},330102,F52,{clock.today().isoformat()}\n"
    resp = client.post(
        "/api/enterprises/import", data={"file": (io.BytesIO(csv.encode()), "batch.csv")},
        headers=bearer(app, "credit"), content_type="multipart/form-data",
    )  # fmt: skip
    body = resp.get_json()
    assert resp.status_code == 422 and "line 2: legal_rep_id_number" in str(body["fields"])
    assert "第一百七十八条" in str(body["fields"]) and BARRED not in str(body)


def test_a_firm_listed_for_serious_disclosure_fraud_bars_its_legal_representative_for_three_years(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    # 《企业信息公示暂行条例》（2024年修订）第十八条第二款: 弄虚作假、情节严重 → 严重违法失信名单, and the
    # 法定代表人、负责人 may not head another firm for 3 years.
    _list_black(client, app, firms[0], ground="DISCLOSURE_FRAUD")
    refused = _new_firm(client, app).get_json()
    assert refused["error"] == "officer_restricted" and "第十八条第二款" in refused["message"]
    assert "三年内不得担任其他企业的法定代表人、负责人" in refused["message"] and BARRED not in str(refused)


def test_the_repealed_three_year_escalation_is_neither_offered_nor_run(
    app: Any, client: Any, engine: Any, firms: list[Enterprise]
) -> None:
    from credit.feeds import expire_due
    from credit.reference import reference
    from supervise.db import unit_of_work
    from tests.test_credit_law import _black

    refused = _black(client, app, firms[0], ground="ABNORMAL_3Y")
    assert refused.status_code == 422 and "2024年修订" in refused.get_json()["message"]
    page = client.get("/credit/entries", headers=bearer(app, "credit")).get_data(as_text=True)
    assert 'value="ABNORMAL_3Y"' not in page and 'value="DISCLOSURE_FRAUD"' in page
    with unit_of_work(engine) as session:
        assert "escalated" not in expire_due(session)
        assert reference(session).rules["BLACK"].ground("ABNORMAL_3Y").retired  # old entries still show it
