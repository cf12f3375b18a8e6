"""Exchanges: recording one, attaching persons each way, a body's identification. Statuses
follow from the events the attachments record; bad input is refused with nothing
written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from exchange_world import FEBRUARY, JANUARY, build_exchanges
from sqlalchemy import func, select

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, Event, Exchange, ExchangePerson, Person
from rollcall.services import exchanges, linkage
from rollcall.services.actor import Actor
from rollcall.vocabulary import (
    CustodyStatus,
    EventType,
    ExchangeDirection,
    ExchangeKind,
    IdentificationStatus,
    Role,
)
from webtest_support import build_registry

TO_OWN = ExchangeDirection.TO_OWN_SIDE


def _counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(table))
                     for table in (Exchange, ExchangePerson, Event, Change))


def _person(db, person_id):
    with db.session() as s:
        return s.get(Person, person_id)


def test_a_held_person_handed_over_alive_becomes_released(db, operator, tmp_path):
    reg = build_registry(db, operator, tmp_path)
    assert _person(db, reg.kovalenko).custody_status is CustodyStatus.HELD
    with db.session() as s:
        exchange = exchanges.record_exchange(s, operator, date=JANUARY, mediator_code="uae",
                                             source_id=reg.own_source)
        result = exchanges.attach_persons(s, operator, exchange.id, [reg.kovalenko],
                                          direction=TO_OWN)
        exchange_id = exchange.id
    assert (result.attached, result.already) == ([reg.kovalenko], [])
    person = _person(db, reg.kovalenko)
    assert person.custody_status is CustodyStatus.RELEASED
    assert person.status_as_of == PartialDate(2024, 1, 3)
    with db.session() as s:
        event = s.scalars(select(Event).where(Event.person_id == reg.kovalenko,
                                              Event.type == EventType.EXCHANGED)).one()
        entry = s.scalars(select(Change).where(Change.action == "exchange:persons_attached")
                          ).one()
    assert event.date == PartialDate(2024, 1, 3) and event.source_id == reg.own_source
    assert event.details == {"exchange_id": exchange_id, "direction": "to_own_side",
                             "kind": "alive"}
    state = json.loads(entry.state)
    assert state["person_ids"] == [reg.kovalenko] and state["direction"] == "to_own_side"


def test_a_body_repatriated_makes_the_person_dead_and_identification_moves_forward(
        db, operator, tmp_path):
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        exchange_id = exchanges.record_exchange(s, operator, date=JANUARY,
                                                source_id=reg.own_source).id
        exchanges.attach_persons(s, operator, exchange_id, [reg.bondar], direction=TO_OWN,
                                 kind=ExchangeKind.BODY)
    bondar = _person(db, reg.bondar)
    assert bondar.custody_status is CustodyStatus.DEAD
    assert bondar.status_as_of == PartialDate(2024, 1, 3)
    with db.session() as s:
        row = s.get(ExchangePerson, (exchange_id, reg.bondar))
        assert row.identification is IdentificationStatus.UNIDENTIFIED
        exchanges.set_identification(s, operator, exchange_id, reg.bondar, "pending")
    before = _counts(db)
    with db.session() as s, pytest.raises(Conflict, match="already pending"):
        exchanges.set_identification(s, operator, exchange_id, reg.bondar, "unidentified")
    assert _counts(db) == before
    with db.session() as s:
        exchanges.set_identification(s, operator, exchange_id, reg.bondar, "identified",
                                     date=PartialDate(2024, 3))
    with db.session() as s:
        identified = s.scalars(select(Event).where(Event.type == EventType.IDENTIFIED)).one()
        assert s.get(ExchangePerson, (exchange_id, reg.bondar)).identification is \
            IdentificationStatus.IDENTIFIED
    assert (identified.person_id, identified.date) == (reg.bondar, PartialDate(2024, 3))
    assert _person(db, reg.bondar).custody_status is CustodyStatus.DEAD


def test_attaching_again_the_same_way_is_skipped_another_way_refused(db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    before = _counts(db)
    with db.session() as s:
        again = exchanges.attach_persons(s, operator, world.first, [reg.kovalenko],
                                         direction=TO_OWN)
    assert (again.attached, again.already) == ([], [reg.kovalenko])
    assert _counts(db) == before
    # The merged-away duplicate of Коваленко stands for him: the same person.
    duplicate = reg.kovalenko + 4
    assert _person(db, duplicate).merged_into_id == reg.kovalenko
    with db.session() as s, pytest.raises(Conflict, match=f"person\\(s\\) {reg.kovalenko} "):
        exchanges.attach_persons(s, operator, world.first, [duplicate],
                                 direction=ExchangeDirection.TO_ADVERSARY)
    with db.session() as s, pytest.raises(Conflict):
        exchanges.attach_persons(s, operator, world.first, [reg.bondar], direction=TO_OWN)
    assert _counts(db) == before


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"exchange_id": 999_999}, NotFound, "no exchange 999999"),
    ({"person_ids": [999_998, 999_999]}, NotFound, r"no person\(s\) 999998, 999999"),
    ({"direction": "sideways"}, InvalidValue, "direction: unknown code 'sideways'"),
    ({"kind": "ghost"}, InvalidValue, "kind: unknown code"),
    ({"identification": "identified"}, InvalidValue, "only a body"),
    ({"source_id": 999_999}, NotFound, "no source 999999"),
    ({"person_ids": []}, InvalidValue, "name at least one person"),
])
def test_bad_attachments_are_refused_and_nothing_written(db, operator, tmp_path, change, error,
                                                         message):
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        exchange_id = exchanges.record_exchange(s, operator, date=FEBRUARY,
                                                source_id=reg.own_source).id
    arguments = {"exchange_id": exchange_id, "person_ids": [reg.shevchuk, reg.kovalenko],
                 "direction": "to_own_side", **change}
    before = _counts(db)
    with db.session() as s, pytest.raises(error, match=message):
        exchanges.attach_persons(s, operator, arguments.pop("exchange_id"),
                                 arguments.pop("person_ids"), **arguments)
    assert _counts(db) == before
    assert _person(db, reg.kovalenko).custody_status is CustodyStatus.HELD


def test_an_exchange_without_a_source_needs_one_at_attachment(db, operator, tmp_path):
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        exchange_id = exchanges.record_exchange(s, operator, date=FEBRUARY).id
    before = _counts(db)
    with db.session() as s, pytest.raises(InvalidValue, match="source_id: name the source"):
        exchanges.attach_persons(s, operator, exchange_id, [reg.kovalenko], direction=TO_OWN)
    assert _counts(db) == before
    with db.session() as s:
        exchanges.attach_persons(s, operator, exchange_id, [reg.kovalenko], direction=TO_OWN,
                                 source_id=reg.adversary_source)
        row = s.get(ExchangePerson, (exchange_id, reg.kovalenko))
        assert row.source_id == reg.adversary_source


@pytest.mark.parametrize(("change", "message"), [
    ({"date": dt.date.today() + dt.timedelta(days=1)}, "date: .* lies in the future"),
    ({"date": PartialDate(2024, 1)}, "needs a full date"),
    ({"date": "2024-01-03"}, "needs a full date"),
    ({"mediator_code": "atlantis"}, "mediator_code: unknown code"),
    ({"unnamed_bodies_to_own_side": -1}, "unnamed_bodies_to_own_side"),
    ({"notes": "x" * 20_001}, "notes: at most 20000 characters"),
])
def test_a_bad_exchange_is_refused_and_nothing_written(db, operator, change, message):
    before = _counts(db)
    with db.session() as s, pytest.raises(InvalidValue, match=message):
        exchanges.record_exchange(s, operator, **{"date": JANUARY, **change})
    assert _counts(db) == before


def test_only_registrars_write_and_readers_read(db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    analyst = Actor("analyst", "api", frozenset({Role.ANALYST}))
    investigator = Actor("investigator", "api", frozenset({Role.INVESTIGATOR}))
    before = _counts(db)
    with db.session() as s:
        for actor in (analyst, investigator):
            with pytest.raises(PermissionDenied):
                exchanges.record_exchange(s, actor, date=JANUARY)
            with pytest.raises(PermissionDenied):
                exchanges.attach_persons(s, actor, world.first, [world.registry.shevchuk],
                                         direction=TO_OWN)
        assert exchanges.list_exchanges(s, analyst).total == 2
    assert _counts(db) == before


def test_views_show_survivors_each_way_and_newest_exchange_first(db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    with db.session() as s:
        listed = exchanges.list_exchanges(s, operator)
        assert [row.exchange.id for row in listed.items] == [world.second, world.first]
        first = listed.items[1]
        assert (first.count("to_own_side", "alive"), first.count("to_own_side", "body"),
                first.count("to_adversary", "alive")) == (1, 1, 0)
        view = exchanges.exchange_view(s, operator, world.first)
        assert [h.person.id for h in view.of("to_own_side", "alive")] == [reg.kovalenko]
        bodies = view.of("to_own_side", "body")
        assert [(h.person.id, h.identification) for h in bodies] == [
            (reg.bondar, IdentificationStatus.PENDING)]
        mine = exchanges.person_exchanges(s, operator, reg.kovalenko + 4)  # merged id
        assert [(e.exchange.id, e.kind) for e in mine] == [(world.first, ExchangeKind.ALIVE)]


def test_a_later_merge_keeps_one_attachment_per_survivor(db, operator, tmp_path):
    """Ковальчук and Шевчук handed over in one exchange, then merged by a reviewer: the
    exchange counts one person, shown as the survivor, with both events on them."""
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        exchange_id = exchanges.record_exchange(s, operator, date=JANUARY,
                                                source_id=reg.own_source).id
        exchanges.attach_persons(s, operator, exchange_id, [reg.shevchuk, reg.kovalchuk],
                                 direction=TO_OWN)
    with db.session() as s:
        linkage.merge_persons(s, operator, [reg.shevchuk, reg.kovalchuk])
    with db.session() as s:
        row = exchanges.list_exchanges(s, operator).items[0]
        assert row.count("to_own_side", "alive") == 1
        view = exchanges.exchange_view(s, operator, exchange_id)
        assert {h.person.id for h in view.persons} == {reg.shevchuk}
        assert sorted(h.attached_as for h in view.persons) == [reg.shevchuk, reg.kovalchuk]
        events = s.scalar(select(func.count()).select_from(Event).where(
            Event.person_id == reg.shevchuk, Event.type == EventType.EXCHANGED))
    assert events == 2
