"""Do the registry's rows still hold what the log says they hold?

Every write records the entity's state after it (`services.changes.entity_state`: the
ORM object's column values, as JSON). So each row of a covered table must equal the
state in the latest entry about it, on the fields that entry recorded, and must have an
entry at all. Editing, adding or deleting a row behind the log's back is caught here.

What an entry says about which rows:
- a `record:imported` entry (one per accepted list row) holds three states: `record`
  (the source record), `person` (created with it; all person columns but `updated_at`
  and `merged_into_id`, which is then null) and `events`; every other entry holds the
  state of its own entity (entity_type, entity_id);
- `person:merged` / `person:split` entries move other rows without entries of their
  own: the source records and events listed in their diff (`records`, `events`) now
  belong to the person of the entry (or to `split_into`), and a merge re-points persons
  merged earlier into one of `merged_persons` at the survivor.

Covered tables and the fields left out (written without an entry by design):
    source, source_record, person, event, site, access_period: every field recorded;
    user: not last_login_at, failed_logins, locked_until (a successful login resets
        them, recording the login on its token); never password_hash (not recorded);
    token: not revoked_at (a password change revokes all of a user's tokens in one
        statement, listing them in the user's entry); never token_sha256, csrf_token.
    visit, testimony, act, custody_period, incident, incident_source, exchange,
    prosecution, family_contact: the fields their entries record (a testimony's entry
    holds no narrative and no witness id, see services/testimonies; extra keys an entry
    adds, such as a visit's `person_ids` or an incident's `change`, are not columns).
Entries whose state is not their entity's row (`NOT_ROW_STATES`: a read of a sealed
field, persons attached to an exchange) and entries about other entity types (link
decisions, linkage runs, tracing requests, evidence) are in the log and checked as
entries, but no row is compared with them here.

Memory: for each covered table, arrays indexed by id hold the latest entry's position, its
shape and a 128-bit digest of its recorded fields (~35 bytes a row), not the states.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Enum,
    Integer,
    String,
    Text,
    cast,
    select,
    type_coerce,
)
from sqlalchemy.orm import Mapper

from rollcall.models import (
    AccessPeriod,
    Act,
    AuthToken,
    CustodyPeriod,
    Event,
    Exchange,
    FamilyContact,
    Incident,
    IncidentSource,
    Person,
    Prosecution,
    Site,
    Source,
    SourceRecord,
    Testimony,
    User,
    Visit,
)
from rollcall.models.base import PartialDateType
from rollcall.services.changes import json_value


@dataclass(frozen=True)
class Coverage:
    model: type
    #: Fields some write changes without an entry about this entity: not compared.
    volatile: frozenset[str] = frozenset()
    #: The field other entities' entries may change (see the module docstring).
    moved: str | None = None


COVERED: dict[str, Coverage] = {
    "source": Coverage(Source),
    "source_record": Coverage(SourceRecord, moved="person_id"),
    "person": Coverage(Person, moved="merged_into_id"),
    "event": Coverage(Event, moved="person_id"),
    "site": Coverage(Site),
    "access_period": Coverage(AccessPeriod),
    "user": Coverage(User, frozenset({"last_login_at", "failed_logins", "locked_until"})),
    "token": Coverage(AuthToken, frozenset({"revoked_at"})),
    "visit": Coverage(Visit, frozenset({"person_ids"})),
    "testimony": Coverage(Testimony, frozenset({"narrative_sha256", "witness_linked"})),
    "act": Coverage(Act),
    "custody_period": Coverage(CustodyPeriod),
    "incident": Coverage(Incident, frozenset({"person_ids", "person_ids_added",
                                              "person_id_unlinked", "reason", "change"})),
    "incident_source": Coverage(IncidentSource),
    "exchange": Coverage(Exchange),
    "prosecution": Coverage(Prosecution, frozenset({"concerns"})),
    "family_contact": Coverage(FamilyContact),
}

_IMPORTED = "record:imported"
#: Entries about an entity whose state is not the entity's row (a read of a sealed field, a
#: list of persons attached): in the log and checked as entries, not compared with rows.
NOT_ROW_STATES = frozenset({"sensitive:read", "exchange:persons_attached",
                            "exchange:list_imported"})
_MERGED, _SPLIT = "person:merged", "person:split"
#: Actions whose diff moves other rows (see the module docstring).
MOVING_ACTIONS = frozenset({_MERGED, _SPLIT})
_NULL, _UNSET = -1, -2
_MAX_ARRAY_ID = 1 << 34
_SORTED = orjson.OPT_SORT_KEYS


@dataclass(frozen=True)
class Mismatch:
    entity_type: str
    entity_id: int | str
    #: The position (leaf index, or beyond the leaves if not yet sealed) of the latest
    #: entry about the entity; None when it has none.
    position: int | None
    reason: str


def stream_rows(conn: Connection, query: Any, batch: int = 5000) -> Iterator[Any]:
    """The rows of a query in batches, from one server-side cursor on PostgreSQL (one plan,
    bounded memory); SQLite's cursor streams anyway."""
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for rows in result.partitions():
        yield from rows


def split_states(entity_type: str, entity_id: str, action: str,
                 state: Any) -> Iterator[tuple[str, int | str, dict[str, Any]]]:
    """The (entity type, id, state) an entry records."""
    if action == _IMPORTED and isinstance(state, dict) and "record" in state:
        yield "source_record", entity_key(entity_id), state["record"]
        yield "person", entity_key(state["person"]["id"]), state["person"]
        for event in state.get("events") or []:
            yield "event", entity_key(event["id"]), event
    elif isinstance(state, dict):
        yield entity_type, entity_key(entity_id), state


def entity_key(value: Any) -> int | str:
    text = str(value)
    return int(text) if text.isdigit() else text


_SCALARS = frozenset({str, int, bool, type(None)})


def _plain_numbers(value: Any) -> Any:
    """Floats that are whole numbers as ints: canonical JSON writes 50.0 as 50."""
    kind = value.__class__
    if kind is float:
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if kind is dict:
        if all(v.__class__ in _SCALARS for v in value.values()):
            return value
        return {k: _plain_numbers(v) for k, v in value.items()}
    if kind is list:
        if all(v.__class__ in _SCALARS for v in value):
            return value
        return [_plain_numbers(v) for v in value]
    return value


def _digest(values: list[Any]) -> bytes:
    try:
        data = orjson.dumps(values, option=_SORTED)
    except TypeError:
        data = repr(values).encode()
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class _Table:
    """What the log says one table's rows hold, by id."""

    coverage: Coverage
    mapper: Mapper[Any]
    position: array[int] = field(default_factory=lambda: array("q"))
    shape: array[int] = field(default_factory=lambda: array("H"))
    moved: array[int] = field(default_factory=lambda: array("q"))
    digests: bytearray = field(default_factory=bytearray)
    other: dict[Any, tuple[int, int, int, bytes]] = field(default_factory=dict)

    def _grow(self, key: int) -> None:
        missing = key + 1 - len(self.position)
        if missing > 0:
            missing = max(missing, len(self.position) // 2, 1024)
            self.position.extend([-1] * missing)
            self.shape.extend([0] * missing)
            self.moved.extend([_UNSET] * missing)
            self.digests.extend(bytes(16 * missing))

    def put(self, key: int | str, position: int, shape: int, moved: int, digest: bytes) -> None:
        if isinstance(key, int) and key < _MAX_ARRAY_ID:
            self._grow(key)
            self.position[key], self.shape[key], self.moved[key] = position, shape, moved
            self.digests[16 * key : 16 * key + 16] = digest
        else:
            self.other[key] = (position, shape, moved, digest)

    def get(self, key: int | str) -> tuple[int, int, int, bytes] | None:
        if isinstance(key, int) and key < _MAX_ARRAY_ID:
            if key >= len(self.position) or self.position[key] < 0:
                return None
            return (self.position[key], self.shape[key], self.moved[key],
                    bytes(self.digests[16 * key : 16 * key + 16]))
        return self.other.get(key)

    def set_moved(self, key: int | str, value: int) -> None:
        found = self.get(key)
        if found is not None:
            self.put(key, found[0], found[1], value, found[3])

    def ids(self) -> Iterator[int | str]:
        for key, position in enumerate(self.position):
            if position >= 0:
                yield key
        yield from self.other


class RecordedStates:
    """Fed every entry in log order, then compares the tables' rows with it."""

    def __init__(self) -> None:
        self.tables: dict[str, _Table] = {}
        for name, coverage in COVERED.items():
            mapper: Mapper[Any] = coverage.model.__mapper__  # type: ignore[attr-defined]
            self.tables[name] = _Table(coverage, mapper)
        self.shapes: list[tuple[str, ...]] = []
        self._shape_ids: dict[tuple[tuple[str, ...], str], tuple[int, tuple[str, ...]]] = {}
        #: Persons merged into another, by that other: for merges of merges.
        self.merged_into: dict[int, set[int]] = {}
        #: Entity types recorded in the log whose rows are not compared, with counts.
        self.unchecked: dict[str, int] = {}
        #: Rows compared, by table (filled by `compare`).
        self.rows_checked: dict[str, int] = {}

    def _shape(self, name: str, table: _Table, keys: tuple[str, ...]) -> tuple[int, tuple[str,
                                                                                       ...]]:
        found = self._shape_ids.get((keys, name))
        if found is None:
            skip = table.coverage.volatile | {table.coverage.moved}
            compared = tuple(k for k in keys if k not in skip)
            found = (len(self.shapes), compared)
            self.shapes.append(compared)
            self._shape_ids[(keys, name)] = found
        return found

    def values(self, compared: tuple[str, ...], state: dict[str, Any]) -> bytes:
        scalars = _SCALARS
        values = [state.get(k) for k in compared]
        return _digest([v if v.__class__ in scalars else _plain_numbers(v) for v in values])

    def add(self, position: int, entity_type: str, entity_id: str, action: str,
            diff: Any, state: Any) -> None:
        if action in NOT_ROW_STATES:
            self.unchecked[entity_type] = self.unchecked.get(entity_type, 0) + 1
            return
        for name, key, sub in split_states(entity_type, entity_id, action, state):
            table = self.tables.get(name)
            if table is None:
                self.unchecked[name] = self.unchecked.get(name, 0) + 1
                continue
            shape, compared = self._shape(name, table, tuple(sub))
            moved_field = table.coverage.moved
            moved = _UNSET
            if moved_field is not None:
                value = sub.get(moved_field)
                moved = _NULL if value is None else int(value)
                if name == "person":
                    self._track_merge(key, table.get(key), moved)
            table.put(key, position, shape, moved, self.values(compared, sub))
        if action in MOVING_ACTIONS and isinstance(diff, dict):
            self._apply_moves(entity_key(entity_id), action, diff)

    def _track_merge(self, person: int | str, before: tuple[int, int, int, bytes] | None,
                     into: int) -> None:
        if before is not None and before[2] >= 0:
            self.merged_into.get(before[2], set()).discard(person)  # type: ignore[arg-type]
        if into >= 0 and isinstance(person, int):
            self.merged_into.setdefault(into, set()).add(person)

    def _apply_moves(self, person: int | str, action: str, diff: dict[str, Any]) -> None:
        target = int(diff.get("split_into") or person)
        for record in diff.get("records") or []:
            self.tables["source_record"].set_moved(entity_key(record), target)
        for event in diff.get("events") or []:
            self.tables["event"].set_moved(entity_key(event), target)
        if action == _MERGED:
            persons = self.tables["person"]
            for absorbed in diff.get("merged_persons") or []:
                for earlier in list(self.merged_into.pop(int(absorbed), ())):
                    found = persons.get(earlier)
                    persons.set_moved(earlier, target)
                    self._track_merge(earlier, found, target)

    def compare(self, conn: Connection, *, batch: int = 5000) -> Iterator[Mismatch]:
        """Every row of the covered tables against the latest entry about it."""
        for name, table in self.tables.items():
            yield from self._compare_table(conn, name, table, batch)

    def _compare_table(self, conn: Connection, name: str, table: _Table,
                       batch: int) -> Iterator[Mismatch]:
        reader = _RowReader.of(table)
        id_at = reader.id_at
        moved_at = reader.index.get(table.coverage.moved or "")
        plans: dict[int, list[tuple[int, str]]] = {}
        seen = bytearray(len(table.position))
        seen_other: set[int | str] = set()
        count = 0
        id_column = table.mapper.primary_key[0]
        query = select(*reader.columns).order_by(id_column)
        for row in stream_rows(conn, query, batch):
            key = entity_key(row[id_at])
            if isinstance(key, int) and key < len(seen):
                seen[key] = 1
            else:
                seen_other.add(key)
            count += 1
            expected = table.get(key)
            if expected is None:
                yield Mismatch(name, key, None,
                               "the row has no change entry (added behind the log)")
                continue
            position, shape, moved_value, digest = expected
            plan = plans.get(shape)
            if plan is None:
                plan = plans[shape] = reader.plan(self.shapes[shape])
            differs = _digest([
                row[i] if kind is _PLAIN else _stored_value(row[i], kind) for i, kind in plan
            ]) != digest
            if moved_at is not None and moved_value != _UNSET:
                current = row[moved_at]
                differs = differs or moved_value != (_NULL if current is None else int(current))
            if differs:
                yield Mismatch(name, key, position, "the row differs from its latest change entry")
        self.rows_checked[name] = count
        for key in table.ids():
            done = seen[key] if isinstance(key, int) and key < len(seen) else key in seen_other
            if not done:
                found = table.get(key)
                yield Mismatch(name, key, found[0] if found else None,
                               "the row is gone (deleted behind the log)")

    def recorded_fields(self, entity_type: str, state: dict[str, Any]) -> tuple[str, ...]:
        """The fields of a recorded state that the comparison covers."""
        table = self.tables[entity_type]
        return self._shape(entity_type, table, tuple(state))[1] + (
            (table.coverage.moved,) if table.coverage.moved in state else ())

    def current_state(self, conn: Connection, entity_type: str,
                      key: int | str) -> dict[str, Any] | None:
        """A row's state as `services.changes.entity_state` gives it."""
        table = self.tables[entity_type]
        reader = _RowReader.of(table)
        row = conn.execute(select(*reader.columns)
                           .where(table.mapper.primary_key[0] == key)).first()
        if row is None:
            return None
        return {name: _stored_value(row[i], kind, plain_numbers=False)
                for name, (i, kind) in zip(reader.index, reader.plan(tuple(reader.index)),
                                           strict=True)}


_PLAIN = "plain"
_JSON = "json"
_VALUE = "value"
_MISSING = "missing"


def _stored_value(value: Any, kind: str, *, plain_numbers: bool = True) -> Any:
    """A column value as the change log records it (`json_value`)."""
    if value is None or kind == _PLAIN:
        return value
    if kind == _MISSING:
        return None
    if kind == _JSON:
        parsed = orjson.loads(value)
        return _plain_numbers(parsed) if plain_numbers else parsed
    value = json_value(value)
    return _plain_numbers(value) if plain_numbers else value


@dataclass(frozen=True)
class _RowReader:
    """How to read a table's rows fast: vocabulary codes and partial dates as the text
    they are stored as (their recorded form), JSON as text parsed by orjson, other values
    through the column type and `json_value`, as `entity_state` does."""

    columns: list[Any]
    index: dict[str, int]
    kinds: list[str]
    id_at: int

    @classmethod
    def of(cls, table: _Table) -> _RowReader:
        columns, index, kinds = [], {}, []
        for attr in table.mapper.column_attrs:
            column = attr.columns[0]
            if isinstance(column.type, JSON):
                columns.append(cast(column, Text))
                kinds.append(_JSON)
            elif isinstance(column.type, Enum | PartialDateType):
                columns.append(type_coerce(column, String()))
                kinds.append(_PLAIN)
            elif isinstance(column.type, String | Text | Integer) and not isinstance(
                    column.type, Boolean):
                columns.append(column)
                kinds.append(_PLAIN)
            else:
                columns.append(column)
                kinds.append(_VALUE)
            index[attr.key] = len(index)
        id_at = index[table.mapper.get_property_by_column(table.mapper.primary_key[0]).key]
        return cls(columns, index, kinds, id_at)

    def plan(self, keys: tuple[str, ...]) -> list[tuple[int, str]]:
        """(column index, kind) of each field, in order; a field the table lacks reads as
        null (so a recorded field that is no column is a mismatch)."""
        return [(self.index[k], self.kinds[self.index[k]]) if k in self.index else (0, _MISSING)
                for k in keys]
