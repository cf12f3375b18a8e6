"""Bulk writes for list imports, at the driver's own speed.

A million-row import cannot afford the ORM's per-value type processing, so the import
builds each row already in its stored form (ISO text for partial dates, code text for
vocabularies, JSON text for JSON columns) and hands the rows to the driver directly:
`executemany` on SQLite, `COPY` on PostgreSQL. Ids are allocated up front, so the rows of
one batch can refer to each other without a round trip per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, text


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys for `table`, inside the caller's write transaction.

    SQLite: the transaction already holds the database's write lock, so max(id)+1 onwards
    is free. PostgreSQL: values drawn from the column's own sequence.
    """
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                 "FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [row[0] for row in rows]
    start = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
    return list(range(start + 1, start + 1 + count))


def stored_datetime(conn: Connection, value: dt.datetime) -> Any:
    """A UTC datetime as the driver stores it (SQLAlchemy's SQLite text format)."""
    if conn.dialect.name == "postgresql":
        return value
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given in stored form, in the caller's transaction."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        copy_sql = f'COPY "{table.name}" ({names}) FROM STDIN'
        with dbapi.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = dbapi.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
    finally:
        cursor.close()
