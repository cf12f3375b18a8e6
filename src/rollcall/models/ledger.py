"""The transparency log's own tables: leaves, stored subtree hashes, signed checkpoints.

Like `changes`, they are only ever appended to; on PostgreSQL a trigger refuses UPDATE
and DELETE on all four (migration 0005).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, LargeBinary, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, utcnow

# SQLite: an INTEGER primary key is the row id itself, no second index.
_big_key = BigInteger().with_variant(Integer(), "sqlite")


class LedgerLeaf(Base):
    """Leaf `leaf_index` of the tree is change entry `change_id`. Indexes are dense and
    given at seal time in change id order; `leaf_hash` is stored for proofs, but the
    verifier re-derives it from the change row."""

    __tablename__ = "ledger_leaves"

    leaf_index: Mapped[int] = mapped_column(_big_key, primary_key=True, autoincrement=False)
    change_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerNode(Base):
    """The hash of the complete subtree at `level` (1 and up; level 0 are the leaves)
    covering leaves [position * 2^level, (position + 1) * 2^level)."""

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))

    __table_args__ = ({"sqlite_with_rowid": False},)


class LedgerCheckpoint(Base):
    """A signed checkpoint (C2SP tlog-checkpoint in a signed note) of the tree at
    `tree_size`, one for each seal."""

    __tablename__ = "ledger_checkpoints"

    tree_size: Mapped[int] = mapped_column(_big_key, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
