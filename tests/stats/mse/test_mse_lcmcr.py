"""The latent-class sampler (LCMCR): it recovers a known population size from data drawn
from its own model, its 95% credible interval covers the truth about as often as it
says, runs are reproducible by seed, and what it cannot do is refused.

The population: N = 1000 persons in two latent classes of equal weight, on six lists;
class A is often on lists 1-3 and rarely on 4-6, class B the reverse (probabilities in
TRUE_LISTS). These classes are identifiable from six lists. (With classes that differ
only by how often they are listed, one rarely listed class can hide almost entirely
among the undocumented and every method, log-linear included, underestimates: that is a
limit of the data, not a test of the sampler.)

Coverage: each seed draws a new population and runs the sampler with its own seed. The
quick test (20 seeds, short chains) asks for at least 16 intervals covering N = 1000: a
calibrated 95% interval misses that with probability 1.6% (binomial(20, 0.95) <= 15),
while a sampler biased like the heterogeneous case above covers about 60% and fails it.
The slow test (100 seeds, longer chains) asks for at least 88: probability 0.6% for a
calibrated interval. The seeds are fixed, so each test gives the same answer every run.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np
import pytest

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import CapturePatterns, estimate, lcmcr
from rollcall.stats.mse.lcmcr import SamplerSettings, sample_population

TRUE_N = 1000
TRUE_WEIGHTS = np.array([0.5, 0.5])
TRUE_LISTS = np.array([[0.6, 0.5, 0.55, 0.1, 0.15, 0.1],
                       [0.1, 0.15, 0.1, 0.5, 0.6, 0.55]])


def population(seed: int, n: int = TRUE_N) -> CapturePatterns:
    rng = np.random.default_rng(seed)
    classes = rng.choice(len(TRUE_WEIGHTS), size=n, p=TRUE_WEIGHTS)
    on = (rng.random((n, TRUE_LISTS.shape[1])) < TRUE_LISTS[classes]).astype(int)
    seen = on[on.any(axis=1)]
    return CapturePatterns.from_pairs([f"list{j + 1}" for j in range(on.shape[1])],
                                      Counter(map(tuple, seen)).items())


def coverage(seeds: range, **settings: int) -> tuple[int, float]:
    covered, errors = 0, []
    for seed in seeds:
        result = lcmcr(population(1000 + seed), seed=seed, **settings)
        covered += result.lower <= TRUE_N <= result.upper
        errors.append(result.estimate / TRUE_N - 1)
    return covered, float(np.mean(errors))


@pytest.mark.timeout(180)
def test_recovers_a_known_population_quick():
    started = time.perf_counter()
    covered, bias = coverage(range(20), chains=2, burnin=300, samples=300, thin=2)
    assert covered >= 16
    assert abs(bias) < 0.02
    assert time.perf_counter() - started < 150


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_recovers_a_known_population_many_seeds():
    covered, bias = coverage(range(100), chains=4, burnin=1000, samples=500, thin=2)
    assert covered >= 88
    assert abs(bias) < 0.01


def test_one_class_agrees_with_the_independence_model():
    """With every person equally likely on each list, the latent-class posterior and the
    log-linear independence model estimate the same N."""
    rng = np.random.default_rng(5)
    on = (rng.random((2000, 4)) < np.array([0.2, 0.3, 0.25, 0.15])).astype(int)
    seen = on[on.any(axis=1)]
    data = CapturePatterns.from_pairs("abcd", Counter(map(tuple, seen)).items())
    bayes = lcmcr(data, seed=2, chains=2, burnin=500, samples=400, thin=2)
    independence = estimate(data, "loglinear", model=[])
    assert bayes.estimate == pytest.approx(independence.estimate, rel=0.02)
    assert bayes.lower == pytest.approx(independence.lower, rel=0.03)
    assert bayes.upper == pytest.approx(independence.upper, rel=0.03)


def test_seeded_runs_repeat_and_report_their_diagnostics():
    data = population(3)
    settings = {"chains": 2, "burnin": 100, "samples": 50, "thin": 1}
    first = estimate(data, "lcmcr", seed=11, **settings)
    assert estimate(data, "lcmcr", seed=11, **settings) == first
    assert estimate(data, "lcmcr", seed=12, **settings) != first
    draws = sample_population(data, SamplerSettings(**settings), np.random.default_rng(4))
    assert draws.shape == (2, 50) and draws.min() >= data.documented
    details = first.details
    assert details["seed"] == 11 and details["settings"]["classes"] == 10
    assert set(details["diagnostics"]) >= {"rhat", "ess_bulk", "chains", "method"}
    assert first.interval == "credible" and first.lower <= first.estimate <= first.upper
    unseeded = lcmcr(data, **settings)
    assert isinstance(unseeded.details["seed"], int)


def test_short_runs_warn_about_convergence():
    result = lcmcr(population(4), seed=1, chains=2, burnin=0, samples=20, thin=1)
    assert any("effective sample size" in w for w in result.warnings)


def test_refusals():
    two = CapturePatterns.from_pairs("ab", [((1, 1), 5), ((1, 0), 4), ((0, 1), 3)])
    with pytest.raises(EstimateRefused, match="at least 3 lists; 2 given"):
        lcmcr(two)
    empty = CapturePatterns.from_pairs("abc", [((1, 1, 0), 5), ((1, 0, 0), 4)])
    with pytest.raises(EstimateRefused, match="list 'c' has nobody"):
        lcmcr(empty)
    data = population(1)
    with pytest.raises(EstimateRefused, match="takes no option 'criterion'"):
        lcmcr(data, criterion="bic")
    with pytest.raises(EstimateRefused, match="samples at least 4"):
        lcmcr(data, samples=2)
    with pytest.raises(EstimateRefused, match="positive a and b"):
        lcmcr(data, a_alpha=0)
