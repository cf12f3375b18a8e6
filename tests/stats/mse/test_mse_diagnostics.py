"""R-hat and effective sample size on draws whose answer is known.

Independent draws: ESS is the number of draws (the estimate is a random quantity; with
4000 draws its spread is a few percent, so 15% is wide and still fails a sampler that
counted wrongly by a factor). An AR(1) chain with coefficient rho has ESS n (1 - rho) /
(1 + rho): for rho = 0.9 and 4 x 5000 draws, 1052.6; accepted within 25% (the estimator's
spread at this length, by Vehtari et al.'s own simulations, is of that order). Chains
centred one standard deviation apart have an R-hat far above 1.01.
"""

from __future__ import annotations

import numpy as np
import pytest

from rollcall.stats.mse.diagnostics import diagnose, ess_bulk, split_rhat


def ar1(rng: np.random.Generator, chains: int, n: int, rho: float) -> np.ndarray:
    noise = rng.normal(size=(chains, n)) * np.sqrt(1 - rho ** 2)
    draws = np.empty((chains, n))
    draws[:, 0] = rng.normal(size=chains)
    for t in range(1, n):
        draws[:, t] = rho * draws[:, t - 1] + noise[:, t]
    return draws


def test_independent_draws():
    draws = np.random.default_rng(1).normal(size=(4, 1000))
    assert split_rhat(draws) < 1.01
    assert ess_bulk(draws) == pytest.approx(4000, rel=0.15)
    assert diagnose(draws).problems() == []


def test_autocorrelated_draws():
    draws = ar1(np.random.default_rng(2), 4, 5000, 0.9)
    assert ess_bulk(draws) == pytest.approx(20000 * 0.1 / 1.9, rel=0.25)
    assert split_rhat(draws) < 1.02  # its own noise at an ESS near 1000 is about 0.005


def test_chains_that_disagree():
    draws = np.random.default_rng(3).normal(size=(4, 500))
    draws[0] += 1.0
    result = diagnose(draws)
    assert result.rhat > 1.05
    assert any("chains disagree" in p for p in result.problems())


def test_drift_within_a_chain_is_seen_by_splitting():
    drift = np.random.default_rng(4).normal(size=(2, 1000)) + np.linspace(0, 3, 1000)
    assert split_rhat(drift) > 1.1


def test_constant_draws():
    same = np.full((2, 50), 7)
    assert split_rhat(same) == 1.0 and ess_bulk(same) == 100
