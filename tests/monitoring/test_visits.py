"""Recording visits: validated whole before anything is written, logged, merged persons
resolved to their survivor."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from monitoring_world import build_world
from sqlalchemy import func, select

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, Visit, VisitPerson
from rollcall.services.actor import Actor
from rollcall.services.visits import record_visit
from rollcall.vocabulary import Monitor, Role


def _counts(db):
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Visit)),
                s.scalar(select(func.count()).select_from(VisitPerson)),
                s.scalar(select(func.count()).select_from(Change)))


def test_a_visit_to_an_unknown_site_is_refused_and_nothing_written(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    before = _counts(db)
    for site in ("sizo-nowhere", 999_999):
        with db.session() as s, pytest.raises(NotFound, match=f"no site {site!r}"):
            record_visit(s, operator, site=site, monitor=Monitor.ICRC,
                         date=dt.date(2023, 5, 1), person_ids=[world.person[1]])
    assert _counts(db) == before


def test_unknown_persons_are_refused_together(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    before = _counts(db)
    with db.session() as s, pytest.raises(NotFound, match=r"no person\(s\) 999998, 999999$"):
        record_visit(s, operator, site="site-a", monitor=Monitor.ICRC,
                     date=dt.date(2023, 5, 1),
                     person_ids=[999_999, world.person[1], 999_998])
    assert _counts(db) == before


def test_a_recorded_visit_links_survivors_and_logs_one_change(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    visits, links, changes = _counts(db)
    with db.session() as s:
        visit = record_visit(
            s, operator, site="site-a", monitor=Monitor.OMBUDSPERSON, date=dt.date(2023, 9, 1),
            person_ids=[world.person[11], world.person[1], world.person[10]],
            private_interviews=True, premises_refused="  ", source_id=world.source,
            notes="made-up visit")
        visit_id = visit.id
    assert _counts(db) == (visits + 1, links + 2, changes + 1)
    with db.session() as s:
        stored = s.get(Visit, visit_id)
        assert stored.site_id == world.site["A"] and stored.premises_refused is None
        assert stored.date == dt.date(2023, 9, 1) and stored.monitor is Monitor.OMBUDSPERSON
        linked = s.scalars(select(VisitPerson.person_id)
                           .where(VisitPerson.visit_id == visit_id)).all()
        assert sorted(linked) == sorted([world.person[1], world.person[10]])  # p11 -> p10
        change = s.scalars(select(Change).order_by(Change.id.desc()).limit(1)).one()
    assert (change.action, change.entity_type, change.entity_id) == (
        "visit:recorded", "visit", str(visit_id))
    state = json.loads(change.state)
    assert state["person_ids"] == sorted([world.person[1], world.person[10]])
    assert state["date"] == "2023-09-01" and state["monitor"] == "ombudsperson"


@pytest.mark.parametrize("bad", [PartialDate(2023, 5), "2023-05-01",
                                 dt.datetime(2023, 5, 1, tzinfo=dt.UTC),
                                 dt.date.today() + dt.timedelta(days=2)])
def test_a_visit_needs_a_real_day(db, operator, bad):
    with db.session() as s, pytest.raises(InvalidValue):
        record_visit(s, operator, site=1, monitor=Monitor.ICRC, date=bad)


def test_recording_needs_sites_write(db, operator):
    analyst = Actor(username="analyst", via="api", roles=frozenset({Role.ANALYST}))
    with db.session() as s, pytest.raises(PermissionDenied, match="sites:write"):
        record_visit(s, analyst, site=1, monitor=Monitor.ICRC, date=dt.date(2023, 5, 1))
