"""The change table: one entry per write, in write order.

The integrity work turns these entries into the leaves of a Merkle transparency log, so
`state` is the canonical JSON (RFC 8785) of the entity after the write, and entries are
never updated or deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, utcnow


class Change(Base):
    __tablename__ = "changes"

    # SQLite only autoincrements a column typed exactly INTEGER.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    via: Mapped[str] = mapped_column(String(8))  # "cli" | "api" | "web"
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    diff: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_changes_entity", "entity_type", "entity_id"),)

