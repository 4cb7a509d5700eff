"""Large imports run as background jobs: the API answers 202 with the job's URL, the job reports its progress,
its result names each bad row, and a file with any bad row stores nothing."""

from __future__ import annotations

import io
from typing import Any

from sqlmodel import Session, func, select

from seeds.generate import make_uscc
from supervise.imports import SYNC_BYTES
from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer, csrf_token, login, run_jobs

HEADER = "统一社会信用代码,企业名称,法定代表人,所在地区代码,行业代码,成立日期\n"


def _firms_csv(n: int, *, bad_line: int | None = None) -> bytes:
    rows = []
    for i in range(n):
        region = "330102"
        uscc = make_uscc(900_000 + i, region)
        if bad_line is not None and i + 2 == bad_line:
            uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")  # a wrong check digit
        rows.append(f"{uscc},杭州导入测试商行{i:05d},王某{i % 97},{region},F52,2020-05-18")
    data = (HEADER + "\n".join(rows) + "\n").encode()
    assert len(data) > SYNC_BYTES  # large enough to go to a job
    return data


def _count(engine: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Enterprise)).one())


def _post(app: Any, client: Any, data: bytes) -> Any:
    return client.post(
        "/api/enterprises/import",
        data={"file": (io.BytesIO(data), "名录.csv")},
        headers=bearer(app, "admin"),
        content_type="multipart/form-data",
    )


def test_a_large_import_answers_202_and_its_job_imports_every_row(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    before = _count(engine)
    resp = _post(app, client, _firms_csv(4000))
    assert resp.status_code == 202, resp.get_json()
    assert _count(engine) == before  # nothing yet: the job does the work
    run_jobs(app)
    status = client.get(resp.get_json()["status_url"], headers=bearer(app, "admin")).get_json()
    assert status["status"] == "finished" and status["result"]["ok"] is True
    assert status["result"]["report"]["imported"] == 4000
    assert status["progress"]["done"] == status["progress"]["total"] == 4000
    assert _count(engine) == before + 4000
    with Session(engine) as session:
        actions = set(session.exec(select(AuditLog.action)).all())
    assert {"import.requested", "enterprise.imported"} <= actions


def test_a_large_import_with_one_bad_row_stores_nothing_and_names_the_row(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    before = _count(engine)
    resp = _post(app, client, _firms_csv(4000, bad_line=3001))
    assert resp.status_code == 202
    run_jobs(app)
    result = client.get(resp.get_json()["status_url"], headers=bearer(app, "admin")).get_json()["result"]
    assert result["ok"] is False and "未导入任何数据" in result["message"]
    assert [(e["line"], e["field"], e["label"]) for e in result["errors"]] == [(3001, "uscc", "统一社会信用代码")]
    assert _count(engine) == before


def test_the_checklist_page_follows_a_large_import_with_a_progress_bar(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    from inspections.models import InspectionItem
    from tests.test_checklists import _seed

    _seed(app)  # the items the checklist names
    with Session(engine) as session:
        codes = list(session.exec(select(InspectionItem.code)).all())
    pairs = [(code, seq) for code in codes for seq in range(1, 100)][:4000]  # at most 99 points an item
    header = "抽查事项编号,序号,检查内容,法律依据,判定标准\n"
    body = "".join(f"{c},{i},检查内容{i} {'要点' * 40},《法》第{i}条,符合要求\n" for c, i in pairs)
    data = (header + body).encode()
    assert len(data) > SYNC_BYTES
    login(client, "admin")
    resp = client.post(
        "/admin/items/checklists",
        data={"file": (io.BytesIO(data), "要点.csv"), "csrf_token": csrf_token(client, "/admin/items")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302 and "job=" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="job-progress"' in page and "导入任务" in page
    run_jobs(app)
    job_id = resp.headers["Location"].split("job=")[1]
    status = client.get(f"/api/jobs/{job_id}").get_json()
    assert status["status"] == "finished" and status["result"]["ok"], status["result"]
    assert status["result"]["report"]["imported"] == len(pairs)
