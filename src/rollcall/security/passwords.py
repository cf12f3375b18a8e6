"""Password hashing with argon2id (OWASP ASVS V2.4), via argon2-cffi's defaults (RFC 9106
low-memory profile), which are rehashed upward when the library raises them."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from rollcall.errors import InvalidValue

_hasher = PasswordHasher()

MIN_PASSWORD_CHARS = 12


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidValue(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """Verified against when a username is unknown, so a wrong username costs the same time
    as a wrong password and logins do not reveal which accounts exist. Made on first use,
    not at import: hashing is deliberately slow."""
    return _hasher.hash("rollcall-no-such-user-placeholder")
