"""Envelope encryption's keys (DESIGN.md section 6, issue 5 part 4).

Two levels:
- The **master key** (32 random bytes) never enters the database: it comes from the
  environment (`ROLLCALL_MASTER_KEY`, base64) or a file readable by its owner only
  (`master_key_file`, default `master.key` in the data folder, created on first use).
- **Data keys** live in the `field_keys` table, each wrapped with AES-256-GCM under the
  master key (associated data: the key's id and purpose). A stolen database holds only
  wrapped keys; a stolen master key without the database opens nothing.

Rotating the master key re-wraps the data keys (fast); rotating a data key re-encrypts the
fields under a new one and destroys the old one's material (`services/keys.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.config import Settings, get_settings
from rollcall.errors import Conflict, InvalidValue
from rollcall.models.keys import FieldKey, KeyPurpose

MASTER_ENV = "ROLLCALL_MASTER_KEY"
MASTER_FILE_NAME = "master.key"
KEY_BYTES = 32
NONCE_BYTES = 12


def master_fingerprint(master: bytes) -> str:
    """Names a master key without revealing it: which master wrapped which data key."""
    return hashlib.sha256(b"rollcall master key\x00" + master).hexdigest()[:16]


def _decode_master(text: str, where: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (ValueError, binascii.Error):
        raise InvalidValue(f"{where}: not a base64 master key") from None
    if len(raw) != KEY_BYTES:
        raise InvalidValue(f"{where}: a master key is {KEY_BYTES} bytes, this is {len(raw)}")
    return raw


def master_key_path(settings: Settings) -> Path:
    return settings.master_key_file or settings.data_dir / MASTER_FILE_NAME


def write_master_key(path: Path) -> bytes:
    """A new random master key in a new file readable by its owner only."""
    if path.exists():
        raise Conflict(f"{path} exists: a master key is never overwritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    master = secrets.token_bytes(KEY_BYTES)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(master).decode() + "\n")
    return master


def read_master_key(path: Path) -> bytes:
    """A master key file, refused if anyone but its owner may read it."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InvalidValue(f"{path}: others may read this master key file; chmod 600 it")
    return _decode_master(path.read_text(encoding="ascii"), str(path))


def load_master_key(settings: Settings | None = None, *, create: bool = True) -> bytes:
    """The master key: the environment's, else the file's (created on first use)."""
    settings = settings or get_settings()
    if os.environ.get(MASTER_ENV):
        return _decode_master(os.environ[MASTER_ENV], MASTER_ENV)
    path = master_key_path(settings)
    if not path.exists():
        if not create:
            raise InvalidValue(f"no master key: set {MASTER_ENV} or create {path}")
        return write_master_key(path)
    return read_master_key(path)


def _aad(key_id: int, purpose: KeyPurpose) -> bytes:
    return f"rollcall field key {key_id} {purpose.value}".encode()


def wrap(master: bytes, key_id: int, purpose: KeyPurpose, key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, key, _aad(key_id, purpose))


def unwrap(master: bytes, row: FieldKey) -> bytes:
    if row.wrapped is None:
        raise InvalidValue(f"field key {row.id} was destroyed at rotation; what it encrypted "
                           "was re-encrypted under a newer key")
    try:
        return AESGCM(master).decrypt(row.wrapped[:NONCE_BYTES], row.wrapped[NONCE_BYTES:],
                                      _aad(row.id, row.purpose))
    except InvalidTag:
        raise InvalidValue(
            f"the master key ({master_fingerprint(master)}) does not open field key {row.id}, "
            f"wrapped by master {row.master_fingerprint}: wrong {MASTER_ENV} or key file?"
        ) from None


def create_key(session: Session, master: bytes, purpose: KeyPurpose) -> tuple[int, bytes]:
    """A new random data key, stored wrapped; it becomes the one in use for its purpose."""
    key = secrets.token_bytes(KEY_BYTES)
    row = FieldKey(purpose=purpose, wrapped=b"", master_fingerprint=master_fingerprint(master))
    session.add(row)
    session.flush()
    row.wrapped = wrap(master, row.id, purpose, key)
    session.flush()
    return row.id, key


@dataclass
class Keyring:
    """The master key and the data keys unwrapped for one piece of work (a request, a
    rotation batch). Not shared between databases or processes: key ids are per database."""

    master: bytes
    keys: dict[int, bytes] = field(default_factory=dict)

    def key(self, session: Session, key_id: int) -> bytes:
        cached = self.keys.get(key_id)
        if cached is None:
            row = session.get(FieldKey, key_id)
            if row is None:
                raise InvalidValue(f"no field key {key_id}: the value cannot be decrypted")
            cached = self.keys[key_id] = unwrap(self.master, row)
        return cached

    def current(self, session: Session, purpose: KeyPurpose) -> tuple[int, bytes]:
        """The key in use for `purpose` (the newest live one), made on first need."""
        key_id = session.scalar(
            select(FieldKey.id).where(FieldKey.purpose == purpose,
                                      FieldKey.destroyed_at.is_(None))
            .order_by(FieldKey.id.desc()).limit(1))
        if key_id is None:
            key_id, key = create_key(session, self.master, purpose)
            self.keys[key_id] = key
            return key_id, key
        return key_id, self.key(session, key_id)


def keyring(settings: Settings | None = None) -> Keyring:
    """A keyring on the configured master key."""
    return Keyring(load_master_key(settings))
