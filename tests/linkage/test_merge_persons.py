"""Merging and splitting persons by hand: records, events, profile, status, change entries
and the decisions a split leaves behind."""

import pytest
from merge_support import import_three_lists, live_person_count, records_of
from sqlalchemy import select

from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, DecisionKind, Event, LinkDecision, Person, SourceRecord
from rollcall.services.actor import Actor
from rollcall.services.linkage import (
    current_person_id,
    decide_records,
    merge_persons,
    split_person,
)
from rollcall.vocabulary import CustodyStatus, LegalStatus, Role


@pytest.fixture
def lists(db, operator, tmp_path):
    return import_three_lists(db, operator, tmp_path)


def tarasenko_ids(db):
    """Person ids of the three Tarasenko records: own list, adversary list, ICRC list."""
    with db.session() as s:
        return list(s.scalars(select(SourceRecord.person_id)
                              .where(SourceRecord.surname.in_(["Тарасенко", "Tarasenko"]))
                              .order_by(SourceRecord.id)))


def test_a_merge_keeps_the_lowest_id_and_moves_records_and_events(db, operator, lists):
    own, theirs, icrc = tarasenko_ids(db)
    with db.session() as s:
        events_before = s.scalars(select(Event.id).where(
            Event.person_id.in_([own, theirs, icrc]))).all()
    with db.session() as s:
        survivor = merge_persons(s, operator, [icrc, theirs, own])
        assert survivor.id == own
    assert len(records_of(db, own)) == 3
    assert records_of(db, theirs) == records_of(db, icrc) == []
    with db.session() as s:
        assert sorted(s.scalars(select(Event.id).where(Event.person_id == own))) == \
            sorted(events_before)
        merged = {p.id: p.merged_into_id for p in s.scalars(
            select(Person).where(Person.id.in_([own, theirs, icrc])))}
    assert merged == {own: None, theirs: own, icrc: own}
    assert live_person_count(db) == 5 - 2


def test_the_survivor_shows_the_own_bureau_names_and_the_most_precise_birth_date(
        db, operator, lists):
    ids = tarasenko_ids(db)
    with db.session() as s:
        person = merge_persons(s, operator, ids)
        shown = (person.surname, person.given_name, person.patronymic,
                 person.birth_date.isoformat())
        key = person.search_key
    assert shown == ("Тарасенко", "Остап", "Ілліч", "1991-02-14")
    assert key.startswith("тарасенко остап ілліч")
    for spelling in ("ильич", "tarasenko ostap"):
        assert spelling in key


def test_the_status_is_re_derived_from_every_source(db, operator, lists):
    own, theirs, _ = tarasenko_ids(db)
    with db.session() as s:
        assert s.get(Person, own).custody_status is CustodyStatus.HELD
        person = merge_persons(s, operator, [own, theirs])
        # Held on 2023-05-01 by our list, released on 2023-09-20 by theirs.
        assert person.custody_status is CustodyStatus.RELEASED
        assert person.status_as_of.isoformat() == "2023-09-20"
        assert person.legal_status is LegalStatus.POW


def test_each_person_of_a_merge_gets_a_change_entry(db, operator, lists):
    ids = tarasenko_ids(db)
    with db.session() as s:
        merge_persons(s, operator, ids, reason="same card number")
    with db.session() as s:
        entries = s.scalars(select(Change).where(Change.action == "person:merged")
                            .order_by(Change.id)).all()
        assert sorted(int(e.entity_id) for e in entries) == sorted(ids)
        survivor = next(e for e in entries if int(e.entity_id) == ids[0])
        assert survivor.diff["merged_persons"] == ids[1:]
        assert len(survivor.diff["records"]) == 2
        assert survivor.diff["reason"] == "same card number"
        absorbed = next(e for e in entries if int(e.entity_id) == ids[1])
        assert f'"merged_into_id":{ids[0]}' in absorbed.state


def test_a_merged_id_stands_for_its_survivor_and_chains_are_flattened(db, operator, lists):
    own, theirs, icrc = tarasenko_ids(db)
    with db.session() as s:
        assert merge_persons(s, operator, [theirs, icrc]).id == theirs
    with db.session() as s:
        assert merge_persons(s, operator, [icrc, own]).id == own
    with db.session() as s:
        assert s.get(Person, icrc).merged_into_id == own
        assert current_person_id(s, icrc) == own
        # Merging persons already one is no change.
        assert merge_persons(s, operator, [own, theirs]).id == own
    with db.session() as s, pytest.raises(NotFound):
        current_person_id(s, 999_999)


def test_merging_needs_the_linkage_review_permission(db, operator, lists):
    analyst = Actor("analyst", "api", frozenset({Role.ANALYST}))
    with db.session() as s, pytest.raises(PermissionDenied):
        merge_persons(s, analyst, tarasenko_ids(db))
    with db.session() as s, pytest.raises(InvalidValue):
        merge_persons(s, operator, [])


def test_a_split_moves_records_and_their_events_and_records_never_together(
        db, operator, lists):
    own, theirs, icrc = tarasenko_ids(db)
    with db.session() as s:
        merge_persons(s, operator, [own, theirs, icrc])
    their_record = records_of(db, own)[1]
    with db.session() as s:
        theirs_events = s.scalars(select(Event.id).where(
            Event.source_record_id == their_record)).all()
        assert theirs_events
        new = split_person(s, operator, own, [their_record], reason="different father")
        new_id = new.id
        assert (new.surname, new.patronymic) == ("Тарасенко", "Ильич")
        assert new.custody_status is CustodyStatus.RELEASED
        assert s.get(Person, own).custody_status is CustodyStatus.HELD
    assert new_id not in (own, theirs, icrc)
    assert records_of(db, new_id) == [their_record]
    with db.session() as s:
        assert sorted(s.scalars(select(Event.id).where(Event.person_id == new_id))) == \
            sorted(theirs_events)
        decisions = s.scalars(select(LinkDecision)).all()
        assert {(d.left_record_id, d.right_record_id, d.kind) for d in decisions} == {
            (*sorted((their_record, other)), DecisionKind.SPLIT)
            for other in records_of(db, own)}
        entries = s.scalars(select(Change.entity_id).where(Change.action == "person:split")
                            ).all()
        assert sorted(entries) == sorted([str(own), str(new_id)])


def test_a_split_must_leave_records_on_both_sides(db, operator, lists):
    own, theirs, _ = tarasenko_ids(db)
    with db.session() as s:
        merge_persons(s, operator, [own, theirs])
    records = records_of(db, own)
    other = records_of(db, tarasenko_ids(db)[2])
    for chosen, error in (([], InvalidValue), (records, InvalidValue),
                          (other, InvalidValue)):
        with db.session() as s, pytest.raises(error):
            split_person(s, operator, own, chosen)
    with db.session() as s, pytest.raises(Conflict):
        split_person(s, operator, theirs, records[:1])


def test_accepting_two_records_merges_their_persons_and_rejecting_one_person_is_refused(
        db, operator, lists):
    own, theirs, _ = tarasenko_ids(db)
    first, second = records_of(db, own)[0], records_of(db, theirs)[0]
    with db.session() as s:
        decision = decide_records(s, operator, second, first, DecisionKind.ACCEPT)
        assert (decision.left_record_id, decision.right_record_id) == (first, second)
    assert records_of(db, own) == [first, second]
    with db.session() as s, pytest.raises(Conflict, match="split the person"):
        decide_records(s, operator, first, second, DecisionKind.REJECT)
    with db.session() as s:
        actions = s.scalars(select(Change.action).where(Change.action.like("link:%"))).all()
    assert actions == ["link:accepted"]
