"""The indicator tests read one hand-built world (indicators_world.py), built once per
module and backend: the tests only read it, and building it through the services takes
seconds. The page tests use the shared web fixtures (tests/webtest_support.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from indicators_world import World, build_world
from sqlalchemy import text

from rollcall.config import get_settings
from rollcall.db import Database, open_database
from rollcall.models import Base
from rollcall.services.actor import local_operator
from webtest_support import app_client, users  # noqa: F401  (fixtures)


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, World]]:
    """(database, world). Module-scoped, so no test of a module using it may take the
    `db` fixture (which empties PostgreSQL)."""
    folder = tmp_path_factory.mktemp("indicators")
    with pytest.MonkeyPatch.context() as patch:  # as tests/conftest.py does for each test
        patch.chdir(folder)
        patch.setenv("ROLLCALL_DATABASE_URL", f"sqlite:///{folder / 'default.db'}")
        patch.delenv("ROLLCALL_MASTER_KEY", raising=False)
        get_settings.cache_clear()
        if request.param == "sqlite":
            path = folder / "registry.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            db = open_database(f"sqlite:///{path}")
        else:
            db = open_database(request.getfixturevalue("postgres_ready"))
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with db.engine.begin() as conn:  # emptied as the `db` fixture empties it
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        built = build_world(db, local_operator("test-operator"), Path(folder))
        get_settings.cache_clear()
    yield db, built
    db.dispose()
