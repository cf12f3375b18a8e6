"""The access-gap report against figures worked out by hand (tests/monitoring/world.py)."""

from __future__ import annotations

import datetime as dt

from monitoring_world import build_world

from rollcall.monitoring.access_gap import NOT_COMPUTED, access_report


def _ids(capped, lookup):
    back = {v: k for k, v in lookup.items()}
    return sorted(back[item.id] for item in capped.items)


def test_every_figure_matches_the_hand_count(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    with db.session() as s:
        report = access_report(s)
    assert report.as_of == dt.date.today()
    assert report.sites_total == 6
    assert report.sites_never_visited.total == 2
    assert _ids(report.sites_never_visited, world.site) == ["A", "B"]
    assert report.sites_partial_only.total == 2
    assert _ids(report.sites_partial_only, world.site) == ["C", "D"]
    assert report.sites_full_access == 2
    by_site = {g.id: g for g in report.sites_never_visited.items + report.sites_partial_only.items}
    a, c, d = by_site[world.site["A"]], by_site[world.site["C"]], by_site[world.site["D"]]
    assert (a.persons_held, a.visits, a.last_visit) == (2, 0, None)  # p1, p2 (p8 released)
    assert (c.persons_held, c.visits, c.last_visit) == (2, 1, dt.date(2023, 3, 1))  # p4, p10
    assert (d.persons_held, d.visits) == (1, 1)
    assert a.name == "Site A"

    assert report.persons_held == 9  # p1-p7, p9, p10; not p8 (released) nor p11 (merged)
    assert report.persons_held_without_site == 1  # p7
    assert report.persons_at_never_visited.total == 3
    assert _ids(report.persons_at_never_visited, world.person) == [1, 2, 3]
    assert report.persons_at_partial_only.total == 3
    assert _ids(report.persons_at_partial_only, world.person) == [4, 5, 10]
    # Seen: p2 (V1), p4 (V2), p9 (seen_by_monitor event), p10 (V2 showed p11, merged into p10).
    assert report.persons_never_seen.total == 5
    assert _ids(report.persons_never_seen, world.person) == [1, 3, 5, 6, 7]
    never_seen = {p.id: p for p in report.persons_never_seen.items}
    p7 = never_seen[world.person[7]]
    assert p7.site_id is None and p7.site_name is None
    assert never_seen[world.person[1]].site_name == "Site A"
    assert report.not_computed == NOT_COMPUTED
    assert NOT_COMPUTED == ()  # the testimony share is computed now (test_access_share.py)


def test_lists_are_capped_and_keep_their_totals(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    with db.session() as s:
        report = access_report(s, limit=2)
    assert report.persons_never_seen.total == 5
    assert _ids(report.persons_never_seen, world.person) == [1, 3]
    assert report.sites_never_visited.total == 2 and len(report.sites_never_visited.items) == 2
    with db.session() as s:
        assert access_report(s, limit=0).persons_held == 9


def test_as_of_ignores_what_came_later(db, operator, tmp_path):
    world = build_world(db, operator, tmp_path)
    with db.session() as s:
        report = access_report(s, dt.date(2023, 2, 15))
    # Only V1 (E, 10 Feb) had happened: C not yet visited; D has its undated partial period.
    assert _ids(report.sites_never_visited, world.site) == ["A", "B", "C"]
    assert _ids(report.sites_partial_only, world.site) == ["D"]
    assert report.sites_full_access == 2  # E by V1, F by the period from 2022-10
    # p2's transfer to A (June) lies ahead: p2 is still at E. p4's event (May) too.
    assert _ids(report.persons_at_never_visited, world.person) == [1, 3, 10]
    assert report.persons_held_without_site == 2  # p4, p7
    # Only p2 was seen by then (V1); p9's seen_by_monitor event is from July.
    assert _ids(report.persons_never_seen, world.person) == [1, 3, 4, 5, 6, 7, 9, 10]


def test_empty_registry(db):
    with db.session() as s:
        report = access_report(s)
    assert (report.sites_total, report.persons_held, report.persons_never_seen.total) == (0, 0, 0)
