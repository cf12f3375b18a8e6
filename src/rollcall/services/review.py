"""Reading the review queue: the uncertain pairs a linkage run left for a human, the most
uncertain first, and one pair with both records, both persons and the evidence.

Read-only, like `services.queries`; the decisions are written by `services.linkage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer, joinedload

from rollcall.errors import NotFound
from rollcall.models import LinkageRun, LinkDecision, Person, ReviewPair, ReviewStatus, SourceRecord
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.queries import Paged, RecordView, _page, record_views

#: Comparisons whose weight is within this of zero say nothing either way.
NEUTRAL_WEIGHT = 0.05


@dataclass(frozen=True)
class ReviewRow:
    pair: ReviewPair
    left: SourceRecord
    right: SourceRecord


@dataclass(frozen=True)
class Evidence:
    """One comparison of the pair: its level, weight, and the two values compared."""

    comparison: str
    level: str
    weight: float
    left: Any
    right: Any

    @property
    def direction(self) -> str:
        """"for" a match, "against" it, or "neutral"."""
        if self.weight > NEUTRAL_WEIGHT:
            return "for"
        if self.weight < -NEUTRAL_WEIGHT:
            return "against"
        return "neutral"


@dataclass(frozen=True)
class PersonSide:
    """One side of a pair: the record, and the person it belongs to with all records."""

    record: RecordView
    person: Person
    records: list[RecordView]


@dataclass(frozen=True)
class ReviewDetail:
    pair: ReviewPair
    left: PersonSide
    right: PersonSide
    evidence: list[Evidence]
    decision: LinkDecision | None
    next_pair_id: int | None

    @property
    def same_person(self) -> bool:
        return self.left.person.id == self.right.person.id


def _queue_order() -> tuple[Any, ...]:
    return (ReviewPair.certainty, ReviewPair.id)


def list_pairs(session: Session, actor: Actor, *, status: ReviewStatus | None = ReviewStatus.OPEN,
               page: int = 1, page_size: int = 50) -> Paged[ReviewRow]:
    """Review pairs, most uncertain first (probability nearest one half)."""
    actor.require(Permission.REGISTRY_READ)
    conds = [ReviewPair.status == status] if status is not None else []
    stmt = select(ReviewPair).where(*conds).order_by(*_queue_order())
    paged: Paged[ReviewPair] = _page(session, stmt, select(func.count(ReviewPair.id))
                                     .where(*conds), page, page_size)
    ids = {p.left_record_id for p in paged.items} | {p.right_record_id for p in paged.items}
    records = {r.id: r for r in session.scalars(select(SourceRecord)
                                                .where(SourceRecord.id.in_(ids)))}
    rows = [ReviewRow(p, records[p.left_record_id], records[p.right_record_id])
            for p in paged.items]
    return Paged(rows, paged.total, paged.page, paged.page_size)


def next_open_pair(session: Session, actor: Actor, after: int | None = None) -> int | None:
    """The open pair that comes after pair `after` in the queue (the first if None; the
    first again when `after` was the last, so skipped pairs come round)."""
    actor.require(Permission.REGISTRY_READ)
    stmt = select(ReviewPair.id).where(ReviewPair.status == ReviewStatus.OPEN)
    if after is not None:
        current = session.get(ReviewPair, after)
        if current is not None:
            later = stmt.where(or_(
                ReviewPair.certainty > current.certainty,
                and_(ReviewPair.certainty == current.certainty, ReviewPair.id > current.id)))
            found = session.scalar(later.order_by(*_queue_order()).limit(1))
            if found is not None:
                return found
            stmt = stmt.where(ReviewPair.id != current.id)
    return session.scalar(stmt.order_by(*_queue_order()).limit(1))


def _side(session: Session, actor: Actor, record_id: int) -> PersonSide:
    record = session.scalar(select(SourceRecord).options(joinedload(SourceRecord.source))
                            .where(SourceRecord.id == record_id))
    if record is None:
        raise NotFound(f"no record {record_id}")
    person = session.get(Person, record.person_id)
    assert person is not None
    records = session.scalars(select(SourceRecord).options(joinedload(SourceRecord.source))
                              .where(SourceRecord.person_id == person.id)
                              .order_by(SourceRecord.id)).all()
    views = record_views(session, actor, [record, *records])
    return PersonSide(views[0], person, views[1:])


def evidence_of(pair: ReviewPair) -> list[Evidence]:
    """The pair's comparisons, strongest evidence (either way) first."""
    items = [
        Evidence(name, str(item.get("level", "")), float(item.get("weight") or 0.0),
                 item.get("left"), item.get("right"))
        for name, item in (pair.evidence or {}).items() if isinstance(item, dict)
    ]
    return sorted(items, key=lambda e: -abs(e.weight))


def get_pair(session: Session, actor: Actor, pair_id: int) -> ReviewDetail:
    actor.require(Permission.REGISTRY_READ)
    pair = session.get(ReviewPair, pair_id)
    if pair is None:
        raise NotFound(f"no review pair {pair_id}")
    decision = session.get(LinkDecision, pair.decision_id) if pair.decision_id else None
    return ReviewDetail(
        pair=pair,
        left=_side(session, actor, pair.left_record_id),
        right=_side(session, actor, pair.right_record_id),
        evidence=evidence_of(pair),
        decision=decision,
        next_pair_id=next_open_pair(session, actor, pair.id),
    )


def list_runs(session: Session, actor: Actor, *, page: int = 1,
              page_size: int = 50) -> Paged[LinkageRun]:
    """Linkage runs, newest first."""
    actor.require(Permission.REGISTRY_READ)
    stmt = (select(LinkageRun).options(defer(LinkageRun.model))
            .where(LinkageRun.finished_at.is_not(None)).order_by(LinkageRun.id.desc()))
    count = select(func.count(LinkageRun.id)).where(LinkageRun.finished_at.is_not(None))
    return _page(session, stmt, count, page, page_size)
