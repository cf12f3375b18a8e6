"""Selective presentation against the counts worked out by hand in
custody_world.build_selective_world: a visit shown only the healthy is flagged, a fair one
is not, a tiny roster is too few to tell."""

from __future__ import annotations

import datetime as dt
from math import comb

import numpy as np
import pytest
from custody_world import VISIT_DAY, build_selective_world
from scipy.stats import fisher_exact
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep

from rollcall.monitoring.selective import (
    MIN_ROSTER,
    NOT_FLAGGED,
    SELECTIVE,
    TOO_FEW,
    VisitFilter,
    effect_sizes,
    fisher_less,
    selective_presentation,
    verdict_words,
    visit_detail,
)
from rollcall.services import custody
from rollcall.vocabulary import Monitor


@pytest.fixture
def world(db, operator, tmp_path):
    return build_selective_world(db, operator, tmp_path)


def _by_visit(report, world):
    back = {v: k for k, v in world.visit.items()}
    return {back[item.visit_id]: item for item in report.items}


def test_every_count_and_verdict_matches_the_hand_count(db, world):
    with db.session() as s:
        report = selective_presentation(s, alpha=0.05)
    assert (report.visits, report.testable, report.flagged, report.too_few) == (4, 2, 1, 2)
    got = _by_visit(report, world)

    v1 = got["V1"]
    assert v1.roster == 10 and v1.roster_with_reports == 6
    assert v1.presented == 5  # s1, s2, s3, s4 (s4b merged into s4), x1
    assert v1.presented_on_roster == 4 and v1.presented_not_on_roster == 1
    assert v1.table == ((0, 4), (6, 0))
    assert v1.p_value == pytest.approx(1 / 210) and v1.p_min == pytest.approx(1 / 210)
    assert v1.q_value == pytest.approx(2 / 210)
    assert (v1.verdict, v1.reason) == (SELECTIVE, None)
    assert v1.risk_difference == pytest.approx(-1.0)
    assert v1.site_name == "Site S" and v1.monitor == Monitor.ICRC and v1.date == VISIT_DAY

    v2 = got["V2"]
    assert (v2.roster, v2.roster_with_reports, v2.presented, v2.presented_on_roster) == (
        11, 4, 5, 5)
    assert v2.table == ((2, 3), (2, 4))
    assert v2.p_value == pytest.approx(371 / 462)
    assert v2.p_min == pytest.approx(21 / 462)
    assert v2.q_value == pytest.approx(371 / 462)
    assert (v2.verdict, v2.reason) == (NOT_FLAGGED, None)

    v3 = got["V3"]
    assert (v3.roster, v3.presented_on_roster) == (3, 1) and v3.roster < MIN_ROSTER
    assert (v3.verdict, v3.reason, v3.p_value, v3.q_value) == (
        TOO_FEW, "roster_too_small", None, None)

    v4 = got["V4"]
    assert v4.table == ((0, 1), (4, 6))
    assert v4.p_min == pytest.approx(7 / 11)
    assert (v4.verdict, v4.reason) == (TOO_FEW, "not_attainable")

    # Newest first: V4 (20 June), then the three of 15 June by id, newest id first.
    assert [i.visit_id for i in report.items] == [world.visit[k] for k in
                                                  ("V4", "V3", "V2", "V1")]


def test_the_hand_p_values_are_fishers():
    assert comb(10, 4) == 210 and comb(11, 5) == 462
    for table in (((0, 4), (6, 0)), ((2, 3), (2, 4)), ((0, 1), (4, 6)), ((3, 2), (1, 9))):
        (a, b), (c, d) = table
        p, _ = fisher_less(np.array([a]), np.array([a + b + c + d]), np.array([a + c]),
                           np.array([a + b]))
        assert p[0] == pytest.approx(fisher_exact(table, alternative="less")[1])


def test_effect_sizes_agree_with_statsmodels():
    tables = np.array([[0, 4, 6, 0], [2, 3, 2, 4], [5, 1, 2, 8], [3, 3, 3, 3]])
    got = effect_sizes(*tables.T)
    for i, (a, b, c, d) in enumerate(tables):
        # Haldane-Anscombe: 0.5 added to every cell (statsmodels' shift_zeros replaces
        # only the zeros, so the shifted table is given to it whole).
        shift = 0.5 if 0 in (a, b, c, d) else 0.0
        expected = Table2x2(np.array([[a, b], [c, d]]) + shift, shift_zeros=False)
        assert got["or"][i] == pytest.approx(expected.oddsratio)
        low, high = expected.oddsratio_confint()
        assert (got["or_low"][i], got["or_high"][i]) == (pytest.approx(low), pytest.approx(high))
        low, high = confint_proportions_2indep(a, a + b, c, c + d, method="newcomb",
                                               compare="diff")
        assert got["rd"][i] == pytest.approx(a / (a + b) - c / (c + d))
        assert (got["rd_low"][i], got["rd_high"][i]) == (pytest.approx(low),
                                                         pytest.approx(high))
    empty = effect_sizes(np.array([0]), np.array([0]), np.array([2]), np.array([3]))
    assert np.isnan(empty["rd"][0]) and np.isnan(empty["or"][0])


def test_filters_change_the_correction_but_not_the_counts(db, world):
    with db.session() as s:
        alone = selective_presentation(s, VisitFilter(site_id=world.site["S"]))
        flagged = selective_presentation(s, flagged_only=True)
        fair_site = selective_presentation(s, VisitFilter(site_id=world.site["F"]))
        june_20 = selective_presentation(s, VisitFilter(date_from=dt.date(2023, 6, 16)))
        by_ohchr = selective_presentation(s, VisitFilter(monitor=Monitor.OHCHR))
        strict = selective_presentation(s, alpha=0.001)
    (v1,) = alone.items
    assert v1.table == ((0, 4), (6, 0)) and v1.q_value == pytest.approx(1 / 210)
    assert [i.visit_id for i in flagged.items] == [world.visit["V1"]]
    assert (flagged.visits, flagged.flagged) == (4, 1)
    assert {i.visit_id: i.roster for i in fair_site.items} == {
        world.visit["V2"]: 11, world.visit["V4"]: 11}
    assert [i.visit_id for i in june_20.items] == [world.visit["V4"]]
    assert by_ohchr.visits == 0 and by_ohchr.items == []
    # At alpha 0.001 even V1's most extreme table (p 1/210) cannot reach it: too few.
    assert (strict.testable, strict.flagged) == (0, 0)
    assert {i.reason for i in strict.items} == {"roster_too_small", "not_attainable"}


def test_a_recorded_period_moves_a_person_between_rosters(db, operator, world):
    """r1 is placed at F by the recorded period; ending it before the visit puts r1 back
    on S's roster by the events."""
    with db.session() as s:
        before = _by_visit(selective_presentation(s), world)
    assert (before["V1"].roster, before["V2"].roster) == (10, 11)
    with db.session() as s:
        custody.record_custody(s, operator, person_id=world.person["s12"],
                               site=world.site["S"], start=dt.date(2023, 6, 1),
                               end=dt.date(2023, 6, 30))
    with db.session() as s:
        after = _by_visit(selective_presentation(s), world)
    # s12 (captured at S only on 1 July by the events) is at S by the recorded period.
    assert after["V1"].roster == 11 and after["V1"].roster_with_reports == 6


def test_the_visit_detail_lists_who_was_and_was_not_shown(db, world):
    with db.session() as s:
        detail = visit_detail(s, world.visit["V1"])
    p = world.person
    assert detail.presentation.q_value == pytest.approx(1 / 210)  # tested alone
    assert [x.id for x in detail.presented_on_roster] == sorted(
        p[k] for k in ("s1", "s2", "s3", "s4"))
    assert [x.id for x in detail.presented_not_on_roster] == [p["x1"]]
    assert [x.id for x in detail.not_presented] == sorted(
        p[f"s{n}"] for n in range(5, 11))
    assert len(detail.not_presented) == detail.presentation.not_presented
    with db.session() as s:
        capped = visit_detail(s, world.visit["V1"], limit=2)
    assert len(capped.not_presented) == 2 and capped.presentation.not_presented == 6


def test_verdicts_in_words(db, world):
    with db.session() as s:
        got = _by_visit(selective_presentation(s), world)
    assert verdict_words(got["V1"], 0.05).startswith(
        "Selective presentation likely: 0 of the 4 presented had a report of ill-health or "
        "ill-treatment, against 6 of the 6 not presented (one-sided Fisher p = 0.00476")
    assert verdict_words(got["V2"], 0.05).startswith("No clear sign of selective presentation")
    assert verdict_words(got["V3"], 0.05) == (
        "Too few to tell: the registry places fewer than 5 persons at the site that day.")
    assert "smallest possible p = 0.636" in verdict_words(got["V4"], 0.05)


def test_empty_registry(db):
    with db.session() as s:
        report = selective_presentation(s)
    assert (report.visits, report.items) == (0, [])


def test_a_report_at_one_site_is_not_counted_at_another(db, operator, tmp_path):
    """Recorded periods of one person at two sites: an act at A must not count as a report
    of the same person on B's roster (their stays' keys are numbered per site)."""
    from custody_world import add_sites, import_persons

    from rollcall.services import testimonies, visits

    _, ids = import_persons(db, operator, tmp_path, 1)
    (person,) = ids
    site = add_sites(db, operator, "AB")
    with db.session() as s:
        custody.record_custody(s, operator, person_id=person, site=site["A"],
                               start=dt.date(2023, 1, 1), end=dt.date(2023, 3, 1))
        custody.record_custody(s, operator, person_id=person, site=site["B"],
                               start=dt.date(2023, 3, 1), end=dt.date(2023, 9, 1))
        testimonies.record_testimony(
            s, operator, interviewer="Інтерв'юер", interviewed_on=dt.date(2023, 10, 1),
            language="uk", witness_person_id=person,
            acts=[testimonies.ActInput("beating", site=site["A"])])
        at_a = visits.record_visit(s, operator, site=site["A"], monitor=Monitor.ICRC,
                                   date=dt.date(2023, 2, 1), person_ids=[person]).id
        at_b = visits.record_visit(s, operator, site=site["B"], monitor=Monitor.ICRC,
                                   date=dt.date(2023, 5, 1), person_ids=[person]).id
    with db.session() as s:
        report = selective_presentation(s, alpha=0.05)
    tables = {item.visit_id: item.table for item in report.items}
    assert tables[at_a] == ((1, 0), (0, 0))  # presented with a report at A
    assert tables[at_b] == ((0, 1), (0, 0))  # and without one at B
