"""Building the name-key index (`trace_names`, `trace_keys`) from source records.

The index is derived data, like a search engine's index: a function of each record's
names and date of birth, rebuilt at will (`rollcall tracing reindex`). Writing it is not a
domain write, so it records no change entries. It is keyed by record, not by person, so
merging or splitting persons leaves it valid: a search maps records to their persons when
it runs.

Rows are written with the bare driver (`rollcall.bulk`): an import of a million records
files several million keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, text
from sqlalchemy.orm import Session

from rollcall.bulk import insert_rows
from rollcall.models import SourceRecord, TraceKey, TraceName
from rollcall.tracing.keys import entries, record_keys, stored_keys
from rollcall.tracing.query import unit_numbers

#: Records read and filed per round trip.
BATCH = 5000
#: Records filed at once past which PostgreSQL's statistics are refreshed.
ANALYZE_AFTER = 50_000

_NAMES = TraceName.__table__
_KEYS = TraceKey.__table__
_NAME_COLUMNS = ("record_id", "surname_key", "given_key", "patronymic_key", "alt_surname_key",
                 "alt_given_key", "birth_year", "birth_date", "unit_numbers")
_KEY_COLUMNS = ("key", "birth_year", "record_id")

RecordRow = tuple[int, str, str | None, str | None, Any, str | None]  # id, names, born, unit
_RECORD_COLUMNS = (SourceRecord.id, SourceRecord.surname, SourceRecord.given_name,
                   SourceRecord.patronymic, SourceRecord.birth_date, SourceRecord.unit)
#: Room for the unit numbers of any real unit name.
_UNIT_CHARS = 100


def _none(value: str) -> str | None:
    return value or None


def file_records(conn: Connection, rows: Iterable[RecordRow]) -> int:
    """Index these records (not indexed yet); returns how many."""
    names: list[tuple[Any, ...]] = []
    keys: list[tuple[Any, ...]] = []
    for record_id, surname, given, patronymic, birth_date, unit in rows:
        found = record_keys(surname, given, patronymic)
        born = str(birth_date) if birth_date is not None else None  # ISO text
        year = int(born[:4]) if born else 0
        numbers = " ".join(sorted(unit_numbers(unit)))[:_UNIT_CHARS] or None
        names.append((record_id, found.surname, _none(found.given), _none(found.patronymic),
                      _none(found.alt_surname), _none(found.alt_given), year, born, numbers))
        keys.extend((key, year, record_id) for key in entries(found))
    keys.sort()  # B-tree inserts in key order touch each page once
    insert_rows(conn, _NAMES, _NAME_COLUMNS, names)
    insert_rows(conn, _KEYS, _KEY_COLUMNS, keys)
    return len(names)


def refresh_index(session: Session, *, source_id: int | None = None) -> int:
    """Index every record not indexed yet (only `source_id`'s, if given), in the caller's
    transaction; returns how many were indexed. Imports call it for their source;
    cheap when nothing is missing."""
    conn = session.connection()
    missing = (
        select(*_RECORD_COLUMNS)
        .outerjoin(TraceName, TraceName.record_id == SourceRecord.id)
        .where(TraceName.record_id.is_(None))
        .order_by(SourceRecord.id)
        .limit(BATCH)
    )
    if source_id is not None:
        missing = missing.where(SourceRecord.source_id == source_id)
    done = 0
    last = 0
    while True:
        rows = conn.execute(missing.where(SourceRecord.id > last)).all()
        if not rows:
            break
        done += file_records(conn, [tuple(r) for r in rows])
        last = rows[-1][0]
    if done >= ANALYZE_AFTER:
        _analyze(conn)
    return done


def _analyze(conn: Connection) -> None:
    """PostgreSQL plans the lookups by the tables' statistics: after a large filing, gather
    them now rather than when autovacuum comes by (until then a lookup may scan)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f'ANALYZE "{_KEYS.name}", "{_NAMES.name}"'))


def reindex_records(session: Session, record_ids: Sequence[int]) -> int:
    """File records again after their names or date of birth changed (a correction)."""
    conn = session.connection()
    for start in range(0, len(record_ids), BATCH):
        chunk = list(record_ids[start:start + BATCH])
        filed = conn.execute(select(TraceName).where(TraceName.record_id.in_(chunk))).all()
        old = [{"key": key, "year": row.birth_year, "record": row.record_id}
               for row in filed for key in entries(stored_keys(row))]
        if old:
            conn.execute(delete(TraceKey).where(
                TraceKey.key == bindparam("key"), TraceKey.birth_year == bindparam("year"),
                TraceKey.record_id == bindparam("record")), old)
        conn.execute(delete(TraceName).where(TraceName.record_id.in_(chunk)))
    done = 0
    for start in range(0, len(record_ids), BATCH):
        chunk = list(record_ids[start:start + BATCH])
        rows = conn.execute(select(*_RECORD_COLUMNS).where(SourceRecord.id.in_(chunk))).all()
        done += file_records(conn, [tuple(r) for r in rows])
    return done


def rebuild_index(session: Session) -> int:
    """Drop the whole index and file every record again (after the name keys changed)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text(f'TRUNCATE "{_KEYS.name}", "{_NAMES.name}"'))
    else:
        conn.execute(delete(TraceKey))
        conn.execute(delete(TraceName))
    return refresh_index(session)
