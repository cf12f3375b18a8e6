"""The stored log: sealing change entries into the tree, and proofs from stored hashes.

Sealing appends every committed, not yet sealed change entry as a leaf, in change id
order, stores the hash of every complete subtree it completes, checks the new tree is
consistent with the latest checkpoint and signs a new checkpoint. It reads O(log n)
stored hashes (the right edge of the tree), never the whole tree; proofs too.

When: `Database.session()` is the transaction scope every service call runs in (CLI, API,
pages, list imports), so it seals right after each commit, in a short transaction of its
own (`seal_after_commit`). That costs two index look-ups when nothing is pending.

Order on PostgreSQL: concurrent transactions can commit change ids out of order, so a
seal takes `LOCK TABLE changes IN SHARE MODE NOWAIT` (through `rollcall_seal_lock` of
migration 0005, as the application's role may not take it itself). It is granted only
while no transaction that wrote change entries is still open, so every id below the
highest one is then committed (or rolled back for good), and leaves follow change ids
exactly. If a writer is still open the seal is skipped: that writer seals after its own
commit and picks these entries up. An advisory lock keeps two seals apart. SQLite has one
writer at a time: the seal takes the write lock first (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from rollcall.bulk import insert_rows
from rollcall.config import get_settings
from rollcall.errors import LedgerError
from rollcall.ledger.checkpoint import Checkpoint, NoteError, open_checkpoint, sign_checkpoint
from rollcall.ledger.entries import stored_entry_bytes, stored_entry_columns
from rollcall.ledger.keys import NoteSigner, load_signer
from rollcall.ledger.merkle import (
    EMPTY_ROOT,
    consistency_ranges,
    fold,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    subtrees,
    verify_consistency,
)
from rollcall.models import Change, LedgerCheckpoint, LedgerLeaf, LedgerNode
from rollcall.models.base import utcnow

log = logging.getLogger(__name__)

_CHANGES = Change.__table__
_LEAVES = LedgerLeaf.__table__
_NODES = LedgerNode.__table__
_CHECKPOINTS = LedgerCheckpoint.__table__
#: pg_advisory_xact_lock key of the seal ("ledger" in ASCII).
SEAL_LOCK = 0x6C6564676572
#: Change entries read, hashed and written per round trip while sealing.
SEAL_BATCH = 5000
#: Change entries sealed per transaction and checkpoint at most.
SEAL_CHUNK = 100_000


@dataclass(frozen=True)
class Sealed:
    """What a seal did: the tree grew from `old_size` to `checkpoint.size`."""

    old_size: int
    checkpoint: Checkpoint
    note: str


# --- reading the stored tree -------------------------------------------------------


def tree_size(conn: Connection) -> int:
    top = conn.execute(select(func.max(LedgerLeaf.leaf_index))).scalar()
    return 0 if top is None else int(top) + 1


def stored_hashes(conn: Connection, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int],
                                                                              bytes]:
    """The stored hashes of these complete subtrees (level, position): one query for the
    leaves, one for the nodes. Plain SQL, since each proof's list of keys differs and
    SQLAlchemy would compile a new statement for each (most of a proof's cost)."""
    found: dict[tuple[int, int], bytes] = {}
    leaves = sorted({pos for level, pos in keys if level == 0})
    nodes = sorted({(level, pos) for level, pos in keys if level > 0})
    for start in range(0, len(leaves), 200):
        chunk = leaves[start : start + 200]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        for index, value in conn.execute(
            text(f"SELECT leaf_index, leaf_hash FROM ledger_leaves WHERE leaf_index IN ({marks})"),
            {f"i{n}": pos for n, pos in enumerate(chunk)},
        ):
            found[(0, int(index))] = bytes(value)
    for start in range(0, len(nodes), 200):
        chunk_nodes = nodes[start : start + 200]
        terms = " OR ".join(f"(level = :l{n} AND position = :p{n})"
                            for n in range(len(chunk_nodes)))
        params: dict[str, int] = {}
        for n, (level, pos) in enumerate(chunk_nodes):
            params[f"l{n}"], params[f"p{n}"] = level, pos
        for level, pos, value in conn.execute(
            text(f"SELECT level, position, hash FROM ledger_nodes WHERE {terms}"), params
        ):
            found[(int(level), int(pos))] = bytes(value)
    missing = [key for key in keys if key not in found]
    if missing:
        level, pos = missing[0]
        raise LedgerError(f"the stored tree lacks the hash of subtree {pos} at level {level}")
    return found


def _range_proof(conn: Connection, ranges: list[tuple[int, int]]) -> list[bytes]:
    parts = [subtrees(start, end) for start, end in ranges]
    hashes = stored_hashes(conn, [key for part in parts for key in part])
    return [fold([hashes[key] for key in part]) for part in parts]


def _check_size(conn: Connection, size: int) -> None:
    if size > tree_size(conn):
        raise LedgerError(f"the log has fewer than {size} entries")


def root_at(conn: Connection, size: int) -> bytes:
    """The root hash of the first `size` leaves, from stored subtree hashes."""
    _check_size(conn, size)
    return _range_proof(conn, [(0, size)])[0] if size else EMPTY_ROOT


def inclusion_proof(conn: Connection, index: int, size: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `size` leaves, from stored hashes."""
    _check_size(conn, size)
    return _range_proof(conn, inclusion_ranges(index, size))


def consistency_proof(conn: Connection, old_size: int, new_size: int) -> list[bytes]:
    """The proof that the tree of `old_size` leaves is a prefix of the one of `new_size`."""
    _check_size(conn, new_size)
    return _range_proof(conn, consistency_ranges(old_size, new_size))


def latest_checkpoint(conn: Connection) -> tuple[int, str] | None:
    """(tree size, signed note) of the latest checkpoint, if any."""
    row = conn.execute(
        select(LedgerCheckpoint.tree_size, LedgerCheckpoint.note)
        .order_by(LedgerCheckpoint.tree_size.desc()).limit(1)
    ).first()
    return None if row is None else (int(row[0]), row[1])


def unsealed_bounds(conn: Connection) -> tuple[int | None, int | None]:
    """(highest change id, highest sealed change id): entries above the second wait."""
    row = conn.execute(select(
        select(func.max(Change.id)).scalar_subquery(),
        select(func.max(LedgerLeaf.change_id)).scalar_subquery(),
    )).one()
    return row[0], row[1]


def has_pending(conn: Connection) -> bool:
    top, sealed = unsealed_bounds(conn)
    return top is not None and (sealed is None or top > sealed)


# --- sealing -----------------------------------------------------------------------


@contextmanager
def _seal_transaction(engine: Engine, *, wait: bool) -> Iterator[Connection | None]:
    """A write transaction in which no other seal runs and no change entry is in flight;
    None (nothing done) if that cannot be had at once and `wait` is false."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            if wait:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEAL_LOCK})
            elif not conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                  {"key": SEAL_LOCK}).scalar():
                yield None
                return
            # LOCK TABLE changes IN SHARE MODE [NOWAIT], through a function of the table's
            # owner (migration 0005): the application's role has no UPDATE on `changes`.
            if not conn.execute(text("SELECT rollcall_seal_lock(:wait)"),
                                {"wait": wait}).scalar():
                yield None
                return
            yield conn
        return
    with engine.connect() as plain:
        conn = plain.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


def seal(engine: Engine, signer: NoteSigner, origin: str, *, wait: bool = False) -> Sealed | None:
    """Append every pending change entry and sign a checkpoint of the new tree, in
    transactions of at most SEAL_CHUNK entries (one checkpoint each: a million-entry
    import is sealed in steps, which keeps SQLite's write-ahead log small). None when
    nothing was pending, or (unless `wait`) when another writer or seal was busy."""
    first: Sealed | None = None
    last: Sealed | None = None
    while True:
        with engine.connect() as conn:
            if not has_pending(conn):
                break
        with _seal_transaction(engine, wait=wait) as conn:
            if conn is None or not has_pending(conn):
                break
            last = _append_pending(conn, signer, origin, SEAL_CHUNK)
        first = first or last
    if first is None or last is None:
        return None
    return Sealed(first.old_size, last.checkpoint, last.note)


def seal_after_commit(engine: Engine) -> Sealed | None:
    """The hook `Database.session()` runs after each commit. The caller's write stands
    whatever happens here, so a refusal is logged (and `rollcall ledger verify` and
    `rollcall ledger seal` report it) rather than raised into the caller."""
    try:
        with engine.connect() as conn:
            if not has_pending(conn):
                return None
        settings = get_settings()
        return seal(engine, load_signer(settings), settings.ledger_origin)
    except (LedgerError, SQLAlchemyError, OSError) as exc:
        log.error("the transparency log was not sealed: %s", getattr(exc, "message", exc))
        return None


def _previous_root(conn: Connection, size: int, signer: NoteSigner) -> bytes:
    """The root the stored tree must have: that of the latest checkpoint, checked."""
    latest = latest_checkpoint(conn)
    if latest is None:
        if size:
            raise LedgerError(f"the log holds {size} leaves but no checkpoint")
        return EMPTY_ROOT
    checkpoint_size, note = latest
    try:
        previous = open_checkpoint(note, [signer.verifier])
    except NoteError as exc:
        raise LedgerError(f"the latest checkpoint (size {checkpoint_size}) does not verify "
                          f"with this log's key: {exc}") from None
    if previous.size != checkpoint_size or checkpoint_size != size:
        raise LedgerError(f"the log holds {size} leaves but its latest checkpoint says "
                          f"{previous.size}")
    return previous.root


class _Frontier:
    """The right edge of the tree: the complete subtrees its leaves form, left to right."""

    def __init__(self, size: int, hashes: list[tuple[int, bytes]]) -> None:
        self.size = size
        self.stack = hashes  # (level, hash)

    def push(self, value: bytes, nodes: list[tuple[int, int, bytes]]) -> None:
        index = self.size
        self.size += 1
        stack = self.stack
        stack.append((0, value))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            level, right = stack.pop()
            left = stack.pop()[1]
            level += 1
            combined = node_hash(left, right)
            stack.append((level, combined))
            nodes.append((level, index >> level, combined))

    @property
    def root(self) -> bytes:
        return fold([value for _level, value in self.stack])


def _append_pending(conn: Connection, signer: NoteSigner, origin: str, limit: int) -> Sealed:
    size = tree_size(conn)
    old_root = _previous_root(conn, size, signer)
    keys = subtrees(0, size)
    stored = stored_hashes(conn, keys)
    frontier = _Frontier(size, [(level, stored[(level, pos)]) for level, pos in keys])
    if frontier.root != old_root:
        raise LedgerError(f"the stored tree of {size} leaves does not match its checkpoint")

    sealed_up_to = conn.execute(select(func.max(LedgerLeaf.change_id))).scalar() or 0
    columns = stored_entry_columns(_CHANGES, conn.dialect.name)
    while frontier.size - size < limit:
        rows = conn.execute(
            select(*columns).where(_CHANGES.c.id > sealed_up_to)
            .order_by(_CHANGES.c.id).limit(min(SEAL_BATCH, limit - (frontier.size - size)))
        ).all()
        if not rows:
            break
        leaves: list[tuple[int, int, bytes]] = []
        nodes: list[tuple[int, int, bytes]] = []
        for row in rows:
            value = leaf_hash(stored_entry_bytes(*row))
            leaves.append((frontier.size, row[0], value))
            frontier.push(value, nodes)
        insert_rows(conn, _LEAVES, ("leaf_index", "change_id", "leaf_hash"), leaves)
        insert_rows(conn, _NODES, ("level", "position", "hash"), nodes)
        sealed_up_to = rows[-1][0]

    checkpoint = Checkpoint(origin, frontier.size, frontier.root)
    proof = consistency_proof(conn, size, checkpoint.size)
    if not verify_consistency(size, checkpoint.size, proof, old_root, checkpoint.root):
        raise LedgerError(f"the new tree of {checkpoint.size} leaves is not consistent with "
                          f"the checkpoint of {size}; refusing to sign it")
    note = sign_checkpoint(checkpoint, signer)
    conn.execute(insert(_CHECKPOINTS).values(
        tree_size=checkpoint.size, root_hash=checkpoint.root, note=note, created_at=utcnow(),
    ))
    return Sealed(size, checkpoint, note)
