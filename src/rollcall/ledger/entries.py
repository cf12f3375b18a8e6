"""The bytes of a leaf: one change entry as canonical JSON (RFC 8785).

    {"action":…,"actor":…,"at":…,"diff":…,"entity_id":…,"entity_type":…,"id":…,
     "state":<the entry's state>,"via":…}

`at` is the time in UTC as ISO 8601 text ending in "Z" (microseconds when not zero, as
the change log writes times everywhere); `state` is the entry's stored state, which the
change log already keeps as canonical JSON, embedded as it is stored. So an entry's leaf
is re-derived from its row alone, and anyone can rebuild it with any RFC 8785
implementation: parse `state`, put it in the object with the other columns, canonicalise.

A list import writes a million entries at a time, so the common case avoids `rfc8785`
(~170 µs an entry): orjson with sorted keys writes the same bytes for values without
floats, with integers within ±2^53 and keys in the Basic Multilingual Plane (see
`services.changes.canonical_json_prepared`); anything else goes through `rfc8785`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import orjson
import rfc8785
from sqlalchemy import ColumnElement, Table, Text, cast, type_coerce

#: The columns of `changes` a leaf is made of, in the order `entry_bytes` takes them.
ENTRY_COLUMNS = ("id", "at", "actor", "via", "action", "entity_type", "entity_id", "diff",
                 "state")

_SAFE_INT = 2**53 - 1
_SORTED = orjson.OPT_SORT_KEYS


def utc_text(at: dt.datetime) -> str:
    """A time as the log writes it: ISO 8601 in UTC with a trailing Z."""
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _plain(value: Any) -> bool:
    """True if orjson's output for this value is already RFC 8785's."""
    if value is None or value.__class__ in (str, bool):
        return True
    if value.__class__ is int:
        return -_SAFE_INT <= value <= _SAFE_INT
    if value.__class__ is dict:
        return all(
            key.__class__ is str and max(key, default="") <= "\uffff" and _plain(item)
            for key, item in value.items()
        )
    if value.__class__ is list:
        return all(_plain(item) for item in value)
    return False


def entry_bytes(
    id: int,
    at: dt.datetime,
    actor: str,
    via: str,
    action: str,
    entity_type: str,
    entity_id: str,
    diff: Any,
    state: str,
) -> bytes:
    """The leaf bytes of one change entry, from the values of its row."""
    head = {"action": action, "actor": actor, "at": utc_text(at), "diff": diff,
            "entity_id": entity_id, "entity_type": entity_type, "id": id}
    try:
        text = orjson.dumps(head, option=_SORTED) if _plain(diff) else rfc8785.dumps(head)
        tail = orjson.dumps(via)
    except (TypeError, orjson.JSONEncodeError):
        text, tail = rfc8785.dumps(head), rfc8785.dumps(via)
    return b"".join((text[:-1], b',"state":', state.encode(), b',"via":', tail, b"}"))


def stored_entry_columns(changes: Table, dialect: str) -> list[ColumnElement[Any]]:
    """The ENTRY_COLUMNS of `changes` as `stored_entry_bytes` takes them: `diff` as JSON
    text and, on SQLite, `at` as its stored text, skipping per-row type processing (a seal
    or a verify reads a million of them)."""
    columns: list[ColumnElement[Any]] = [changes.c[name] for name in ENTRY_COLUMNS]
    columns[7] = cast(changes.c.diff, Text)
    if dialect == "sqlite":
        columns[1] = type_coerce(changes.c.at, Text)
    return columns


def stored_entry_bytes(id: int, at: dt.datetime | str, actor: str, via: str, action: str,
                       entity_type: str, entity_id: str, diff: str, state: str) -> bytes:
    """`entry_bytes` of a row read with `stored_entry_columns`."""
    if at.__class__ is str:
        at = dt.datetime.fromisoformat(at)  # type: ignore[arg-type]
        if at.tzinfo is None:  # SQLite keeps UTC without a zone
            at = at.replace(tzinfo=dt.UTC)
    return entry_bytes(id, at, actor, via, action, entity_type, entity_id,  # type: ignore[arg-type]
                       {} if diff == "{}" else _load(diff), state)


def _load(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # e.g. an integer beyond 64 bits
        return json.loads(text)
