"""`rollcall ledger verify`: everything the log promises, checked from the rows up.

1. Every checkpoint: its signature (by a trusted key), its origin, and that consecutive
   checkpoints are consistent (RFC 9162 consistency proofs from the stored tree).
2. Every leaf: its bytes re-derived from its change row (never trusting the stored leaf
   hash); the tree recomputed from those, whose root must equal each checkpoint's.
   A change row that is missing, edited or moved, or one that sits in the log's past
   without a leaf, is named.
3. Every row of the covered tables against the latest entry about it (`records`).

Problems are sorted by leaf index, so `first` names the earliest bad entry.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, func, select

from rollcall.errors import LedgerError
from rollcall.ledger.checkpoint import Checkpoint, NoteError, open_checkpoint
from rollcall.ledger.entries import ENTRY_COLUMNS, stored_entry_bytes, stored_entry_columns
from rollcall.ledger.keys import NoteVerifier
from rollcall.ledger.log import consistency_proof
from rollcall.ledger.merkle import fold, leaf_hash, node_hash, verify_consistency
from rollcall.ledger.records import (
    MOVING_ACTIONS,
    Mismatch,
    RecordedStates,
    split_states,
    stream_rows,
)
from rollcall.models import Change, LedgerCheckpoint, LedgerLeaf

_CHANGES = Change.__table__
_LEAVES = LedgerLeaf.__table__
_ENTRY = [_CHANGES.c[name] for name in ENTRY_COLUMNS]
_BATCH = 5000
#: Row mismatches explained field by field (each costs two look-ups).
_EXPLAINED = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as the log allows."""

    reason: str
    leaf_index: int | None = None
    change_id: int | None = None
    entity: str | None = None
    checkpoint: int | None = None

    @property
    def sort_key(self) -> tuple[bool, int, bool, int]:
        return (self.leaf_index is None, self.leaf_index or 0,
                self.change_id is None, self.change_id or 0)

    def __str__(self) -> str:
        where = []
        if self.leaf_index is not None:
            where.append(f"leaf {self.leaf_index}")
        if self.change_id is not None:
            where.append(f"change {self.change_id}")
        if self.entity is not None:
            where.append(self.entity)
        if self.checkpoint is not None:
            where.append(f"checkpoint of size {self.checkpoint}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass
class Report:
    leaves: int = 0
    checkpoints: int = 0
    latest: Checkpoint | None = None
    pending: int = 0
    rows_checked: dict[str, int] = field(default_factory=dict)
    unchecked: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.sort_key) if self.problems else None


def _entity(entity_type: str | None, entity_id: Any) -> str | None:
    return None if entity_type is None else f"{entity_type}:{entity_id}"


class _Verifier:
    def __init__(self, conn: Connection, verifiers: Sequence[NoteVerifier], origin: str,
                 rows: bool) -> None:
        self.conn = conn
        self.verifiers = list(verifiers)
        self.origin = origin
        self.report = Report()
        self.states = RecordedStates() if rows else None
        self.columns = stored_entry_columns(_CHANGES, conn.dialect.name)
        self.change_ids = array("q")  # change id by leaf index
        self.pending_ids: list[int] = []
        self.missing = 0  # leaves whose change row is gone

    def problem(self, reason: str, **where: Any) -> None:
        self.report.problems.append(Problem(reason, **where))

    # -- checkpoints --------------------------------------------------------------

    def checkpoints(self) -> list[Checkpoint]:
        good: list[Checkpoint] = []
        rows = self.conn.execute(select(LedgerCheckpoint.tree_size, LedgerCheckpoint.root_hash,
                                        LedgerCheckpoint.note)
                                 .order_by(LedgerCheckpoint.tree_size)).all()
        self.report.checkpoints = len(rows)
        for size, root, note in rows:
            try:
                checkpoint = open_checkpoint(note, self.verifiers)
            except NoteError as exc:
                self.problem(f"the signed note does not verify: {exc}", checkpoint=size)
                continue
            if checkpoint.origin != self.origin:
                self.problem(f"signed for origin {checkpoint.origin!r}, not {self.origin!r}",
                             checkpoint=size)
            elif checkpoint.size != size or checkpoint.root != bytes(root):
                self.problem("its table row differs from its signed note", checkpoint=size)
            else:
                good.append(checkpoint)
        if good:
            self.report.latest = good[-1]
        for old, new in pairwise(good):
            try:
                proof = consistency_proof(self.conn, old.size, new.size)
            except LedgerError as exc:
                self.problem(f"no consistency proof from the stored tree: {exc.message}",
                             checkpoint=new.size, leaf_index=old.size)
                continue
            if not verify_consistency(old.size, new.size, proof, old.root, new.root):
                self.problem(f"not consistent with the checkpoint of size {old.size}",
                             checkpoint=new.size, leaf_index=old.size)
        return good

    # -- leaves -------------------------------------------------------------------

    def kept(self, notes: Sequence[str]) -> list[tuple[Checkpoint, bool]]:
        """Checkpoints kept outside the database (by an auditor, a witness): the log must
        still give their roots, or its history was rewritten and signed again."""
        found = []
        for note in notes:
            try:
                checkpoint = open_checkpoint(note, self.verifiers)
            except NoteError as exc:
                self.problem(f"a kept checkpoint does not verify: {exc}")
                continue
            if checkpoint.origin != self.origin:
                self.problem(f"a kept checkpoint is of origin {checkpoint.origin!r}",
                             checkpoint=checkpoint.size)
            else:
                found.append((checkpoint, True))
        return found

    def leaves(self, checkpoints: list[tuple[Checkpoint, bool]]) -> None:
        """Each leaf's hash re-derived from its change row must be the stored one, and the
        stored ones must give every signed root: so the rows give the signed roots."""
        targets = iter(checkpoints)
        target, kept = next(targets, (None, False))
        stack: list[tuple[int, bytes]] = []
        size = range_start = 0
        query = (select(_LEAVES.c.leaf_index, _LEAVES.c.change_id, _LEAVES.c.leaf_hash,
                        *self.columns)
                 .select_from(_LEAVES.outerjoin(_CHANGES, _CHANGES.c.id == _LEAVES.c.change_id))
                 .order_by(_LEAVES.c.leaf_index))
        for index, change_id, stored, *entry in stream_rows(self.conn, query, _BATCH):
            if index != size:
                self.problem(f"leaf indexes jump from {size - 1} to {index}",
                             leaf_index=size)
                return
            stored = bytes(stored)
            self.change_ids.append(change_id)
            if entry[0] is None:
                self.missing += 1
                self.problem("the change entry of this leaf is gone (deleted)",
                             leaf_index=index, change_id=change_id)
            else:
                if leaf_hash(stored_entry_bytes(*entry)) != stored:
                    self.problem("the change entry differs from what was sealed (edited or "
                                 "reordered)", leaf_index=index, change_id=change_id,
                                 entity=_entity(entry[5], entry[6]))
                self._feed(index, entry)
            stack.append((0, stored))
            size += 1
            count = size
            while count & 1 == 0:
                right = stack.pop()[1]
                level, left = stack.pop()
                stack.append((level + 1, node_hash(left, right)))
                count >>= 1
            while target is not None and target.size == size:
                if kept and fold([h for _l, h in stack]) != target.root:
                    self.problem("the log no longer gives the root of this checkpoint "
                                 "kept outside it: its history was rewritten",
                                 checkpoint=size)
                elif not kept:
                    if fold([h for _l, h in stack]) != target.root:
                        self.problem(
                            f"the stored hashes of leaves {range_start} to {size - 1} do "
                            "not give the signed root: the log's own tables were rewritten",
                            leaf_index=range_start, checkpoint=size,
                            change_id=self.change_ids[range_start])
                    range_start = size
                target, kept = next(targets, (None, False))
        self.report.leaves = size
        if target is not None:
            self.problem(f"the log has {size} leaves but a checkpoint of size {target.size}: "
                         "leaves were removed", leaf_index=size, checkpoint=target.size)
        elif self.report.latest is not None and size > self.report.latest.size:
            self.problem("leaves beyond the latest checkpoint", leaf_index=self.report.latest.size)

    def _feed(self, position: int, entry: Sequence[Any]) -> None:
        if self.states is None:
            return
        try:
            state = orjson.loads(entry[8])
        except orjson.JSONDecodeError:
            return
        diff = orjson.loads(entry[7]) if entry[4] in MOVING_ACTIONS else None
        self.states.add(position, entry[5], entry[6], entry[4], diff, state, entry[2])

    # -- change rows without a leaf ------------------------------------------------

    def unsealed(self) -> None:
        sealed_up_to = self.conn.execute(select(func.max(_LEAVES.c.change_id))).scalar() or 0
        total = self.conn.execute(select(func.count()).select_from(_CHANGES)).scalar_one()
        beyond = self.conn.execute(select(func.count()).where(_CHANGES.c.id > sealed_up_to)
                                   ).scalar_one()
        if total - beyond != len(self.change_ids) - self.missing:
            orphans = self.conn.execute(
                select(_CHANGES.c.id, _CHANGES.c.entity_type, _CHANGES.c.entity_id)
                .select_from(_CHANGES.outerjoin(_LEAVES, _LEAVES.c.change_id == _CHANGES.c.id))
                .where(_LEAVES.c.change_id.is_(None), _CHANGES.c.id <= sealed_up_to)
                .order_by(_CHANGES.c.id)
            ).all()
            for change_id, entity_type, entity_id in orphans:
                after = self.conn.execute(select(func.min(_LEAVES.c.leaf_index))
                                          .where(_LEAVES.c.change_id > change_id)).scalar()
                self.problem("this change is in no leaf, among sealed ones: added after "
                             "sealing", leaf_index=after, change_id=change_id,
                             entity=_entity(entity_type, entity_id))
        query = select(*self.columns).where(_CHANGES.c.id > sealed_up_to).order_by(_CHANGES.c.id)
        for entry in stream_rows(self.conn, query, _BATCH):
            self._feed(len(self.change_ids) + len(self.pending_ids), entry)
            self.pending_ids.append(entry[0])
        self.report.pending = len(self.pending_ids)

    # -- rows behind the log --------------------------------------------------------

    def change_at(self, position: int) -> int:
        if position < len(self.change_ids):
            return self.change_ids[position]
        return self.pending_ids[position - len(self.change_ids)]

    def rows(self) -> None:
        if self.states is None:
            return
        explained = 0
        for mismatch in self.states.compare(self.conn):
            change_id = None if mismatch.position is None else self.change_at(mismatch.position)
            reason = mismatch.reason
            if change_id is not None and explained < _EXPLAINED and "differs" in reason:
                explained += 1
                fields = self._differing_fields(mismatch, change_id)
                if fields:
                    reason += f" (fields: {', '.join(fields)})"
            leaf = mismatch.position
            self.problem(reason,
                         leaf_index=leaf if leaf is not None and leaf < len(self.change_ids)
                         else None,
                         change_id=change_id,
                         entity=_entity(mismatch.entity_type, mismatch.entity_id))
        self.report.rows_checked = dict(self.states.rows_checked)
        self.report.unchecked = dict(self.states.unchecked)

    def _differing_fields(self, mismatch: Mismatch, change_id: int) -> list[str]:
        """Which recorded fields differ: names only, never values (they are personal)."""
        assert self.states is not None
        row = self.conn.execute(select(*_ENTRY).where(_CHANGES.c.id == change_id)).first()
        if row is None:
            return []
        for name, key, sub in split_states(row[5], row[6], row[4], orjson.loads(row[8]),
                                           row[2]):
            if (name, key) == (mismatch.entity_type, mismatch.entity_id):
                fields = self.states.differing_fields(self.conn, name, key, sub)
                if fields is None:
                    return []
                return fields or ["moved by another entry"]
        return []


def verify(engine: Engine, verifiers: Sequence[NoteVerifier], origin: str, *,
           rows: bool = True, kept: Sequence[str] = ()) -> Report:
    """Check the whole log (with `rows`, also the registry's rows behind it; with `kept`,
    also signed checkpoints kept outside the database)."""
    with engine.connect() as conn:
        checker = _Verifier(conn, verifiers, origin, rows)
        started = time.perf_counter()
        targets = [(c, False) for c in checker.checkpoints()] + checker.kept(kept)
        checker.leaves(sorted(targets, key=lambda t: t[0].size))
        checker.unsealed()
        checker.report.seconds["log"] = time.perf_counter() - started
        started = time.perf_counter()
        checker.rows()
        checker.report.seconds["rows"] = time.perf_counter() - started
    checker.report.problems.sort(key=lambda p: p.sort_key)
    return checker.report
