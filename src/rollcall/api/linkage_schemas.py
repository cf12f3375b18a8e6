"""What the identity-resolution API takes and answers: the review queue, decisions, merges,
splits and linkage runs. Inputs and outputs are separate models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from rollcall.api.schemas import PersonOut, SourceRecordOut
from rollcall.models import DecisionKind, LinkageRun, LinkDecision, ReviewStatus, RunKind
from rollcall.services.linkage import MAX_REASON_CHARS
from rollcall.services.review import Evidence, PersonSide, ReviewDetail, ReviewRow

Reason = Field(default=None, max_length=MAX_REASON_CHARS,
               description="Why: kept with the decision and in the change log.")


class DecisionIn(BaseModel):
    reason: str | None = Reason


class MergeIn(BaseModel):
    person_ids: list[int] = Field(min_length=2, max_length=1000,
                                  description="Persons to merge; the lowest id survives.")
    reason: str | None = Reason


class SplitIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, max_length=10_000,
                                  description="The person's records to move to a new person.")
    reason: str | None = Reason


class RecordBrief(BaseModel):
    id: int
    person_id: int
    source_id: int
    surname: str
    given_name: str | None
    patronymic: str | None
    birth_date: str | None


def _brief(record: Any) -> RecordBrief:
    return RecordBrief(id=record.id, person_id=record.person_id, source_id=record.source_id,
                       surname=record.surname, given_name=record.given_name,
                       patronymic=record.patronymic,
                       birth_date=record.birth_date.isoformat() if record.birth_date else None)


class ReviewPairOut(BaseModel):
    id: int
    run_id: int
    status: ReviewStatus
    probability: float = Field(description="Match probability the run gave the pair.")
    match_weight: float
    left: RecordBrief
    right: RecordBrief
    decision_id: int | None

    @classmethod
    def of(cls, row: ReviewRow) -> ReviewPairOut:
        pair = row.pair
        return cls(id=pair.id, run_id=pair.run_id, status=pair.status,
                   probability=pair.probability, match_weight=pair.match_weight,
                   left=_brief(row.left), right=_brief(row.right),
                   decision_id=pair.decision_id)


class EvidenceOut(BaseModel):
    comparison: str
    level: str
    weight: float = Field(description="Match weight of this level: > 0 for, < 0 against.")
    direction: str = Field(description="for | against | neutral")
    left: Any
    right: Any

    @classmethod
    def of(cls, item: Evidence) -> EvidenceOut:
        return cls(comparison=item.comparison, level=item.level, weight=item.weight,
                   direction=item.direction, left=item.left, right=item.right)


class SideOut(BaseModel):
    record: SourceRecordOut
    person: PersonOut
    person_records: list[SourceRecordOut]

    @classmethod
    def of(cls, side: PersonSide) -> SideOut:
        return cls(record=SourceRecordOut.of(side.record),
                   person=PersonOut.of(side.person, len(side.records)),
                   person_records=[SourceRecordOut.of(v) for v in side.records])


class DecisionOut(BaseModel):
    id: int
    left_record_id: int
    right_record_id: int
    kind: DecisionKind
    decided_by: str
    decided_at: dt.datetime
    reason: str | None

    @classmethod
    def of(cls, decision: LinkDecision) -> DecisionOut:
        return cls(id=decision.id, left_record_id=decision.left_record_id,
                   right_record_id=decision.right_record_id, kind=decision.kind,
                   decided_by=decision.decided_by, decided_at=decision.decided_at,
                   reason=decision.reason)


class ReviewPairDetailOut(BaseModel):
    id: int
    run_id: int
    status: ReviewStatus
    probability: float
    match_weight: float
    left: SideOut
    right: SideOut
    evidence: list[EvidenceOut] = Field(description="Strongest evidence first.")
    decision: DecisionOut | None
    next_pair_id: int | None = Field(description="The next open pair in the queue.")

    @classmethod
    def of(cls, detail: ReviewDetail) -> ReviewPairDetailOut:
        pair = detail.pair
        return cls(id=pair.id, run_id=pair.run_id, status=pair.status,
                   probability=pair.probability, match_weight=pair.match_weight,
                   left=SideOut.of(detail.left), right=SideOut.of(detail.right),
                   evidence=[EvidenceOut.of(e) for e in detail.evidence],
                   decision=DecisionOut.of(detail.decision) if detail.decision else None,
                   next_pair_id=detail.next_pair_id)


class DecisionResultOut(BaseModel):
    decision: DecisionOut
    person_ids: list[int] = Field(description="The persons of the two records afterwards.")
    next_pair_id: int | None


class LinkageRunOut(BaseModel):
    id: int
    kind: RunKind
    actor: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    records: int
    new_records: int
    persons_before: int
    persons_after: int
    clusters_merged: int
    persons_merged: int
    review_pairs: int
    matched_pairs: int
    seconds: float

    @classmethod
    def of(cls, run: LinkageRun) -> LinkageRunOut:
        return cls(id=run.id, kind=run.kind, actor=run.actor, started_at=run.started_at,
                   finished_at=run.finished_at, records=run.records,
                   new_records=run.new_records, persons_before=run.persons_before,
                   persons_after=run.persons_after, clusters_merged=run.clusters_merged,
                   persons_merged=run.persons_merged, review_pairs=run.review_pairs,
                   matched_pairs=run.matched_pairs, seconds=run.seconds)
