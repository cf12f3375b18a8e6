"""The optional second factor for staff (issue 5 part 5): a TOTP code (RFC 6238, 30-second
steps, 6 digits, as authenticator apps make them) asked at login after the password.

The shared secret is a sensitive field: sealed in `users.totp_secret`
(`rollcall.security.fields`), never in the change log, which records only that the second
factor was switched on or off (`services.accounts.set_second_factor`). A wrong or missing
code counts as a failed login, so the lockout after `login_attempts_max` failures also
bounds guessing the six digits.
"""

from __future__ import annotations

import pyotp
from sqlalchemy.orm import Session

from rollcall.models import User
from rollcall.security.fields import seal, unseal
from rollcall.security.keyring import keyring

TABLE, COLUMN = "users", "totp_secret"
ISSUER = "Rollcall"


def new_secret(session: Session, user: User) -> str:
    """Seal a new secret for the user; returns the otpauth:// URI an authenticator app reads
    (shown once, never stored in clear)."""
    secret = pyotp.random_base32()
    user.totp_secret = seal(session, keyring(), TABLE, COLUMN, user.id, secret)
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def code_accepted(session: Session, user: User, code: str | None) -> bool:
    """True for a user without a second factor; else whether `code` is the current one
    (or the one of the step before or after, for clocks a little apart)."""
    if user.totp_secret is None:
        return True
    digits = "".join((code or "").split())
    if not (digits.isdigit() and len(digits) == 6):
        return False
    secret = unseal(session, keyring(), TABLE, COLUMN, user.id, user.totp_secret)
    return pyotp.TOTP(secret).verify(digits, valid_window=1)
