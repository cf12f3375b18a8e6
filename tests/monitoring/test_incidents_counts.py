"""Incidents and victims counted apart, by type and status, on a world worked out by hand
(incidents_world.build_incidents)."""

from __future__ import annotations

import datetime as dt

from incidents_world import build_incidents

from rollcall.monitoring.incident_counts import IncidentFilter, Tally, incident_counts
from rollcall.services.incident_views import list_incidents
from rollcall.vocabulary import IncidentStatus, IncidentType

R, C, V, X = (IncidentStatus.REPORTED, IncidentStatus.CREDIBLE, IncidentStatus.VERIFIED,
              IncidentStatus.RETRACTED)


def test_incidents_and_victims_by_status_and_type(db, operator, tmp_path):
    build_incidents(db, operator, tmp_path)
    with db.session() as s:
        counts = incident_counts(s)
    assert counts.total == Tally(incidents=5, victims=15, persons_linked=5)
    assert counts.verified == Tally(incidents=2, victims=4, persons_linked=3)
    assert counts.headline() == "15 victims in 5 incidents, 2 incidents verified"
    assert counts.by_status == {
        R: Tally(2, 9, 2),  # I3 (p1, p4), I5
        C: Tally(1, 2, 1),  # I2: p3 and p8, merged since, are one person
        V: Tally(2, 4, 3),
        X: Tally(1, 7, 1),  # kept, counted apart
    }
    lines = {line.type: line for line in counts.by_type}
    assert [line.type for line in counts.by_type] == [
        IncidentType.KILLING, IncidentType.DEATH_IN_CUSTODY, IncidentType.TORTURE]
    killing = lines[IncidentType.KILLING]
    assert killing.by_status == {R: Tally(), C: Tally(1, 2, 1), V: Tally(1, 3, 2),
                                 X: Tally(1, 7, 1)}
    assert killing.total == Tally(2, 5, 3)  # I1, I2: p1 p2 p3; I6 retracted left out
    assert lines[IncidentType.TORTURE].total == Tally(2, 9, 2)
    assert lines[IncidentType.DEATH_IN_CUSTODY].total == Tally(1, 1, 1)


def test_a_person_in_two_incidents_counts_once_in_a_total_and_twice_as_victim(
        db, operator, tmp_path):
    world = build_incidents(db, operator, tmp_path)
    with db.session() as s:
        at_a = incident_counts(s, IncidentFilter(site_id=world.site["a"]))
    # I1 (3 victims: p1 p2) and I3 (5 victims: p1 p4): p1 in both.
    assert at_a.total == Tally(incidents=2, victims=8, persons_linked=3)
    assert at_a.headline() == "8 victims in 2 incidents, 1 incident verified"


def test_period_keeps_incidents_whose_dates_meet_it(db, operator, tmp_path):
    world = build_incidents(db, operator, tmp_path)
    with db.session() as s:
        april_may = incident_counts(s, IncidentFilter(period_from=dt.date(2023, 4, 1),
                                                      period_to=dt.date(2023, 5, 31)))
        # "2023-03" lasts until 31 March: it meets a period starting 15 March, not one
        # starting 1 April; undated I5 is in no period.
        mid_march = list_incidents(s, operator, IncidentFilter(
            period_from=dt.date(2023, 3, 15), period_to=dt.date(2023, 3, 15)))
        from_april = list_incidents(s, operator, IncidentFilter(period_from=dt.date(2023, 4, 1)))
    assert april_may.total == Tally(incidents=2, victims=7, persons_linked=3)  # I2, I3
    assert [row.incident.id for row in mid_march.items] == [world.incident[1]]
    assert sorted(row.incident.id for row in from_april.items) == sorted(
        world.incident[n] for n in (2, 3, 6))


def test_list_filters_and_orders(db, operator, tmp_path):
    world = build_incidents(db, operator, tmp_path)
    with db.session() as s:
        every = list_incidents(s, operator)
        killings = list_incidents(s, operator, IncidentFilter(type=IncidentType.KILLING,
                                                              status=C))
        paged = list_incidents(s, operator, page=2, page_size=4)
    # Latest first by start date, undated last: I6 2023-06, I2 2023-05, I3 2023-04-10,
    # I1 2023-03, I4 2022-11, I5 undated.
    assert [row.incident.id for row in every.items] == [
        world.incident[n] for n in (6, 2, 3, 1, 4, 5)]
    first = every.items[1]
    assert (first.victims_linked, first.sources) == (1, 2)  # I2: p3 = p8; T2 + document
    assert [row.incident.id for row in killings.items] == [world.incident[2]]
    assert paged.total == 6 and len(paged.items) == 2


def test_counts_of_an_empty_registry_are_zero(db):
    with db.session() as s:
        counts = incident_counts(s)
    assert counts.total == Tally() and counts.by_type == []
    assert counts.headline() == "0 victims in 0 incidents, 0 incidents verified"
