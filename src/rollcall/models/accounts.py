"""Users, their roles, and the tokens that stand for a login (page session or API)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rollcall.models.base import Base, intpk, utcnow
from rollcall.vocabulary import Role


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(5), default="uk")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    #: Failed logins since the last success; at the limit the account locks for a while
    #: (OWASP ASVS 2.2.1: resist online guessing).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None]
    #: The TOTP secret of the optional second factor, sealed (services/second_factor).
    totp_secret: Mapped[str | None] = mapped_column(Text)

    tokens: Mapped[list[AuthToken]] = relationship(back_populates="user", lazy="raise")

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)


class AuthToken(Base):
    """A page session or an API bearer token. Only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "session" | "api"
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    #: When a page session was last used (at most a minute stale): a session idle longer
    #: than `session_idle_minutes` has expired. Not in the change log (every page view
    #: would be an entry); None for API tokens and sessions not used since login.
    last_seen_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens", lazy="raise")
