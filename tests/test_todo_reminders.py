"""A working day starts from the home page: each role's waiting work with counts, overdue first and links; the
daily reminders reach the in-app inbox and the messaging platform's webhook once each, however often they run."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from sqlmodel import Session, col, func, select

from supervise.models import InboxMessage, Outbox, User
from tests.conftest import PASSWORD, login


def _demo(runner: Any) -> None:
    result = runner.invoke(["seed", "demo", "--entities", "3000", "--seed", "2026", "--password", PASSWORD])
    assert result.exit_code == 0, result.output


def _home(app: Any, username: str) -> str:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return str(client.get("/").get_data(as_text=True))


def test_each_role_sees_its_waiting_work_on_the_home_page_with_a_link(app: Any, runner: Any, engine: Any) -> None:
    _demo(runner)
    for username, label, url in (
        ("inspector", "本人承办、尚未答复的投诉举报", "/complaints"),
        ("unit_wsjk", "本单位未完成的整改事项", "/oversight/mine"),
        ("credit", "待决定是否受理的异议", "/credit/entries"),
        ("supervisor2", "待本人确认的督查决定（他人提出）", "/oversight"),
    ):
        page = _home(app, username)
        assert "待办事项" in page and label in page and f'href="{url}"' in page, (username, label)
    assert "暂无待办事项" in _home(app, "auditor")

    assert "待本人确认的督查决定" not in _home(app, "supervisor")  # four eyes: not the proposer's own


class _Platform(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Platform.received.append((self.headers["Idempotency-Key"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


def test_reminders_reach_the_inbox_and_the_webhook_once_however_often_they_run(
    app: Any, runner: Any, engine: Any
) -> None:
    from supervise import config
    from supervise.jobs import send_reminders

    _demo(runner)
    server = HTTPServer(("127.0.0.1", 0), _Platform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Platform.received = []
    settings = config.current()
    url = f"http://127.0.0.1:{server.server_port}/robot/send"
    config.install(replace(settings, tuning=replace(settings.tuning, reminder_webhook=url)))
    try:
        results: list[dict[str, Any]] = []

        def run() -> None:
            with app.app_context():
                results.append(send_reminders("system:cron"))

        runs = [threading.Thread(target=run) for _ in range(2)]  # two cron processes on the same morning
        for t in runs:
            t.start()
        for t in runs:
            t.join()
        with app.app_context():
            again = send_reminders("system:cron")
    finally:
        config.install(settings)
        server.shutdown()
    assert len(results) == 2 and again["queued"] == 0 and again["delivered"] == 0 and again["posted"] == 0
    with Session(engine) as session:
        outbox = session.exec(select(Outbox)).all()
        inbox = session.exec(select(func.count()).select_from(InboxMessage)).one()
        inspector = session.exec(select(User).where(User.username == "inspector")).one()
        mine = session.exec(select(Outbox.title).where(Outbox.user_id == inspector.id)).all()
    assert outbox and inbox == len(outbox) and sum(r["queued"] for r in results) == len(outbox)
    assert all(o.webhook_state == "sent" and o.webhook_attempts == 1 for o in outbox)
    keys = [k for k, _b in _Platform.received]
    assert sorted(keys) == sorted(f"supervise-{o.id}" for o in outbox)  # each posted once, with its key
    assert all(b["text"]["content"].startswith("待办提醒：") for _k, b in _Platform.received)
    assert "待办提醒：本人承办、尚未答复的投诉举报" in mine

    client = app.test_client()
    login(client, "inspector")
    assert "未读提醒" in client.get("/").get_data(as_text=True)
    page = client.get("/inbox").get_data(as_text=True)
    assert "待办提醒：本人承办、尚未答复的投诉举报" in page and "去办理" in page
    from tests.conftest import csrf_token

    client.post("/inbox/read", data={"csrf_token": csrf_token(client, "/inbox")})
    with Session(engine) as session:
        unread = session.exec(
            select(func.count()).select_from(InboxMessage)
            .where(InboxMessage.user_id == inspector.id, col(InboxMessage.read_at).is_(None))
        ).one()  # fmt: skip
    assert unread == 0
