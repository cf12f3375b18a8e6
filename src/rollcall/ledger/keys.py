"""The log's Ed25519 signing key, as C2SP signed-note (c2sp.org/signed-note) names it.

    key ID        = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]
    verifier key  = <name>+<hex key ID>+<base64(0x01 || public key)>
    key file      = PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>

The key file uses the private-key text of Go's golang.org/x/mod/sumdb/note, so the same
key works with that package's tools. It is created readable by its owner only, and
refused if others can read it. The verifier key is what an auditor is given: it names
the key and carries the public half.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rollcall.config import Settings
from rollcall.errors import Conflict, InvalidValue, LedgerError

ED25519 = b"\x01"
KEY_FILE_NAME = "ledger.key"


def check_key_name(name: str) -> str:
    """Key names and origins: non-empty, no Unicode spaces, no '+' (signed-note)."""
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise InvalidValue(
            f"{name[:60]!r} cannot name a log key: use a schema-less URL without spaces or "
            "'+', e.g. bureau.example.org/rollcall"
        )
    return name


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class NoteVerifier:
    """A public key that checks signatures on notes."""

    name: str
    key_id: bytes
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        """A verifier key string: <name>+<hex key ID>+<base64(0x01 || public key)>."""
        # The base64 part may hold "+" itself: split at the first two only (as Go does).
        parts = text.strip().split("+", 2)
        try:
            name, hex_id, encoded = parts
            raw = base64.b64decode(encoded, validate=True)
            given_id = bytes.fromhex(hex_id)
        except (ValueError, binascii.Error):
            raise InvalidValue("not a verifier key (expected NAME+KEYID+BASE64)") from None
        check_key_name(name)
        if len(raw) != 33 or raw[:1] != ED25519 or len(given_id) != 4:
            raise InvalidValue("not an Ed25519 verifier key")
        if key_id(name, raw[1:]) != given_id:
            raise InvalidValue("the verifier key's ID does not match its name and key")
        return cls(name, given_id, raw[1:])

    @property
    def text(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSigner:
    """The private key that signs the log's checkpoints."""

    name: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        return cls(check_key_name(name), Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> NoteSigner:
        parts = text.strip().split("+", 4)
        try:
            prefix, kind, name, hex_id, encoded = parts
            raw = base64.b64decode(encoded, validate=True)
            given_id = bytes.fromhex(hex_id)
        except (ValueError, binascii.Error):
            raise LedgerError("the ledger key file is not a signed-note private key") from None
        if (prefix, kind) != ("PRIVATE", "KEY") or len(raw) != 33 or raw[:1] != ED25519:
            raise LedgerError("the ledger key file is not an Ed25519 signed-note key")
        signer = cls(check_key_name(name), Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier.key_id != given_id:
            raise LedgerError("the ledger key file's key ID does not match its key")
        return signer

    @property
    def verifier(self) -> NoteVerifier:
        public = _raw_public(self.private_key.public_key())
        return NoteVerifier(self.name, key_id(self.name, public), public)

    @property
    def text(self) -> str:
        seed = self.private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        encoded = base64.b64encode(ED25519 + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def key_path(settings: Settings) -> Path:
    return settings.ledger_key_file or settings.data_dir / KEY_FILE_NAME


def create_key_file(path: Path, name: str) -> NoteSigner:
    """Write a new key, readable by its owner only; never over an existing one (the log's
    checkpoints could no longer be checked)."""
    signer = NoteSigner.generate(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Conflict(f"{path} exists already; a log keeps its key") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(signer.text + "\n")
    return signer


def read_key_file(path: Path) -> NoteSigner:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise LedgerError(f"{path} can be read by others; make it private (chmod 600)")
    return _parse_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _parse_cached(path: str, _mtime_ns: int) -> NoteSigner:
    return NoteSigner.parse(Path(path).read_text(encoding="ascii"))


def load_signer(settings: Settings) -> NoteSigner:
    """The configured key, created on first use. Its name must be the log's origin
    (tlog-checkpoint: the key name SHOULD match the origin line)."""
    path = key_path(settings)
    origin = check_key_name(settings.ledger_origin)
    try:
        signer = read_key_file(path)
    except FileNotFoundError:
        try:
            signer = create_key_file(path, origin)
        except Conflict:  # another process created it first
            signer = read_key_file(path)
    if signer.name != origin:
        raise LedgerError(
            f"the ledger key is named {signer.name!r} but the log's origin is {origin!r}"
        )
    return signer
