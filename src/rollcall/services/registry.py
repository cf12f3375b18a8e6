"""Persons and their events: recording a fact and re-deriving the status it implies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.models import Event, Person, Site, Source, SourceRecord
from rollcall.models.base import utcnow
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, diff_states, entity_state, record_change
from rollcall.vocabulary import EventType


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    return person


def record_event(
    session: Session,
    actor: Actor,
    person_id: int,
    source_id: int,
    type: EventType,
    *,
    date: PartialDate | None = None,
    place: str | None = None,
    site_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    """Add a dated fact to a person's timeline and re-derive their status."""
    actor.require(Permission.REGISTRY_WRITE)
    person = get_person(session, person_id)
    if session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")
    if site_id is not None and session.get(Site, site_id) is None:
        raise NotFound(f"no site {site_id}")
    event = Event(
        person_id=person.id, source_id=source_id, type=type, date=date, place=place,
        site_id=site_id, details=details or {},
    )
    session.add(event)
    session.flush()
    record_change(session, actor, Action.EVENT_RECORDED, "event", event.id, entity_state(event))
    rederive_status(session, actor, person)
    return event


def rederive_status(session: Session, actor: Actor, person: Person) -> None:
    """Recompute a person's status from all their events; log it if it changed."""
    events = session.execute(
        select(Event.type, Event.date).where(Event.person_id == person.id)
    ).all()
    categories = session.scalars(
        select(SourceRecord.category).where(SourceRecord.person_id == person.id)
    ).all()
    derived = derive_status([(e.type, e.date) for e in events], categories)
    before = entity_state(person)
    person.custody_status = derived.custody
    person.legal_status = derived.legal
    person.status_as_of = derived.as_of
    after = entity_state(person)
    changed = diff_states(before, after)
    if changed:
        person.updated_at = utcnow()
        record_change(session, actor, Action.PERSON_STATUS_DERIVED, "person", person.id,
                      entity_state(person), changed)
