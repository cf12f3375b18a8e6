"""Query parameters as people type them: empty means "any", dates in ISO or in the
Ukrainian dd.mm.yyyy form, codes checked against their vocabulary. Bad values raise
InvalidValue naming the parameter (never echoing the value: it may be a name)."""

from __future__ import annotations

import re
from enum import Enum
from typing import TypeVar
from urllib.parse import urlsplit

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue

E = TypeVar("E", bound=Enum)

_DOTTED = re.compile(r"^(?:(\d{1,2})\.)?(?:(\d{1,2})\.)?(\d{4})$")


def optional_enum(enum: type[E], value: str | None, name: str) -> E | None:
    if value is None or not value.strip():
        return None
    try:
        return enum(value.strip())
    except ValueError:
        codes = ", ".join(str(m.value) for m in enum)
        raise InvalidValue(f"{name}: unknown code; expected one of {codes}") from None


def optional_date(value: str | None, name: str) -> PartialDate | None:
    """yyyy, yyyy-mm, yyyy-mm-dd, or mm.yyyy, dd.mm.yyyy."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        dotted = _DOTTED.match(text)
        if dotted:
            first, second, year = dotted.groups()
            if second is not None:
                return PartialDate(int(year), int(second), int(first))
            return PartialDate(int(year), int(first) if first else None)
        return PartialDate.fromisoformat(text)
    except ValueError:
        raise InvalidValue(
            f"{name}: not a date; write yyyy, yyyy-mm, yyyy-mm-dd or dd.mm.yyyy") from None


def optional_int(value: str | None, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidValue(f"{name}: not a number") from None


def safe_next(value: str | None, default: str = "/persons") -> str:
    """Where to go after a form: a path on this site only (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
