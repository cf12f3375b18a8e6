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

- an `evidence:linked` entry (about an evidence item) also holds, in its custody
  details, the link it made: the `evidence_link` row (its id, the item, the record
  linked, and the entry's actor as `linked_by`).

Covered tables and the fields left out (written without an entry by design):
    source, source_record, person, event, site, access_period: every field recorded;
    user: not last_login_at, failed_logins, locked_until (a successful login resets
        them, recording the login on its token); never password_hash (not recorded);
    token: not revoked_at (a password change revokes all of a user's tokens in one
        statement, listing them in the user's entry), last_seen_at (every page view);
        never token_sha256, csrf_token.
    visit, testimony, act, custody_period, incident, incident_source, exchange,
    prosecution, family_contact, tracing_request: the fields their entries record (extra
    keys an entry adds, such as a visit's `person_ids` or an incident's `change`, are
    not columns).
    evidence (the items' catalogue): every field but received_at (the entry's own time);
    evidence_link: not linked_at (likewise).
Sealed fields (`Coverage.sealed`: a source record's person to inform, a testimony's
narrative and witness, `security.fields`) are recorded only as whether they are given
(`person_to_inform_given`, `narrative_sha256`, `witness_linked`; entries written before
sealing hold the contact itself), so the row is compared on that: a sealed value removed
or put where none was is named. Its content cannot be compared without the key; an edited
ciphertext does not decrypt, and a value moved from another row neither (it is bound to
its row).
Entries whose state is not their entity's row (`NOT_ROW_STATES`: a read of a sealed
field, persons attached to an exchange) and entries about other entity types (link
decisions, linkage runs, field keys) are in the log and checked as entries, but no row is
compared with them here.

Memory: for each covered table, arrays indexed by id hold the latest entry's position, its
shape and a 128-bit digest of its recorded fields (~35 bytes a row), not the states.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator, Mapping
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
    EvidenceItem,
    EvidenceLink,
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
    TracingRequest,
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
    #: Recorded field -> sealed column: compared on whether a value is given.
    sealed: Mapping[str, str] = field(default_factory=dict)


COVERED: dict[str, Coverage] = {
    "source": Coverage(Source),
    "source_record": Coverage(SourceRecord, moved="person_id", sealed={
        "person_to_inform": "person_to_inform", "person_to_inform_given": "person_to_inform"}),
    "person": Coverage(Person, moved="merged_into_id"),
    "event": Coverage(Event, moved="person_id"),
    "site": Coverage(Site),
    "access_period": Coverage(AccessPeriod),
    "user": Coverage(User, frozenset({"last_login_at", "failed_logins", "locked_until"})),
    "token": Coverage(AuthToken, frozenset({"revoked_at", "last_seen_at"})),
    "visit": Coverage(Visit, frozenset({"person_ids"})),
    "testimony": Coverage(Testimony, sealed={"narrative_sha256": "narrative",
                                             "witness_linked": "witness"}),
    "act": Coverage(Act),
    "custody_period": Coverage(CustodyPeriod),
    "incident": Coverage(Incident, frozenset({"person_ids", "person_ids_added",
                                              "person_id_unlinked", "reason", "change"})),
    "incident_source": Coverage(IncidentSource),
    "exchange": Coverage(Exchange),
    "prosecution": Coverage(Prosecution, frozenset({"concerns"})),
    "family_contact": Coverage(FamilyContact),
    "tracing_request": Coverage(TracingRequest),
    "evidence": Coverage(EvidenceItem, frozenset({"custody"})),
    "evidence_link": Coverage(EvidenceLink),
}

_IMPORTED = "record:imported"
_LINKED = "evidence:linked"
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


def split_states(entity_type: str, entity_id: str, action: str, state: Any,
                 actor: str | None = None) -> Iterator[tuple[str, int | str, dict[str, Any]]]:
    """The (entity type, id, state) an entry records (an evidence link's `linked_by` only
    when the entry's `actor` is given)."""
    if action == _IMPORTED and isinstance(state, dict) and "record" in state:
        yield "source_record", entity_key(entity_id), state["record"]
        yield "person", entity_key(state["person"]["id"]), state["person"]
        for event in state.get("events") or []:
            yield "event", entity_key(event["id"]), event
    elif isinstance(state, dict):
        yield entity_type, entity_key(entity_id), state
        made = (state.get("custody") or {}).get("link") if action == _LINKED else None
        if isinstance(made, dict) and "link_id" in made:
            link = {"id": made["link_id"], "item_id": entity_key(entity_id),
                    "entity_type": made.get("entity_type"), "entity_id": made.get("entity_id")}
            if actor is not None:
                link["linked_by"] = actor
            yield "evidence_link", entity_key(made["link_id"]), link


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
            diff: Any, state: Any, actor: str | None = None) -> None:
        if action in NOT_ROW_STATES:
            self.unchecked[entity_type] = self.unchecked.get(entity_type, 0) + 1
            return
        for name, key, sub in split_states(entity_type, entity_id, action, state, actor):
            table = self.tables.get(name)
            if table is None:
                self.unchecked[name] = self.unchecked.get(name, 0) + 1
                continue
            sub = _given_sealed(table.coverage, sub)
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

    def differing_fields(self, conn: Connection, entity_type: str, key: int | str,
                         state: dict[str, Any]) -> list[str] | None:
        """The recorded fields of `state` that the row does not hold (names only); None
        when the row is gone."""
        current = self.current_state(conn, entity_type, key)
        if current is None:
            return None
        table = self.tables[entity_type]
        sealed = table.coverage.sealed
        state = _given_sealed(table.coverage, state)
        fields = self._shape(entity_type, table, tuple(state))[1] + (
            (table.coverage.moved,) if table.coverage.moved in state else ())
        return [f for f in fields if state.get(f) != (
            _given(current.get(sealed[f])) if f in sealed else current.get(f))]

    def current_state(self, conn: Connection, entity_type: str,
                      key: int | str) -> dict[str, Any] | None:
        """A row's state as `services.changes.entity_state` gives it."""
        table = self.tables[entity_type]
        reader = _RowReader.of(table)
        row = conn.execute(select(*reader.columns)
                           .where(table.mapper.primary_key[0] == key)).first()
        if row is None:
            return None
        columns = tuple(reader.index)
        return {name: _stored_value(row[i], kind, plain_numbers=False) for name, (i, kind)
                in zip(columns, reader.plan(columns, sealed=False), strict=True)}


def _given(value: Any) -> bool:
    return value is not None and value is not False and value != ""


def _given_sealed(coverage: Coverage, state: dict[str, Any]) -> dict[str, Any]:
    """The state with its sealed fields as whether they are given (see the docstring)."""
    if not coverage.sealed or not any(k in state for k in coverage.sealed):
        return state
    return {k: _given(v) if k in coverage.sealed else v for k, v in state.items()}


_PLAIN = "plain"
_JSON = "json"
_VALUE = "value"
_MISSING = "missing"
_GIVEN = "given"


def _stored_value(value: Any, kind: str, *, plain_numbers: bool = True) -> Any:
    """A column value as the change log records it (`json_value`); a sealed column as
    whether it holds a value."""
    if kind == _GIVEN:
        return _given(value)
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
    sealed: Mapping[str, str]

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
        return cls(columns, index, kinds, id_at, table.coverage.sealed)

    def plan(self, keys: tuple[str, ...], *, sealed: bool = True) -> list[tuple[int, str]]:
        """(column index, kind) of each field, in order; a sealed field reads as whether
        its column holds a value (unless `sealed` is False: the stored text); a field the
        table lacks reads as null (so a recorded field that is no column is a mismatch)."""
        return [(self.index[self.sealed[k]], _GIVEN) if sealed and k in self.sealed
                else (self.index[k], self.kinds[self.index[k]]) if k in self.index
                else (0, _MISSING)
                for k in keys]
