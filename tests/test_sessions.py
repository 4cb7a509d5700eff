"""Sessions end on the server: signing out, a password change, a disabled account, an administrator's "end
sessions", the idle time and the absolute lifetime each end them, whatever cookie a browser kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from supervise.clock import FixedClock
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "Qz7-lantern-orbit-93"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app: Any, cookie: str) -> Any:
    """A second browser that presents a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/account")


def test_a_cookie_saved_before_logout_no_longer_works(app: Any, client: FlaskClient, users: Any) -> None:
    assert login(client, "credit").status_code == 302
    saved = _cookie(client)
    assert _replay(app, saved).status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    resp = _replay(app, saved)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_password_change_ends_the_users_other_sessions(app: Any, users: Any) -> None:
    phone, desk = app.test_client(), app.test_client()
    login(phone, "credit")
    login(desk, "credit")
    resp = desk.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "csrf_token": csrf_token(desk, "/account"),
        },
    )
    assert resp.status_code == 302
    assert desk.get("/account").status_code == 200  # the session that changed it stays
    assert phone.get("/account").status_code == 302  # the other one ended


def test_disabling_an_account_or_ending_its_sessions_signs_it_out(app: Any, users: Any) -> None:
    target, admin = app.test_client(), app.test_client()
    login(target, "credit")
    login(admin, "admin")
    token = csrf_token(admin, "/admin/users")
    assert admin.post(f"/admin/users/{users['credit']}/sessions", data={"csrf_token": token}).status_code == 302
    assert target.get("/account").status_code == 302
    login(target, "credit")
    assert target.get("/account").status_code == 200
    assert admin.post(f"/admin/users/{users['credit']}/disable", data={"csrf_token": token}).status_code == 302
    assert target.get("/account").status_code == 302
    assert login(target, "credit").status_code == 401


def test_a_session_ends_after_its_idle_time_and_its_lifetime(
    app: Any, client: FlaskClient, users: Any, frozen_clock: FixedClock
) -> None:
    tuning = app.extensions["supervise.settings"].tuning
    login(client, "credit")
    frozen_clock.set(frozen_clock.now() + timedelta(minutes=tuning.session_idle_minutes - 1))
    assert client.get("/account").status_code == 200  # used in time: the idle time starts again
    frozen_clock.set(frozen_clock.now() + timedelta(minutes=tuning.session_idle_minutes + 1))
    assert client.get("/account").status_code == 302
    login(client, "credit")
    start = frozen_clock.now()
    step = timedelta(minutes=tuning.session_idle_minutes - 1)
    while frozen_clock.now() - start < timedelta(hours=tuning.session_max_hours) - step:
        frozen_clock.set(frozen_clock.now() + step)
        assert client.get("/account").status_code == 200
    frozen_clock.set(frozen_clock.now() + step)
    assert client.get("/account").status_code == 302  # never idle, but past the absolute lifetime


def test_a_new_password_that_only_adds_a_character_is_refused(app: Any, client: FlaskClient, users: Any) -> None:
    from supervise.accounts import too_close

    assert too_close(PASSWORD + "!", PASSWORD) and too_close("x" + PASSWORD[1:], PASSWORD)
    assert not too_close(NEW_PASSWORD, PASSWORD)
    login(client, "credit")
    resp = client.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": PASSWORD + "7",
            "confirm_password": PASSWORD + "7",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert resp.status_code == 422 and "过于相近" in resp.get_data(as_text=True)
    assert login(app.test_client(), "credit").status_code == 302  # the old password still signs in
