"""Convergence diagnostics for MCMC draws held as an array (chains, draws): the
rank-normalised split R-hat and the bulk effective sample size of Vehtari, Gelman,
Simpson, Carpenter and Buerkner (2021), "Rank-normalization, folding, and localization:
an improved R-hat for assessing convergence of MCMC", Bayesian Analysis 16: 667-718.

Why these rather than Geweke's test: the latent-class sampler runs several chains from
different starting points at little cost (they are vectorised together), and comparing
chains is what reveals a chain stuck in one mode or still drifting; Geweke compares two
windows of a single chain and cannot see a mode that chain never visited. The
thresholds are the paper's: R-hat below 1.01 and a bulk ESS of at least 100 per chain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

RHAT_LIMIT = 1.01
ESS_PER_CHAIN = 100


@dataclass(frozen=True)
class Diagnostics:
    rhat: float
    ess_bulk: float
    chains: int
    draws_per_chain: int

    def problems(self) -> list[str]:
        """Plain sentences for each threshold the draws miss."""
        found = []
        if not self.rhat < RHAT_LIMIT:
            found.append(f"chains disagree (split R-hat {self.rhat:.3f}, should be below "
                         f"{RHAT_LIMIT}): run more iterations")
        if self.ess_bulk < ESS_PER_CHAIN * self.chains:
            found.append(f"effective sample size {self.ess_bulk:.0f} is below "
                         f"{ESS_PER_CHAIN * self.chains}: run more iterations")
        return found

    def to_dict(self) -> dict[str, float | int | str]:
        return {"rhat": self.rhat, "ess_bulk": self.ess_bulk, "chains": self.chains,
                "draws_per_chain": self.draws_per_chain,
                "method": "rank-normalised split R-hat and bulk ESS (Vehtari et al. 2021)"}


def _split(draws: np.ndarray) -> np.ndarray:
    half = draws.shape[1] // 2
    return np.vstack([draws[:, :half], draws[:, draws.shape[1] - half:]])


def _rank_normal(draws: np.ndarray) -> np.ndarray:
    ranks = rankdata(draws, method="average").reshape(draws.shape)
    return ndtri((ranks - 0.375) / (draws.size + 0.25))


def _rhat(chains: np.ndarray) -> float:
    n = chains.shape[1]
    within = chains.var(axis=1, ddof=1).mean()
    between = n * chains.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def split_rhat(draws: np.ndarray) -> float:
    """The larger of the bulk (rank-normalised) and tail (folded) split R-hat."""
    draws = np.asarray(draws, dtype=float)
    if np.ptp(draws) == 0:
        return 1.0
    split = _split(draws)
    folded = np.abs(split - np.median(split))
    return max(_rhat(_rank_normal(split)), _rhat(_rank_normal(folded)))


def _autocovariance(chains: np.ndarray) -> np.ndarray:
    """Per chain, lags 0..n-1, divided by n (the biased estimate), through the FFT."""
    n = chains.shape[1]
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    return np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=1)[:, :n] / n


def ess_bulk(draws: np.ndarray) -> float:
    """Effective sample size of the rank-normalised split chains, the autocorrelations
    summed in pairs while their sums stay positive and made monotone (Geyer 1992)."""
    draws = np.asarray(draws, dtype=float)
    if np.ptp(draws) == 0:
        return float(draws.size)
    chains = _rank_normal(_split(draws))
    m, n = chains.shape
    acov = _autocovariance(chains)
    within = acov[:, 0].mean() * n / (n - 1)
    var_plus = within * (n - 1) / n + (chains.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    pairs = []
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair <= 0:
            break
        pairs.append(min(pair, pairs[-1]) if pairs else pair)
    tau = -1.0 + 2.0 * sum(pairs)
    total = m * n
    return float(total / max(tau, 1.0 / np.log10(total)))


def diagnose(draws: np.ndarray) -> Diagnostics:
    draws = np.asarray(draws)
    return Diagnostics(rhat=split_rhat(draws), ess_bulk=ess_bulk(draws),
                       chains=draws.shape[0], draws_per_chain=draws.shape[1])
