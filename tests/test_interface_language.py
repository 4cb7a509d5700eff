"""Users see Chinese, fields by their labels, and a refused form keeps what they typed."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import bearer, csrf_token, login
from tests.drawkit import add_firms, ceremony, make_task

ENGLISH_SENTENCE = re.compile(r"\b(should|must|cannot|invalid|error|not found|forbidden|permission|required)\b", re.I)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (no tags, scripts or attribute values)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_not_found_and_forbidden_pages_and_json_speak_chinese(app: Any, client: Any, users: Any) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "页面或资源不存在" in page.get_data(as_text=True)
    assert not ENGLISH_SENTENCE.search(visible_text(page.get_data(as_text=True)))
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.get_json()["message"] == "页面或资源不存在"
    login(client, "insp")
    forbidden = client.get("/audit")
    assert forbidden.status_code == 403 and "无权访问" in forbidden.get_data(as_text=True)
    denied = client.get("/api/audit", headers=bearer(app, "insp"))
    assert denied.get_json()["message"] == "无权访问此页面或进行此操作"


def test_validation_errors_name_the_field_by_its_label_in_chinese(app: Any, client: Any, province: Any) -> None:
    body = {
        "uscc": "x",
        "list_type": "BLACK",
        "reason": "a",
        "legal_basis": "《条例》",
        "department_code": "330102-SCJG",
        "public_summary": "摘要内容",
        "found_on": "2026-13-01",
    }
    resp = client.post("/api/credit/entries", json=body, headers=bearer(app, "credit"))
    data = resp.get_json()
    assert resp.status_code == 422
    labels = {f["field"]: (f["label"], f["message"]) for f in data["fields"]}
    assert labels["reason"] == ("事由", "至少 2 个字符")
    assert labels["found_on"][0] == "发现日期" and "YYYY-MM-DD" in labels["found_on"][1]
    assert labels["uscc"][0] == "统一社会信用代码"
    assert not ENGLISH_SENTENCE.search(data["message"])


def test_a_refused_form_comes_back_with_the_input_and_the_error_beside_the_field(
    app: Any, client: Any, province: Any, engine: Any
) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    login(client, "inspector")
    listing = client.get("/inspections/my?when=all").get_data(as_text=True)
    target = re.findall(r'href="/inspections/my/(\d+)"', listing)[0]
    visit = f"/inspections/my/{target}"
    typed = "现场核实：经营场所与登记住所一致。\n第二行说明。"
    resp = client.post(
        f"/inspections/my/{target}/result",
        data={
            "csrf_token": csrf_token(client, visit),
            "category": "发现问题已责令改正",
            "findings": typed,
            "inspected_on": "2026-06-01",
        },  # before the task's window
        headers={"Referer": f"http://localhost{visit}"},
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith(visit)
    again = client.get(visit).get_data(as_text=True)
    assert typed in again and 'value="2026-06-01"' in again and "<option selected>发现问题已责令改正</option>" in again
    assert '<span class="field-error">检查日期早于任务的检查期限' in again
    assert "未保存" in again
    reloaded = client.get(visit).get_data(as_text=True)  # shown once, then gone
    assert typed not in reloaded


def test_draw_pages_explain_unstaffed_firms_in_chinese(app: Any, client: Any, province: Any, engine: Any) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", cap=1)  # one visit per inspector leaves most firms unstaffed
    ceremony(engine, "T1")
    html = client.get("/public/draws/D-T1").get_data(as_text=True)
    assert "没有符合条件的执法人员" in html or "符合条件的执法人员只有" in html
    assert "no eligible inspector" not in visible_text(html)


def test_every_audited_action_has_a_chinese_name() -> None:
    import pathlib

    from supervise.messages import AUDIT_ACTIONS

    root = pathlib.Path(__file__).resolve().parent.parent
    used = set()
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        used |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    from credit.lifecycle import ACTION_LABELS

    used |= {f"credit.{a}" for a in (*ACTION_LABELS, "proposed", "statement")}
    assert used and not sorted(used - set(AUDIT_ACTIONS))


def test_the_site_has_an_icon_and_no_english_name_in_titles_or_footer(client: Any, province: Any) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    page = client.get("/public/plans").get_data(as_text=True)
    title = page.split("<title>")[1].split("</title>")[0]
    footer = page.split("<footer>")[1].split("</footer>")[0]
    assert "supervise" not in title and "supervise" not in footer and "双随机" in title


INTERNAL = ("条号待核对", "在本机核对", "未核对", "未能读到", "本地设定", "UNCHECKED", "TODO")


def test_every_paper_the_demo_prints_and_its_file_name_read_in_chinese_without_internal_caveats(
    app: Any, runner: Any, engine: Any
) -> None:
    import io
    from urllib.parse import unquote

    from pypdf import PdfReader
    from sqlmodel import Session, col, select

    from credit.models import ListEntry
    from inspections.disposals.models import Disposal, EnforcementCase
    from inspections.models import TeamMember
    from reports.oversight.models import OversightNotice, Rectification
    from supervise.models import Inspector, User
    from tests.conftest import PASSWORD

    seeded = runner.invoke(["seed", "demo", "--entities", "3000", "--seed", "2026", "--password", PASSWORD])
    assert seeded.exit_code == 0, seeded.output
    with Session(engine) as session:
        visit = session.exec(
            select(TeamMember.target_id).join(Inspector, col(Inspector.id) == col(TeamMember.inspector_id))
            .join(User, col(User.id) == col(Inspector.user_id)).where(User.username == "inspector")
        ).first()  # fmt: skip
        order = session.exec(
            select(Disposal.id).where(Disposal.kind == "rectify", col(Disposal.notice_number).is_not(None))
        ).first()  # noqa: E501
        case = session.exec(select(EnforcementCase.id).where(col(EnforcementCase.inform_number).is_not(None))).first()
        entry = session.exec(
            select(ListEntry.id).where(ListEntry.list_type == "ABNORMAL", col(ListEntry.notified_on).is_not(None))
        ).first()  # noqa: E501
        notice = session.exec(select(OversightNotice.id)).first()
        rect = session.exec(select(Rectification.number).where(col(Rectification.interview_on).is_not(None))).first()
    # A 3000-firm demo may have too few findings for the case's papers (tests/test_case_procedure.py reads them).
    assert None not in (visit, order, entry, notice, rect), (visit, order, entry, notice, rect)
    papers = {
        "inspector": [f"/inspections/my/{visit}/sheet.pdf?blank=1", f"/disposals/{order}/notice.pdf"]
        + ([f"/disposals/cases/{case}/inform.pdf"] if case else []),
        "credit": [f"/credit/entries/{entry}/notice.pdf"],
        "supervisor": [f"/api/oversight/notices/{notice}/notice.pdf"]
        + [f"/oversight/rectifications/{rect}/{k}.pdf" for k in ("notice", "interview", "accountability")]
        + [f"/oversight/rectifications/{rect}/notice.pdf?receipt=1", "/credit/risk/note.pdf"],
    }  # fmt: skip
    internal = {"/credit/risk/note.pdf"}  # the officers' own note: it says which choices are 本地设定
    for user, paths in papers.items():
        reader = app.test_client()
        login(reader, user)
        for path in paths:
            got = reader.get(path)
            assert got.status_code == 200 and got.mimetype == "application/pdf", (path, got.status_code)
            name = unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1]).removesuffix(".pdf")
            assert re.search(r"[\u4e00-\u9fff]", name) and not re.search(r"[A-Za-z]{4,}", name), (path, name)
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(got.data)).pages)
            assert not ENGLISH_SENTENCE.search(text), (path, ENGLISH_SENTENCE.search(text))
            if path not in internal:
                assert not any(word in text for word in INTERNAL), (path, [w for w in INTERNAL if w in text])
            words = re.findall(r"(?<![A-Za-z])[A-Za-z]*[a-z]{3,}[A-Za-z]*", text)  # English words, not codes
            assert not words, (path, words[:5])
