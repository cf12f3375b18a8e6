"""Field-encryption keys (DESIGN.md section 6): data keys, each stored wrapped (encrypted)
by the master key, which never enters the database. See `rollcall.security.keyring`."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column


class KeyPurpose(StrEnum):
    DATA = "data"  # AES-256-GCM: encrypts sensitive fields
    INDEX = "index"  # HMAC-SHA256: blind indexes for searching encrypted fields


class FieldKey(Base):
    """One data key. The newest live key of a purpose is the one in use; older live data
    keys still open what they encrypted until `rollcall keys rotate` has re-encrypted it,
    after which their material is destroyed (`wrapped` emptied, `destroyed_at` set)."""

    __tablename__ = "field_keys"

    id: Mapped[intpk]
    purpose: Mapped[KeyPurpose] = vocabulary_column(KeyPurpose)
    #: AES-256-GCM(master key, data key), nonce first; empty once destroyed.
    wrapped: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Which master key wrapped it (see keyring.master_fingerprint).
    master_fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    destroyed_at: Mapped[dt.datetime | None]
