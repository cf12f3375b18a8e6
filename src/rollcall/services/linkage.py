"""Identity resolution by hand: merging persons, splitting one, and a human's decision on
a pair of records (from the review queue or not).

A merge keeps the lowest id (ids may be cited elsewhere, so the others keep their rows,
pointing at the survivor through `merged_into_id`). A split moves records to a new person
and records "never together" decisions between the two groups, so that no later linkage
run joins them again. Every write records change entries. Linkage runs (`link`) apply the
engine's clusters in bulk: see `services.linkage_run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, select, update
from sqlalchemy.orm import Session

from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import (
    DecisionKind,
    Event,
    LinkDecision,
    Person,
    ReviewPair,
    ReviewStatus,
    Source,
    SourceRecord,
)
from rollcall.models.base import utcnow
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, diff_states, entity_state, record_change
from rollcall.services.person_profile import RecordFacts, profile_of, status_of

#: Longest chain of `merged_into_id` followed; merges flatten chains, so 1 is the norm.
_MAX_CHAIN = 64
MAX_REASON_CHARS = 2000

__all__ = [
    "accept_pair",
    "current_person_id",
    "decide_records",
    "merge_persons",
    "record_facts",
    "refresh_person",
    "reject_pair",
    "split_person",
]


def current_person_id(session: Session, person_id: int) -> int:
    """The person a (possibly merged) person id stands for today."""
    seen = 0
    current = person_id
    while True:
        merged_into = session.execute(
            select(Person.merged_into_id).where(Person.id == current)
        ).first()
        if merged_into is None:
            raise NotFound(f"no person {person_id}")
        if merged_into[0] is None:
            return current
        current = merged_into[0]
        seen += 1
        if seen > _MAX_CHAIN:
            raise Conflict(f"person {person_id}: merge chain too long")


def record_facts(session: Session, conds: Sequence[ColumnElement[bool]]
                 ) -> list[tuple[int, RecordFacts]]:
    """(person id, facts) of the records matching `conds`, for choosing profiles."""
    rows = session.execute(
        select(SourceRecord.person_id, SourceRecord.id, Source.origin, SourceRecord.surname,
               SourceRecord.given_name, SourceRecord.patronymic, SourceRecord.name_script,
               SourceRecord.sex, SourceRecord.birth_date, SourceRecord.category)
        .join(Source, SourceRecord.source_id == Source.id)
        .where(*conds)
    ).all()
    return [(row[0], RecordFacts(*row[1:])) for row in rows]


def refresh_person(session: Session, person: Person) -> None:
    """Re-choose a person's profile from their records and re-derive their status from
    their events (after records moved in or out). The caller records the change."""
    facts = [f for _, f in record_facts(session, [SourceRecord.person_id == person.id])]
    if not facts:
        raise Conflict(f"person {person.id} would have no records left")
    events = session.execute(
        select(Event.type, Event.date).where(Event.person_id == person.id)
    ).all()
    profile = profile_of(facts)
    status = status_of(((e.type, e.date) for e in events), facts)
    for name in ("surname", "given_name", "patronymic", "name_script", "sex", "birth_date",
                 "category", "search_key"):
        setattr(person, name, getattr(profile, name))
    person.custody_status = status.custody
    person.legal_status = status.legal
    person.status_as_of = status.as_of
    person.updated_at = utcnow()


def _reason(reason: str | None) -> str | None:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidValue(f"a reason is at most {MAX_REASON_CHARS} characters")
    return reason or None


def _supersede_pairs_within(session: Session, person_id: int) -> None:
    """Open review pairs whose two records now belong to one person need no review."""
    own = select(SourceRecord.id).where(SourceRecord.person_id == person_id)
    session.execute(
        update(ReviewPair)
        .where(ReviewPair.status == ReviewStatus.OPEN, ReviewPair.left_record_id.in_(own),
               ReviewPair.right_record_id.in_(own))
        .values(status=ReviewStatus.SUPERSEDED),
        execution_options={"synchronize_session": False},
    )


def merge_persons(session: Session, actor: Actor, person_ids: Iterable[int], *,
                  reason: str | None = None) -> Person:
    """Merge persons into the one with the lowest id and return it. Their records and
    events move to it; the others point at it through `merged_into_id`. Ids of persons
    merged earlier stand for their survivor. One change entry per person."""
    actor.require(Permission.LINKAGE_REVIEW)
    reason = _reason(reason)
    given = list(person_ids)
    if not given:
        raise InvalidValue("name the persons to merge")
    ids = sorted({current_person_id(session, pid) for pid in given})
    survivor = session.get(Person, ids[0])
    assert survivor is not None
    absorbed = ids[1:]
    if not absorbed:
        return survivor

    before = entity_state(survivor)
    records = list(session.scalars(
        select(SourceRecord.id).where(SourceRecord.person_id.in_(absorbed))
        .order_by(SourceRecord.id)))
    events = list(session.scalars(
        select(Event.id).where(Event.person_id.in_(absorbed)).order_by(Event.id)))
    sync: dict[str, Any] = {"synchronize_session": "fetch"}
    session.execute(update(SourceRecord).where(SourceRecord.person_id.in_(absorbed))
                    .values(person_id=survivor.id), execution_options=sync)
    session.execute(update(Event).where(Event.person_id.in_(absorbed))
                    .values(person_id=survivor.id), execution_options=sync)
    session.execute(update(Person).where(Person.merged_into_id.in_(absorbed))
                    .values(merged_into_id=survivor.id), execution_options=sync)
    now = utcnow()
    for person in list(session.scalars(select(Person).where(Person.id.in_(absorbed))
                                       .order_by(Person.id))):
        person.merged_into_id = survivor.id
        person.updated_at = now
        session.flush()
        record_change(session, actor, Action.PERSON_MERGED, "person", person.id,
                      entity_state(person), {"merged_into_id": [None, survivor.id],
                                             "reason": reason})
    refresh_person(session, survivor)
    session.flush()
    after = entity_state(survivor)
    record_change(session, actor, Action.PERSON_MERGED, "person", survivor.id, after,
                  {**diff_states(before, after), "merged_persons": absorbed,
                   "records": records, "events": events, "reason": reason})
    _supersede_pairs_within(session, survivor.id)
    return survivor


def _ordered(a: int, b: int) -> tuple[int, int]:
    if a == b:
        raise InvalidValue("a decision needs two different records")
    return (a, b) if a < b else (b, a)


def split_person(session: Session, actor: Actor, person_id: int, record_ids: Iterable[int],
                 *, reason: str | None = None) -> Person:
    """Move some of a person's records (and the events they gave) to a new person, and
    record that no record moved belongs with any record left. Returns the new person."""
    actor.require(Permission.LINKAGE_REVIEW)
    reason = _reason(reason)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    if person.merged_into_id is not None:
        raise Conflict(f"person {person_id} was merged into person {person.merged_into_id}; "
                       "split that one")
    own = set(session.scalars(select(SourceRecord.id)
                              .where(SourceRecord.person_id == person_id)))
    moving = sorted(set(record_ids))
    if not moving:
        raise InvalidValue("choose the records to move to a new person")
    strangers = [r for r in moving if r not in own]
    if strangers:
        raise InvalidValue(f"record {strangers[0]} is not one of person {person_id}'s")
    staying = sorted(own - set(moving))
    if not staying:
        raise InvalidValue("a split must leave at least one record with the person")

    before = entity_state(person)
    new = Person(surname="", search_key="")
    session.add(new)
    session.flush()
    sync: dict[str, Any] = {"synchronize_session": "fetch"}
    session.execute(update(SourceRecord).where(SourceRecord.id.in_(moving))
                    .values(person_id=new.id), execution_options=sync)
    events = list(session.scalars(
        select(Event.id).where(Event.person_id == person_id,
                               Event.source_record_id.in_(moving)).order_by(Event.id)))
    session.execute(update(Event).where(Event.id.in_(events)).values(person_id=new.id),
                    execution_options=sync)
    now = utcnow()
    pairs = sorted(_ordered(a, b) for a in moving for b in staying)
    session.execute(insert(LinkDecision), [
        {"left_record_id": left, "right_record_id": right, "kind": DecisionKind.SPLIT,
         "decided_by": actor.username, "decided_at": now, "reason": reason}
        for left, right in pairs
    ])
    refresh_person(session, new)
    refresh_person(session, person)
    session.flush()
    after = entity_state(person)
    record_change(session, actor, Action.PERSON_SPLIT, "person", person.id, after,
                  {**diff_states(before, after), "split_into": new.id, "records": moving,
                   "events": events, "reason": reason})
    record_change(session, actor, Action.PERSON_SPLIT, "person", new.id, entity_state(new),
                  {"split_from": person.id, "records": moving, "events": events,
                   "never_with": [list(p) for p in pairs], "reason": reason})
    return new


def _record_person(session: Session, record_id: int) -> int:
    person_id = session.scalar(select(SourceRecord.person_id)
                               .where(SourceRecord.id == record_id))
    if person_id is None:
        raise NotFound(f"no record {record_id}")
    return person_id


def decide_records(session: Session, actor: Actor, left_record_id: int,
                   right_record_id: int, kind: DecisionKind, *,
                   reason: str | None = None) -> LinkDecision:
    """A human's word on two records. Accept merges their persons; reject keeps them
    apart in every later run (and is refused while they are one person: split first).
    Open review pairs of the same two records are marked decided."""
    actor.require(Permission.LINKAGE_REVIEW)
    if kind not in (DecisionKind.ACCEPT, DecisionKind.REJECT):
        raise InvalidValue("a decision on a pair is accept or reject; split a person instead")
    reason = _reason(reason)
    left, right = _ordered(left_record_id, right_record_id)
    left_person, right_person = _record_person(session, left), _record_person(session, right)
    if kind is DecisionKind.REJECT and left_person == right_person:
        raise Conflict(f"records {left} and {right} belong to one person ({left_person}); "
                       "split the person to keep them apart")
    decision = LinkDecision(left_record_id=left, right_record_id=right, kind=kind,
                            decided_by=actor.username, reason=reason)
    session.add(decision)
    session.flush()
    pair_ids = list(session.scalars(
        select(ReviewPair.id).where(ReviewPair.status == ReviewStatus.OPEN,
                                    and_(ReviewPair.left_record_id == left,
                                         ReviewPair.right_record_id == right))))
    session.execute(update(ReviewPair).where(ReviewPair.id.in_(pair_ids))
                    .values(status=ReviewStatus.DECIDED, decision_id=decision.id),
                    execution_options={"synchronize_session": "fetch"})
    action = Action.LINK_ACCEPTED if kind is DecisionKind.ACCEPT else Action.LINK_REJECTED
    record_change(session, actor, action, "link_decision", decision.id,
                  entity_state(decision),
                  {"review_pairs": pair_ids, "persons": sorted({left_person, right_person})})
    if kind is DecisionKind.ACCEPT and left_person != right_person:
        merge_persons(session, actor, [left_person, right_person], reason=reason)
    return decision


def _open_pair(session: Session, pair_id: int) -> ReviewPair:
    pair = session.get(ReviewPair, pair_id)
    if pair is None:
        raise NotFound(f"no review pair {pair_id}")
    if pair.status is not ReviewStatus.OPEN:
        raise Conflict(f"review pair {pair_id} is {pair.status.value}, not open")
    return pair


def accept_pair(session: Session, actor: Actor, pair_id: int, *,
                reason: str | None = None) -> LinkDecision:
    """The reviewer says the pair's two records are one person: their persons merge."""
    actor.require(Permission.LINKAGE_REVIEW)
    pair = _open_pair(session, pair_id)
    return decide_records(session, actor, pair.left_record_id, pair.right_record_id,
                          DecisionKind.ACCEPT, reason=reason)


def reject_pair(session: Session, actor: Actor, pair_id: int, *,
                reason: str | None = None) -> LinkDecision:
    """The reviewer says the pair's two records are different persons: kept apart."""
    actor.require(Permission.LINKAGE_REVIEW)
    pair = _open_pair(session, pair_id)
    return decide_records(session, actor, pair.left_record_id, pair.right_record_id,
                          DecisionKind.REJECT, reason=reason)
