"""Test fixtures. Every database test takes the `db` fixture and so runs twice: on SQLite
and on PostgreSQL (a real server, never a mock). Each test starts from an empty, migrated
database: SQLite gets a fresh copy of a migrated file, PostgreSQL has its tables truncated.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from rollcall.config import get_settings
from rollcall.db import Database, open_database
from rollcall.models import Base
from rollcall.services.actor import Actor, local_operator

PG_URL = os.environ.get(
    "ROLLCALL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_test"
)
#: Under pytest-xdist each worker (gw0, gw1, ...) has a database of its own, since every
#: test empties the tables it uses.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads a developer's .env or writes rollcall.db into the working tree."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.delenv("ROLLCALL_MASTER_KEY", raising=False)  # each test makes its own
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


def _worker_database(url: str) -> str:
    """The worker's own database next to `url`'s, created when missing."""
    if WORKER is None:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{WORKER}"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_ready() -> str:
    url = _worker_database(PG_URL)
    db = open_database(url, migrate_schema=False)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()
    open_database(url).dispose()
    return url


def _truncate_postgres(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "registry.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("postgres_ready"))


@pytest.fixture
def db(db_url: str, backend: str) -> Iterator[Database]:
    database = open_database(db_url)
    if backend == "postgresql":
        _truncate_postgres(database)
    yield database
    database.dispose()


@pytest.fixture
def operator() -> Actor:
    return local_operator("test-operator")


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The `rollcall` command on the test's database, through Typer's runner: `cli("keys",
    "status")` gives the run's result (output, exit code, exception)."""
    from typer.testing import CliRunner

    from rollcall.cli import app

    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))
