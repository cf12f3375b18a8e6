"""Login, logout and the language switch."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from rollcall.config import get_settings
from rollcall.errors import AuthenticationRequired
from rollcall.models import AuthToken
from rollcall.security import tokens
from rollcall.security.permissions import Permission
from rollcall.services import accounts
from rollcall.services.actor import Actor
from rollcall.services.changes import Action
from rollcall.web.access import LOGIN_CSRF_COOKIE, SESSION_COOKIE, DbDep, public, requires
from rollcall.web.limits import AddressLimiter, client_address, limiter
from rollcall.web.params import safe_next
from rollcall.web.render import render

router = APIRouter()

Public = Annotated[None, Depends(public)]
LoggedIn = Annotated[Actor, Depends(requires(Permission.SELF))]
#: Long enough for any real password, short enough that hashing it costs nothing extra.
MAX_CREDENTIAL_CHARS = 1024


@router.get("/")
def start(_: Public) -> RedirectResponse:
    return RedirectResponse("/persons", status_code=303)


def _login_page(request: Request, next_path: str, *, failed: bool = False,
                username: str = "", retry_after: int = 0) -> Response:
    csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or tokens.new_secret()
    status = 429 if retry_after else 400 if failed else 200
    response = render(request, "login.html", {
        "login_csrf": csrf, "next": next_path, "failed": failed, "username": username,
        "limited": bool(retry_after),
    }, status=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                        secure=get_settings().secure_cookies, path="/login")
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def failed_logins(request: Request) -> AddressLimiter:
    """Failed logins per client address (`login_address_*` settings)."""
    settings = request.app.state.settings
    return limiter(request, "login_limiter", settings.login_address_failures_max,
                   settings.login_address_window_seconds)


@router.get("/login")
def login_form(request: Request, _: Public, next: str = "/persons") -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    db: DbDep,
    _: Public,
    username: Annotated[str, Form(max_length=MAX_CREDENTIAL_CHARS)] = "",
    password: Annotated[str, Form(max_length=MAX_CREDENTIAL_CHARS)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/persons",
) -> Response:
    address = client_address(request)
    wait = failed_logins(request).retry_after(address)
    if wait:  # refused before any password is checked: nothing more to learn from here
        return _login_page(request, safe_next(next), username=username[:100],
                           retry_after=wait)
    try:
        with db.session() as session:
            issued = accounts.login(session, username.strip(), password, via="web",
                                    code=code or None)
    except AuthenticationRequired:
        failed_logins(request).count(address)
        return _login_page(request, safe_next(next), failed=True, username=username[:100])
    response = RedirectResponse(safe_next(next), status_code=303)
    settings = get_settings()
    max_age = int((issued.expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    response.set_cookie(SESSION_COOKIE, issued.secret, max_age=max_age, httponly=True,
                        samesite="lax", secure=settings.secure_cookies, path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, db: DbDep, actor: LoggedIn) -> Response:
    with db.session() as session:
        token = session.get(AuthToken, request.state.login.token_id)
        if token is not None:
            accounts.revoke_token(session, actor, token, Action.LOGOUT)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def set_language(
    db: DbDep,
    actor: LoggedIn,
    language: Annotated[str, Form(max_length=5)],
    next: Annotated[str, Form(max_length=2000)] = "/persons",
) -> Response:
    assert actor.user_id is not None
    with db.session() as session:
        accounts.set_language(session, actor, actor.user_id, language)
    return RedirectResponse(safe_next(next), status_code=303)
