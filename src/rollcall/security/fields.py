"""Sensitive fields encrypted in place (DESIGN.md section 6, issue 5 part 4).

A protected column holds text of the form

    enc:1:<key id>:<base64url(nonce || AES-256-GCM ciphertext and tag)>

with `<table>.<column>.<row id>` as associated data, so a value copied into another row or
column does not decrypt. Searching such a column uses a blind index: HMAC-SHA256 under a
separate index key over the normalised value, stored beside it.

Only the services that own a protected column call `seal` and `unseal`; PROTECTED lists
every such column, so rotation and the database-dump test know them all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from rollcall.errors import InvalidValue
from rollcall.models.keys import KeyPurpose
from rollcall.security.keyring import NONCE_BYTES, Keyring

PREFIX = "enc:1:"


@dataclass(frozen=True)
class ProtectedColumn:
    table: str
    column: str
    #: Column holding the blind index of this one, if it is searchable.
    index_column: str | None = None
    #: Whether the index compares `normalise`d text (contacts) or the exact value (ids).
    normalised: bool = True


PROTECTED = (
    ProtectedColumn("tracing_requests", "requester_contact", "requester_contact_index"),
    ProtectedColumn("testimonies", "narrative"),
    ProtectedColumn("testimonies", "witness", "witness_index", normalised=False),
    ProtectedColumn("source_records", "person_to_inform"),
    ProtectedColumn("users", "totp_secret"),
)


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def _aad(table: str, column: str, row_id: int) -> bytes:
    return f"{table}.{column}.{row_id}".encode()


class Sealer:
    """Seals values under one data key, without a database: a list import's worker process
    seals the rows it prepares with the key its parent handed it (`seal` below is the same
    for one value under the key in use)."""

    def __init__(self, key_id: int, key: bytes) -> None:
        self.key_id = key_id
        self.key = key
        self._aead = AESGCM(key)
        self._head = f"{PREFIX}{key_id}:"

    def seal(self, table: str, column: str, row_id: int, plaintext: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        box = nonce + self._aead.encrypt(nonce, plaintext.encode(), _aad(table, column, row_id))
        return self._head + base64.urlsafe_b64encode(box).decode()

    def __reduce__(self) -> tuple[type[Sealer], tuple[int, bytes]]:
        return (Sealer, (self.key_id, self.key))  # AESGCM objects do not pickle


def current_sealer(session: Session, ring: Keyring) -> Sealer:
    """A sealer on the data key in use."""
    return Sealer(*ring.current(session, KeyPurpose.DATA))


def seal(session: Session, ring: Keyring, table: str, column: str, row_id: int,
         plaintext: str) -> str:
    """The value encrypted under the data key in use, bound to its table, column and row."""
    return current_sealer(session, ring).seal(table, column, row_id, plaintext)


def unseal(session: Session, ring: Keyring, table: str, column: str, row_id: int,
           stored: str) -> str:
    """The plaintext of a sealed value. A value stored before encryption existed (no
    prefix) is returned as it is; `rollcall keys rotate` encrypts such values."""
    if not is_sealed(stored):
        return stored
    try:
        key_id_text, encoded = stored[len(PREFIX):].split(":", 1)
        box = base64.urlsafe_b64decode(encoded)
        key = ring.key(session, int(key_id_text))
        return AESGCM(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:],
                                   _aad(table, column, row_id)).decode()
    except (ValueError, InvalidTag):
        raise InvalidValue(
            f"{table}.{column} of row {row_id} does not decrypt: altered, or moved from "
            "another row"
        ) from None


def normalise(value: str) -> str:
    """What a blind index compares: case, width, spaces and punctuation of a phone number
    or an e-mail address do not matter."""
    text = unicodedata.normalize("NFKC", value).casefold().strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if "@" not in text and len(digits) >= 7 and len(digits) >= len(text.replace(" ", "")) // 2:
        return digits[-9:]  # a telephone number: the national significant number
    return " ".join(text.split())


def blind_index(session: Session, ring: Keyring, table: str, column: str, value: str, *,
                normalised: bool = True) -> str:
    """HMAC-SHA256 of the value (`normalise`d unless `normalised` is False: an id is
    compared exactly) under the index key, per column."""
    _, key = ring.current(session, KeyPurpose.INDEX)
    text = normalise(value) if normalised else value.strip()
    message = f"{table}.{column}\x00{text}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
