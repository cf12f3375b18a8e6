"""Capture patterns and estimates from the registry's linked persons (mse_world), on
SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pytest
from mse_world import DEAD_BY_ORIGIN, HELD, ORIGINS, build_mse_world

from rollcall.errors import EstimateRefused, InvalidValue
from rollcall.stats.mse import (
    CapturePatterns,
    estimate,
    registry,
    registry_estimate,
    registry_patterns,
)


@pytest.fixture
def world(db, operator, tmp_path):
    return build_mse_world(db, operator, tmp_path)


def test_dead_by_origin_counts_each_person_once_over_the_releases_of_one_list(db, world):
    with db.session() as s:
        strata = registry_patterns(s, "dead")
    assert list(strata) == [None]
    patterns = strata[None]
    assert patterns.lists == ORIGINS
    assert patterns.counts() == DEAD_BY_ORIGIN
    assert patterns.documented == 32
    with db.session() as s:
        by_year = registry_patterns(s, "dead", by="year")
        assert {k: v.documented for k, v in by_year.items()} == {"2023": 32}
        with pytest.raises(InvalidValue, match="population"):
            registry_patterns(s, "missing")
        with pytest.raises(InvalidValue, match="by must be"):
            registry_patterns(s, "dead", by="district")
        with pytest.raises(InvalidValue, match="lists must be"):
            registry_patterns(s, "dead", lists="title")


def test_dead_by_source_keeps_the_two_releases_apart(db, world, monkeypatch):
    with db.session() as s:
        patterns = registry_patterns(s, "dead", lists="source")[None]
    names = ["own-1", "own-2", "adversary", "icrc"]
    assert patterns.lists == tuple(f"List {n} (source {world.source[n]})" for n in names)
    expected = CapturePatterns.from_memberships(
        patterns.lists, ([patterns.lists[names.index(n)] for n in on]
                         for on in world.dead_sources))
    assert patterns.counts() == expected.counts()
    both_releases = sum(1 for on in world.dead_sources if {"own-1", "own-2"} <= set(on))
    assert both_releases > 0
    assert patterns.list_totals()[patterns.lists[1]] == sum(
        1 for on in world.dead_sources if "own-2" in on)
    monkeypatch.setattr(registry, "MAX_LISTS", 3)
    with db.session() as s, pytest.raises(EstimateRefused, match="on 4 lists; at most 3"):
        registry_patterns(s, "dead", lists="source")


def test_region_is_where_the_person_died_else_where_last_held(db, world):
    with db.session() as s:
        strata = registry_patterns(s, "dead", by="region")
    assert sorted(strata) == ["North", "South"]
    north = sum(1 for i in range(32) if i % 2 == 0)
    assert strata["North"].documented == north == 16
    assert strata["South"].documented == 16  # 15 died there, dead person 1 was held there


def test_held_region_follows_recorded_custody_and_a_thin_stratum_is_refused(db, world):
    with db.session() as s:
        strata = registry_patterns(s, "held", by="region")
        results = registry_estimate(s, "held", by="region")
    assert strata["East"].documented == 1 and strata["East"].lists == ("adversary_bureau",)
    assert strata["North"].documented == sum(1 for _, r in HELD if r == "North")
    east = results["East"]
    assert east.refused is not None and "at least two lists" in east.refused
    assert math.isnan(east.estimate) and east.to_dict()["estimate"] is None
    assert results["North"].refused is None or "list" in results["North"].refused


def test_registry_estimate_is_the_estimate_of_its_patterns(db, world):
    with db.session() as s:
        result = registry_estimate(s, "dead")[None]
        patterns = registry_patterns(s, "dead")[None]
    direct = estimate(patterns, "loglinear")
    assert result.method == "loglinear"
    assert result.estimate == pytest.approx(direct.estimate)
    assert (result.lower, result.upper) == pytest.approx((direct.lower, direct.upper))
    assert result.documented == 32 and result.estimate >= 32


def test_an_empty_population_is_refused(db):
    with db.session() as s, pytest.raises(EstimateRefused, match="no held person"):
        registry_estimate(s, "held")
