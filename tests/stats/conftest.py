"""The indicator tests read one hand-built world (indicators_world.py), built once per
module and backend: the tests only read it, and building it through the services takes
seconds. The world's master key (it seals the testimonies' witness links) is kept in the
world's folder and handed to every test that reads the world. The page tests use the
shared web fixtures (tests/webtest_support.py)."""

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

#: id of a world's database -> the master key file its sealed values were written under.
_MASTER_KEYS: dict[int, Path] = {}


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
        patch.setenv("ROLLCALL_MASTER_KEY_FILE", str(folder / "master.key"))
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
    _MASTER_KEYS[id(db)] = folder / "master.key"
    yield db, built
    _MASTER_KEYS.pop(id(db), None)
    db.dispose()


@pytest.fixture(autouse=True)
def _world_master_key(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")  # tests/stats/mse has a `world` of its own
    key_file = _MASTER_KEYS.get(id(world[0])) if isinstance(world, tuple) else None
    if key_file is None:
        return
    monkeypatch.setenv("ROLLCALL_MASTER_KEY_FILE", str(key_file))
    get_settings.cache_clear()
