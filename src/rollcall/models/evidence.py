"""The evidence store's catalogue (issue 5 part 2): one row per distinct file, named by the
SHA-256 of its bytes, which `rollcall.ledger.evidence_store` keeps on disk and never
changes.

A redacted, transcoded or EXIF-stripped copy is an item of its own, pointing at the item
it was made from (`derived_from_id`, `derivation`): the original stays as received.
Attaching a file to an incident, a testimony, a person or a source is an `EvidenceLink`.

Every handling of a file (received, viewed, copied, exported, transferred, derived,
linked) is a change entry about `evidence:<id>` with who, when and why, so the chain of
custody lives in the transparency log itself: no table of its own that could be edited
apart from the log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import Derivation, EvidenceKind


class EvidenceItem(Base):
    """One file as stored: its bytes are at data_dir/evidence/sha256/ab/cd/<sha256>."""

    __tablename__ = "evidence_items"

    id: Mapped[intpk]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(127))
    kind: Mapped[EvidenceKind] = vocabulary_column(EvidenceKind)
    #: The file's name as it arrived (may say something about its content: shown only to
    #: readers of evidence).
    original_name: Mapped[str | None] = mapped_column(String(255))
    derived_from_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"),
                                                        index=True)
    derivation: Mapped[Derivation | None] = vocabulary_column(Derivation)
    #: The registry source it came with (a list, a report), if any.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    received_by: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("size >= 0", name="size_not_negative"),
        CheckConstraint("(derived_from_id IS NULL) = (derivation IS NULL)",
                        name="derivation_with_original"),
    )


class EvidenceLink(Base):
    """An evidence file attached to a record: an incident, a testimony, a person or a
    source (`entity_type` as the change log names them)."""

    __tablename__ = "evidence_links"

    id: Mapped[intpk]
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    linked_by: Mapped[str] = mapped_column(String(100))
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("item_id", "entity_type", "entity_id", name="uq_evidence_links_once"),
        # "Which files belong to incident 3?" is the package's question.
        Index("ix_evidence_links_entity", "entity_type", "entity_id"),
    )
