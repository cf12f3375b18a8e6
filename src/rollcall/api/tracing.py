"""The tracing search: `GET /api/trace?q=`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from rollcall.api.schemas import PersonOut, iso
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.tracing import Candidate, Reason, trace
from rollcall.tracing.query import MAX_QUERY_CHARS
from rollcall.tracing.search import MAX_LIMIT
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["tracing"])

Tracer = Annotated[Actor, Depends(requires(Permission.TRACE))]


class TraceCandidateOut(BaseModel):
    rank: int
    person: PersonOut
    display_name: str
    other_spellings: list[str] = Field(description="Every other way the person's records "
                                       "spell the name.")
    score: float
    reasons: list[Reason] = Field(description="Why the person matched: which name keys, "
                                  "how the dates of birth agree, the unit.")
    record_id: int = Field(description="The record that matched best.")

    @classmethod
    def of(cls, rank: int, candidate: Candidate) -> TraceCandidateOut:
        person = candidate.person
        return cls(rank=rank, person=PersonOut.of(person), display_name=person.display_name,
                   other_spellings=list(candidate.other_spellings),
                   score=round(candidate.score, 2), reasons=list(candidate.reasons),
                   record_id=candidate.record_id)


class TraceOut(BaseModel):
    query: str
    names: list[str] = Field(description="The words read as names.")
    birth_date: str | None = Field(description="The date of birth read from the query.")
    unit_numbers: list[str]
    candidates: list[TraceCandidateOut]


@router.get("/trace", response_model=TraceOut, summary="Find a person from any spelling")
def trace_persons(
    db: DbDep,
    actor: Tracer,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS,
                            description="Names in any script and order, a year or date "
                            "of birth, a unit: \"Александр Коваленко 1995\".")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Persons to return.")] = 10,
) -> TraceOut:
    """Ranked candidate persons, best first, each with why it matched."""
    with db.session() as session:
        result = trace(session, actor, q, limit=limit)
        return TraceOut(
            query=q, names=[t.text for t in result.query.names],
            birth_date=iso(result.query.birth_date),
            unit_numbers=sorted(result.query.unit_numbers),
            candidates=[TraceCandidateOut.of(i, c) for i, c in enumerate(result.candidates, 1)],
        )
