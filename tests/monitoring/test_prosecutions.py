"""Prosecutions: a charge makes the legal status `status_denied`, a conviction records the
sentence; dates in order and not in the future; bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from exchange_world import build_exchanges
from sqlalchemy import func, select

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, Event, Person, Prosecution, ProsecutionConcern
from rollcall.services import prosecutions
from rollcall.services.actor import Actor
from rollcall.vocabulary import (
    CustodyStatus,
    EventType,
    FairTrialConcern,
    LegalStatus,
    Role,
    Verdict,
)
from webtest_support import build_registry


def _counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (Prosecution, ProsecutionConcern, Event, Change))


def _person(db, person_id):
    with db.session() as s:
        return s.get(Person, person_id)


def test_a_charge_denies_pow_status_and_a_conviction_records_the_sentence(db, operator,
                                                                        tmp_path):
    reg = build_registry(db, operator, tmp_path)
    assert _person(db, reg.shevchuk).legal_status is LegalStatus.POW
    with db.session() as s:
        case = prosecutions.record_prosecution(
            s, operator, reg.shevchuk, source_id=reg.own_source, charges="участь у бойових діях",
            charged_on="2023-04", concerns=["no_interpreter", "coerced_confession"])
        case_id = case.id
    person = _person(db, reg.shevchuk)
    assert person.legal_status is LegalStatus.STATUS_DENIED
    # His release is undated, so it counts as his latest fact (custody.py): still released.
    assert person.custody_status is CustodyStatus.RELEASED
    with db.session() as s:
        charged = s.scalars(select(Event).where(Event.type == EventType.CHARGED)).one()
        assert charged.details == {"prosecution_id": case_id}
        assert prosecutions.concerns_of(s, case_id) == [FairTrialConcern.COERCED_CONFESSION,
                                                        FairTrialConcern.NO_INTERPRETER]
        prosecutions.record_verdict(s, operator, case_id, verdict="convicted",
                                    verdict_on=PartialDate(2023, 12, 1), sentence="10 років",
                                    sentence_months=120, concerns=["closed_hearing"],
                                    trial_start="2023-10")
    with db.session() as s:
        stored = s.get(Prosecution, case_id)
        sentenced = s.scalars(select(Event).where(Event.type == EventType.SENTENCED)).one()
        entry = s.scalars(select(Change).where(
            Change.action == "prosecution:verdict_recorded")).one()
        assert len(prosecutions.concerns_of(s, case_id)) == 3
    assert (stored.verdict, stored.sentence_months, stored.trial_start) == (
        Verdict.CONVICTED, 120, PartialDate(2023, 10))
    assert sentenced.date == PartialDate(2023, 12, 1)
    assert json.loads(entry.state)["concerns"] == ["closed_hearing", "coerced_confession",
                                                   "no_interpreter"]
    assert entry.diff["verdict"] == ["pending", "convicted"]


def test_a_held_person_charged_stays_held_and_a_merged_id_means_the_survivor(db, operator,
                                                                           tmp_path):
    reg = build_registry(db, operator, tmp_path)
    duplicate = reg.kovalenko + 4
    with db.session() as s:
        case = prosecutions.record_prosecution(s, operator, duplicate, source_id=reg.own_source,
                                               charges="тероризм", charged_on="2023-06-01")
        assert case.person_id == reg.kovalenko
    person = _person(db, reg.kovalenko)
    assert (person.custody_status, person.legal_status) == (CustodyStatus.HELD,
                                                            LegalStatus.STATUS_DENIED)


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"person_id": 999_999}, NotFound, "no person 999999"),
    ({"source_id": 999_999}, NotFound, "no source 999999"),
    ({"charges": "  "}, InvalidValue, "charges: say what"),
    ({"verdict": "guilty"}, InvalidValue, "verdict: unknown code 'guilty'"),
    ({"concerns": ["no_lawyer_of_choice", "bad_food"]}, InvalidValue,
     "concerns: unknown code 'bad_food'"),
    ({"charged_on": "2023-13"}, InvalidValue, "charged_on: not a date"),
    ({"charged_on": (dt.date.today() + dt.timedelta(days=40)).isoformat()[:7]}, InvalidValue,
     "charged_on: .* lies in the future"),
    ({"verdict": "convicted", "charged_on": "2023-06", "verdict_on": "2023-05-31"},
     InvalidValue, "verdict_on: 2023-05-31 lies before charged_on 2023-06"),
    ({"trial_start": "2022", "charged_on": "2023-01"}, InvalidValue,
     "trial_start: 2022 lies before charged_on"),
    ({"verdict_on": "2023-10"}, InvalidValue, "a pending case has no verdict date"),
    ({"sentence": "5 років"}, InvalidValue, "a pending case has no sentence"),
    ({"verdict": "acquitted", "sentence_months": 12}, InvalidValue,
     "an? acquitted case has no sentence"),
    ({"verdict": "convicted", "sentence_months": 0}, InvalidValue, "sentence_months"),
    ({"verdict": "convicted", "sentence_months": 5000}, InvalidValue, "sentence_months"),
])
def test_a_bad_prosecution_is_refused_and_nothing_written(db, operator, tmp_path, change,
                                                          error, message):
    reg = build_registry(db, operator, tmp_path)
    arguments = {"person_id": reg.kovalenko, "source_id": reg.own_source,
                 "charges": "участь у бойових діях", **change}
    before = _counts(db)
    with db.session() as s, pytest.raises(error, match=message):
        prosecutions.record_prosecution(s, operator, arguments.pop("person_id"), **arguments)
    assert _counts(db) == before
    assert _person(db, reg.kovalenko).legal_status is LegalStatus.POW


def test_vague_dates_that_may_be_in_order_are_accepted(db, operator, tmp_path):
    """A charge in "2023-05", a trial in "2023", a verdict on "2023-05-02": each pair may
    be in order, so the case is accepted."""
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        case = prosecutions.record_prosecution(
            s, operator, reg.kovalenko, source_id=reg.own_source, charges="x",
            charged_on="2023-05", trial_start="2023", verdict="convicted",
            verdict_on="2023-05-02")
    assert case.verdict is Verdict.CONVICTED


def test_a_verdict_is_recorded_once_and_in_order(db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    before = _counts(db)
    with db.session() as s:
        with pytest.raises(Conflict, match="already has the verdict convicted"):
            prosecutions.record_verdict(s, operator, world.kovalenko_case, verdict="acquitted")
        with pytest.raises(InvalidValue, match="not pending"):
            prosecutions.record_verdict(s, operator, world.mykolaienko_case, verdict="pending")
        with pytest.raises(InvalidValue, match="verdict_on: 2023-05 lies before charged_on"):
            prosecutions.record_verdict(s, operator, world.mykolaienko_case,
                                        verdict="convicted", verdict_on="2023-05")
        with pytest.raises(NotFound, match="no prosecution 999"):
            prosecutions.record_verdict(s, operator, 999, verdict="convicted")
    assert _counts(db) == before
    with db.session() as s:
        prosecutions.record_verdict(s, operator, world.mykolaienko_case, verdict="dismissed",
                                    verdict_on="2024-02")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Event)
                        .where(Event.type == EventType.SENTENCED)) == 1  # Коваленко's only


def test_lists_filter_by_verdict_concern_and_person(db, operator, tmp_path):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    analyst = Actor("analyst", "api", frozenset({Role.ANALYST}))
    with db.session() as s:
        everything = prosecutions.list_prosecutions(s, analyst)
        assert [v.prosecution.id for v in everything.items] == [world.mykolaienko_case,
                                                                world.kovalenko_case]
        pending = prosecutions.list_prosecutions(s, analyst, verdict=Verdict.PENDING)
        assert [v.person.id for v in pending.items] == [reg.mykolaienko]
        assert pending.items[0].concerns == [FairTrialConcern.CLOSED_HEARING,
                                             FairTrialConcern.NO_LAWYER_OF_CHOICE]
        coerced = prosecutions.list_prosecutions(
            s, analyst, concern=FairTrialConcern.COERCED_CONFESSION)
        assert coerced.total == 1 and coerced.items[0].person.id == reg.kovalenko
        merged = prosecutions.list_prosecutions(s, analyst, person_id=reg.kovalenko + 4)
        assert [v.prosecution.id for v in merged.items] == [world.kovalenko_case]
        with pytest.raises(PermissionDenied):
            prosecutions.record_prosecution(s, analyst, reg.shevchuk,
                                            source_id=reg.own_source, charges="x")
