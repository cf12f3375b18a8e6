"""The tracing search: free text in any script to ranked candidate persons.

1. Parse the query (`query`): name tokens with all their keys, date of birth, unit.
2. Fetch candidates from the index (`keys`): the precise compound keys first (year of
   birth give or take one, or unknown; then a few of any year, in case the year is
   wrong), then the forgiving ones with the exact year, each bounded, so a query reads
   at most a few hundred index entries whatever the registry's size.
3. Rank the candidate records in Python (`rank`) on what `trace_names` stores of them.
4. Map the best records to their persons (as linked now), reading every spelling of
   those persons' names with them, and load the persons shown: display name, other
   spellings, birth date, status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.models import Person
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.tracing.lookup import candidate_ids, candidate_records, names_of_persons
from rollcall.tracing.query import TraceQuery, parse_query
from rollcall.tracing.rank import CandidateRecord, Ranker, Reason, Scored

MAX_LIMIT = 50


@dataclass(frozen=True)
class Candidate:
    """A person the search proposes, with why."""

    person: Person
    score: float
    reasons: tuple[Reason, ...]
    #: The record that matched best.
    record_id: int
    #: Every other way the person's records spell the name.
    other_spellings: tuple[str, ...]


@dataclass(frozen=True)
class TraceResult:
    query: TraceQuery
    candidates: list[Candidate]
    #: Records looked at, for the curious and the benchmark.
    records_considered: int


@dataclass
class _PersonScore:
    person_id: int
    best: Scored
    #: Every spelling of the person's name across its records, in record order.
    spellings: dict[str, None]


def rank_persons(session: Session, query: TraceQuery, records: Sequence[CandidateRecord],
                 limit: int) -> list[_PersonScore]:
    """The best `limit` persons: records by score (ties: lower id first), mapped to their
    persons now (linkage moves records) a few at a time, each person scored by its best
    record; with the same read, every spelling of each person's name."""
    ranker = Ranker(query)
    scored = sorted((ranker.score(r) for r in records), key=lambda s: (-s.score, s.record_id))
    best: dict[int, _PersonScore] = {}
    step = limit * 2
    conn = session.connection()
    for start in range(0, len(scored), step):
        chunk = scored[start:start + step]
        rows = sorted(names_of_persons(conn, [s.record_id for s in chunk]))
        person_of = {row[0]: row[1] for row in rows}
        for s in chunk:
            person_id = person_of.get(s.record_id)
            if person_id is not None and person_id not in best:
                best[person_id] = _PersonScore(person_id, s, {})
        for _, person_id, *parts in rows:
            best[person_id].spellings[" ".join(p for p in parts if p)] = None
        if len(best) >= limit:
            break
    return list(best.values())


def trace(session: Session, actor: Actor, text: str, *, limit: int = 10,
          today: dt.date | None = None) -> TraceResult:
    """Ranked candidate persons for a free-text query (see the module docstring)."""
    actor.require(Permission.TRACE)
    return trace_query(session, parse_query(text, today=today), limit=limit)


def trace_query(session: Session, query: TraceQuery, *, limit: int = 10) -> TraceResult:
    """The search for a parsed query; callers check the permission (`trace`, the
    tracing requests)."""
    limit = min(max(1, limit), MAX_LIMIT)
    if query.empty:
        return TraceResult(query, [], 0)
    conn = session.connection()
    records = candidate_records(conn, candidate_ids(conn, query))
    ranked = rank_persons(session, query, records, limit)
    # A person merged away has no records left, so it is rarely reached; it is never shown.
    # (Filtered here, not in SQL: a plan that reads persons by `merged_into_id`, nearly all
    # empty, would read them all.)
    persons = {p.id: p for p in session.scalars(
        select(Person).where(Person.id.in_([r.person_id for r in ranked])))
        if p.merged_into_id is None}
    chosen = [r for r in ranked if r.person_id in persons][:limit]
    return TraceResult(query, [
        Candidate(persons[r.person_id], r.best.score, r.best.reasons, r.best.record_id,
                  tuple(n for n in r.spellings if n != persons[r.person_id].display_name))
        for r in chosen], len(records))
