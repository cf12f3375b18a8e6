"""Logging in and out of the pages, the CSRF token on every form, the language switch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rollcall.app import create_app
from rollcall.config import get_settings
from rollcall.models import AuthToken, User
from rollcall.web.access import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from webtest_support import PASSWORD, TestClient, csrf_of, log_in


def test_pages_redirect_to_login_with_the_path(app_client):
    answer = app_client.get("/persons?q=abc", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fpersons%3Fq%3Dabc"
    assert app_client.get("/", follow_redirects=False).headers["location"] == "/persons"


def test_login_sets_a_strict_session_cookie_and_goes_next(users, app_client):
    form = app_client.get("/login?next=/sources")
    assert 'value="/sources"' in form.text
    answer = app_client.post("/login", data={
        "username": "registrar", "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "/sources"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/sources"
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = app_client.get("/sources")
    assert page.status_code == 200 and "Олена Реєстр" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_cookies_are_secure_when_configured(db, users, monkeypatch):
    monkeypatch.setenv("ROLLCALL_SECURE_COOKIES", "true")
    get_settings.cache_clear()
    with TestClient(create_app(db), base_url="https://testserver") as client:
        form = client.get("/login")
        assert "Secure" in form.headers["set-cookie"]
        answer = client.post("/login", data={
            "username": "analyst", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            follow_redirects=False)
    cookie = next(h for h in answer.headers.get_list("set-cookie")
                  if h.startswith(SESSION_COOKIE + "="))
    assert "Secure" in cookie


@pytest.mark.parametrize("username,password", [("registrar", "wrong password here"),
                                               ("nobody", PASSWORD)])
def test_wrong_credentials_show_the_form_again(users, app_client, username, password):
    form = app_client.get("/login")
    answer = app_client.post("/login", data={
        "username": username, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False)
    assert answer.status_code == 400
    assert "Неправильне ім'я користувача або пароль" in answer.text.replace("&#39;", "'")
    assert SESSION_COOKIE not in app_client.cookies


def test_login_without_its_csrf_token_is_refused(users, app_client):
    app_client.get("/login")
    answer = app_client.post("/login", data={"username": "registrar", "password": PASSWORD},
                             follow_redirects=False)
    assert answer.status_code == 403
    app_client.cookies.delete(LOGIN_CSRF_COOKIE)
    answer = app_client.post("/login", data={"username": "registrar", "password": PASSWORD,
                                             "csrf_token": "forged"}, follow_redirects=False)
    assert answer.status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_goes_nowhere_but_this_site(users, app_client, target):
    form = app_client.get("/login")
    answer = app_client.post("/login", data={
        "username": "analyst", "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": target}, follow_redirects=False)
    assert answer.headers["location"] == "/persons"


def test_forms_need_the_session_csrf_token(users, app_client):
    csrf = log_in(app_client, "analyst")
    for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": ""}):
        answer = app_client.post("/logout", data=data, follow_redirects=False)
        assert answer.status_code == 403
        assert "text/html" in answer.headers["content-type"]
    answer = app_client.post("/language", data={"language": "uk"}, follow_redirects=False)
    assert answer.status_code == 403
    assert app_client.get("/persons").status_code == 200  # still logged in
    assert app_client.post("/logout", data={"csrf_token": csrf},
                           follow_redirects=False).status_code == 303


def test_logout_revokes_the_session(db, users, app_client):
    csrf = log_in(app_client, "registrar")
    secret = app_client.cookies.get(SESSION_COOKIE)
    answer = app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert SESSION_COOKIE not in app_client.cookies
    app_client.cookies.set(SESSION_COOKIE, secret)
    assert app_client.get("/persons", follow_redirects=False).status_code == 303
    with db.session() as s:
        token = s.scalar(select(AuthToken).where(AuthToken.kind == "session"))
        assert token.revoked_at is not None


def test_language_switch_is_saved_for_the_user(db, users, app_client):
    csrf = log_in(app_client, "registrar")
    assert "Особи" in app_client.get("/persons").text
    answer = app_client.post("/language", data={"language": "en", "csrf_token": csrf,
                                                "next": "/sources"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/sources"
    page = app_client.get("/persons")
    assert '<html lang="en">' in page.text and "Persons" in page.text
    assert "Особи" not in page.text
    with db.session() as s:
        assert s.scalar(select(User.language).where(User.username == "registrar")) == "en"
    bad = app_client.post("/language", data={"language": "xx", "csrf_token": csrf})
    assert bad.status_code == 422


def test_language_before_login_from_query_then_cookie(app_client):
    assert '<html lang="uk">' in app_client.get("/login").text
    english = app_client.get("/login?lang=en")
    assert "Log in" in english.text and "Username" in english.text
    assert app_client.cookies.get("lang") == "en"
    assert "Username" in app_client.get("/login").text
    assert "Ім&#39;я користувача" in app_client.get("/login?lang=uk").text
