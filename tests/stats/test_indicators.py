"""Every indicator on the hand-built world (indicators_world.py: the tables there are the
paper the counts below were worked out on), without filters and under each filter, on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from rollcall.errors import InvalidValue, NotFound
from rollcall.stats.indicators import (
    DEFINITIONS,
    Filters,
    Indicator,
    compute_indicators,
    deaths_in_custody,
    exchanges,
    ill_treatment_methods,
    incidents_and_victims,
    persons_by_status,
    persons_exchanged,
    sites_by_access,
)
from rollcall.vocabulary import Category, Origin

Y2023 = {"period_from": dt.date(2023, 1, 1), "period_to": dt.date(2023, 12, 31)}


def counts(indicator: Indicator) -> dict[str, int | None]:
    """Cell keys joined by '/' -> numerator."""
    return {"/".join(c.key): c.numerator for c in indicator.cells}


def run(world, compute, **filters):
    db, w = world
    chosen = dict(filters)
    for name, ids in (("site_id", w.site), ("source_id", w.source)):
        if isinstance(chosen.get(name), str):
            chosen[name] = ids[chosen[name]]
    with db.session() as s:
        return compute(s, Filters(**chosen))


# --- persons by status ----------------------------------------------------------------------

def test_persons_by_status(world):
    found = run(world, persons_by_status)
    assert counts(found) == {"held": 4, "released": 7, "escaped": 1, "dead": 4, "missing": 1,
                             "unknown": 1, "all": 18}  # p13 and r5 merged away
    assert {c.denominator for c in found.cells} == {18}
    assert found.not_applied == {} and found.notes == ()


@pytest.mark.parametrize(("filters", "expected"), [
    ({"category": Category.POW},
     {"held": 2, "released": 6, "escaped": 1, "dead": 3, "missing": 0, "unknown": 1,
      "all": 13}),
    ({"category": Category.CIVILIAN_DETAINEE},
     {"held": 2, "released": 1, "escaped": 0, "dead": 1, "missing": 0, "unknown": 0,
      "all": 4}),
    # Last known site: p6's death at A is his latest site event; r6's recorded period at A
    # does not count (events only, as in the access report).
    ({"site_id": "A"},
     {"held": 1, "released": 2, "escaped": 0, "dead": 1, "missing": 0, "unknown": 0,
      "all": 4}),
    ({"site_id": "C"},
     {"held": 2, "released": 1, "escaped": 1, "dead": 0, "missing": 0, "unknown": 0,
      "all": 4}),
    # The ICRC list names p14, and p13 whose record moved to p1; it names a1 as exchanged.
    ({"source_id": "S2"},
     {"held": 2, "released": 1, "escaped": 0, "dead": 0, "missing": 0, "unknown": 0,
      "all": 3}),
    ({"origin": Origin.ICRC},
     {"held": 2, "released": 1, "escaped": 0, "dead": 0, "missing": 0, "unknown": 0,
      "all": 3}),
    # The media report has no rows: its events (p6's death, p7's charge and death) count.
    ({"source_id": "S3"},
     {"held": 0, "released": 0, "escaped": 0, "dead": 2, "missing": 0, "unknown": 0,
      "all": 2}),
    ({"origin": Origin.OWN_BUREAU},  # everyone but p14
     {"held": 3, "released": 7, "escaped": 1, "dead": 4, "missing": 1, "unknown": 1,
      "all": 17}),
])
def test_persons_by_status_filtered(world, filters, expected):
    assert counts(run(world, persons_by_status, **filters)) == expected


def test_persons_by_status_in_a_period_reads_each_status_on_its_date(world):
    found = run(world, persons_by_status, **Y2023)
    # held: captured in 2023 (p3 2023-04, p14 "2023"; p1, p2 in 2022); released in 2023:
    # p4, r1, r2, r3, r6 (p5 and a1 in 2024); escaped p12 2023-05; died p6, p7.
    assert counts(found) == {"held": 2, "released": 5, "escaped": 1, "dead": 2}
    assert {c.denominator for c in found.cells} == {None}
    assert found.notes  # no total, and why
    # A partial date meets a period when some day it stands for does: p14's "2023" and
    # p7's death in "2023-06" meet a period from 15 June.
    late = run(world, persons_by_status, period_from=dt.date(2023, 6, 15),
               period_to=dt.date(2023, 12, 31))
    assert counts(late) == {"held": 1, "released": 5, "escaped": 0, "dead": 1}


# --- deaths in custody ----------------------------------------------------------------------

@pytest.mark.parametrize(("filters", "expected"), [
    # p6 and p9 (captured, then dead) died in custody; p7 was released before (his later
    # charge is in absentia), p8 has no custody fact.
    ({}, (2, 2, 4)),
    (Y2023, (1, 1, 2)),  # p6 2023-01, p7 2023-06; p8 and p9 died in 2024
    ({"site_id": "B"}, (1, 1, 2)),  # p9, p7
    ({"category": Category.CIVILIAN_DETAINEE}, (0, 1, 1)),  # p8
    ({"source_id": "S3"}, (1, 1, 2)),  # p6, p7
])
def test_deaths_in_custody(world, filters, expected):
    found = counts(run(world, deaths_in_custody, **filters))
    assert (found["in_custody"], found["otherwise"], found["all"]) == expected


# --- places of detention by access ----------------------------------------------------------

def test_sites_by_access(world):
    assert counts(run(world, sites_by_access)) == {
        "never_visited": 1, "partial_only": 1, "full_access": 1, "all": 3}  # C, B, A
    # Before the visit of 1 March 2023, A was never visited.
    assert counts(run(world, sites_by_access, period_to=dt.date(2023, 2, 1))) == {
        "never_visited": 2, "partial_only": 1, "full_access": 0, "all": 3}
    at_a = run(world, sites_by_access, site_id="A", category=Category.POW)
    assert counts(at_a) == {"never_visited": 0, "partial_only": 0, "full_access": 1, "all": 1}
    assert set(at_a.not_applied) == {"category"}
    assert "not classed" in at_a.not_applied["category"]


# --- ill-treatment methods ------------------------------------------------------------------

def shares(indicator: Indicator) -> dict[str, tuple[int, int, float | None, float | None]]:
    """method -> (numerator, denominator, lower, upper rounded to 3 places), non-zero
    numerators and "all" only."""
    return {"/".join(c.key): (c.numerator, c.denominator,
                              None if c.lower is None else round(c.lower, 3),
                              None if c.upper is None else round(c.upper, 3))
            for c in indicator.cells if c.numerator or c.key == ("all",)}


def test_ill_treatment_shares_with_wilson_intervals(world):
    found = run(world, ill_treatment_methods)
    # Denominator: p4, p5, r1, r3 (r5's testimony counts for him), r6 = 5. Not counted: r2
    # (no consent), p12 (escaped), the unlinked testimony. p4's electric shock was done to
    # p1, not to him. Intervals worked out from Wilson's formula, z = 1.96.
    assert shares(found) == {
        "all": (4, 5, 0.376, 0.964),
        "beating": (3, 5, 0.231, 0.882),  # p4, p5, r1 (twice, once counted)
        "electric_shock": (1, 5, 0.036, 0.624),  # r3, through r5
        "stress_position": (1, 5, 0.036, 0.624),  # p5
        "sleep_deprivation": (1, 5, 0.036, 0.624),  # r1
    }
    assert found.cell("beating").value == pytest.approx(0.6)
    assert found.cell("mock_execution").numerator == 0  # every method has its line


@pytest.mark.parametrize(("filters", "expected"), [
    # Interviews from October to December 2023: p4, r1, r3 (T6, no acts).
    ({"period_from": dt.date(2023, 10, 1), "period_to": dt.date(2023, 12, 31)},
     {"all": (2, 3, 0.208, 0.939), "beating": (2, 3, 0.208, 0.939),
      "sleep_deprivation": (1, 3, 0.061, 0.792)}),
    # At A: p4 and r3 (captured there), r6 (a recorded custody period), r1 (an act there);
    # only acts at A count.
    ({"site_id": "A"},
     {"all": (2, 4, 0.15, 0.85), "beating": (2, 4, 0.15, 0.85),
      "sleep_deprivation": (1, 4, 0.046, 0.699)}),
    ({"category": Category.CIVILIAN_DETAINEE}, {"all": (0, 1, 0.0, 0.793)}),  # r6
    # Testimonies recorded from S4: not p5's.
    ({"source_id": "S4"},
     {"all": (3, 4, 0.301, 0.954), "beating": (2, 4, 0.15, 0.85),
      "electric_shock": (1, 4, 0.046, 0.699), "sleep_deprivation": (1, 4, 0.046, 0.699)}),
])
def test_ill_treatment_filtered(world, filters, expected):
    assert shares(run(world, ill_treatment_methods, **filters)) == expected


def test_ill_treatment_without_witnesses_has_no_share(world):
    found = run(world, ill_treatment_methods, period_to=dt.date(2023, 1, 1))
    assert shares(found) == {"all": (0, 0, None, None)}
    assert found.cell("all").value is None


# --- incidents and victims ------------------------------------------------------------------

def test_incidents_and_victims_counted_apart(world):
    incidents, victims = run(world, incidents_and_victims)
    assert {k: v for k, v in counts(incidents).items() if v} == {
        "killing/credible": 1, "killing/retracted": 1, "killing/all": 1,
        "death_in_custody/reported": 1, "death_in_custody/all": 1,
        "torture/reported": 2, "torture/verified": 1, "torture/all": 3,
        "all/reported": 3, "all/credible": 1, "all/verified": 1, "all/retracted": 1,
        "all/all": 5}  # retracted I6 left out of the totals
    assert {k: v for k, v in counts(victims).items() if v} == {
        "killing/credible": 2, "killing/retracted": 7, "killing/all": 2,
        "death_in_custody/reported": 1, "death_in_custody/all": 1,
        "torture/reported": 10, "torture/verified": 3, "torture/all": 13,
        "all/reported": 11, "all/credible": 2, "all/verified": 3, "all/retracted": 7,
        "all/all": 16}


@pytest.mark.parametrize(("filters", "incidents", "victims"), [
    ({"site_id": "A"}, 2, 4),  # I1, I4
    ({"period_from": dt.date(2023, 4, 1), "period_to": dt.date(2023, 12, 31)}, 2, 8),  # I2, I3
    ({"source_id": "S3"}, 2, 9),  # I1, I3 cite the media report
    ({"source_id": "S4"}, 2, 5),  # I1, I2 cite testimonies recorded from S4
    ({"origin": Origin.OWN_BUREAU}, 1, 2),  # I2's document
])
def test_incidents_filtered(world, filters, incidents, victims):
    found, hurt = run(world, incidents_and_victims, **filters)
    assert (found.cell("all", "all").numerator, hurt.cell("all", "all").numerator) == (
        incidents, victims)


def test_incidents_say_the_category_does_not_apply(world):
    found, _ = run(world, incidents_and_victims, category=Category.POW)
    assert set(found.not_applied) == {"category"}
    assert found.cell("all", "all").numerator == 5  # not filtered


# --- exchanges ------------------------------------------------------------------------------

@pytest.mark.parametrize(("filters", "expected"), [
    ({}, 2),
    ({"period_from": dt.date(2024, 2, 1)}, 1),
    ({"source_id": "S2"}, 1),  # E2 hands over a1, whom S2 names
    ({"source_id": "S5"}, 2),  # the announcement of both
    ({"site_id": "A"}, 2),  # not applicable
])
def test_exchanges(world, filters, expected):
    found = run(world, exchanges, **filters)
    assert found.cell("all").numerator == expected
    assert ("site" in found.not_applied) == ("site_id" in filters)


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"to_own_side": (1, 1, 2, 4), "to_adversary": (1, 0, 0, 1), "all": (2, 1, 2, 5)}),
    # Bodies no list names have no category: left out.
    ({"category": Category.POW},
     {"to_own_side": (1, 1, 0, 2), "to_adversary": (1, 0, 0, 1), "all": (2, 1, 0, 3)}),
    ({"category": Category.CIVILIAN_DETAINEE},
     {"to_own_side": (0, 0, 0, 0), "to_adversary": (0, 0, 0, 0), "all": (0, 0, 0, 0)}),
    ({"source_id": "S2"},
     {"to_own_side": (0, 0, 0, 0), "to_adversary": (1, 0, 0, 1), "all": (1, 0, 0, 1)}),
    ({"period_from": dt.date(2024, 1, 1), "period_to": dt.date(2024, 1, 31)},
     {"to_own_side": (1, 1, 2, 4), "to_adversary": (0, 0, 0, 0), "all": (1, 1, 2, 4)}),
])
def test_persons_exchanged(world, filters, expected):
    found = counts(run(world, persons_exchanged, **filters))
    assert {d: tuple(found[f"{d}/{k}"] for k in ("alive", "body", "unnamed_body", "all"))
            for d in expected} == expected


# --- all together ---------------------------------------------------------------------------

def test_compute_indicators_gives_every_definition_in_order(world):
    db, w = world
    with db.session() as s:
        found = compute_indicators(s, Filters(site_id=w.site["B"]))
    assert [i.definition for i in found] == list(DEFINITIONS)
    assert found["persons_by_status"].cell("all").numerator == 6
    assert not found.publication and found.threshold is None
    assert set(found["exchanges"].not_applied) == {"site"}


def test_filters_that_name_nothing_are_refused(world):
    db, _ = world
    with db.session() as s:
        with pytest.raises(NotFound, match="site"):
            compute_indicators(s, Filters(site_id=999_999))
        with pytest.raises(NotFound, match="source"):
            compute_indicators(s, Filters(source_id=999_999))
        with pytest.raises(InvalidValue, match="period"):
            compute_indicators(s, Filters(period_from=dt.date(2024, 1, 2),
                                          period_to=dt.date(2024, 1, 1)))


# --- prepared for publication ---------------------------------------------------------------

def figures(indicator: Indicator) -> dict[str, int | str]:
    return {"/".join(c.key): c.numerator if c.suppressed is None else c.suppressed.value
            for c in indicator.cells}


def test_publication_suppresses_small_cells_of_people(world, monkeypatch):
    db, _ = world
    monkeypatch.setenv("ROLLCALL_SMALL_CELL_THRESHOLD", "2")
    with db.session() as s:
        found = compute_indicators(s, publication=True)
    assert found.publication and found.threshold == 2
    assert figures(found["persons_by_status"]) == {
        "held": 4, "released": 7, "escaped": "primary", "dead": 4, "missing": "primary",
        "unknown": "primary", "all": 18}
    # Persons handed over (threshold 2): the ones are hidden (primary). Then 5 - 4 would
    # give away the adversary's hidden total, so our side's total goes too; and 5 - 2 - 2
    # the hidden bodies' total, so the alive total goes too (the first of the smallest).
    assert figures(found["persons_exchanged"]) == {
        "to_own_side/alive": "primary", "to_own_side/body": "primary",
        "to_own_side/unnamed_body": 2, "to_own_side/all": "secondary",
        "to_adversary/alive": "primary", "to_adversary/body": 0,
        "to_adversary/unnamed_body": 0, "to_adversary/all": "primary",
        "all/alive": "secondary", "all/body": "primary", "all/unnamed_body": 2,
        "all/all": 5}
    assert figures(found["sites_by_access"]) == {  # places, not people: whole
        "never_visited": 1, "partial_only": 1, "full_access": 1, "all": 3}
    methods = found["ill_treatment_methods"]
    assert methods.cell("electric_shock").suppressed is not None  # 1 of 5
    assert methods.cell("beating").numerator == 3


def test_publication_at_the_default_threshold(world):
    db, _ = world
    with db.session() as s:
        found = compute_indicators(s, publication=True)
    assert found.threshold == 5
    # Every status but "released" (7) is under 5: five hidden, the total stays.
    assert figures(found["persons_by_status"]) == {
        "held": "primary", "released": 7, "escaped": "primary", "dead": "primary",
        "missing": "primary", "unknown": "primary", "all": 18}
    deaths = found["deaths_in_custody"]
    assert figures(deaths) == {"in_custody": "primary", "otherwise": "primary",
                               "all": "primary"}
    assert {c.denominator for c in deaths.cells} == {None}
    assert found["ill_treatment_methods"].cell("all").denominator == 5
    assert found["exchanges"].cell("all").numerator == 2  # public events: whole
