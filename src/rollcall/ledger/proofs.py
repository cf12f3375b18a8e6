"""Proof bundles: an entity's change entries, each with its inclusion proof against the
latest checkpoint, in a form someone without Rollcall can check (docs/ledger.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, select

from rollcall.errors import InvalidValue, NotFound
from rollcall.ledger.checkpoint import Checkpoint
from rollcall.ledger.entries import ENTRY_COLUMNS, entry_bytes
from rollcall.ledger.log import inclusion_proof
from rollcall.ledger.merkle import leaf_hash, verify_inclusion
from rollcall.ledger.records import entity_key, split_states
from rollcall.models import Change, Event, LedgerLeaf, SourceRecord

_CHANGES = Change.__table__
_ENTRY = [_CHANGES.c[name] for name in ENTRY_COLUMNS]


@dataclass(frozen=True)
class EntryProof:
    change_id: int
    action: str
    entity: str
    entry: bytes
    leaf_index: int | None
    proof: list[bytes] | None
    #: The proof, from the leaf re-derived from the change row, gives the checkpoint's root.
    verified: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "change_id": self.change_id, "action": self.action, "entity": self.entity,
            "leaf_index": self.leaf_index, "entry": self.entry.decode(),
            "leaf_hash": leaf_hash(self.entry).hex(),
            "inclusion_proof": None if self.proof is None else [p.hex() for p in self.proof],
            "verified": self.verified,
        }


@dataclass(frozen=True)
class ProofBundle:
    entity: str
    checkpoint: Checkpoint | None
    note: str | None
    entries: list[EntryProof]


def parse_entity(text: str) -> tuple[str, str]:
    """"person:17" -> ("person", "17")."""
    entity_type, _, entity_id = text.partition(":")
    if not entity_type or not entity_id:
        raise InvalidValue("name the entity as TYPE:ID, e.g. person:17")
    return entity_type.strip(), entity_id.strip()


def _holders(conn: Connection, entity_type: str, entity_id: str) -> list[int]:
    """Ids of `record:imported` entries that may hold this entity's state: those of the
    records now belonging to a person, or of the record an event came from."""
    key = entity_key(entity_id)
    if not isinstance(key, int):
        return []
    if entity_type == "person":
        records = select(SourceRecord.id).where(SourceRecord.person_id == key)
    elif entity_type == "event":
        records = select(Event.source_record_id).where(Event.id == key)
    else:
        return []
    ids = [str(r) for r in conn.execute(records).scalars() if r is not None]
    if not ids:
        return []
    return list(conn.execute(
        select(Change.id).where(Change.entity_type == "source_record",
                                Change.action == "record:imported", Change.entity_id.in_(ids))
    ).scalars())


def prove(conn: Connection, entity: str, opened: Checkpoint | None, note: str | None
          ) -> ProofBundle:
    """Every change entry about `entity` (including the list-import entries that hold its
    state), each with its inclusion proof in the tree of `opened` (the latest checkpoint,
    already verified by the caller)."""
    entity_type, entity_id = parse_entity(entity)
    ids = set(conn.execute(select(Change.id).where(Change.entity_type == entity_type,
                                                   Change.entity_id == entity_id)).scalars())
    key = entity_key(entity_id)
    for change_id in _holders(conn, entity_type, entity_id):
        row = conn.execute(select(_CHANGES.c.state).where(_CHANGES.c.id == change_id)).scalar()
        held = split_states("source_record", "", "record:imported", orjson.loads(row or "{}"))
        if any((name, sub_key) == (entity_type, key) for name, sub_key, _s in held):
            ids.add(change_id)
    if not ids:
        raise NotFound(f"no change entry about {entity_type}:{entity_id}")
    entries = []
    size = opened.size if opened else 0
    for entry in conn.execute(select(*_ENTRY).where(_CHANGES.c.id.in_(sorted(ids)))
                              .order_by(_CHANGES.c.id)):
        data = entry_bytes(*entry)
        leaf = conn.execute(select(LedgerLeaf.leaf_index)
                            .where(LedgerLeaf.change_id == entry[0])).scalar()
        proof = None
        verified = False
        if opened is not None and leaf is not None and leaf < size:
            proof = inclusion_proof(conn, leaf, size)
            verified = verify_inclusion(leaf, size, leaf_hash(data), proof, opened.root)
        entries.append(EntryProof(entry[0], entry[4], f"{entry[5]}:{entry[6]}", data,
                                  leaf, proof, verified))
    return ProofBundle(f"{entity_type}:{entity_id}", opened, note, entries)
