"""Identity resolution: the review queue and its decisions, merging and splitting persons,
and the linkage runs. Looking needs registry:read; deciding, merging and splitting need
linkage:review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from rollcall.api.linkage_schemas import (
    DecisionIn,
    DecisionOut,
    DecisionResultOut,
    LinkageRunOut,
    MergeIn,
    ReviewPairDetailOut,
    ReviewPairOut,
    SplitIn,
)
from rollcall.api.schemas import Page, PersonOut, page_of
from rollcall.models import LinkDecision, ReviewStatus, SourceRecord
from rollcall.security.permissions import Permission
from rollcall.services import linkage, queries, review
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["identity resolution"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Reviewer = Annotated[Actor, Depends(requires(Permission.LINKAGE_REVIEW))]
PageNo = Annotated[int, Query(ge=1, description="1-based page number.")]
PageSize = Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE, description="Rows per page.")]


@router.get("/review/pairs", response_model=Page[ReviewPairOut],
            summary="The review queue, most uncertain pair first")
def list_pairs(db: DbDep, actor: Reader, status: ReviewStatus = ReviewStatus.OPEN,
               page: PageNo = 1, page_size: PageSize = 50) -> Page[ReviewPairOut]:
    with db.session() as session:
        paged = review.list_pairs(session, actor, status=status, page=page,
                                  page_size=page_size)
        return page_of(paged, [ReviewPairOut.of(r) for r in paged.items])


@router.get("/review/pairs/{pair_id}", response_model=ReviewPairDetailOut,
            summary="One pair: both records, both persons, the evidence for and against")
def get_pair(pair_id: int, db: DbDep, actor: Reader) -> ReviewPairDetailOut:
    with db.session() as session:
        return ReviewPairDetailOut.of(review.get_pair(session, actor, pair_id))


def _result(session: Session, actor: Actor, decision: LinkDecision) -> DecisionResultOut:
    persons = sorted({
        session.get_one(SourceRecord, decision.left_record_id).person_id,
        session.get_one(SourceRecord, decision.right_record_id).person_id,
    })
    return DecisionResultOut(decision=DecisionOut.of(decision), person_ids=persons,
                             next_pair_id=review.next_open_pair(session, actor))


@router.post("/review/pairs/{pair_id}/accept", response_model=DecisionResultOut,
             summary="The two records are one person: merge their persons")
def accept_pair(pair_id: int, body: DecisionIn, db: DbDep,
                actor: Reviewer) -> DecisionResultOut:
    with db.session() as session:
        decision = linkage.accept_pair(session, actor, pair_id, reason=body.reason)
        return _result(session, actor, decision)


@router.post("/review/pairs/{pair_id}/reject", response_model=DecisionResultOut,
             summary="The two records are different persons: keep them apart for good")
def reject_pair(pair_id: int, body: DecisionIn, db: DbDep,
                actor: Reviewer) -> DecisionResultOut:
    with db.session() as session:
        decision = linkage.reject_pair(session, actor, pair_id, reason=body.reason)
        return _result(session, actor, decision)


@router.post("/persons/merge", response_model=PersonOut,
             summary="Merge persons into the one with the lowest id")
def merge_persons(body: MergeIn, db: DbDep, actor: Reviewer) -> PersonOut:
    with db.session() as session:
        person = linkage.merge_persons(session, actor, body.person_ids, reason=body.reason)
        return PersonOut.of(person)


@router.post("/persons/{person_id}/split", response_model=PersonOut, status_code=201,
             summary="Move some of a person's records to a new person")
def split_person(person_id: int, body: SplitIn, db: DbDep, actor: Reviewer) -> PersonOut:
    with db.session() as session:
        person = linkage.split_person(session, actor, person_id, body.record_ids,
                                      reason=body.reason)
        return PersonOut.of(person)


@router.get("/linkage/runs", response_model=Page[LinkageRunOut],
            summary="Linkage runs, newest first")
def list_runs(db: DbDep, actor: Reader, page: PageNo = 1,
              page_size: PageSize = 50) -> Page[LinkageRunOut]:
    with db.session() as session:
        paged = review.list_runs(session, actor, page=page, page_size=page_size)
        return page_of(paged, [LinkageRunOut.of(r) for r in paged.items])
