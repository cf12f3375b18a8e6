import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from rollcall.db import open_database
from rollcall.errors import DatabaseSchemaError
from rollcall.models import Base
from rollcall.models.base import on_dialect


def test_a_missing_sqlite_database_is_created_and_migrated(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'new.db'}")
    tables = set(inspect(db.engine).get_table_names())
    db.dispose()
    assert {"persons", "source_records", "sources", "events", "changes", "users"} <= tables


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": on_dialect(conn.dialect.name)})
        assert compare_metadata(context, Base.metadata) == []


def test_a_database_newer_than_the_code_is_refused(db, db_url):
    with db.engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    try:
        with pytest.raises(DatabaseSchemaError, match="newer than this version of Rollcall"):
            open_database(db_url)
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def test_a_foreign_database_is_refused(tmp_path):
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}", migrate_schema=False)
    with other.engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id INTEGER)"))
    other.dispose()
    with pytest.raises(DatabaseSchemaError, match="not a Rollcall database"):
        open_database(f"sqlite:///{tmp_path / 'other.db'}")


def test_database_errors_do_not_quote_personal_data(db):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from rollcall.models import Person

    with pytest.raises(IntegrityError) as caught, db.session() as s:
        s.execute(insert(Person), [{"surname": "Коваленко", "search_key": "x", "id": 1},
                                   {"surname": "Коваленко", "search_key": "x", "id": 1}])
    assert "Коваленко" not in str(caught.value)
