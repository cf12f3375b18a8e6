"""Merging many persons at once, for a linkage run: a full run over a million records may
merge ~400,000 persons into ~300,000 survivors, which the ORM, object by object, cannot
do in reasonable time.

The plan (who merges into whom) goes into two temporary tables; records, events and merged
persons move with one UPDATE ... FROM each. Survivors' profiles and statuses are then
re-chosen by the same rules as a merge by hand (`person_profile`), survivors taken in
ranges of ids: per range three reads through the driver (the persons, their records, their
events), each ordered by person so that one pass groups them, and one bulk write of the new
profiles into a temporary table, from which one UPDATE sets them all. Change entries are
written in bulk like an import's (`bulk.insert_rows`): one per survivor, one per person
merged away, with the same state a merge by hand records. A merged-away person's state is
its row as read before the merge with the two columns the merge sets, so it is not read
again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, bindparam, text
from sqlalchemy.orm import Session

from rollcall.bulk import insert_rows
from rollcall.dates import PartialDate
from rollcall.models import Change, Person
from rollcall.models.base import UTCDateTime, utcnow
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, canonical_json_prepared, diff_states, json_value
from rollcall.services.import_rows import CHANGE_COLUMNS
from rollcall.services.person_profile import RecordFacts, profile_of, status_of

#: Survivors re-chosen per range (three reads and one write each).
CHUNK = 20_000
#: Change entries per bulk write.
WRITE_BATCH = 5_000

_temp = MetaData()
MERGE_MAP = Table("link_merge_map", _temp, Column("person_id", Integer, primary_key=True),
                  Column("survivor_id", Integer, nullable=False))
SURVIVORS = Table("link_survivors", _temp, Column("id", Integer, primary_key=True))
PROFILE_COLUMNS = ("id", "surname", "given_name", "patronymic", "name_script", "sex",
                   "birth_date", "category", "custody_status", "legal_status", "status_as_of",
                   "search_key")
PROFILES = Table("link_profiles", _temp, Column("id", Integer, primary_key=True),
                 *(Column(name, Text) for name in PROFILE_COLUMNS[1:]))
_CHANGES = Change.__table__

#: The persons table's columns, as the change log's state holds them; read as stored
#: (partial dates as ISO prefixes, vocabularies as codes: already their JSON form), the
#: timestamps converted by `_stamp`.
PERSON_KEYS = tuple(c.key for c in Person.__table__.columns)
_STAMP_KEYS = tuple(c.key for c in Person.__table__.columns if isinstance(c.type, UTCDateTime))
_PERSON_SQL = ", ".join(f'p."{c.name}"' for c in Person.__table__.columns)


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


def _read(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the driver (no type processing: values as stored). `?` marks
    parameters on both databases."""
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, tuple(params))
        while rows := cursor.fetchmany(20_000):
            yield from rows
    finally:
        cursor.close()


@lru_cache(maxsize=4096)
def _stamp(value: dt.datetime | str | None) -> str | None:
    """A stored timestamp as the change log records it (SQLite returns the stored text,
    PostgreSQL a datetime)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return json_value(value)


def _state(row: Sequence[Any]) -> dict[str, Any]:
    state = dict(zip(PERSON_KEYS, row, strict=True))
    for key in _STAMP_KEYS:
        state[key] = _stamp(state[key])
    return state


@lru_cache(maxsize=65536)
def _partial_date(iso: str | None) -> PartialDate | None:
    return PartialDate.fromisoformat(iso) if iso else None


class _ChangeWriter:
    """Change entries in stored form, written in batches."""

    def __init__(self, conn: Connection, actor: Actor, action: Action, now: dt.datetime) -> None:
        self.conn = conn
        sqlite = conn.dialect.name == "sqlite"
        at: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
        self.head = (at, actor.username, actor.via, action.value, "person")
        self.rows: list[tuple[Any, ...]] = []

    def add(self, entity_id: int, state: dict[str, Any], diff: dict[str, Any]) -> None:
        self.rows.append((*self.head, str(entity_id), orjson.dumps(diff).decode(),
                          canonical_json_prepared(state)))
        if len(self.rows) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        insert_rows(self.conn, _CHANGES, CHANGE_COLUMNS, self.rows)
        self.rows = []


def _moved(conn: Connection, table: str) -> dict[int, list[int]]:
    """survivor id -> ids (records or events) that will move to it, in id order."""
    moved: dict[int, list[int]] = defaultdict(list)
    for survivor, item in _read(conn, (
            f'SELECT m.survivor_id, x.id FROM link_merge_map m JOIN "{table}" x '
            f"ON x.person_id = m.person_id ORDER BY m.survivor_id, x.id")):
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
    survivors = sorted(survivor for survivor, _ in plan)
    members_of = {survivor: members for survivor, members in plan}
    into = {pid: survivor for survivor, members in plan for pid in members if pid != survivor}
    _create_temp(conn, MERGE_MAP)
    _create_temp(conn, SURVIVORS)
    insert_rows(conn, MERGE_MAP, ("person_id", "survivor_id"), sorted(into.items()))
    insert_rows(conn, SURVIVORS, ("id",), [(s,) for s in survivors])
    if conn.dialect.name == "postgresql":  # temporary tables get no statistics
        conn.execute(text("ANALYZE link_merge_map"))
        conn.execute(text("ANALYZE link_survivors"))
    moved_records = _moved(conn, "source_records")
    moved_events = _moved(conn, "events")
    absorbed = [_state(row) for row in _read(conn, (
        f"SELECT {_PERSON_SQL} FROM link_merge_map m JOIN persons p ON p.id = m.person_id "
        "ORDER BY p.id"))]

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

    changes = _ChangeWriter(conn, actor, Action.PERSON_MERGED, now)
    _create_temp(conn, PROFILES)
    for start in range(0, len(survivors), CHUNK):
        chunk = survivors[start:start + CHUNK]
        profiles = []
        for pid, before, after in _recompute(conn, chunk[0], chunk[-1], now):
            profiles.append(tuple(after[c] for c in PROFILE_COLUMNS))
            changes.add(pid, after, {
                **diff_states(before, after),
                "merged_persons": [m for m in members_of[pid] if m != pid],
                "records": moved_records.pop(pid, []), "events": moved_events.pop(pid, []),
                "run": run_id,
            })
        insert_rows(conn, PROFILES, PROFILE_COLUMNS, profiles)
    changes.flush()
    assignments = ", ".join(f'"{c}" = u."{c}"' for c in PROFILE_COLUMNS[1:])
    conn.execute(text(
        f"UPDATE persons SET {assignments}, updated_at = :now FROM link_profiles AS u "
        "WHERE persons.id = u.id").bindparams(stamp))
    _drop_temp(conn, PROFILES)

    updated = _stamp(now)
    for state in absorbed:
        survivor = into[state["id"]]
        state["merged_into_id"] = survivor
        state["updated_at"] = updated
        changes.add(state["id"], state, {"merged_into_id": [None, survivor], "run": run_id})
    changes.flush()
    _drop_temp(conn, SURVIVORS)
    _drop_temp(conn, MERGE_MAP)
    session.expire_all()
    return BulkMergeResult(len(plan), len(absorbed))


_FACTS_SQL = (
    "SELECT r.person_id, r.id, src.origin, r.surname, r.given_name, r.patronymic, "
    "r.name_script, r.sex, r.birth_date, r.category FROM link_survivors v "
    "JOIN source_records r ON r.person_id = v.id JOIN sources src ON src.id = r.source_id "
    "WHERE v.id BETWEEN ? AND ? ORDER BY r.person_id, r.id")
_EVENTS_SQL = (
    "SELECT e.person_id, e.type, e.date FROM link_survivors v "
    "JOIN events e ON e.person_id = v.id WHERE v.id BETWEEN ? AND ? "
    "ORDER BY e.person_id, e.id")
_SURVIVORS_SQL = (
    f"SELECT {_PERSON_SQL} FROM link_survivors v JOIN persons p ON p.id = v.id "
    "WHERE v.id BETWEEN ? AND ? ORDER BY p.id")


def _by_person(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """(person id, its rows) from rows ordered by person id (the first column)."""
    current, bunch = None, []
    for row in rows:
        if row[0] != current:
            if bunch:
                yield current, bunch  # type: ignore[misc]
            current, bunch = row[0], []
        bunch.append(row)
    if bunch:
        yield current, bunch  # type: ignore[misc]


def _recompute(conn: Connection, low: int, high: int, now: dt.datetime
               ) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(person id, state before, state after) for the survivors with ids in [low, high],
    profile and status re-chosen from the records and events they hold now."""
    facts = dict(_by_person(_read(conn, _FACTS_SQL, (low, high))))
    events = dict(_by_person(_read(conn, _EVENTS_SQL, (low, high))))
    stamp = _stamp(now)
    for row in _read(conn, _SURVIVORS_SQL, (low, high)):
        before = _state(row)
        pid = before["id"]
        records = [RecordFacts(*r[1:]) for r in facts.get(pid, ())]
        profile = profile_of(records)
        status = status_of(((kind, _partial_date(date)) for _, kind, date in events.get(pid, ())),
                           records)
        after = dict(before)
        after.update({
            "surname": profile.surname, "given_name": profile.given_name,
            "patronymic": profile.patronymic, "name_script": json_value(profile.name_script),
            "sex": profile.sex, "birth_date": json_value(profile.birth_date),
            "category": json_value(profile.category), "search_key": profile.search_key,
            "custody_status": json_value(status.custody),
            "legal_status": json_value(status.legal),
            "status_as_of": json_value(status.as_of), "updated_at": stamp,
        })
        yield pid, before, after


__all__ = ["BulkMergeResult", "merge_groups"]
