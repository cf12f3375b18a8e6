"""Page sessions expire when idle and at the end of their lifetime whatever the use; failed
logins are throttled per client address as well as per account (issue 5 part 5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from rollcall.config import get_settings
from rollcall.models import AuthToken, User
from rollcall.models.base import utcnow
from rollcall.web.access import SESSION_COOKIE
from rollcall.web.limits import AddressLimiter
from webtest_support import PASSWORD, csrf_of, log_in


def _session_token(db) -> AuthToken:
    with db.session() as s:
        return s.scalars(select(AuthToken).where(AuthToken.kind == "session")).one()


def _age(db, **ago: dt.timedelta) -> None:
    """Move the session's times back, as if they had passed."""
    with db.session() as s:
        token = s.scalars(select(AuthToken).where(AuthToken.kind == "session")).one()
        s.execute(update(AuthToken).where(AuthToken.id == token.id).values(
            {name: getattr(token, name) - delta for name, delta in ago.items()}))


def test_a_session_used_now_and_then_lives_and_one_left_idle_expires(db, users, app_client):
    log_in(app_client, "analyst")
    secret = app_client.cookies.get(SESSION_COOKIE)
    seen = _session_token(db).last_seen_at
    assert seen is not None  # the first page after the login noted the use
    assert app_client.get("/persons").status_code == 200
    assert _session_token(db).last_seen_at == seen  # not written again within a minute
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    _age(db, created_at=idle, last_seen_at=idle - dt.timedelta(minutes=1))
    assert app_client.get("/persons").status_code == 200  # used 29 minutes ago: alive
    assert _session_token(db).last_seen_at > utcnow() - dt.timedelta(seconds=30)
    _age(db, last_seen_at=idle + dt.timedelta(seconds=1))
    answer = app_client.get("/persons", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    app_client.cookies.set(SESSION_COOKIE, secret)  # kept by a client: refused all the same
    assert app_client.get("/api/persons").status_code == 401


def test_a_session_in_use_still_ends_with_its_lifetime(db, users, app_client):
    log_in(app_client, "analyst")
    with db.session() as s:
        s.execute(update(AuthToken).values(expires_at=utcnow() - dt.timedelta(seconds=1),
                                           last_seen_at=utcnow()))
    assert app_client.get("/persons", follow_redirects=False).status_code == 303


def _try(client, username: str, password: str):
    form = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(form.text)},
                       follow_redirects=False)


def test_failed_logins_from_one_address_are_throttled_whatever_the_accounts(
        db, users, app_client, monkeypatch):
    monkeypatch.setenv("ROLLCALL_LOGIN_ADDRESS_FAILURES_MAX", "4")
    get_settings.cache_clear()
    app_client.app.state.settings = get_settings()
    for username in ("analyst", "registrar", "nobody", "analyst"):  # no account locked
        assert _try(app_client, username, "wrong password").status_code == 400
    refused = _try(app_client, "registrar", PASSWORD)  # right, but this address waits
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Забагато невдалих спроб входу" in refused.text.replace("&#39;", "'")
    assert SESSION_COOKIE not in app_client.cookies
    with db.session() as s:  # refused before any password was checked: nothing counted
        assert s.scalars(select(User.failed_logins).where(User.username == "registrar")
                         ).one() == 1
    app_client.app.state.login_limiter = AddressLimiter(4, 900)  # the window has passed
    assert _try(app_client, "registrar", PASSWORD).status_code == 303


def test_the_address_limiter_counts_in_a_sliding_window():
    limiter = AddressLimiter(2, 60)
    assert limiter.allow("a", now=0) == (True, 0)
    assert limiter.allow("a", now=10) == (True, 0)
    assert limiter.allow("a", now=20) == (False, 41)
    assert limiter.allow("b", now=20) == (True, 0)
    assert limiter.retry_after("a", now=61) == 0
    limiter.count("a", now=61)
    limiter.count("a", now=62)
    limiter.count("a", now=63)  # beyond the limit: the oldest that matter are 62, 63
    assert limiter.retry_after("a", now=64) == 59
