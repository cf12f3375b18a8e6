import datetime as dt

import pytest
from sqlalchemy import select

from rollcall.config import get_settings
from rollcall.errors import AuthenticationRequired, Conflict, InvalidValue, PermissionDenied
from rollcall.models import Change, User
from rollcall.models.base import utcnow
from rollcall.services import accounts
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role

PASSWORD = "correct horse battery"


def test_user_is_stored_with_an_argon2id_hash_and_a_change_entry(db, operator):
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.REGISTRAR])
    with db.session() as s:
        user = s.scalar(select(User))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        change = s.scalar(select(Change).where(Change.action == "user:created"))
        assert change.actor == "test-operator" and change.via == "cli"
        assert "password" not in change.state and "argon2" not in change.state


def test_login_gives_a_session_that_resolves_to_the_user(db, operator):
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    with db.session() as s:
        issued = accounts.login(s, "olena", PASSWORD)
    with db.session() as s:
        user, token = accounts.resolve_token(s, issued.secret, "session")
        assert user.username == "olena" and token.csrf_token == issued.csrf_token
        with pytest.raises(AuthenticationRequired):
            accounts.resolve_token(s, issued.secret, "api")


@pytest.mark.parametrize("username,password", [("olena", "wrong password!"), ("nobody", PASSWORD)])
def test_wrong_credentials_give_the_same_answer(db, operator, username, password):
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    expected = pytest.raises(AuthenticationRequired, match="wrong username or password")
    with db.session() as s, expected:
        accounts.login(s, username, password)


def test_password_change_revokes_sessions(db, operator):
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
        issued = accounts.login(s, "olena", PASSWORD)
        accounts.set_password(s, operator, "olena", "another long password")
    with db.session() as s, pytest.raises(AuthenticationRequired):
        accounts.resolve_token(s, issued.secret, "session")
    with db.session() as s:
        entry = s.scalar(select(Change).where(Change.action == "user:password_set"))
        assert entry.diff == {"tokens_revoked": [issued.token_id]}


def test_only_user_managers_add_users(db, operator):
    analyst = Actor("ana", "api", frozenset({Role.ANALYST}), user_id=1)
    with db.session() as s, pytest.raises(PermissionDenied):
        accounts.add_user(s, analyst, "x1", PASSWORD, [Role.ADMIN])


def test_duplicate_and_bad_input_are_refused(db, operator):
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    with db.session() as s, pytest.raises(Conflict):
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    with db.session() as s, pytest.raises(InvalidValue, match="12 characters"):
        accounts.add_user(s, operator, "short", "short", [Role.ANALYST])
    with db.session() as s, pytest.raises(InvalidValue, match="username"):
        accounts.add_user(s, operator, "Bad Name", PASSWORD, [Role.ANALYST])


def test_repeated_failures_lock_the_account_for_a_while(db, operator, monkeypatch):
    monkeypatch.setenv("ROLLCALL_LOGIN_ATTEMPTS_MAX", "3")
    get_settings.cache_clear()
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    for _ in range(3):
        with db.session() as s, pytest.raises(AuthenticationRequired):
            accounts.login(s, "olena", "not the password")
    with db.session() as s, pytest.raises(AuthenticationRequired):
        accounts.login(s, "olena", PASSWORD)  # right password, but locked
    with db.session() as s:
        user = s.scalar(select(User))
        assert user.locked_until is not None
        failures = s.scalars(select(Change.diff).where(Change.action == "user:login_failed"))
        assert [d["failed_logins"] for d in failures] == [1, 2, 0]
        user.locked_until = utcnow() - dt.timedelta(seconds=1)  # the lockout has passed
    with db.session() as s:
        accounts.login(s, "olena", PASSWORD)
        assert s.scalar(select(User.failed_logins)) == 0


def test_an_administrator_can_lift_a_lockout(db, operator, monkeypatch):
    monkeypatch.setenv("ROLLCALL_LOGIN_ATTEMPTS_MAX", "1")
    get_settings.cache_clear()
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    with db.session() as s, pytest.raises(AuthenticationRequired):
        accounts.login(s, "olena", "not the password")
    with db.session() as s:
        accounts.unlock(s, operator, "olena")
    with db.session() as s:
        accounts.login(s, "olena", PASSWORD)
        entry = s.scalar(select(Change).where(Change.action == "user:updated"))
        assert list(entry.diff) == ["locked_until"]


def test_a_success_resets_the_count(db, operator, monkeypatch):
    monkeypatch.setenv("ROLLCALL_LOGIN_ATTEMPTS_MAX", "2")
    get_settings.cache_clear()
    with db.session() as s:
        accounts.add_user(s, operator, "olena", PASSWORD, [Role.ANALYST])
    for password in ("wrong one here", PASSWORD, "wrong one here", PASSWORD):
        with db.session() as s:
            if password == PASSWORD:
                accounts.login(s, "olena", password)
            else:
                with pytest.raises(AuthenticationRequired):
                    accounts.login(s, "olena", password)
