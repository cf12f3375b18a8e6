"""The log-linear machinery: the IRLS fit against statsmodels, the existence check, the
catalogue of hierarchical models, the search, the profile interval, refusals and
warnings."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
import statsmodels.api as sm

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import CapturePatterns, estimate, loglinear
from rollcall.stats.mse import models as m
from rollcall.stats.mse.glm import fit_poisson, intercept_directions
from rollcall.stats.mse.loglinear import profile_loglik

DIABETES = [58, 157, 18, 104, 46, 650, 12, 709, 14, 20, 7, 74, 8, 182, 10]


def four_lists(counts):
    patterns = [p for p in itertools.product((1, 0), repeat=4) if any(p)]
    return CapturePatterns.from_pairs("abcd", zip(patterns, counts, strict=True))


def test_irls_agrees_with_statsmodels():
    cells, y = four_lists(DIABETES).table()
    model = frozenset({frozenset({0, 1}), frozenset({1, 2}), frozenset({0, 1, 2})})
    x = m.design(cells, model)
    ours = fit_poisson(x, y)
    theirs = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-12)
    assert ours.converged
    assert ours.coef == pytest.approx(theirs.params, abs=1e-7)
    assert ours.deviance == pytest.approx(theirs.deviance, abs=1e-7)
    assert ours.loglik == pytest.approx(theirs.llf, abs=1e-7)
    assert np.sqrt(ours.cov[0, 0]) == pytest.approx(theirs.bse[0], rel=1e-6)


def test_existence_directions_on_empty_cells():
    """Korea (see test_mse_published): nobody is on c and d without b. A model with b:c
    and b:d lets the likelihood grow while the intercept rises without bound (Rcapture
    reports estimates above a million for such fits); independence is bounded."""
    korea = CapturePatterns.from_pairs("bcd", [((0, 0, 1), 41), ((0, 1, 0), 5),
                                              ((1, 0, 0), 5), ((1, 1, 0), 54),
                                              ((1, 0, 1), 6), ((1, 1, 1), 12)])
    cells, y = korea.table()
    unbounded = m.design(cells, frozenset({frozenset({0, 1}), frozenset({0, 2})}))
    assert intercept_directions(unbounded, y) == (True, False)
    assert intercept_directions(m.design(cells, frozenset()), y) == (False, False)
    with pytest.raises(EstimateRefused, match=r"model b:c \+ b:d: .* \(infinite\)"):
        loglinear(korea, model=[("b", "c"), ("b", "d")])
    result = loglinear(korea)
    assert result.details["chosen"]["status"] == "ok"
    assert result.details["models_infinite"] == 2


@pytest.mark.parametrize(("k", "order", "count"), [(3, 2, 8), (4, 2, 64), (4, 3, 113),
                                                   (5, 2, 1024)])
def test_catalogue_of_hierarchical_models(k, order, count):
    """8 for three lists (Rcapture closedpMS.t); 113 for four up to triples (the Kosovo
    count in MultipleSystemsEstimation's reproduce-2024 vignette: 'only 113 admissible
    candidate models' with all 15 cells positive)."""
    catalogue = m.hierarchical_models(k, order)
    assert catalogue is not None and len(catalogue) == count
    assert len(set(catalogue)) == count
    for model in catalogue:
        assert all(m.eligible(term, model) for term in model)
    assert m.hierarchical_models(5, 4, limit=100) is None


def synthetic_eight_lists(seed: int) -> CapturePatterns:
    """8 lists, 3000 persons, lists 0 and 1 strongly dependent (one copies the other)."""
    rng = np.random.default_rng(seed)
    probs = np.array([0.3, 0.0, 0.25, 0.2, 0.3, 0.15, 0.2, 0.25])
    on = rng.random((3000, 8)) < probs
    on[:, 1] = np.where(on[:, 0], rng.random(3000) < 0.7, rng.random(3000) < 0.05)
    seen = on[on.any(axis=1)].astype(int)
    return CapturePatterns.from_pairs([f"L{i}" for i in range(8)],
                                      Counter(map(tuple, seen)).items())


def test_stepwise_search_on_eight_lists_finds_the_copied_list():
    data = synthetic_eight_lists(7)
    result = loglinear(data)
    details = result.details
    assert details["search"] == "stepwise"
    assert ["L0", "L1"] in details["chosen"]["terms"]
    assert result.lower < 3000 < result.upper
    assert details["models_fitted"] < 2000
    independence = loglinear(data, model=[])
    assert not independence.lower < 3000 < independence.upper  # the dependence biases it


def test_profile_interval_brackets_the_multinomial_maximum():
    data = four_lists(DIABETES)
    result = loglinear(data, model=[("a", "c"), ("b", "d"), ("c", "d")])
    cells, y = data.table()
    model = frozenset({frozenset({0, 2}), frozenset({1, 3}), frozenset({2, 3})})
    loglik = profile_loglik(cells, y, model)
    top = result.details["multinomial_estimate"]
    assert result.lower < top < result.upper
    for limit in (result.lower, result.upper):
        assert loglik(top) - loglik(limit) == pytest.approx(1.920729, abs=1e-3)
    assert loglik(top) > max(loglik(top - 5), loglik(top + 5))


def test_aic_may_choose_differently_and_options_are_checked():
    data = four_lists(DIABETES)
    by_aic = loglinear(data, criterion="aic")
    by_bic = loglinear(data, criterion="bic")
    best_aic = min(row["aic"] for row in by_aic.details["competing_models"])
    assert by_aic.details["chosen"]["aic"] == best_aic
    assert by_bic.details["chosen"]["params"] <= by_aic.details["chosen"]["params"]
    with pytest.raises(EstimateRefused, match="criterion"):
        loglinear(data, criterion="dic")
    with pytest.raises(EstimateRefused, match="maximum order"):
        loglinear(data, max_order=4)
    with pytest.raises(EstimateRefused, match="all lists"):
        loglinear(data, model=[("a", "b", "c", "d")])
    with pytest.raises(EstimateRefused, match="takes no option 'samples'"):
        estimate(data, "loglinear", samples=10)


def test_refusals_and_warnings():
    empty_list = CapturePatterns.from_pairs("abc", [((1, 0, 0), 3), ((0, 1, 0), 4)])
    with pytest.raises(EstimateRefused, match="list 'c' has nobody"):
        loglinear(empty_list)
    sparse = CapturePatterns.from_pairs("abcd", [((1, 0, 0, 0), 9), ((0, 1, 0, 0), 7),
                                                 ((0, 0, 1, 0), 8), ((0, 0, 0, 1), 6),
                                                 ((1, 1, 0, 0), 2), ((0, 0, 1, 1), 1)])
    result = loglinear(sparse)
    assert any("sparse table: 9 of 15" in w for w in result.warnings)
    with pytest.raises(EstimateRefused, match="unknown method"):
        estimate(sparse, "jackknife")
    wide = CapturePatterns.from_pairs([f"l{i}" for i in range(13)],
                                      [(tuple(int(i == j) for i in range(13)), 2)
                                       for j in range(13)])
    with pytest.raises(EstimateRefused, match="at most 12 lists; 13 given"):
        loglinear(wide)
