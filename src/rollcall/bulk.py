"""Bulk writes for list imports, at the driver's own speed.

A million-row import cannot afford the ORM's per-value type processing, so the import
builds each row already in its stored form (ISO text for partial dates, code text for
vocabularies, JSON text for JSON columns) and hands the rows to the driver directly:
`executemany` on SQLite, `COPY` on PostgreSQL. Ids are allocated up front, so the rows of
one batch can refer to each other without a round trip per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, text


def reserve_ids(conn: Connection, tables: Sequence[Table]) -> list[int]:
    """The first free id of each table, reserved for the caller's write transaction: ids
    from there on are the caller's until it commits.

    SQLite: the transaction already holds the database's write lock. PostgreSQL: the
    tables are locked against other writers (readers go on) until the transaction ends,
    and `sync_sequences` moves the id sequences past what was written.
    """
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    starts = []
    for table in tables:
        top = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
        starts.append(int(top) + 1)
    return starts


def sync_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """After writing explicit ids on PostgreSQL, let the id sequences continue past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) "
            f'FROM "{table.name}" HAVING max(id) IS NOT NULL'
        ))


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
