"""The reads of a search, straight to the driver: the index ranges a query names, what
ranking needs of each candidate record, and the persons of the best records.

Building and compiling SQLAlchemy statements whose shape changes with the number of keys
costs more than these lookups themselves, so the SQL is written here, once per database:
on PostgreSQL each read is one fixed statement (keys passed as arrays, `LATERAL` for a
bounded read per key), which the driver prepares after a few uses; SQLite, which plans in
microseconds, gets a `UNION ALL` of one bounded read per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from rollcall.dates import PartialDate
from rollcall.tracing.keys import NameKeys, fallback_lookups, precise_lookups
from rollcall.tracing.query import TraceQuery
from rollcall.tracing.rank import CandidateRecord

#: Bounds on the candidates each part of the lookup brings: the precise keys with the
#: year of birth give or take one (or any year, if the query gives none), with no known
#: year, and a few with any year (a year written wrongly, for rare names); each forgiving
#: key with the exact year (or any) and with no known year.
PRECISE_CANDIDATES = 300
UNKNOWN_YEAR_CANDIDATES = 60
ANY_YEAR_CANDIDATES = 40
FALLBACK_PER_KEY = 30
FALLBACK_UNKNOWN_YEAR_PER_KEY = 8

Params = Sequence[Any] | dict[str, Any]


def _fetch(conn: Connection, sql: str, params: Params) -> list[tuple[Any, ...]]:
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, params if isinstance(params, dict) else tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


# --- the index ranges ------------------------------------------------------------------

def _pg_part(where: str, limit: str) -> str:
    return f"SELECT record_id FROM trace_keys WHERE {where} LIMIT %({limit})s"


def _pg_per_key(year_test: str, limit: str) -> str:
    return ("SELECT t.record_id FROM unnest(%(fallback)s::text[]) AS k(key) CROSS JOIN "
            "LATERAL (SELECT record_id FROM trace_keys WHERE trace_keys.key = k.key"
            f"{year_test} LIMIT %({limit})s) AS t")


def _union(parts: Sequence[str]) -> str:
    return " UNION ALL ".join(f"SELECT record_id FROM ({part}) AS p{i}"
                              for i, part in enumerate(parts))


_PG_WITH_YEAR = _union([
    _pg_part("key = ANY(%(precise)s::text[]) AND birth_year BETWEEN %(low)s AND %(high)s",
             "precise_n"),
    _pg_part("key = ANY(%(precise)s::text[]) AND birth_year = 0", "unknown_n"),
    _pg_part("key = ANY(%(precise)s::text[])", "any_n"),
    _pg_per_key(" AND birth_year = %(year)s", "fallback_n"),
    _pg_per_key(" AND birth_year = 0", "fallback_unknown_n"),
])
_PG_WITHOUT_YEAR = _union([
    _pg_part("key = ANY(%(precise)s::text[])", "precise_n"),
    _pg_per_key("", "fallback_n"),
])


def _sqlite_part(key_test: str, year_test: str) -> str:
    return f"SELECT record_id FROM trace_keys WHERE {key_test}{year_test} LIMIT ?"


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _sqlite_lookup(precise: list[str], fallback: list[str],
                   year: int | None) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if precise:
        keys = f"key IN ({_marks(len(precise))})"
        if year is None:
            parts.append(_sqlite_part(keys, ""))
            params += [*precise, PRECISE_CANDIDATES]
        else:
            parts += [_sqlite_part(keys, " AND birth_year BETWEEN ? AND ?"),
                      _sqlite_part(keys, " AND birth_year = 0"), _sqlite_part(keys, "")]
            params += [*precise, year - 1, year + 1, PRECISE_CANDIDATES,
                       *precise, UNKNOWN_YEAR_CANDIDATES, *precise, ANY_YEAR_CANDIDATES]
    for key in fallback:
        if year is None:
            parts.append(_sqlite_part("key = ?", ""))
            params += [key, FALLBACK_PER_KEY]
        else:
            parts += [_sqlite_part("key = ?", " AND birth_year = ?"),
                      _sqlite_part("key = ?", " AND birth_year = 0")]
            params += [key, year, FALLBACK_PER_KEY, key, FALLBACK_UNKNOWN_YEAR_PER_KEY]
    return _union(parts), params


def candidate_ids(conn: Connection, query: TraceQuery) -> list[int]:
    """Record ids the index files under the query's keys, in one round trip, precise
    ones first. The year of birth, when given, picks the part of each key's range to read
    (the index orders a key's entries by year, unknown first)."""
    precise = precise_lookups(query.names)
    fallback = fallback_lookups(query.names)
    if not (precise or fallback):
        return []
    year = query.birth_year
    if _postgres(conn):
        params: dict[str, Any] = {
            "precise": precise, "fallback": fallback, "precise_n": PRECISE_CANDIDATES,
            "fallback_n": FALLBACK_PER_KEY}
        if year is not None:
            params.update(low=year - 1, high=year + 1, year=year,
                          unknown_n=UNKNOWN_YEAR_CANDIDATES, any_n=ANY_YEAR_CANDIDATES,
                          fallback_unknown_n=FALLBACK_UNKNOWN_YEAR_PER_KEY)
        rows = _fetch(conn, _PG_WITHOUT_YEAR if year is None else _PG_WITH_YEAR, params)
    else:
        sql, values = _sqlite_lookup(precise, fallback, year)
        rows = _fetch(conn, sql, values)
    return list(dict.fromkeys(r[0] for r in rows))


# --- the candidates and their persons -----------------------------------------------------

def _ids_test(conn: Connection, column: str, count: int) -> str:
    return f"{column} = ANY(%s)" if _postgres(conn) else f"{column} IN ({_marks(count)})"


def _ids_params(conn: Connection, ids: Sequence[int]) -> list[Any]:
    return [list(ids)] if _postgres(conn) else list(ids)


def candidate_records(conn: Connection, ids: Sequence[int]) -> list[CandidateRecord]:
    """What ranking needs of each record, from `trace_names` alone."""
    if not ids:
        return []
    sql = ("SELECT record_id, surname_key, given_key, patronymic_key, alt_surname_key, "
           "alt_given_key, birth_date, unit_numbers FROM trace_names WHERE "
           + _ids_test(conn, "record_id", len(ids)))
    return [CandidateRecord(
        record_id, NameKeys(s, g or "", p or "", alt_s or "", alt_g or ""),
        PartialDate.fromisoformat(born) if born else None,
        frozenset(units.split()) if units else frozenset(),
    ) for record_id, s, g, p, alt_s, alt_g, born, units in _fetch(conn, sql,
                                                                 _ids_params(conn, ids))]


def names_of_persons(conn: Connection, record_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(record id, person id, surname, given name, patronymic) of every record of the
    persons these records belong to now (linkage moves records between persons)."""
    sql = ("SELECT r.id, r.person_id, r.surname, r.given_name, r.patronymic "
           "FROM source_records r WHERE r.person_id IN (SELECT person_id FROM "
           "source_records WHERE " + _ids_test(conn, "id", len(record_ids)) + ")")
    return _fetch(conn, sql, _ids_params(conn, record_ids))
