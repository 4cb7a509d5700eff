"""Bad input is answered 4xx naming the field, never 500: the cases the attack on the demo found."""

from __future__ import annotations

import io
from typing import Any

from sqlmodel import Session, col, select

from inspections.disposals.models import Disposal
from tests.conftest import bearer, run_jobs
from tests.test_complaint_disposals import _checked
from tests.test_complaint_workflow import _post, setting  # noqa: F401 - the fixture

TICKET = {
    "ticket_no": "ZJ12345-20261201-0900",
    "received_at": "2026-12-01T09:00:00+08:00",
    "channel": "12345热线",
    "category": "投诉",
    "content": "购买的牛奶已过期",
}


def _push_raw(app: Any, client: Any, **changes: Any) -> Any:
    body = {**TICKET, **changes}
    return client.post("/api/complaints", json=body, headers=bearer(app, "hotline"))


def test_a_pushed_ticket_received_in_year_one_is_refused_by_its_label(app: Any, client: Any, setting: Any) -> None:  # noqa: F811
    resp = _push_raw(app, client, received_at="0001-01-01T00:00:00+00:00")
    assert resp.status_code == 422
    field = resp.get_json()["fields"][0]
    assert field["field"] == "received_at" and field["label"] == "受理时间" and "2000" in field["message"]
    late = _push_raw(app, client, received_at="9999-12-31T23:59:59+00:00")
    assert late.status_code == 422 and late.get_json()["fields"][0]["label"] == "受理时间"


def test_a_tickets_fields_are_named_by_the_tickets_own_labels(app: Any, client: Any, setting: Any) -> None:  # noqa: F811
    resp = _push_raw(app, client, content="", category="意见")
    labels = {f["field"]: f["label"] for f in resp.get_json()["fields"]}
    assert resp.status_code == 422 and labels == {"content": "诉求内容", "category": "诉求类型"}


def test_confidential_must_be_a_real_boolean(app: Any, client: Any, setting: Any) -> None:  # noqa: F811
    resp = _push_raw(app, client, confidential="yes")
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["label"] == "是否保密"
    assert _push_raw(app, client, confidential=True).status_code == 201


def test_a_csv_with_a_huge_cell_is_refused_naming_its_line(app: Any, client: Any, setting: Any) -> None:  # noqa: F811
    head = "ticket_no,received_at,channel,category,content\n"
    body = head + f'ZJ1-0001,2026-12-01T09:00:00+08:00,12345热线,投诉,"{"长" * 200_000}"\n'
    resp = client.post(
        "/api/complaints/import",
        data={"file": (io.BytesIO(body.encode()), "tickets.csv")},
        headers=bearer(app, "supervisor"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 202  # over 256 KB: read by a job, whose result names the line
    run_jobs(app)
    result = client.get(resp.get_json()["status_url"], headers=bearer(app, "supervisor")).get_json()["result"]
    assert result["ok"] is False and "第 2 行" in result["message"], result


def test_a_nul_character_in_a_search_or_a_body_is_refused(app: Any, client: Any, setting: Any) -> None:  # noqa: F811
    for path in ("/enterprises?q=%00", "/api/enterprises?q=%00", "/public/results?q=%00"):
        resp = client.get(path, headers=bearer(app, "admin"))
        assert 400 <= resp.status_code < 500, (path, resp.status_code)
    resp = _push_raw(app, client, content="牛奶\u0000过期")
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "content"


def test_the_notice_of_a_correction_ordered_after_a_tickets_check_prints(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],  # noqa: F811
) -> None:
    base = _checked(app, client, setting, "ZJ12345-20261201-0500", "投诉", finding="属实")
    ordered = _post(app, client, "inspector", f"{base}/rectify", reason="销售过期食品", legal_basis="《食品安全法》",
                    deadline_days=5)  # fmt: skip
    assert ordered.status_code == 200, ordered.get_json()
    with Session(engine) as session:
        rectify = session.exec(select(Disposal).where(col(Disposal.complaint_id).is_not(None))).first()
    assert rectify is not None
    pdf = client.get(f"/api/disposals/{rectify.id}/notice.pdf", headers=bearer(app, "inspector"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_a_multipart_part_without_a_usable_name_is_no_server_error(app: Any, client: Any, users: Any) -> None:
    """Found by schemathesis: a part named `}\\"` has no name once parsed."""
    raw = (
        b'--B\r\nContent-Disposition: form-data; name="}\\"\r\n\r\n-2.25e+16\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n\r\n\r\n--B--\r\n'
    )
    resp = client.post(
        "/api/directory/inspectors",
        data=raw,
        headers={**bearer(app, "admin"), "Content-Type": "multipart/form-data; boundary=B"},
    )
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "file"


def test_a_tasks_fields_are_named_by_their_own_labels(app: Any, client: Any, users: Any) -> None:
    wrong = client.post(
        "/api/tasks",
        json={"code": "T9", "plan_code": "P9", "title": "第四季度抽查任务", "region_code": "330102",
              "department_codes": ["x"], "item_codes": ["y"], "window_start": "2026-07-01", "window_end": "2026-09-30",
              "ratios": {"B": "0.3"}, "max_per_inspector": 0, "directed": "yes"},
        headers=bearer(app, "admin"),
    )  # fmt: skip
    labels = {f["field"]: f["label"] for f in wrong.get_json()["fields"]}
    assert wrong.status_code == 422 and labels == {"max_per_inspector": "每名检查人员最多组数", "directed": "定向抽查"}
