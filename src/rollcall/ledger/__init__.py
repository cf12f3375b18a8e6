"""The transparency log: Rollcall's change entries as the leaves of an append-only
Merkle tree (RFC 9162), with signed checkpoints (C2SP tlog-checkpoint), proofs and a
verifier. See docs/ledger.md.

    merkle      pure hashing, proofs and proof verification (no database)
    entries     a change entry's leaf bytes (canonical JSON)
    keys        the Ed25519 signing key and verifier keys (C2SP signed-note)
    checkpoint  signed checkpoints
    log         the stored tree: sealing, proofs from stored hashes
    records     do the registry's rows still hold what the log says?
    verify      the whole check behind `rollcall ledger verify`

This package imports only the pure part, so `rollcall.ledger.merkle` stands alone.
"""

from rollcall.ledger.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "EMPTY_ROOT",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "tree_hash",
    "verify_consistency",
    "verify_inclusion",
]
