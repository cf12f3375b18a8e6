"""The Bayesian latent-class model of Manrique-Vallier (2016), "Bayesian population size
estimation using Dirichlet process mixtures", Biometrics 72: 1246-1254, as the R package
LCMCR fits it, here vectorised in numpy over chains and capture patterns.

Model. Each person, documented or not, belongs to one of K latent classes (a Dirichlet
process truncated at K: stick-breaking weights V_k ~ Beta(1, alpha), alpha ~
Gamma(a, b)); in class k they are on list j with probability lambda_jk ~ Beta(1, 1),
independently across lists. Heterogeneity and dependence between lists come from the
mixture. The population size has the prior p(N) proportional to 1/N.

Gibbs sampler with data augmentation, one sweep:
  1. classes of the documented: per capture pattern, a multinomial over the classes;
  2. the undocumented count n0 ~ NegativeBinomial(n, 1 - pi0), pi0 the probability of
     being on no list (the conditional under the 1/N prior, classes integrated out), and
     their classes, a multinomial over the classes' shares of pi0;
  3. lambda_jk ~ Beta(1 + on list j in class k, 1 + in class k and not on list j);
  4. V_k ~ Beta(1 + in class k, alpha + in later classes), V_K = 1;
  5. alpha ~ Gamma(a + K - 1, b - sum over k < K of log(1 - V_k)).
Documented persons with the same pattern are exchangeable, so everything is counted per
pattern (at most 255 patterns on 8 lists) and the cost of a sweep does not grow with the
number of persons.

Several chains start from different random states; their draws of N give the posterior
median and the 95% credible interval (2.5% and 97.5% quantiles), and the diagnostics of
`rollcall.stats.mse.diagnostics`. Defaults follow LCMCR's examples (K = 10,
a = b = 0.25); with the seed given, a run is reproducible.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

from rollcall.errors import EstimateRefused
from rollcall.stats.mse.diagnostics import diagnose
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.result import Estimate

CREDIBLE = "credible"
MIN_LISTS = 3
_TINY = 1e-12


@dataclass(frozen=True)
class SamplerSettings:
    classes: int = 10
    chains: int = 4
    burnin: int = 2000
    samples: int = 1000
    thin: int = 5
    a_alpha: float = 0.25
    b_alpha: float = 0.25

    def check(self) -> None:
        if self.classes < 1 or self.chains < 1 or self.samples < 4 or self.thin < 1 \
                or self.burnin < 0:
            raise EstimateRefused("classes, chains and thinning must be at least 1, "
                                  "samples at least 4 and burn-in not negative")
        if self.a_alpha <= 0 or self.b_alpha <= 0:
            raise EstimateRefused("the prior of alpha needs positive a and b")


def _multinomial(rng: np.random.Generator, n: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Multinomial draws broadcast over leading axes, robust to rounding in `probs`."""
    probs = probs / probs.sum(axis=-1, keepdims=True)
    return rng.multinomial(n, probs)


def _log_weights(v: np.ndarray) -> np.ndarray:
    """Stick-breaking: log pi_k = log V_k + sum of log(1 - V_l) over l < k."""
    log_rest = np.log1p(-np.minimum(v, 1 - _TINY))
    before = np.cumsum(log_rest, axis=-1) - log_rest
    return np.log(np.maximum(v, _TINY)) + before


def sample_population(patterns: CapturePatterns, settings: SamplerSettings,
                      rng: np.random.Generator) -> np.ndarray:
    """Posterior draws of N, shape (chains, samples)."""
    x, n_w = patterns.observed()
    x = x.astype(float)
    x_t = np.ascontiguousarray(x.T)
    n = int(n_w.sum())
    c, k_cls, j = settings.chains, settings.classes, patterns.k
    lam = rng.beta(1.0, 1.0, size=(c, j, k_cls))
    alpha = np.ones(c)
    v = rng.beta(1.0, 1.0, size=(c, k_cls))
    v[:, -1] = 1.0
    log_pi = _log_weights(v)
    draws = np.empty((c, settings.samples), dtype=np.int64)
    total = settings.burnin + settings.samples * settings.thin
    counts = np.broadcast_to(n_w, (c, len(n_w)))
    for it in range(total):
        log_lam = np.log(np.maximum(lam, _TINY))
        log_off = np.log1p(-np.minimum(lam, 1 - _TINY))
        # 1. classes of the documented, per pattern
        log_none = log_pi + log_off.sum(axis=1)
        logp = log_none[:, None, :] + x @ (log_lam - log_off)
        logp -= logp.max(axis=-1, keepdims=True)
        on_class = _multinomial(rng, counts, np.exp(logp))
        # 2. the undocumented: how many, and their classes
        top = log_none.max(axis=-1, keepdims=True)
        share = np.exp(log_none - top)
        pi0 = np.minimum(share.sum(axis=-1) * np.exp(top[:, 0]), 1 - 1e-9)
        n0 = rng.negative_binomial(n, 1.0 - pi0)
        hidden = _multinomial(rng, n0, share)
        # 3. list probabilities per class
        size = on_class.sum(axis=1) + hidden
        on_list = x_t @ on_class.astype(float)
        lam = rng.beta(1.0 + on_list, 1.0 + size[:, None, :] - on_list)
        # 4. stick-breaking weights; 5. concentration
        later = np.cumsum(size[:, ::-1], axis=-1)[:, ::-1] - size
        v = rng.beta(1.0 + size, alpha[:, None] + later)
        v[:, -1] = 1.0
        log_pi = _log_weights(v)
        rate = settings.b_alpha - np.log1p(-np.minimum(v[:, :-1], 1 - _TINY)).sum(axis=-1)
        alpha = rng.gamma(settings.a_alpha + k_cls - 1, 1.0 / rate)
        kept = it - settings.burnin
        if kept >= 0 and kept % settings.thin == 0:
            draws[:, kept // settings.thin] = n + n0
    return draws


def lcmcr(patterns: CapturePatterns, *, seed: int | None = None,
          **options: int | float) -> Estimate:
    """Posterior median of N and its 95% credible interval. Options: classes, chains,
    burnin, samples, thin, a_alpha, b_alpha (SamplerSettings). Without a seed one is
    drawn and reported in the details, so the run can be repeated."""
    if patterns.k < MIN_LISTS:
        raise EstimateRefused(f"the latent-class model needs at least {MIN_LISTS} lists; "
                              f"{patterns.k} given")
    for name, total in patterns.list_totals().items():
        if total == 0:
            raise EstimateRefused(f"list {name!r} has nobody on it")
    unknown = sorted(set(options) - {f.name for f in fields(SamplerSettings)})
    if unknown:
        raise EstimateRefused(f"the latent-class model takes no option {unknown[0]!r}")
    settings = SamplerSettings(**options)  # type: ignore[arg-type]
    settings.check()
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2 ** 63))  # type: ignore[operator]
    draws = sample_population(patterns, settings, np.random.default_rng(seed))
    diagnostics = diagnose(draws)
    low, median, high = np.quantile(draws, [0.025, 0.5, 0.975])
    return Estimate(
        method="lcmcr", lists=patterns.lists, documented=patterns.documented,
        estimate=float(median), lower=float(low), upper=float(high), interval=CREDIBLE,
        warnings=tuple(diagnostics.problems()),
        details={"seed": seed, "posterior_mean": float(draws.mean()),
                 "settings": asdict(settings), "diagnostics": diagnostics.to_dict()})
