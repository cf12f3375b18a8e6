"""Who was at which site when: stays from events and recorded periods, against the stays
worked out by hand in custody_world.build_custody_world."""

from __future__ import annotations

import datetime as dt

import pytest
from custody_world import build_custody_world, d
from monitoring_world import build_world
from sqlalchemy import select

from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.models import Site
from rollcall.monitoring.access_gap import _held_sites
from rollcall.monitoring.custody import (
    CUSTODY_EVENTS,
    EVENTS,
    LEAVING_EVENTS,
    RECORDED,
    custody_of,
    persons_at_site_on,
)
from rollcall.vocabulary import CustodyStatus, EventType


def test_the_event_kinds_follow_the_status_rules():
    for kind in EventType:
        status = derive_status([(kind, d("2023-01-01"))]).custody
        assert (kind in CUSTODY_EVENTS) == (status == CustodyStatus.HELD), kind
        assert (kind in LEAVING_EVENTS) == (
            status in {CustodyStatus.RELEASED, CustodyStatus.ESCAPED, CustodyStatus.DEAD}), kind


@pytest.fixture
def world(db, operator, tmp_path):
    return build_custody_world(db, operator, tmp_path)


def _at(db, world, keys, day):
    back_person = {v: k for k, v in world.person.items()}
    back_site = {v: k for k, v in world.site.items()}
    with db.session() as s:
        rows = persons_at_site_on(s, [world.site[k] for k in keys], dt.date.fromisoformat(day))
    return sorted((back_person[p], back_site[site]) for p, site in rows)


#: (sites, day, persons placed there), by hand.
CASES = [
    # p1 at A until the transfer; p2's undated A stay ended 1 Feb; p5 at B by the
    # recorded period; p7 at A by the recorded period of p8, merged into p7.
    ("A", "2023-02-15", [(1, "A"), (4, "A"), (7, "A")]),
    # The recorded period of p5 ended 30 April (included): the events place p5 at A again.
    ("A", "2023-05-15", [(4, "A"), (5, "A"), (7, "A")]),
    ("A", "2023-04-30", [(4, "A"), (7, "A")]),
    # On the transfer day p1 is at the new site only; p3 is still at B (stay to 1 April).
    ("B", "2023-03-10", [(1, "B"), (3, "B"), (5, "B")]),
    ("A", "2023-03-10", [(4, "A"), (7, "A")]),
    # p3's undated release ends the stay after its last event (1 April, included).
    ("B", "2023-04-01", [(1, "B"), (3, "B"), (5, "B")]),
    ("B", "2023-04-02", [(1, "B"), (5, "B")]),
    # p7's events place him at C, but his recorded period at A wins.
    ("C", "2023-01-15", [(6, "C")]),
    # p6's two touching periods at C read as one, to 1 June included; p4 not yet at C.
    ("C", "2023-06-01", [(2, "C"), (6, "C")]),
    # p4 released on 1 June: gone that day. p2 placed at A "from the beginning".
    ("A", "2023-06-01", [(5, "A"), (7, "A")]),
    ("A", "2022-12-31", [(2, "A")]),
    # Two sites at once; p1 released 1 August.
    ("AC", "2023-09-01", [(2, "C"), (4, "C"), (5, "A"), (7, "A")]),
    ("B", "2023-08-01", []),
]


def test_persons_at_a_site_on_a_day(db, world):
    for keys, day, expected in CASES:
        assert _at(db, world, keys, day) == expected, (keys, day)


def test_no_site_no_one(db, world):
    with db.session() as s:
        assert persons_at_site_on(s, [], dt.date(2023, 3, 1)) == []


def test_a_persons_custody_in_time_order(db, world):
    with db.session() as s:
        p1 = custody_of(s, world.person[1])
        p3 = custody_of(s, world.person[3])
        p8 = custody_of(s, world.person[8])
        p6 = custody_of(s, world.person[6])
    assert p1.recorded == []
    assert [(x.kind, x.site_name, x.start, x.end, x.end_included) for x in p1.stays] == [
        (EVENTS, "Site A", d("2023-01-05"), d("2023-03-10"), False),
        (EVENTS, "Site B", d("2023-03-10"), d("2023-08-01"), False),
    ]
    assert [(x.start, x.end, x.end_included) for x in p3.stays] == [
        (d("2023-01-10"), d("2023-04-01"), True)]
    # A merged id stands for its survivor, whose stays include the recorded period.
    assert p8.person_id == world.person[7]
    assert [r.person_id for r in p8.recorded] == [world.person[8]]
    assert [(x.kind, x.site_name, x.start, x.end) for x in p8.stays] == [
        (EVENTS, "Site C", d("2023-01-01"), None),
        (RECORDED, "Site A", d("2023-01-01"), None),
    ]
    assert len(p6.recorded) == 2
    assert [(x.kind, x.start, x.end, x.end_included) for x in p6.stays] == [
        (RECORDED, d("2023-01-01"), d("2023-06-01"), True)]
    with db.session() as s, pytest.raises(NotFound):
        custody_of(s, 999_999)


def test_a_held_person_is_where_the_access_gap_report_places_them(db, operator, tmp_path):
    """Today's stays agree with the access-gap report's site of every held person."""
    build_world(db, operator, tmp_path)
    today = dt.date.today()
    with db.session() as s:
        sites = list(s.scalars(select(Site.id)))
        placed = dict(persons_at_site_on(s, sites, today))
        held = {p: site for p, site in s.execute(_held_sites(PartialDate.from_date(today)))}
    assert len(held) == 9
    assert placed == {person: site for person, site in held.items() if site is not None}
