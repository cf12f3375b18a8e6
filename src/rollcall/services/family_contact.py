"""Contact with family (issue 4 part 9; GC III Art. 70-71): whether and when a capture
card, letter, call, parcel or message reached the family, or reached the person.

A contact that was delivered also records the person's `contact_with_family` event
(through `registry.record_event`), so the timeline shows it; one not delivered, or of
unknown fate, is kept without an event. Who is deprived of contact is counted by
`rollcall.monitoring.exchange_counts`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue
from rollcall.models import FamilyContact
from rollcall.security.permissions import Permission
from rollcall.services import registry
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.exchanges import standing_for
from rollcall.services.linkage import current_person_id
from rollcall.services.validation import (
    not_in_future,
    partial_date,
    require_source,
    text,
    vocabulary,
)
from rollcall.vocabulary import ContactDirection, ContactKind, EventType


def record_contact(
    session: Session,
    actor: Actor,
    person_id: int,
    *,
    source_id: int,
    kind: ContactKind | str,
    direction: ContactDirection | str = ContactDirection.FROM_PERSON,
    date: PartialDate | str | None = None,
    delivered: bool | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> FamilyContact:
    """Record one contact of a person (a merged id stands for its survivor) with their
    family; a delivered one also records the `contact_with_family` event."""
    actor.require(Permission.REGISTRY_WRITE)
    survivor = current_person_id(session, person_id)
    source = require_source(session, source_id)
    kind = vocabulary(ContactKind, kind, "kind")
    direction = vocabulary(ContactDirection, direction, "direction")
    day = partial_date(date, "date")
    not_in_future(day, "date", today or dt.date.today())
    if delivered is not None and not isinstance(delivered, bool):
        raise InvalidValue("delivered: true, false, or unknown (null)")
    contact = FamilyContact(person_id=survivor, kind=kind, direction=direction, date=day,
                            delivered=delivered, source_id=source, notes=text(notes, "notes"))
    session.add(contact)
    session.flush()
    if delivered:
        registry.record_event(session, actor, survivor, source, EventType.CONTACT_WITH_FAMILY,
                              date=day, details={"family_contact_id": contact.id,
                                                 "kind": kind.value,
                                                 "direction": direction.value})
    record_change(session, actor, Action.FAMILY_CONTACT_RECORDED, "family_contact",
                  contact.id, entity_state(contact, omit=frozenset({"recorded_at"})))
    return contact


def person_contacts(session: Session, actor: Actor, person_id: int) -> list[FamilyContact]:
    """A person's contacts with family (with those of anyone merged into them), by date;
    undated ones last."""
    actor.require(Permission.REGISTRY_READ)
    survivor = current_person_id(session, person_id)
    return list(session.scalars(
        select(FamilyContact).where(FamilyContact.person_id.in_(standing_for(survivor)))
        .order_by(FamilyContact.date.asc().nulls_last(), FamilyContact.id)))


__all__ = ["person_contacts", "record_contact"]
