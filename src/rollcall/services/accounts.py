"""Accounts: users and roles, logins (page sessions) and API tokens."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.errors import AuthenticationRequired, Conflict, InvalidValue, NotFound
from rollcall.models import AuthToken, User
from rollcall.models.base import utcnow
from rollcall.security import tokens
from rollcall.security.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from rollcall.security.permissions import Permission
from rollcall.services import second_factor
from rollcall.services.actor import Actor
from rollcall.services.changes import (
    Action,
    diff_states,
    entity_state,
    json_value,
    record_change,
)
from rollcall.vocabulary import Role

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
_USER_PUBLIC = frozenset({"password_hash", "totp_secret"})
LANGUAGES = ("uk", "en")


def actor_for(user: User, via: str) -> Actor:
    return Actor(username=user.username, via=via, roles=user.role_set, user_id=user.id)


def _user_state(user: User) -> dict[str, object]:
    return entity_state(user, omit=_USER_PUBLIC)


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    roles: list[Role],
    *,
    display_name: str | None = None,
    language: str = "uk",
) -> User:
    actor.require(Permission.USERS_MANAGE)
    if not _USERNAME.match(username):
        raise InvalidValue(
            "a username is 2-63 lowercase letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    if not roles:
        raise InvalidValue("a user needs at least one role")
    if language not in LANGUAGES:
        raise InvalidValue(f"language must be one of {', '.join(LANGUAGES)}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} exists already")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        roles=sorted({Role(r).value for r in roles}),
        language=language,
    )
    session.add(user)
    session.flush()
    record_change(session, actor, Action.USER_CREATED, "user", user.id, _user_state(user))
    return user


def set_password(session: Session, actor: Actor, username: str, password: str) -> None:
    user = get_user(session, username)
    if actor.user_id != user.id:
        actor.require(Permission.USERS_MANAGE)
    user.password_hash = hash_password(password)
    revoked = _revoke_all(session, user)
    record_change(session, actor, Action.USER_PASSWORD_SET, "user", user.id, _user_state(user),
                  {"tokens_revoked": revoked})


def set_second_factor(session: Session, actor: Actor, username: str, *, on: bool) -> str | None:
    """Switch a user's TOTP second factor on (a new secret: returns the otpauth:// URI for
    their authenticator app, shown once) or off. Users may do it for themselves; for others
    it needs users:manage. Switching it on again replaces the secret."""
    user = get_user(session, username)
    if actor.user_id != user.id:
        actor.require(Permission.USERS_MANAGE)
    uri = second_factor.new_secret(session, user) if on else None
    if not on:
        user.totp_secret = None
    record_change(session, actor, Action.SECOND_FACTOR_SET, "user", user.id, _user_state(user),
                  {"second_factor": on})
    return uri


def unlock(session: Session, actor: Actor, username: str) -> None:
    """Lift a lockout after failed logins before it runs out."""
    actor.require(Permission.USERS_MANAGE)
    user = get_user(session, username)
    before = _user_state(user)
    user.failed_logins = 0
    user.locked_until = None
    after = _user_state(user)
    record_change(session, actor, Action.USER_UPDATED, "user", user.id, after,
                  diff_states(before, after))


def set_language(session: Session, actor: Actor, user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidValue(f"language must be one of {', '.join(LANGUAGES)}")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    if actor.user_id != user.id:
        actor.require(Permission.USERS_MANAGE)
    before = _user_state(user)
    user.language = language
    after = _user_state(user)
    record_change(session, actor, Action.USER_UPDATED, "user", user.id, after,
                  {"language": [before["language"], language]})


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str,
                 code: str | None = None) -> User:
    """The user with these credentials, or AuthenticationRequired with the same message
    whether the username or the password was wrong or the account is locked.

    A failed attempt on an existing account is counted in a transaction of its own, so it
    stays counted although the caller's transaction rolls back; at
    `login_attempts_max` failures in a row the account locks for `login_lockout_minutes`.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        verify_password(dummy_hash(), password)
        raise AuthenticationRequired("wrong username or password")
    locked = user.locked_until is not None and user.locked_until > utcnow()
    if locked or not verify_password(user.password_hash, password):
        if locked:
            verify_password(dummy_hash(), password)
        else:
            _count_failure(session, user.id)
        raise AuthenticationRequired("wrong username or password")
    if not second_factor.code_accepted(session, user, code):
        _count_failure(session, user.id)
        raise AuthenticationRequired("wrong or missing code from the authenticator app")
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _count_failure(session: Session, user_id: int) -> None:
    settings = get_settings()
    with Session(bind=session.get_bind()) as own, own.begin():
        user = own.get(User, user_id)
        assert user is not None
        user.failed_logins += 1
        if user.failed_logins >= settings.login_attempts_max:
            user.locked_until = utcnow() + dt.timedelta(minutes=settings.login_lockout_minutes)
            user.failed_logins = 0
        actor = Actor(username=user.username, via="web", user_id=user.id)
        record_change(own, actor, Action.LOGIN_FAILED, "user", user.id, _user_state(user),
                      {"failed_logins": user.failed_logins,
                       "locked_until": json_value(user.locked_until)})


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    csrf_token: str | None
    expires_at: dt.datetime
    token_id: int


def _issue(session: Session, actor: Actor, user: User, kind: str, lifetime: dt.timedelta,
           label: str | None, action: Action) -> IssuedToken:
    secret = tokens.new_secret()
    csrf = tokens.new_secret() if kind == "session" else None
    token = AuthToken(
        user_id=user.id,
        kind=kind,
        token_sha256=tokens.digest(secret),
        csrf_token=csrf,
        label=label,
        expires_at=utcnow() + lifetime,
    )
    session.add(token)
    session.flush()
    record_change(
        session, actor, action, "token", token.id,
        entity_state(token, omit=frozenset({"token_sha256", "csrf_token"})),
    )
    return IssuedToken(secret, csrf, token.expires_at, token.id)


def login(session: Session, username: str, password: str, via: str = "web",
          code: str | None = None) -> IssuedToken:
    user = authenticate(session, username, password, code)
    user.last_login_at = utcnow()
    lifetime = dt.timedelta(minutes=get_settings().session_lifetime_minutes)
    return _issue(session, actor_for(user, via), user, "session", lifetime, None, Action.LOGIN)


def create_api_token(session: Session, actor: Actor, username: str, label: str) -> IssuedToken:
    user = get_user(session, username)
    if actor.user_id != user.id:
        actor.require(Permission.USERS_MANAGE)
    lifetime = dt.timedelta(days=get_settings().api_token_lifetime_days)
    return _issue(session, actor, user, "api", lifetime, label, Action.TOKEN_CREATED)


#: How stale `AuthToken.last_seen_at` may be before a use writes it again (one write a
#: minute per session at most, not one per page).
SEEN_EVERY = dt.timedelta(minutes=1)


def _idle(token: AuthToken, now: dt.datetime) -> bool:
    """A page session unused for `session_idle_minutes` has expired."""
    if token.kind != "session":
        return False
    last = token.last_seen_at or token.created_at
    return last + dt.timedelta(minutes=get_settings().session_idle_minutes) <= now


def resolve_token(session: Session, secret: str, kind: str) -> tuple[User, AuthToken]:
    """The user a session cookie or bearer token stands for, if it is valid now: not
    revoked, within its lifetime and, for a page session, not idle too long (this use is
    noted, so the caller's transaction writes it)."""
    token = session.scalar(
        select(AuthToken).where(AuthToken.token_sha256 == tokens.digest(secret))
    )
    now = utcnow()
    if (
        token is None
        or token.kind != kind
        or token.revoked_at is not None
        or token.expires_at <= now
        or _idle(token, now)
    ):
        raise AuthenticationRequired("login expired or invalid; log in again")
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise AuthenticationRequired("account disabled")
    if kind == "session" and (token.last_seen_at is None
                              or now - token.last_seen_at >= SEEN_EVERY):
        token.last_seen_at = now
    return user, token


def revoke_token(session: Session, actor: Actor, token: AuthToken, action: Action) -> None:
    token.revoked_at = utcnow()
    record_change(
        session, actor, action, "token", token.id,
        entity_state(token, omit=frozenset({"token_sha256", "csrf_token"})),
    )


def _revoke_all(session: Session, user: User) -> list[int]:
    """Revoke every live session and token of a user; the ids go into the change entry of
    the write that caused it."""
    revoked = session.scalars(
        update(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(AuthToken.id)
    ).all()
    return sorted(revoked)
