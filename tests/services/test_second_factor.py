"""The optional TOTP second factor (issue 5 part 5): switched on by the user or an
administrator, asked at login after the password, its secret sealed and never logged; a
wrong code counts towards the lockout."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.errors import AuthenticationRequired, PermissionDenied
from rollcall.ledger.keys import key_path, read_key_file
from rollcall.ledger.verify import verify
from rollcall.models import Change, User
from rollcall.services import accounts
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role
from webtest_support import csrf_of

PASSWORD = "correct horse battery"


def _secret(uri: str) -> str:
    return parse_qs(urlparse(uri).query)["secret"][0]


def _user(db, operator, name="olena", role=Role.INVESTIGATOR) -> None:
    with db.session() as s:
        accounts.add_user(s, operator, name, PASSWORD, [role])


def test_on_the_code_is_asked_sealed_and_never_logged(db, operator):
    _user(db, operator)
    with db.session() as s:
        uri = accounts.set_second_factor(s, operator, "olena", on=True)
    secret = _secret(uri)
    assert uri.startswith("otpauth://totp/Rollcall:olena?") and len(secret) >= 16
    with db.session() as s:
        stored = s.scalar(select(User.totp_secret))
        assert stored.startswith("enc:1:") and secret not in stored
        states = " ".join(f"{c.state} {c.diff}" for c in s.scalars(select(Change)))
        assert secret not in states and 'second_factor' in states
    for code in (None, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", "12ab56"):
        with db.session() as s, pytest.raises(AuthenticationRequired, match="code"):
            accounts.login(s, "olena", PASSWORD, code=code)
    with db.session() as s, pytest.raises(AuthenticationRequired, match="password"):
        accounts.login(s, "olena", PASSWORD + "x", code=pyotp.TOTP(secret).now())
    with db.session() as s:
        assert s.scalar(select(User.failed_logins)) == 4  # each wrong try counts
        spaced = " ".join(pyotp.TOTP(secret).now()[i:i + 3] for i in (0, 3))
        accounts.login(s, "olena", PASSWORD, code=spaced)  # "123 456" as apps show it
    with db.session() as s:
        assert s.scalar(select(User.failed_logins)) == 0
        accounts.set_second_factor(s, operator, "olena", on=False)
    with db.session() as s:
        accounts.login(s, "olena", PASSWORD)  # off again: the password alone
    report = verify(db.engine, [read_key_file(key_path(get_settings())).verifier],
                    get_settings().ledger_origin)
    assert report.ok, [str(p) for p in report.problems[:3]]


def test_only_the_user_or_a_user_manager_switches_it(db, operator):
    _user(db, operator)
    _user(db, operator, "taras", Role.REGISTRAR)
    with db.session() as s:
        olena = s.scalar(select(User).where(User.username == "olena"))
        himself = Actor("olena", "web", frozenset({Role.INVESTIGATOR}), user_id=olena.id)
        assert accounts.set_second_factor(s, himself, "olena", on=True)
        with pytest.raises(PermissionDenied):
            accounts.set_second_factor(s, himself, "taras", on=True)


def test_the_login_page_asks_for_the_code(db, operator, app_client, db_url, monkeypatch):
    _user(db, operator)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    ran = CliRunner().invoke(app, ["user", "second-factor", "olena"])
    assert ran.exit_code == 0, ran.output
    secret = _secret(re.search(r"otpauth://\S+", ran.stdout).group())
    form = app_client.get("/login")
    assert 'name="code"' in form.text and 'autocomplete="one-time-code"' in form.text
    values = {"username": "olena", "password": PASSWORD, "csrf_token": csrf_of(form.text),
              "next": "/persons"}
    refused = app_client.post("/login", data=values, follow_redirects=False)
    assert refused.status_code == 400 and "rollcall_session" not in refused.headers.get(
        "set-cookie", "")
    done = app_client.post("/login", data={**values, "code": pyotp.TOTP(secret).now()},
                           follow_redirects=False)
    assert done.status_code == 303
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users WHERE totp_secret IS NOT NULL")
                            ).scalar_one() == 1
