"""Identity resolution as stored: the linkage runs, the uncertain pairs they leave for a
human, and the humans' decisions.

Decisions are about source records, not persons: person ids change as persons merge, a
record id never does, so a decision keeps its meaning through every later run. A decision
is never updated or deleted; the newest one for a pair wins.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column


class DecisionKind(StrEnum):
    """What a human said about two records."""

    ACCEPT = "accept"  # the same person: keep together
    REJECT = "reject"  # different persons: never put together
    SPLIT = "split"  # separated by a split of a person: never put together


class ReviewStatus(StrEnum):
    OPEN = "open"  # waiting for a human
    DECIDED = "decided"  # a human decided it
    SUPERSEDED = "superseded"  # a later run re-scored the pair, or its records were joined


class RunKind(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"


class LinkageRun(Base):
    """One `rollcall link`: what it looked at and what it changed. An incremental run
    reuses the trained model of the latest run that stored one."""

    __tablename__ = "linkage_runs"

    id: Mapped[intpk]
    kind: Mapped[RunKind] = vocabulary_column(RunKind)
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    records: Mapped[int] = mapped_column(Integer, default=0)
    #: The highest source record id this run saw: the next incremental run links the
    #: records above it.
    max_record_id: Mapped[int] = mapped_column(Integer, default=0)
    new_records: Mapped[int] = mapped_column(Integer, default=0)
    persons_before: Mapped[int] = mapped_column(Integer, default=0)
    persons_after: Mapped[int] = mapped_column(Integer, default=0)
    clusters_merged: Mapped[int] = mapped_column(Integer, default=0)
    persons_merged: Mapped[int] = mapped_column(Integer, default=0)
    review_pairs: Mapped[int] = mapped_column(Integer, default=0)
    matched_pairs: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    #: The trained Splink model (JSON text), so the next incremental run need not retrain.
    model: Mapped[str | None] = mapped_column(Text)


class ReviewPair(Base):
    """A pair of records a run scored as uncertain and did not join, with its evidence."""

    __tablename__ = "review_pairs"

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"), index=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    #: Per comparison: {"level", "weight", "left", "right"}.
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[ReviewStatus] = vocabulary_column(ReviewStatus, default=ReviewStatus.OPEN)
    #: |probability - 0.5|: the queue shows the most uncertain pairs first.
    certainty: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("link_decisions.id"))

    __table_args__ = (
        CheckConstraint("left_record_id < right_record_id", name="ordered"),
        Index("ix_review_pairs_queue", "status", "certainty", "id"),
        Index("ix_review_pairs_records", "left_record_id", "right_record_id"),
    )


class LinkDecision(Base):
    """A human's word on two records: the same person, or not. Kept forever."""

    __tablename__ = "link_decisions"

    id: Mapped[intpk]
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    kind: Mapped[DecisionKind] = vocabulary_column(DecisionKind)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("left_record_id < right_record_id", name="ordered"),
        Index("ix_link_decisions_records", "left_record_id", "right_record_id", "id"),
    )
