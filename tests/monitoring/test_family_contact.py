"""Contact with family: a delivered contact enters the timeline and ends "deprived of
contact"; an undelivered one is kept without an event; bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest
from exchange_world import build_exchanges
from sqlalchemy import func, select

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, Event, FamilyContact, Person
from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.services import family_contact
from rollcall.services.actor import Actor
from rollcall.vocabulary import ContactDirection, ContactKind, CustodyStatus, EventType, Role
from webtest_support import build_registry


def _counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (FamilyContact, Event, Change))


def test_a_delivered_capture_card_ends_deprivation_an_undelivered_letter_does_not(
        db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    with db.session() as s:
        before = exchange_counts(s).contact
    assert (before.held, before.deprived) == (1, 1)  # Mykolaienko: his letter never arrived
    events_before = _counts(db)[1]
    with db.session() as s:
        family_contact.record_contact(s, operator, reg.mykolaienko, source_id=reg.own_source,
                                      kind="letter", date="2023-09", delivered=None)
    assert _counts(db)[1] == events_before  # fate unknown: no event
    with db.session() as s:
        assert exchange_counts(s).contact.deprived == 1
        card = family_contact.record_contact(
            s, operator, reg.mykolaienko, source_id=reg.adversary_source,
            kind=ContactKind.CAPTURE_CARD, date=PartialDate(2023, 10, 2), delivered=True)
        card_id = card.id
    with db.session() as s:
        after = exchange_counts(s).contact
        event = s.scalars(select(Event).where(Event.type == EventType.CONTACT_WITH_FAMILY,
                                              Event.person_id == reg.mykolaienko)).one()
        mine = family_contact.person_contacts(s, operator, reg.mykolaienko)
    assert (after.held, after.deprived, after.in_contact) == (1, 0, 1)
    assert event.date == PartialDate(2023, 10, 2) and event.source_id == reg.adversary_source
    assert event.details == {"family_contact_id": card_id, "kind": "capture_card",
                             "direction": "from_person"}
    assert [(c.kind, c.date) for c in mine] == [
        (ContactKind.LETTER, PartialDate(2023, 7)), (ContactKind.LETTER, PartialDate(2023, 9)),
        (ContactKind.CAPTURE_CARD, PartialDate(2023, 10, 2))]
    with db.session() as s:  # contact is neutral to custody
        assert s.get(Person, reg.mykolaienko).custody_status is CustodyStatus.HELD


def test_a_parcel_that_reached_the_person_counts_and_merged_contacts_follow(db, operator,
                                                                           tmp_path):
    """Коваленко is held; a parcel recorded under his merged-away duplicate reached him:
    he is in contact, and it is listed on his page."""
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        counts = exchange_counts(s).contact
    assert (counts.held, counts.deprived) == (3, 3)  # Коваленко, Mykolaienko, Бондар
    with db.session() as s:
        family_contact.record_contact(s, operator, reg.kovalenko + 4, source_id=reg.own_source,
                                      kind="parcel", direction=ContactDirection.TO_PERSON,
                                      delivered=True)
    with db.session() as s:
        counts = exchange_counts(s).contact
        listed = family_contact.person_contacts(s, operator, reg.kovalenko)
    assert (counts.held, counts.deprived) == (3, 2)
    assert [c.person_id for c in listed] == [reg.kovalenko]  # stored for the survivor


def test_contact_does_not_change_custody(db, operator, tmp_path):
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        family_contact.record_contact(s, operator, reg.bondar, source_id=reg.own_source,
                                      kind="call", date="2024-01-05", delivered=True)
    with db.session() as s:
        assert s.get(Person, reg.bondar).custody_status is CustodyStatus.HELD


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"person_id": 999_999}, NotFound, "no person 999999"),
    ({"source_id": 999_999}, NotFound, "no source 999999"),
    ({"kind": "pigeon"}, InvalidValue, "kind: unknown code 'pigeon'"),
    ({"direction": "both"}, InvalidValue, "direction: unknown code 'both'"),
    ({"date": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, InvalidValue,
     "date: .* lies in the future"),
    ({"date": "03.2023"}, InvalidValue, "date: not a date"),
    ({"delivered": "yes"}, InvalidValue, "delivered: true, false"),
    ({"notes": "x" * 20_001}, InvalidValue, "notes: at most"),
    ({"actor": Actor("liaison", "api", frozenset({Role.LIAISON}))}, PermissionDenied,
     "registry:write"),
])
def test_a_bad_contact_is_refused_and_nothing_written(db, operator, tmp_path, change, error,
                                                      message):
    reg = build_registry(db, operator, tmp_path)
    arguments = {"actor": operator, "person_id": reg.kovalenko, "source_id": reg.own_source,
                 "kind": "letter", "delivered": True, **change}
    before = _counts(db)
    with db.session() as s, pytest.raises(error, match=message):
        family_contact.record_contact(s, arguments.pop("actor"), arguments.pop("person_id"),
                                      **arguments)
    assert _counts(db) == before
