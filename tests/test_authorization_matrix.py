"""Every route × every principal, generated from the route table, against each route's declared roles.

Principals: anonymous, each role signed in by cookie (with its CSRF token, so that the role check is what
answers), and each role by bearer token. A route that admits the principal must not answer 401 or 403; one
that does not must answer 401 (or the sign-in page) for anonymous callers and 403 for signed-in ones. No
answer is ever a 5xx. Adding a route adds its rows to this test by itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from werkzeug.routing import IntegerConverter

from supervise.auth import PUBLIC
from tests.conftest import PASSWORD, bearer, csrf_token

ROLE_ACCOUNTS = {
    "inspector": "inspector",
    "credit_officer": "credit",
    "licensing_officer": "licensing",
    "supervisor": "supervisor",
    "admin": "admin",
}
# Refusals a role may get although the route admits it, because a rule finer than the role says no.
OBJECT_RULES = {
    ("api.create_token", "admin", "token"): "a bearer token never mints tokens",
}
WRITE = ("POST", "PUT", "PATCH", "DELETE")


def _routes(app: Any) -> list[tuple[str, str, str, frozenset[str]]]:
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        values: dict[str, Any] = {}
        for name, conv in rule._converters.items():
            items = getattr(conv, "items", None)
            values[name] = sorted(items)[0] if items else (999999 if isinstance(conv, IntegerConverter) else "x0")
        path = rule.build(values, append_unknown=False)[1]
        allowed = app.view_functions[rule.endpoint].allowed_roles
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, path, allowed))
    return out


def _cookie_client(app: Any, username: str) -> tuple[Any, str]:
    client = app.test_client()
    token = csrf_token(client)
    assert (
        client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}).status_code == 302
    )
    return client, csrf_token(client, "/")


def _call(client: Any, method: str, path: str, *, csrf: str | None, headers: dict[str, str]) -> Any:
    if method not in WRITE:
        return client.open(path, method=method, headers=headers)
    if path.startswith("/api/"):
        extra = {"X-CSRFToken": csrf} if csrf else {}
        return client.open(path, method=method, json={}, headers={**headers, **extra})
    return client.open(path, method=method, data={"csrf_token": csrf or ""}, headers=headers)


def test_every_route_answers_every_principal_as_its_roles_declare(app: Any, province: Any) -> None:
    routes = _routes(app)
    assert len(routes) > 90
    principals: list[tuple[str, str | None, str]] = [("anonymous", None, "anonymous")]
    principals += [(f"{role} (cookie)", role, "cookie") for role in ROLE_ACCOUNTS]
    principals += [(f"{role} (token)", role, "token") for role in ROLE_ACCOUNTS]
    tokens = {role: bearer(app, username) for role, username in ROLE_ACCOUNTS.items()}
    violations: list[str] = []
    checked = 0
    for name, role, via in principals:
        if via == "cookie":
            client, csrf = _cookie_client(app, ROLE_ACCOUNTS[role or ""])
        else:  # anonymous callers get a CSRF token too, so that the role check is what answers them
            client = app.test_client()
            csrf = csrf_token(client) if via == "anonymous" else None
        headers = tokens[role] if via == "token" and role else {}
        for endpoint, method, path, allowed in routes:
            if endpoint == "accounts.logout" and via == "cookie":
                continue  # it would end the session the rest of the rows use; checked below on its own
            if endpoint == "accounts.login" and method == "POST":
                continue  # an empty sign-in is refused for its credentials, not its role: see test_accounts
            resp = _call(client, method, path, csrf=csrf, headers=headers)
            checked += 1
            status = resp.status_code
            admitted = PUBLIC in allowed or (role is not None and role in allowed)
            where = f"{method} {path} [{endpoint}] as {name}: {status}"
            if status >= 500:
                violations.append(f"{where} (server error)")
            elif via == "token" and method in WRITE and not path.startswith("/api/"):
                if status != 400:  # tokens are for the API: a form posted with one fails its CSRF check
                    violations.append(f"{where} (a token drove a form)")
            elif admitted and status in (401, 403) and (endpoint, role, via) not in OBJECT_RULES:
                violations.append(f"{where} (refused, but the route admits {sorted(allowed)})")
            elif (
                not admitted
                and role is None
                and not (status == 401 or (status == 302 and "/login" in resp.headers.get("Location", "")))
            ):
                violations.append(f"{where} (anonymous not sent to sign in)")
            elif not admitted and role is not None and status != 403:
                violations.append(f"{where} (should be 403 for {sorted(allowed)})")
    assert checked >= 90 * len(principals)
    assert not violations, f"{len(violations)} of {checked} answers break the declared roles:\n" + "\n".join(
        violations[:40]
    )


@pytest.mark.parametrize("role", sorted(ROLE_ACCOUNTS))
def test_signing_out_is_for_signed_in_users_only(app: Any, province: Any, role: str) -> None:
    anonymous = app.test_client()
    token = csrf_token(anonymous)
    assert anonymous.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "/login" in anonymous.post("/logout", data={"csrf_token": token}).headers["Location"]
    client, csrf = _cookie_client(app, ROLE_ACCOUNTS[role])
    out = client.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 302 and not re.search("/login", out.headers["Location"])
    assert client.get("/account").status_code == 302  # signed out
