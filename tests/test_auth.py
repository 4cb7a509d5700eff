from typing import Any

import pytest
from sqlmodel import Session, select

from supervise.auth import undeclared_endpoints
from supervise.models import User
from tests.conftest import PASSWORD, bearer, csrf_token, login


def test_every_route_declares_its_roles(app: Any) -> None:
    assert undeclared_endpoints(app) == []


def test_api_refuses_anonymous_with_401(client: Any) -> None:
    resp = client.get("/api/me")
    assert resp.status_code == 401
    assert resp.get_json()["error"] == "unauthorized"


def test_web_page_redirects_anonymous_to_login(client: Any) -> None:
    resp = client.get("/audit")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


@pytest.mark.parametrize("username", ["insp", "credit", "licensing"])
def test_audit_api_refuses_wrong_role_with_403(app: Any, client: Any, users: Any, username: str) -> None:
    assert client.get("/api/audit", headers=bearer(app, username)).status_code == 403


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_audit_api_allows_supervision_roles(app: Any, client: Any, users: Any, username: str) -> None:
    assert client.get("/api/audit", headers=bearer(app, username)).status_code == 200


def test_web_page_refuses_wrong_role_with_403(client: Any, users: Any) -> None:
    login(client, "insp")
    assert client.get("/audit").status_code == 403


def test_enterprise_creation_refuses_inspector(app: Any, client: Any, users: Any) -> None:
    resp = client.post("/api/enterprises", json={}, headers=bearer(app, "insp"))
    assert resp.status_code == 403


def test_passwords_are_stored_hashed(engine: Any, users: Any) -> None:
    with Session(engine) as session:
        stored = session.exec(select(User.password_hash)).all()
    assert stored and all(PASSWORD not in h and h.startswith("scrypt:") for h in stored)


def test_wrong_password_is_refused(client: Any, users: Any) -> None:
    resp = login(client, "admin", "not-the-password")
    assert resp.status_code == 401
    assert client.get("/account").status_code == 302


def test_login_form_without_csrf_token_is_refused(client: Any, users: Any) -> None:
    resp = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert resp.status_code == 400


def test_cookie_session_api_write_needs_csrf_header(client: Any, users: Any) -> None:
    login(client, "admin")
    assert client.post("/api/tokens", json={"name": "x"}).status_code == 400
    token = csrf_token(client, "/")
    resp = client.post("/api/tokens", json={"name": "x"}, headers={"X-CSRFToken": token})
    assert resp.status_code == 201


def test_bearer_token_authenticates_and_bad_token_does_not(app: Any, client: Any, users: Any) -> None:
    resp = client.get("/api/me", headers=bearer(app, "licensing"))
    assert resp.status_code == 200 and resp.get_json()["role"] == "licensing_officer"
    assert client.get("/api/me", headers={"Authorization": "Bearer sv_forged"}).status_code == 401


def test_login_redirect_ignores_foreign_next_url(client: Any, users: Any) -> None:
    token = csrf_token(client)
    resp = client.post(
        "/login?next=https://evil.example/", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


NAV = {
    "insp": ({"我的执法证", "账户"}, {"审计日志"}),
    "credit": ({"市场主体", "账户"}, {"审计日志", "我的执法证"}),
    "licensing": ({"市场主体"}, {"审计日志", "我的执法证"}),
    "supervisor": ({"审计日志"}, {"我的执法证"}),
    "admin": ({"审计日志", "账户"}, {"我的执法证"}),
}


@pytest.mark.parametrize("username", sorted(NAV))
def test_each_role_sees_its_own_navigation(client: Any, users: Any, username: str) -> None:
    login(client, username)
    html = client.get("/").get_data(as_text=True)
    nav = html.split('<header class="top"', 1)[1].split("</header>", 1)[0]  # the menu and its 更多 list
    shown, hidden = NAV[username]
    assert all(label in nav for label in shown)
    assert not any(label in nav for label in hidden)


def test_anonymous_sees_public_navigation_only(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    nav = html.split('<nav class="main"', 1)[1].split("</nav>", 1)[0]
    assert "市场主体" in nav and "审计日志" not in nav and "账户" not in nav


def test_the_audit_page_reads_in_chinese_with_the_recorded_content_kept(client: Any, users: Any) -> None:
    login(client, "supervisor")  # the sign-in itself is audited: object 账户, content named in Chinese
    html = client.get("/audit").get_data(as_text=True)
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "账户" in table and "user:" not in table.split("title=")[0]
    from supervise.messages import payload_label

    assert payload_label('{"sha256": "ab12", "late": true, "zz": null}') == "文件摘要：ab12；是否超期：是；zz：—"
    assert payload_label("{}") == "—"


def test_the_audit_page_names_a_domains_coded_values(client: Any, users: Any, engine: Any) -> None:
    import re

    from supervise import audit

    with Session(engine) as session:  # a credit officer's transition, as the lifecycle records it
        payload = {"from": "proposed", "to": "notified", "list_type": "ABNORMAL"}
        audit.record(session, actor="user:credit", action="credit.notify", object_type="list_entry", object_id=7,
                     payload=payload)  # fmt: skip
        session.commit()
    login(client, "supervisor")
    table = client.get("/audit").get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "原状态：拟列入；名单类型：经营异常名录；新状态：已告知" in table
    assert "proposed" not in re.sub(r'title="[^"]*"', "", table)  # the recorded JSON stays only in the tooltip
