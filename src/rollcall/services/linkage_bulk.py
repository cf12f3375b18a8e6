"""Merging many persons at once, for a linkage run: a full run over a million records may
merge ~450,000 persons, which the ORM, object by object, cannot do in reasonable time.

The plan (who merges into whom) goes into a temporary table; records, events and merged
persons move with one UPDATE ... FROM each; survivors' profiles and statuses are recomputed
chunk by chunk in Python (`person_profile`, the same rules as a merge by hand) and written
back through a second temporary table. Change entries are written in bulk like an import's
(`bulk.insert_rows`): one per survivor, one per person merged away, with the same state a
merge by hand records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Enum,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from rollcall.bulk import insert_rows
from rollcall.dates import PartialDate
from rollcall.models import Change, Event, Person, Source, SourceRecord
from rollcall.models.base import PartialDateType, UTCDateTime, utcnow
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, canonical_json_prepared, diff_states, json_value
from rollcall.services.import_rows import CHANGE_COLUMNS
from rollcall.services.person_profile import RecordFacts, profile_of, status_of

#: Survivors recomputed per round trip.
CHUNK = 2000

_temp = MetaData()
MERGE_MAP = Table("link_merge_map", _temp, Column("person_id", Integer, primary_key=True),
                  Column("survivor_id", Integer, nullable=False))
PROFILE_COLUMNS = ("id", "surname", "given_name", "patronymic", "name_script", "sex",
                   "birth_date", "category", "custody_status", "legal_status", "status_as_of",
                   "search_key")
PROFILES = Table("link_profiles", _temp, Column("id", Integer, primary_key=True),
                 *(Column(name, Text) for name in PROFILE_COLUMNS[1:]))
_CHANGES = Change.__table__


@dataclass(frozen=True)
class BulkMergeResult:
    clusters: int  # groups of two or more persons made one
    persons_merged: int  # persons merged away


def _create_temp(conn: Connection, table: Table) -> None:
    columns = ", ".join(
        f'"{c.name}" {"INTEGER" if isinstance(c.type, Integer) else "TEXT"}'
        + (" PRIMARY KEY" if c.primary_key else "")
        for c in table.columns
    )
    on_commit = " ON COMMIT DROP" if conn.dialect.name == "postgresql" else ""
    conn.execute(text(f'CREATE TEMPORARY TABLE "{table.name}" ({columns}){on_commit}'))


def _drop_temp(conn: Connection, table: Table) -> None:
    conn.execute(text(f'DROP TABLE "{table.name}"'))


def _chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _ChangeWriter:
    """Change entries in stored form, written in batches."""

    def __init__(self, conn: Connection, actor: Actor, action: Action, now: dt.datetime) -> None:
        self.conn = conn
        self.actor = actor
        self.action = action.value
        sqlite = conn.dialect.name == "sqlite"
        self.at: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
        self.rows: list[tuple[Any, ...]] = []

    def add(self, entity_id: int, state: dict[str, Any], diff: dict[str, Any]) -> None:
        self.rows.append((self.at, self.actor.username, self.actor.via, self.action, "person",
                          str(entity_id), orjson.dumps(diff).decode(),
                          canonical_json_prepared(state)))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        insert_rows(self.conn, _CHANGES, CHANGE_COLUMNS, self.rows)
        self.rows = []


def _stored(column: Any) -> Any:
    """A column read as stored, without type processing, where the stored text is already
    what the change log records: partial dates (ISO prefixes) and vocabulary codes."""
    if isinstance(column.type, PartialDateType | Enum):
        return type_coerce(column, String).label(column.key)
    return column


_PERSON_COLUMNS = [_stored(c) for c in Person.__table__.columns]


@lru_cache(maxsize=65536)
def _partial_date(iso: str | None) -> PartialDate | None:
    return PartialDate.fromisoformat(iso) if iso else None


_DATETIME_KEYS = tuple(c.key for c in Person.__table__.columns
                       if isinstance(c.type, UTCDateTime))


def _person_states(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Persons' column values as the change log records them (`entity_state`). Read as
    stored, every value but the timestamps is already in that form."""
    states = {}
    result = conn.execute(select(*_PERSON_COLUMNS).where(Person.id.in_(ids)))
    keys = list(result.keys())
    for row in result.all():
        state = dict(zip(keys, row, strict=True))
        for key in _DATETIME_KEYS:
            state[key] = json_value(state[key])
        states[state["id"]] = state
    return states


def _moved(conn: Connection, column: Any, person_col: Any) -> dict[int, list[int]]:
    """survivor id -> ids (records or events) that will move to it."""
    result = conn.execute(
        select(column, MERGE_MAP.c.survivor_id)
        .join(MERGE_MAP, person_col == MERGE_MAP.c.person_id)
        .order_by(column).execution_options(yield_per=20_000)
    )
    moved: dict[int, list[int]] = defaultdict(list)
    for part in result.partitions():
        for item, survivor in part:
            moved[survivor].append(item)
    return moved


def merge_groups(session: Session, actor: Actor, groups: Sequence[Sequence[int]], *,
                 run_id: int | None = None) -> BulkMergeResult:
    """Merge each group of live person ids into its lowest id, in the caller's
    transaction. The caller has made sure the ids are live (not merged) persons and that
    no id is in two groups."""
    plan = [(min(group), sorted(set(group))) for group in groups if len(set(group)) > 1]
    if not plan:
        return BulkMergeResult(0, 0)
    session.flush()
    conn = session.connection()
    now = utcnow()
    _create_temp(conn, MERGE_MAP)
    insert_rows(conn, MERGE_MAP, ("person_id", "survivor_id"),
                [(pid, survivor) for survivor, members in plan for pid in members
                 if pid != survivor])
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE link_merge_map"))  # temporary tables get no statistics
    moved_records = _moved(conn, SourceRecord.id, SourceRecord.person_id)
    moved_events = _moved(conn, Event.id, Event.person_id)

    for table in ("source_records", "events"):
        conn.execute(text(
            f'UPDATE "{table}" SET person_id = m.survivor_id FROM link_merge_map AS m '
            f'WHERE "{table}".person_id = m.person_id'))
    stamp = bindparam("now", now, type_=UTCDateTime())
    conn.execute(text(
        "UPDATE persons SET merged_into_id = m.survivor_id FROM link_merge_map AS m "
        "WHERE persons.merged_into_id = m.person_id"))
    conn.execute(text(
        "UPDATE persons SET merged_into_id = m.survivor_id, updated_at = :now "
        "FROM link_merge_map AS m WHERE persons.id = m.person_id").bindparams(stamp))

    survivors = [survivor for survivor, _ in plan]
    members_of = {survivor: members for survivor, members in plan}
    survivor_changes = _ChangeWriter(conn, actor, Action.PERSON_MERGED, now)
    _create_temp(conn, PROFILES)
    for chunk in _chunks(survivors):
        rows = _recompute(conn, chunk, now)
        insert_rows(conn, PROFILES, PROFILE_COLUMNS,
                    [tuple(after[c] for c in PROFILE_COLUMNS) for _, after in rows.values()])
        for pid, (before, after) in rows.items():
            survivor_changes.add(pid, after, {
                **diff_states(before, after),
                "merged_persons": [m for m in members_of[pid] if m != pid],
                "records": moved_records.get(pid, []), "events": moved_events.get(pid, []),
                "run": run_id,
            })
    survivor_changes.flush()
    assignments = ", ".join(f'"{c}" = u."{c}"' for c in PROFILE_COLUMNS[1:])
    conn.execute(text(
        f"UPDATE persons SET {assignments}, updated_at = :now FROM link_profiles AS u "
        "WHERE persons.id = u.id").bindparams(stamp))
    _drop_temp(conn, PROFILES)

    absorbed_changes = _ChangeWriter(conn, actor, Action.PERSON_MERGED, now)
    absorbed = [pid for _, members in plan for pid in members if pid not in members_of]
    for chunk in _chunks(sorted(absorbed)):
        for pid, state in _person_states(conn, chunk).items():
            absorbed_changes.add(pid, state, {
                "merged_into_id": [None, state["merged_into_id"]], "run": run_id})
    absorbed_changes.flush()
    _drop_temp(conn, MERGE_MAP)
    session.expire_all()
    return BulkMergeResult(len(plan), len(absorbed))


_FACT_COLUMNS = [SourceRecord.person_id, SourceRecord.id, _stored(Source.origin),
                 SourceRecord.surname, SourceRecord.given_name, SourceRecord.patronymic,
                 _stored(SourceRecord.name_script), SourceRecord.sex,
                 _stored(SourceRecord.birth_date), _stored(SourceRecord.category)]


def _recompute(conn: Connection, ids: Sequence[int], now: dt.datetime
               ) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """person id -> (state before, state after) with profile and status re-chosen."""
    before = _person_states(conn, ids)
    facts: dict[int, list[RecordFacts]] = defaultdict(list)
    for row in conn.execute(select(*_FACT_COLUMNS)
                            .join(Source, SourceRecord.source_id == Source.id)
                            .where(SourceRecord.person_id.in_(ids))).all():
        facts[row[0]].append(RecordFacts(*row[1:]))
    events: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for person_id, kind, date in conn.execute(
        select(Event.person_id, _stored(Event.type), _stored(Event.date))
        .where(Event.person_id.in_(ids))
    ).all():
        events[person_id].append((kind, _partial_date(date)))
    out = {}
    stamp = json_value(now)
    for pid, state in before.items():
        profile = profile_of(facts[pid])
        status = status_of(events[pid], facts[pid])
        after = dict(state)
        after.update({
            "surname": profile.surname, "given_name": profile.given_name,
            "patronymic": profile.patronymic, "name_script": json_value(profile.name_script),
            "sex": profile.sex, "birth_date": json_value(profile.birth_date),
            "category": json_value(profile.category), "search_key": profile.search_key,
            "custody_status": json_value(status.custody),
            "legal_status": json_value(status.legal),
            "status_as_of": json_value(status.as_of), "updated_at": stamp,
        })
        out[pid] = (state, after)
    return out


__all__ = ["BulkMergeResult", "merge_groups"]
