"""Recording and reading testimonies through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select
from testimonies_world import DAY, NARRATIVE, beating, build, counts

from rollcall import models
from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import Act, Change
from rollcall.services import testimonies as service
from rollcall.services.actor import Actor
from rollcall.services.testimonies import ActInput
from rollcall.services.witnesses import witness_links
from rollcall.vocabulary import CaptivityStage, Role

ANALYST = Actor("analyst-1", "api", frozenset({Role.ANALYST}))
INVESTIGATOR = Actor("investigator-1", "api", frozenset({Role.INVESTIGATOR}))
REGISTRAR = Actor("registrar-1", "api", frozenset({Role.REGISTRAR}))


def _record(db, actor=INVESTIGATOR, **changes):
    values = {"interviewer": "Слідча Тестова", "interviewed_on": DAY, "language": "uk",
              "narrative": NARRATIVE, "consent_statistics": True, "acts": ()}
    values.update(changes)
    with db.session() as s:
        return service.record_testimony(s, actor, **values).id


def test_a_testimony_and_its_acts_are_recorded_and_logged_without_identity(db, operator,
                                                                           tmp_path):
    world = build(db, operator, tmp_path)
    before = counts(db)
    tid = _record(db, witness_person_id=world.person[1], place="Київ",
                  consent_prosecution=True, saw_monitor=False, family_contact=False,
                  acts=[beating(world.site_a),
                        ActInput(method="electric_shock", site="site-b",
                                 stage=CaptivityStage.INTERROGATION, monitor_seen=False),
                        ActInput(method="threat_family", victim_person_id=world.person[2])])
    assert counts(db)[:2] == (before[0] + 1, before[1] + 3)
    assert counts(db)[2] == before[2] + 4  # one entry for the testimony, one per act
    with db.session() as s:
        t = s.get(models.Testimony, tid)
        assert (t.pseudonym, witness_links(s)) == (f"W-{tid:06d}", {tid: world.person[1]})
        assert t.narrative.startswith("enc:1:")  # sealed: tests/security has the rest
        acts = s.scalars(select(Act).where(Act.testimony_id == tid).order_by(Act.id)).all()
        assert [(a.method, a.site_id, a.victim_is_witness, a.victim_person_id)
                for a in acts] == [("beating", world.site_a, True, None),
                                   ("electric_shock", world.site_b, True, None),
                                   ("threat_family", None, False, world.person[2])]
        entries = s.scalars(select(Change).where(Change.id > before[2])
                            .order_by(Change.id)).all()
    assert [(e.action, e.entity_type) for e in entries] == [
        ("testimony:recorded", "testimony"), ("act:recorded", "act"),
        ("act:recorded", "act"), ("act:recorded", "act")]
    state = json.loads(entries[0].state)
    assert state["narrative_sha256"] == hashlib.sha256(NARRATIVE.encode()).hexdigest()
    assert state["witness_linked"] is True
    assert "narrative" not in state and "witness_person_id" not in state
    assert state["consent_prosecution"] is True and state["pseudonym"] == f"W-{tid:06d}"
    everything = "".join(e.state for e in entries)
    assert NARRATIVE not in everything and "розповідь" not in everything
    assert json.loads(entries[1].state)["victim_person_id"] is None
    assert json.loads(entries[3].state)["victim_person_id"] == world.person[2]
    assert json.loads(entries[1].state)["period_start"] == "2022-04"


def test_an_unknown_method_is_refused_and_nothing_is_written(db, operator, tmp_path):
    world = build(db, operator, tmp_path)
    tid = _record(db, acts=[beating()])
    before = counts(db)
    with pytest.raises(InvalidValue, match=r"acts\[1\]\.method: 'flogging' is not a code"):
        _record(db, witness_person_id=world.person[1],
                acts=[beating(), ActInput(method="flogging")])
    with (pytest.raises(InvalidValue, match=r"act\.method: 'Beating' is not a code"),
          db.session() as s):
        service.add_act(s, INVESTIGATOR, tid, ActInput(method="Beating"))
    assert counts(db) == before


@pytest.mark.parametrize(("changes", "error", "message"), [
    ({"interviewed_on": dt.date.today() + dt.timedelta(days=1)}, InvalidValue, "future"),
    ({"interviewed_on": dt.datetime(2024, 3, 2, 10)}, InvalidValue, "a full date"),
    ({"language": "ukrainian"}, InvalidValue, "language"),
    ({"language": "u1"}, InvalidValue, "language"),
    ({"interviewer": "  "}, InvalidValue, "interviewer: required"),
    ({"consent_icrc": "yes"}, InvalidValue, "consent_icrc: must be true or false"),
    ({"saw_monitor": 1}, InvalidValue, "saw_monitor: must be true, false or null"),
    ({"witness_person_id": 999_999}, NotFound, "witness_person_id: no person 999999"),
    ({"source_id": 999_999}, NotFound, "source_id: no source"),
    ({"pseudonym": "  -x"}, InvalidValue, "pseudonym"),
    ({"acts": [beating(site="site-z")]}, NotFound, r"acts\[0\]\.site: no site 'site-z'"),
    ({"acts": [beating(period_start=PartialDate(2022, 6), period_end=PartialDate(2022, 5))]},
     InvalidValue, "period_start 2022-06 is after period_end 2022-05"),
    ({"acts": [beating(period_start=PartialDate(2024, 4), period_end=None)]},
     InvalidValue, "after the interview"),
    ({"acts": [beating(stage="lunch")]}, InvalidValue, r"acts\[0\]\.stage: unknown stage"),
    ({"acts": [beating(victim_person_id=999_999)]}, NotFound,
     r"acts\[0\]\.victim_person_id: no person"),
    ({"acts": [beating(victim_is_witness=True, victim_person_id=-1)]}, NotFound,
     "victim_person_id"),
    ({"acts": [beating(monitor_seen="no")]}, InvalidValue, "monitor_seen"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
        db, operator, tmp_path, changes, error, message):
    build(db, operator, tmp_path)
    before = counts(db)
    with pytest.raises(error, match=message) as caught:
        _record(db, **changes)
    assert NARRATIVE not in caught.value.message
    assert counts(db) == before


def test_an_overlapping_vague_period_is_accepted(db, operator, tmp_path):
    """"2022-05" .. "2022" is not backwards: the year may end after May."""
    build(db, operator, tmp_path)
    _record(db, acts=[beating(period_start=PartialDate(2022, 5),
                              period_end=PartialDate(2022))])
    assert counts(db)[1] == 1


def test_only_investigators_write(db, operator, tmp_path):
    build(db, operator, tmp_path)
    before = counts(db)
    for actor in (ANALYST, REGISTRAR):
        with pytest.raises(PermissionDenied, match="testimonies:write"):
            _record(db, actor=actor, acts=[beating()])
    assert counts(db) == before


def test_pseudonyms_are_generated_unique_or_refused_when_taken(db, operator, tmp_path):
    build(db, operator, tmp_path)
    first = _record(db, pseudonym="W-000002")
    second = _record(db)  # id 2 would give W-000002: taken, so the next number
    with db.session() as s:
        assert s.get(models.Testimony, first).pseudonym == "W-000002"
        assert s.get(models.Testimony, second).pseudonym == "W-000003"
    before = counts(db)
    with pytest.raises(Conflict, match="already used"):
        _record(db, pseudonym="W-000003")
    assert counts(db) == before


def test_merged_persons_resolve_and_the_witness_never_appears_as_a_victim_id(
        db, operator, tmp_path):
    world = build(db, operator, tmp_path)
    merged, survivor = world.person[4], world.person[3]
    tid = _record(db, witness_person_id=merged, acts=[
        beating(victim_person_id=survivor),             # the witness himself, by id
        beating(victim_person_id=merged),               # the same, by the merged id
        beating(victim_is_witness=False),               # someone not in the registry
        beating(victim_person_id=world.person[2])])     # another registry person
    with db.session() as s:
        assert witness_links(s, [tid]) == {tid: survivor}
        rows = s.execute(select(Act.victim_is_witness, Act.victim_person_id)
                         .where(Act.testimony_id == tid).order_by(Act.id)).all()
    assert [tuple(r) for r in rows] == [(True, None), (True, None), (False, None),
                                        (False, world.person[2])]
    before = counts(db)
    with pytest.raises(InvalidValue, match="victim_is_witness is false"), db.session() as s:
        service.add_act(s, INVESTIGATOR, tid,
                        beating(victim_person_id=merged, victim_is_witness=False))
    with pytest.raises(InvalidValue, match="names another person"), db.session() as s:
        service.add_act(s, INVESTIGATOR, tid,
                        beating(victim_person_id=world.person[1], victim_is_witness=True))
    with pytest.raises(NotFound, match="no testimony 999"), db.session() as s:
        service.add_act(s, INVESTIGATOR, 999, beating())
    assert counts(db) == before
    with db.session() as s:
        added = service.add_act(s, INVESTIGATOR, tid, ActInput(method="mock_execution"))
        assert (added.testimony_id, added.victim_is_witness) == (tid, True)
    assert counts(db)[1:] == (before[1] + 1, before[2] + 1)


def test_readers_see_pseudonyms_and_acts_investigators_also_the_identity(
        db, operator, tmp_path):
    world = build(db, operator, tmp_path)
    tid = _record(db, witness_person_id=world.person[1],
                  acts=[beating(world.site_a), beating(victim_person_id=world.person[2])])
    with db.session() as s:
        hidden = service.get_testimony(s, ANALYST, tid)
        shown = service.get_testimony(s, INVESTIGATOR, tid)
        asked_not = service.get_testimony(s, INVESTIGATOR, tid, reveal=False)
    assert hidden.pseudonym == shown.pseudonym == f"W-{tid:06d}"
    assert (hidden.identity_shown, hidden.witness_person_id, hidden.narrative) == (
        False, None, None)
    assert hidden.witness_linked is True
    assert [(a.method, a.victim_person_id) for a in hidden.acts] == [
        ("beating", None), ("beating", world.person[2])]
    assert hidden.acts[0].site.key == "site-a"
    assert (shown.identity_shown, shown.witness_person_id, shown.narrative) == (
        True, world.person[1], NARRATIVE)
    assert (asked_not.witness_person_id, asked_not.narrative) == (None, None)
    with db.session() as s, pytest.raises(NotFound):
        service.get_testimony(s, ANALYST, tid + 100)


def test_list_filters_by_method_site_and_interview_date(db, operator, tmp_path):
    world = build(db, operator, tmp_path)
    t1 = _record(db, interviewed_on=dt.date(2024, 1, 10), acts=[beating(world.site_a)])
    t2 = _record(db, interviewed_on=dt.date(2024, 2, 10),
                 acts=[beating(world.site_b), ActInput(method="rape", site=world.site_b)])
    t3 = _record(db, interviewed_on=dt.date(2024, 3, 10), consent_statistics=False,
                 acts=[ActInput(method="rape"), ActInput(method="rape")])
    t4 = _record(db, interviewed_on=dt.date(2024, 3, 10), witness_person_id=world.person[1])

    def ids(**filters):
        with db.session() as s:
            paged = service.list_testimonies(s, ANALYST, **filters)
            assert all(v.narrative is None and v.witness_person_id is None
                       for v in paged.items)
            return paged.total, [v.id for v in paged.items]

    assert ids() == (4, [t4, t3, t2, t1])
    assert ids(method="beating") == (2, [t2, t1])
    assert ids(method="rape") == (2, [t3, t2])
    assert ids(site_id=world.site_b) == (1, [t2])
    assert ids(interviewed_from=dt.date(2024, 2, 10)) == (3, [t4, t3, t2])
    assert ids(interviewed_to=dt.date(2024, 2, 10)) == (2, [t2, t1])
    assert ids(method="rape", interviewed_to=dt.date(2024, 2, 28)) == (1, [t2])
    assert ids(page=2, page_size=3) == (4, [t1])
    with db.session() as s:
        listed = service.list_testimonies(s, INVESTIGATOR, page_size=1).items[0]
        assert listed.id == t4 and listed.witness_person_id is None  # never in lists
        assert service.list_testimonies(s, ANALYST, method="rape").items[1].methods == [
            "beating", "rape"]
        with pytest.raises(InvalidValue, match="method: 'flogging'"):
            service.list_testimonies(s, ANALYST, method="flogging")
        with pytest.raises(InvalidValue, match="after"):
            service.list_testimonies(s, ANALYST, interviewed_from=dt.date(2024, 3, 1),
                                     interviewed_to=dt.date(2024, 2, 1))
        counted = service.acts_by_method_counts(s, ANALYST)
    # t3 has no consent to statistics: its two rapes are not counted.
    assert [(c.method, c.acts, c.testimonies) for c in counted] == [
        ("beating", 2, 2), ("rape", 1, 1)]
