"""Engine, sessions and the migration runner.

Every command and the app call `open_database()`: it creates the database if it does not
exist, migrates it to the code's schema, and refuses one whose schema is newer than the
code (a newer Rollcall wrote to it; running old code against it could corrupt it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rollcall.config import get_settings
from rollcall.errors import DatabaseSchemaError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 128 MiB of page cache (the default is 2 MiB): a million-row list grows indexes far
    # past the default, and every insert would then read index pages back from disk.
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


class _NoRowValues(logging.Filter):
    """SQLAlchemy's engine logger at DEBUG (someone debugging queries) writes every row a
    query returns: names, contacts. Those records are dropped; the statements stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Row ")


def _quiet_rows() -> None:
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoRowValues) for f in engine_log.filters):
        engine_log.addFilter(_NoRowValues())


def make_engine(url: str) -> Engine:
    """Statement parameters are names and dates of birth: SQLAlchemy leaves them out of its
    error messages and its log (`hide_parameters`), and never logs rows read
    (`_NoRowValues`)."""
    _quiet_rows()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def _create_postgres_database_if_missing(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        return
    try:
        create_engine(url).connect().close()
        return
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def migrate(engine: Engine) -> None:
    """Bring the schema to the code's head revision, or refuse if the database is newer."""
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    heads = set(script.get_heads())
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(424242)"))
        try:
            current = set(MigrationContext.configure(conn).get_current_heads())
            unknown = current - known
            if unknown:
                raise DatabaseSchemaError(
                    f"the database schema (revision {', '.join(sorted(unknown))}) is newer than "
                    "this version of Rollcall; upgrade Rollcall before using this database"
                )
            if not current:
                tables = set(inspect(conn).get_table_names())
                if tables - {"alembic_version"}:
                    raise DatabaseSchemaError(
                        "the database has tables but no Rollcall schema version; "
                        "it is not a Rollcall database"
                    )
            if current != heads:
                config = alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(424242)"))
                conn.commit()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    #: Seal new change entries into the transparency log after each commit.
    seal_after_commit: bool = True

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error.
        Every service call runs in one, so this is where a batch of writes ends: after
        the commit the ledger seals what it wrote (`rollcall.ledger.log`)."""
        with self.sessions.begin() as session:
            yield session
        if self.seal_after_commit:
            from rollcall.ledger.log import seal_after_commit

            seal_after_commit(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate_schema: bool = True) -> Database:
    url = url or get_settings().database_url
    _create_postgres_database_if_missing(url)
    engine = make_engine(url)
    if migrate_schema:
        migrate(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
