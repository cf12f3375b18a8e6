"""The stored log: sealing after each write, proofs from stored hashes equal to the pure
functions', refusals, and append-only tables on PostgreSQL."""

from __future__ import annotations

import itertools
import os

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from rollcall.config import get_settings
from rollcall.errors import LedgerError
from rollcall.ledger import log
from rollcall.ledger.checkpoint import open_checkpoint
from rollcall.ledger.entries import ENTRY_COLUMNS, entry_bytes
from rollcall.ledger.keys import NoteSigner, load_signer
from rollcall.ledger.merkle import (
    consistency_proof,
    inclusion_proof,
    tree_hash,
    verify_consistency,
)
from rollcall.models import Change, LedgerCheckpoint, LedgerLeaf, LedgerNode
from rollcall.services.sites import add_site

ORIGIN = "rollcall.localhost/ledger"


def add_sites(db, operator, count, per_session=1):
    for n in range(0, count, per_session):
        with db.session() as s:
            for m in range(n, min(count, n + per_session)):
                add_site(s, operator, name_en=f"Site {m}", latitude=50.0 + m / 8)


def entries(conn):
    table = Change.__table__
    rows = conn.execute(select(*[table.c[c] for c in ENTRY_COLUMNS]).order_by(table.c.id))
    return [entry_bytes(*row) for row in rows]


def test_each_write_is_sealed_with_a_signed_checkpoint(db, operator):
    add_sites(db, operator, 5)
    add_sites(db, operator, 6, per_session=3)
    with db.engine.connect() as conn:
        assert log.tree_size(conn) == 11
        sizes = conn.execute(select(LedgerCheckpoint.tree_size)
                             .order_by(LedgerCheckpoint.tree_size)).scalars().all()
        assert sizes == [1, 2, 3, 4, 5, 8, 11]
        leaves = entries(conn)
        _size, note = log.latest_checkpoint(conn)
        checkpoint = open_checkpoint(note, [load_signer(get_settings()).verifier])
        assert (checkpoint.origin, checkpoint.size) == (ORIGIN, 11)
        assert checkpoint.root == tree_hash(leaves) == log.root_at(conn, 11)
        assert conn.execute(select(LedgerLeaf.change_id).order_by(LedgerLeaf.leaf_index)
                            ).scalars().all() == sorted(
            conn.execute(select(Change.id)).scalars().all())


def test_stored_proofs_equal_the_pure_functions_for_every_index_and_size(db, operator):
    add_sites(db, operator, 13)
    with db.engine.connect() as conn:
        leaves = entries(conn)
        nodes = conn.execute(select(func.count()).select_from(LedgerNode)).scalar_one()
        assert nodes == 13 - bin(13).count("1")  # one per complete subtree above the leaves
        for size in range(1, 14):
            assert log.root_at(conn, size) == tree_hash(leaves[:size])
            for index in range(size):
                assert log.inclusion_proof(conn, index, size) == inclusion_proof(
                    index, leaves[:size])
            for old in range(size + 1):
                assert log.consistency_proof(conn, old, size) == consistency_proof(
                    old, leaves[:size])
        with pytest.raises(LedgerError):
            log.inclusion_proof(conn, 0, 14)


def test_sealing_is_a_no_op_when_nothing_is_pending(db, operator):
    add_sites(db, operator, 2)
    signer = load_signer(get_settings())
    assert log.seal(db.engine, signer, ORIGIN, wait=True) is None
    with db.session() as s:
        s.execute(select(1))
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LedgerCheckpoint)).scalar() == 2


def test_entries_written_without_sealing_are_sealed_next_time_in_id_order(db, operator):
    db.seal_after_commit = False
    add_sites(db, operator, 3)
    with db.engine.connect() as conn:
        assert log.tree_size(conn) == 0 and log.has_pending(conn)
    db.seal_after_commit = True
    add_sites(db, operator, 1)
    with db.engine.connect() as conn:
        assert log.tree_size(conn) == 4
        assert conn.execute(select(LedgerCheckpoint.tree_size)).scalars().all() == [4]


def test_a_seal_refuses_a_checkpoint_it_cannot_check(db, operator):
    add_sites(db, operator, 2)
    db.seal_after_commit = False
    add_sites(db, operator, 1)
    with pytest.raises(LedgerError, match="does not verify with this log's key"):
        log.seal(db.engine, NoteSigner.generate(ORIGIN), ORIGIN, wait=True)
    with db.engine.connect() as conn:
        assert log.tree_size(conn) == 2  # nothing appended, no checkpoint signed


def test_a_seal_refuses_a_stored_tree_that_no_longer_matches_its_checkpoint(db, operator,
                                                                              backend):
    add_sites(db, operator, 4)
    with db.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(update(LedgerNode).where(LedgerNode.level == 2)
                     .values(hash=b"\x00" * 32))
    db.seal_after_commit = False
    add_sites(db, operator, 1)
    with pytest.raises(LedgerError, match="does not match its checkpoint"):
        log.seal(db.engine, load_signer(get_settings()), ORIGIN, wait=True)


def test_the_consistency_of_consecutive_checkpoints_holds(db, operator):
    add_sites(db, operator, 9)
    verifier = load_signer(get_settings()).verifier
    with db.engine.connect() as conn:
        notes = conn.execute(select(LedgerCheckpoint.note)
                             .order_by(LedgerCheckpoint.tree_size)).scalars().all()
        opened = [open_checkpoint(n, [verifier]) for n in notes]
        for old, new in itertools.pairwise(opened):
            proof = log.consistency_proof(conn, old.size, new.size)
            assert verify_consistency(old.size, new.size, proof, old.root, new.root)


@pytest.mark.parametrize("table", ["changes", "ledger_leaves", "ledger_nodes",
                                   "ledger_checkpoints"])
def test_postgres_refuses_updates_and_deletes_of_the_log(db, operator, backend, table):
    if backend != "postgresql":
        pytest.skip("SQLite has no such guard: the signed checkpoints carry the guarantee")
    add_sites(db, operator, 2)
    column = {"changes": "actor", "ledger_leaves": "leaf_hash", "ledger_nodes": "hash",
              "ledger_checkpoints": "note"}[table]
    for statement in (f'UPDATE "{table}" SET "{column}" = "{column}"', f'DELETE FROM "{table}"'):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))


def test_postgres_seals_in_change_id_order_though_transactions_commit_out_of_order(
        db, operator, backend):
    """A writer still open keeps its change id: sealing waits for it (the seal after the
    later commit is skipped, the writer's own seal takes both in id order)."""
    if backend != "postgresql":
        pytest.skip("one writer at a time on SQLite")
    slow = db.sessions()
    slow.begin()
    add_site(slow, operator, name_en="Slow")
    slow.flush()
    slow_id = slow.scalar(select(func.max(Change.id)))
    add_sites(db, operator, 1)  # commits after the slow one took its id: not sealed yet
    with db.engine.connect() as conn:
        assert log.tree_size(conn) == 0 and log.has_pending(conn)
    slow.commit()
    slow.close()
    log.seal_after_commit(db.engine)
    with db.engine.connect() as conn:
        ids = conn.execute(select(LedgerLeaf.change_id).order_by(LedgerLeaf.leaf_index)
                           ).scalars().all()
    assert ids == sorted(ids) and ids[0] == slow_id


def test_the_fast_stored_row_path_builds_the_same_leaf_bytes(db, registry):
    """Seal and verify read `at` and `diff` without type processing: same bytes."""
    from rollcall.ledger.entries import stored_entry_bytes, stored_entry_columns

    table = Change.__table__
    with db.engine.connect() as conn:
        typed = entries(conn)
        stored = [stored_entry_bytes(*row) for row in conn.execute(
            select(*stored_entry_columns(table, conn.dialect.name)).order_by(table.c.id))]
    assert typed == stored and any(b'"diff":{}' not in entry for entry in typed)


def test_a_large_backlog_is_sealed_in_chunks_each_with_its_checkpoint(db, operator,
                                                                      monkeypatch):
    monkeypatch.setattr(log, "SEAL_CHUNK", 4)
    monkeypatch.setattr(log, "SEAL_BATCH", 3)
    db.seal_after_commit = False
    add_sites(db, operator, 10, per_session=10)
    sealed = log.seal(db.engine, load_signer(get_settings()), ORIGIN, wait=True)
    assert (sealed.old_size, sealed.checkpoint.size) == (0, 10)
    with db.engine.connect() as conn:
        assert conn.execute(select(LedgerCheckpoint.tree_size).order_by(
            LedgerCheckpoint.tree_size)).scalars().all() == [4, 8, 10]
        assert log.root_at(conn, 10) == tree_hash(entries(conn))


def test_the_documented_postgres_role_can_write_and_seal_but_not_rewrite(
        db, operator, backend, db_url, tmp_path):
    """docs/ledger.md's GRANT/REVOKE script, run for a role of this test's own."""
    import re
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    from rollcall.db import open_database
    from rollcall.services.imports import import_list

    if backend != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    # Roles belong to the whole server: each pytest-xdist worker uses its own.
    role = f"rollcall_app_ledger_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    docs = (Path(__file__).parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    script = re.search(r"```sql\n(.*?)```", docs, re.S).group(1).replace("rollcall_app", role)
    add_sites(db, operator, 1)  # as the owner
    _drop_role(db, role)
    sql = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    with db.engine.begin() as conn:
        for statement in filter(str.strip, sql.split(";")):
            conn.execute(text(statement))
    app = open_database(make_url(db_url).set(username=role).render_as_string(
        hide_password=False))
    try:
        add_sites(app, operator, 2)
        path = tmp_path / "list.csv"
        path.write_text("Прізвище,Ім'я\nТестенко,Іван\nПробенко,Петро\n", encoding="utf-8")
        assert import_list(app, operator, path, title="t", origin="own_bureau").accepted == 2
        with app.engine.connect() as conn:
            assert log.tree_size(conn) == 6 and not log.has_pending(conn)
        for statement in ("UPDATE changes SET actor = 'x'", "DELETE FROM ledger_leaves",
                          "TRUNCATE changes", "ALTER TABLE changes DISABLE TRIGGER USER"):
            with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"), \
                    app.engine.begin() as conn:
                conn.execute(text(statement))
    finally:
        app.dispose()
        _drop_role(db, role)


def _drop_role(db, role):
    with db.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
