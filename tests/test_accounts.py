"""Accounts and sessions: CSRF whenever a cookie authenticates, tokens minted only interactively by an
administrator, throttled and audited sign-in, the password rule, user management, security headers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from supervise.models import AuditLog, User
from tests.conftest import PASSWORD, bearer, csrf_token, login

STRONG = "Qiantang-river-tide-2026"


def _audits(engine: Any, action: str) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).where(AuditLog.action == action)).one())


def test_a_forged_bearer_token_beside_a_session_cookie_authenticates_nothing(client: Any, users: Any) -> None:
    login(client, "admin")
    forged = {"Authorization": "Bearer sv_forged"}
    assert client.post("/api/tokens", json={"name": "x"}, headers=forged).status_code == 401
    assert client.get("/api/me", headers=forged).status_code == 401
    assert client.post("/api/tokens", json={"name": "x"}).status_code == 400  # the cookie alone needs CSRF


def test_a_bearer_token_cannot_mint_tokens_not_even_an_administrators(app: Any, client: Any, users: Any) -> None:
    resp = client.post("/api/tokens", json={"name": "x"}, headers=bearer(app, "admin"))
    assert resp.status_code == 403 and "令牌不能签发新令牌" in resp.get_json()["message"]
    assert client.post("/api/tokens", json={"name": "x"}, headers=bearer(app, "credit")).status_code == 403


def test_sign_in_is_locked_after_repeated_failures_and_each_failure_is_audited(
    client: Any, engine: Any, users: Any
) -> None:
    for _ in range(5):
        assert login(client, "admin", "wrong-password").status_code == 401
    locked = login(client, "admin", PASSWORD)  # the right password no longer helps for a while
    assert locked.status_code == 429 and "登录失败次数过多" in locked.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert _audits(engine, "user.login_failed") == 5 and _audits(engine, "user.login_locked") == 1
    assert login(client, "credit").status_code == 302  # another account from the same address is not locked


def test_a_user_changes_their_password_under_the_password_rule(client: Any, engine: Any, users: Any) -> None:
    login(client, "credit")
    token = csrf_token(client, "/account")

    def change(current: str, new: str, confirm: str | None = None) -> Any:
        data = {
            "csrf_token": token,
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        }
        return client.post("/account", data=data)

    wrong = change("not-my-password", STRONG)
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    short = change(PASSWORD, "short-pw")
    assert short.status_code == 422 and "至少 12 个字符" in short.get_data(as_text=True)
    common = change(PASSWORD, "password1234")
    assert common.status_code == 422 and "太常见" in common.get_data(as_text=True)
    mismatch = change(PASSWORD, STRONG, STRONG + "x")
    assert mismatch.status_code == 422 and "不一致" in mismatch.get_data(as_text=True)
    assert change(PASSWORD, STRONG).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, "credit", PASSWORD).status_code == 401
    assert login(client, "credit", STRONG).status_code == 302
    assert _audits(engine, "user.password_changed") == 1


def test_an_administrator_creates_disables_and_revokes_on_the_users_page(
    app: Any, client: Any, engine: Any, users: Any
) -> None:
    login(client, "supervisor")
    assert client.get("/admin/users").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "admin")
    token = csrf_token(client, "/admin/users")
    weak = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "window2",
            "display_name": "二号窗口",
            "role": "licensing_officer",
            "password": "123456789012",
        },
    )
    page = weak.get_data(as_text=True)
    assert weak.status_code == 422 and "太常见" in page and 'value="window2"' in page and "二号窗口" in page
    created = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "window2",
            "display_name": "二号窗口",
            "role": "licensing_officer",
            "password": STRONG,
        },
    )
    assert created.status_code == 302
    with Session(engine) as session:
        new_id = session.exec(select(User.id).where(User.username == "window2")).one()
    issued = client.post(f"/admin/users/{new_id}/token", data={"csrf_token": token, "name": "许可审批系统"})
    clear = issued.get_data(as_text=True).split('<code class="mono">', 1)[1].split("</code>", 1)[0]
    system = {"Authorization": f"Bearer {clear}"}
    assert client.get("/api/me", headers=system).get_json()["username"] == "window2"
    with Session(engine) as session:
        from supervise.models import ApiToken

        token_id = session.exec(select(ApiToken.id).where(ApiToken.user_id == new_id)).one()
    assert client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert client.get("/api/me", headers=system).status_code == 401
    assert client.post(f"/admin/users/{new_id}/disable", data={"csrf_token": token}).status_code == 302
    other = app.test_client()
    assert login(other, "window2", STRONG).status_code == 401
    with Session(engine) as session:
        actions = set(
            session.exec(
                select(AuditLog.action).where(
                    col(AuditLog.action).in_(["user.created", "token.issued", "token.revoked", "user.disabled"])
                )
            ).all()
        )
    assert actions == {"user.created", "token.issued", "token.revoked", "user.disabled"}


def test_pages_carry_security_headers(client: Any) -> None:
    resp = client.get("/")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


def test_a_licensing_window_reports_outcomes_only_for_its_own_office(
    app: Any, client: Any, province: Any, engine: Any, runner: Any
) -> None:
    made = runner.invoke(
        [
            "user",
            "create",
            "--username",
            "window9",
            "--role",
            "licensing_officer",
            "--department",
            "330106-SCJG",
            "--password",
            STRONG,
        ]
    )
    assert made.exit_code == 0, made.output
    with Session(engine) as session:
        from supervise.models import Enterprise

        uscc = session.exec(select(Enterprise.uscc)).first()
    own = bearer(app, "licensing")
    check = client.post("/api/credit/check", json={"uscc": uscc, "matter": "SCJG-SPJY"}, headers=own).get_json()
    foreign = client.post(
        f"/api/credit/check/{check['check_id']}/outcome", json={"granted": True}, headers=bearer(app, "window9")
    )
    assert foreign.status_code == 403 and "本窗口" in foreign.get_json()["message"]
    assert _audits(engine, "credit.outcome_reported") == 0
    mine = client.post(f"/api/credit/check/{check['check_id']}/outcome", json={"granted": True}, headers=own)
    assert mine.status_code == 200


def test_the_command_line_refuses_a_common_password(runner: Any, app: Any) -> None:
    out = runner.invoke(["user", "create", "--username", "weak", "--role", "inspector", "--password", "password1234"])
    assert out.exit_code == 1 and "太常见" in out.output


def test_the_users_page_shows_one_page_of_accounts_and_finds_one(
    app: Any, client: Any, engine: Any, users: Any
) -> None:
    from supervise.db import unit_of_work

    with unit_of_work(engine) as session:
        for n in range(120):
            session.add(
                User(username=f"zz-window{n:03d}", display_name=f"窗口{n:03d}", password_hash="x", role="viewer")
            )
    login(client, "admin")
    with Session(engine) as session:
        total = int(session.exec(select(func.count()).select_from(User)).one())
    first = client.get("/admin/users").get_data(as_text=True)
    assert first.count('<td class="mono">') == 50 and f"第 1 / {-(-total // 50)} 页" in first
    last = client.get(f"/admin/users?page={-(-total // 50)}").get_data(as_text=True)
    assert "zz-window119" in last and "zz-window119" not in first
    found = client.get("/admin/users?q=窗口042").get_data(as_text=True)
    assert found.count('<td class="mono">') == 1 and "zz-window042" in found and "共 1 条" in found
    none = client.get("/admin/users?q=没有这个人").get_data(as_text=True)
    assert "没有符合条件的账户" in none
