"""Deny by default: every route declares one access rule, and the API answers 401/403 as
problem+json without a valid bearer token or permission."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI

from rollcall.app import create_app
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.web import access
from rollcall.web.access import PUBLIC_STARLETTE_PATHS, Rule, requires, route_problems
from webtest_support import api_token, log_in

#: Public by design. Anything else public must be added here on purpose.
PUBLIC_ROUTES = {
    ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/docs"),
    ("GET", "/api/health"),
    ("GET", "/family"), ("POST", "/family"),  # the family tracing request form
}
#: Starlette routes (they cannot carry a dependency): the OpenAPI document and the CSS.
PUBLIC_STARLETTE = {"/openapi.json", "/static"}


def test_every_route_declares_exactly_one_rule(db):
    app = create_app(db)
    seen = 0
    for info in access.routes_of(app):
        if info.rules is None:
            assert info.path in PUBLIC_STARLETTE, f"{info.path} is not an APIRoute"
            continue
        seen += 1
        assert len(info.rules) == 1, f"{info.methods} {info.path}: {info.rules}"
        for method in info.methods:
            if info.rules[0] == Rule(None):
                assert (method, info.path) in PUBLIC_ROUTES, f"{method} {info.path} is public"
            else:
                assert (method, info.path) not in PUBLIC_ROUTES
    assert seen >= 20
    assert set(PUBLIC_STARLETTE_PATHS) == PUBLIC_STARLETTE


def test_a_route_without_a_rule_is_detected_and_refused_at_start(db, monkeypatch):
    app = create_app(db)
    assert route_problems(app) == []

    @app.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "x"}

    problems = route_problems(app)
    assert len(problems) == 1 and "/api/forgotten" in problems[0]
    with pytest.raises(RuntimeError, match="/api/forgotten"):
        access.check_routes(app)

    # create_app itself refuses to build an app with such a route.
    from rollcall import app as app_module

    original = app_module.install_error_handlers

    def sneak_in(target: FastAPI) -> None:
        original(target)
        target.add_api_route("/api/sneaky", lambda: {"x": 1})

    monkeypatch.setattr(app_module, "install_error_handlers", sneak_in)
    with pytest.raises(RuntimeError, match="/api/sneaky"):
        create_app(db)


def test_two_rules_on_one_route_are_refused(db):
    app = create_app(db)

    @app.get("/api/double")
    def double(
        a: Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))],
        b: Annotated[None, Depends(access.public)],
    ) -> dict[str, str]:
        return {}

    assert any("/api/double: 2 access rules" in p for p in route_problems(app))


def test_an_unknown_starlette_route_is_refused(db):
    app = create_app(db)
    app.add_route("/raw", lambda request: None)
    assert any(p.startswith("/raw") for p in route_problems(app))


def test_api_without_token_is_401_problem_json(app_client):
    answer = app_client.get("/api/persons")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["www-authenticate"] == "Bearer"
    body = answer.json()
    assert body["status"] == 401 and body["instance"] == "/api/persons"
    assert {"type", "title", "detail"} <= set(body)


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_api_with_a_bad_token_is_401(app_client, header):
    answer = app_client.get("/api/persons", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


def test_bearer_token_opens_the_api(db, operator, users, app_client):
    token = api_token(db, operator, "analyst")
    answer = app_client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    me = answer.json()
    assert me["username"] == "analyst" and me["roles"] == ["analyst"]
    assert "registry:read" in me["permissions"] and "contacts:read" not in me["permissions"]
    assert answer.headers["cache-control"] == "no-store"


def test_a_session_token_is_not_a_bearer_token(db, users, app_client):
    log_in(app_client, "analyst")
    secret = app_client.cookies.get(access.SESSION_COOKIE)
    app_client.cookies.clear()
    answer = app_client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401


def test_the_session_cookie_works_for_api_reads(users, app_client):
    log_in(app_client, "registrar")
    assert app_client.get("/api/me").json()["username"] == "registrar"


def test_lacking_the_permission_is_403_problem_json(db, operator, users, app_client):
    @app_client.app.get("/api/admin-only")
    def admin_only(
        actor: Annotated[Actor, Depends(requires(Permission.USERS_MANAGE))],
    ) -> dict[str, str]:
        return {"ok": "yes"}

    token = api_token(db, operator, "analyst")
    answer = app_client.get("/api/admin-only", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["title"] == "Not allowed"


def test_a_session_revoked_by_logout_is_refused(users, app_client):
    csrf = log_in(app_client, "analyst")
    secret = app_client.cookies.get(access.SESSION_COOKIE)
    assert app_client.get("/api/me").status_code == 200
    app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    app_client.cookies.set(access.SESSION_COOKIE, secret)
    assert app_client.get("/api/me").status_code == 401


def test_health_is_public_and_says_nothing_else(app_client):
    answer = app_client.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok"}
