"""Deny by default: every route declares exactly one access rule, as a dependency.

    actor: Actor = Depends(requires(Permission.REGISTRY_READ))   # logged in, with permission
    _: None = Depends(public)                                     # the few public routes

The rule authenticates the caller (pages: the session cookie; API: a bearer token, or the
session cookie for GET), checks the permission and, for page forms, the CSRF token. Rules
are marked so `check_routes` can find a route that has none (or two) and refuse to start;
the services check permissions again, so a wrong rule here still cannot write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import fastapi.routing
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Mount, Route

from rollcall.db import Database
from rollcall.errors import AuthenticationRequired, PermissionDenied
from rollcall.security import tokens
from rollcall.security.permissions import Permission
from rollcall.services import accounts
from rollcall.services.actor import Actor

SESSION_COOKIE = "rollcall_session"
LOGIN_CSRF_COOKIE = "rollcall_login_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RULE_ATTRIBUTE = "__rollcall_rule__"

#: Starlette routes (not APIRoutes, so they cannot carry a dependency) that are public by
#: design: the OpenAPI document and the static files (CSS). Any other is refused.
PUBLIC_STARLETTE_PATHS = frozenset({"/openapi.json", "/static"})


@dataclass(frozen=True)
class Rule:
    """Who may use a route: `permission` None means anyone."""

    permission: Permission | None

    def __str__(self) -> str:
        return "public" if self.permission is None else self.permission.value


@dataclass(frozen=True)
class Login:
    """The logged-in user of a request, as pages need it (copied out of the session)."""

    user_id: int
    username: str
    display_name: str | None
    roles: tuple[str, ...]
    language: str
    token_id: int
    csrf_token: str | None


class CsrfRejected(PermissionDenied):
    title = "Form expired"


def is_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]


def _credentials(request: Request) -> tuple[str, str]:
    cookie = request.cookies.get(SESSION_COOKIE)
    if is_api(request):
        header = request.headers.get("authorization")
        if header:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise AuthenticationRequired("use an Authorization: Bearer token")
            return value.strip(), "api"
        if cookie and request.method in ("GET", "HEAD"):
            return cookie, "session"
        raise AuthenticationRequired("a bearer token is required")
    if cookie:
        return cookie, "session"
    raise AuthenticationRequired("login required")


def _authenticate(request: Request) -> tuple[Login, Actor]:
    secret, kind = _credentials(request)
    with get_db(request).session() as session:
        user, token = accounts.resolve_token(session, secret, kind)
        login = Login(user.id, user.username, user.display_name, tuple(user.roles),
                      user.language, token.id, token.csrf_token)
        actor = accounts.actor_for(user, "api" if is_api(request) else "web")
    return login, actor


async def _form_token(request: Request) -> str:
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


def _check_csrf(sent: str, expected: str | None) -> None:
    if not expected or not sent or not tokens.same(sent, expected):
        raise CsrfRejected("the form's security token is missing or stale; reload the page "
                           "and send it again")


def _mark(rule: Rule, function: Callable[..., Any]) -> None:
    setattr(function, RULE_ATTRIBUTE, rule)


@cache
def requires(permission: Permission) -> Callable[[Request], Awaitable[Actor]]:
    """The rule "a logged-in user holding `permission`"; resolves to that user's Actor."""

    async def rule(request: Request) -> Actor:
        login, actor = await run_in_threadpool(_authenticate, request)
        request.state.login = login
        if request.method in UNSAFE_METHODS and not is_api(request):
            _check_csrf(await _form_token(request), login.csrf_token)
        if not actor.can(permission):
            raise PermissionDenied(f"this needs the permission {permission.value}")
        return actor

    rule.__name__ = f"requires_{permission.name.lower()}"
    _mark(Rule(permission), rule)
    return rule


async def public(request: Request) -> None:
    """The rule "anyone". A public form (the login) still carries a CSRF token, checked
    against a cookie set with the form (double submit), so no site can log a browser in."""
    request.state.login = None
    if request.method in UNSAFE_METHODS and not is_api(request):
        _check_csrf(await _form_token(request), request.cookies.get(LOGIN_CSRF_COOKIE))


_mark(Rule(None), public)


def rules_of(dependant: Dependant) -> list[Rule]:
    """Every access rule in a route's dependency tree."""
    found: list[Rule] = []
    for sub in dependant.dependencies:
        rule = getattr(sub.call, RULE_ATTRIBUTE, None)
        if isinstance(rule, Rule):
            found.append(rule)
        found.extend(rules_of(sub))
    return found


@dataclass(frozen=True)
class RouteInfo:
    """A route as it is served: full path, methods, and the rules of its dependency tree
    (router-level dependencies included). None for a route that is not an APIRoute."""

    path: str
    methods: tuple[str, ...]
    rules: list[Rule] | None
    route: BaseRoute


def routes_of(app: FastAPI) -> Iterator[RouteInfo]:
    """Every route of the app. Recent FastAPI keeps included routers as lazy entries in
    `app.routes`; `iter_route_contexts` resolves them as they are served."""
    walker = getattr(fastapi.routing, "iter_route_contexts", None)
    pairs: Iterator[tuple[BaseRoute, Any]] = (
        ((c.original_route, c) for c in walker(app.routes)) if walker
        else ((r, r) for r in app.routes)
    )
    for original, served in pairs:
        path = str(getattr(served, "path", "") or "")
        methods = tuple(sorted(getattr(served, "methods", None) or ()))
        rules = rules_of(served.dependant) if isinstance(original, APIRoute) else None
        yield RouteInfo(path, methods, rules, original)


def route_problems(app: FastAPI) -> list[str]:
    """Routes that do not declare exactly one rule, and unexpected non-API routes."""
    problems = []
    for info in routes_of(app):
        if info.rules is not None:
            if len(info.rules) != 1:
                problems.append(f"{','.join(info.methods)} {info.path}: {len(info.rules)} "
                                "access rules, expected 1")
        elif not isinstance(info.route, Route | Mount):
            problems.append(f"{info.path or info.route!r}: unknown kind of route")
        elif info.path not in PUBLIC_STARLETTE_PATHS:
            problems.append(f"{info.path}: not an APIRoute, so it cannot carry a rule")
    return problems


def check_routes(app: FastAPI) -> None:
    problems = route_problems(app)
    if problems:
        raise RuntimeError("routes without exactly one access rule: " + "; ".join(problems))


def route_rules(app: FastAPI) -> list[tuple[str, str, str]]:
    """(methods, path, rule) of every route, for the route list and the docs page."""
    return [
        (",".join(info.methods) or "GET", info.path,
         ", ".join(str(r) for r in info.rules) if info.rules is not None else "public")
        for info in routes_of(app)
    ]
