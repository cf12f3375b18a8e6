"""Checks of the values a monitoring service is given, shared by the exchange,
prosecution and family-contact services: each refusal names the field and, for a code, the
codes allowed, never a person's data."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TypeVar

from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, NotFound
from rollcall.models import Source

E = TypeVar("E", bound=Enum)

MAX_TEXT_CHARS = 20_000


def vocabulary(enum: type[E], value: object, name: str) -> E:
    """A vocabulary code, or InvalidValue naming the field and the codes allowed."""
    try:
        return enum(value)
    except ValueError:
        codes = ", ".join(str(m.value) for m in enum)
        raise InvalidValue(f"{name}: unknown code {str(value)[:40]!r}; expected one of "
                           f"{codes}") from None


def text(value: str | None, name: str, limit: int = MAX_TEXT_CHARS) -> str | None:
    """Stripped free text, None when empty; refused past `limit` characters."""
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidValue(f"{name}: at most {limit} characters")
    return value or None


def not_in_future(value: dt.date | PartialDate | None, name: str, today: dt.date) -> None:
    """Refuses a date whose earliest possible day is after today."""
    if value is None:
        return
    first = value.earliest() if isinstance(value, PartialDate) else value
    if first > today:
        raise InvalidValue(f"{name}: {value.isoformat()} lies in the future")


def partial_date(value: object, name: str) -> PartialDate | None:
    """A PartialDate from one, a date or its ISO text; InvalidValue otherwise."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        try:
            return PartialDate.fromisoformat(value) if value.strip() else None
        except ValueError:
            pass
    raise InvalidValue(f"{name}: not a date; write yyyy, yyyy-mm or yyyy-mm-dd")


def require_source(session: Session, source_id: int | None, name: str = "source_id") -> int:
    if source_id is None:
        raise InvalidValue(f"{name}: name the source that reports this")
    if session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")
    return source_id


__all__ = ["MAX_TEXT_CHARS", "not_in_future", "partial_date", "require_source", "text",
           "vocabulary"]
