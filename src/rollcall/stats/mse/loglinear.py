"""k lists: hierarchical log-linear models fitted as Poisson GLMs on the incomplete 2^k
table (Fienberg 1972; Cormack 1989), chosen by BIC (default) or AIC, as Rcapture does.

Each model's estimate is the documented count plus the fitted count of the unobserved
cell, exp(intercept), with Rcapture's standard error. The chosen model's 95% interval is
the profile likelihood one (Cormack 1992; Rcapture's `closedpCI.t`): the multinomial
likelihood of N, each N fitted by completing the table with N - n in the unobserved
cell, and the interval the N within half the 95% chi-square(1) quantile of the maximum.
It is conditional on the model: the competing models are returned with theirs, and a
warning says when models almost as good (criterion within 2) estimate outside it.

AIC = -2 log L + 2p and BIC = -2 log L + p log n, L the Poisson likelihood of the
observed cells, p the coefficients, n the documented persons (Rcapture's definitions).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import models as m
from rollcall.stats.mse.glm import fit_poisson, intercept_directions
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.result import Estimate

CHI2_95_HALF = 1.920729410347062  # qchisq(0.95, 1) / 2
#: The upper limit is sought up to this many times the estimate, then called infinite.
UPPER_SEARCH = 50.0
SHOWN_MODELS = 10
#: 4,095 capture patterns; beyond, the table itself outgrows what these fits are for.
MAX_LISTS = 12
PROFILE = "profile likelihood"
CRITERIA = ("bic", "aic")
USABLE = ("ok", "boundary")


@dataclass(frozen=True)
class ModelFit:
    model: m.Model
    name: str
    params: int
    deviance: float
    df: int
    aic: float
    bic: float
    #: None when the likelihood does not bound it (status "infinite").
    estimate: float | None
    standard_error: float | None
    #: ok | boundary (some patterns fitted as impossible) | infinite | not converged
    status: str
    coef: np.ndarray

    def criterion(self, name: str) -> float:
        return self.bic if name == "bic" else self.aic

    def summary(self, lists: tuple[str, ...]) -> dict[str, object]:
        return {"model": self.name,
                "terms": [[lists[i] for i in sorted(t)] for t in m.top_terms(self.model)],
                "params": self.params, "deviance": self.deviance, "df": self.df,
                "aic": self.aic, "bic": self.bic, "estimate": self.estimate,
                "standard_error": self.standard_error, "status": self.status}


def fit_model(patterns: np.ndarray, y: np.ndarray, model: m.Model,
              lists: tuple[str, ...]) -> ModelFit:
    """One model on the incomplete table (`patterns`, `y`: CapturePatterns.table())."""
    x = m.design(patterns, model)
    documented = float(y.sum())
    fit = fit_poisson(x, y)
    params = x.shape[1]
    # An interior maximum (converged, every empty cell fitted above zero) admits no
    # direction that raises the likelihood for ever: only a fit at the boundary needs
    # the linear programme.
    interior = fit.converged and not np.any(fit.fitted[y == 0] < 1e-6)
    up = False if interior else intercept_directions(x, y)[0]
    estimate: float | None = None
    error: float | None = None
    if up:
        status = "infinite"
    elif not fit.converged:
        status = "not converged"
    else:
        status = "boundary" if np.any(fit.fitted[y == 0] < 1e-6) else "ok"
        hidden = math.exp(fit.coef[0])
        estimate = documented + hidden
        error = math.sqrt(max(hidden + hidden ** 2 * fit.cov[0, 0], 0.0))
    return ModelFit(model=model, name=m.model_name(model, lists), params=params,
                    deviance=fit.deviance, df=len(y) - params,
                    aic=-2 * fit.loglik + 2 * params,
                    bic=-2 * fit.loglik + params * math.log(documented),
                    estimate=estimate, standard_error=error, status=status, coef=fit.coef)


def profile_loglik(patterns: np.ndarray, y: np.ndarray, model: m.Model,
                   start: np.ndarray | None = None) -> Callable[[float], float]:
    """The multinomial profile log-likelihood of N (up to a constant), as a function."""
    full = np.vstack([patterns, np.zeros((1, patterns.shape[1]), dtype=patterns.dtype)])
    x = m.design(full, model)
    documented = float(y.sum())
    warm = [start]

    def loglik(total: float) -> float:
        y_full = np.append(y, max(total - documented, 0.0))
        fit = fit_poisson(x, y_full, warm[0])
        warm[0] = fit.coef
        mu = np.maximum(fit.fitted, 1e-300)
        share = np.where(y_full > 0, y_full * np.log(mu / total), 0.0).sum()
        return float(gammaln(total + 1) - gammaln(total - documented + 1) + share)

    return loglik


def profile_interval(patterns: np.ndarray, y: np.ndarray, chosen: ModelFit,
                     ) -> tuple[float, float, float]:
    """(multinomial MLE of N, lower, upper); upper is infinite when the likelihood stays
    within the bound up to UPPER_SEARCH times the estimate."""
    documented = float(y.sum())
    assert chosen.estimate is not None
    loglik = profile_loglik(patterns, y, chosen.model, chosen.coef)
    top = max(3 * chosen.estimate, documented + 3)
    best = minimize_scalar(lambda n: -loglik(n), bounds=(documented, top),
                           method="bounded", options={"xatol": 1e-4})
    n_max, l_max = float(best.x), -float(best.fun)
    target = l_max - CHI2_95_HALF

    def gap(n: float) -> float:
        return loglik(n) - target

    lower = documented
    if gap(documented) < 0:
        lower = brentq(gap, documented, n_max, xtol=1e-4)
    upper = math.inf
    high = top
    while high <= UPPER_SEARCH * chosen.estimate:
        if gap(high) < 0:
            upper = brentq(gap, n_max, high, xtol=1e-4)
            break
        high *= 2
    return n_max, lower, upper


def _model_from_names(spec: Iterable[Iterable[str]], lists: tuple[str, ...]) -> m.Model:
    """A model given as interaction terms by list name, closed downwards."""
    terms: set[m.Term] = set()
    for raw in spec:
        names = list(raw)
        unknown = [n for n in names if n not in lists]
        if unknown:
            raise EstimateRefused(f"unknown list {unknown[0]!r} in the model")
        term = frozenset(lists.index(n) for n in names)
        if len(term) < 2:
            raise EstimateRefused("a model term joins two or more lists")
        if len(term) == len(lists):
            raise EstimateRefused("the term joining all lists cannot be estimated")
        for order in range(2, len(term) + 1):
            terms.update(frozenset(c) for c in itertools.combinations(sorted(term), order))
    return frozenset(terms)


def _refuse_empty(patterns: CapturePatterns) -> None:
    if patterns.k < 2:
        raise EstimateRefused("at least two lists are needed")
    if patterns.k > MAX_LISTS:
        raise EstimateRefused(f"log-linear models take at most {MAX_LISTS} lists; "
                              f"{patterns.k} given")
    for name, total in patterns.list_totals().items():
        if total == 0:
            raise EstimateRefused(f"list {name!r} has nobody on it")


def loglinear(patterns: CapturePatterns, *, criterion: str = "bic",
              max_order: int | None = None,
              model: Iterable[Iterable[str]] | None = None) -> Estimate:
    """The log-linear estimate: the model with the smallest criterion (or the `model`
    given, as interaction terms by list name) and its profile likelihood interval."""
    _refuse_empty(patterns)
    if criterion not in CRITERIA:
        raise EstimateRefused(f"criterion must be one of {', '.join(CRITERIA)}")
    k, lists = patterns.k, patterns.lists
    order = m.default_max_order(k) if max_order is None else max_order
    if not 1 <= order <= k - 1:
        raise EstimateRefused(f"the maximum order must be from 1 to {k - 1} for {k} lists")
    cells, y = patterns.table()
    fits: dict[m.Model, ModelFit] = {}

    def fitted(candidate: m.Model) -> ModelFit:
        if candidate not in fits:
            fits[candidate] = fit_model(cells, y, candidate, lists)
        return fits[candidate]

    if model is not None:
        search = "given"
        chosen = fitted(_model_from_names(model, lists))
        if chosen.status not in USABLE:
            raise EstimateRefused(_unusable(chosen))
    else:
        catalogue = m.hierarchical_models(k, order)
        if catalogue is not None:
            search = "exhaustive"
            for candidate in catalogue:
                fitted(candidate)
        else:
            search = "stepwise"

            def score(candidate: m.Model) -> float | None:
                fit = fitted(candidate)
                return fit.criterion(criterion) if fit.status in USABLE else None

            m.stepwise(k, order, score)
        usable = [f for f in fits.values() if f.status in USABLE]
        if not usable:
            worst = next(iter(fits.values()))
            raise EstimateRefused(f"no log-linear model gives a finite estimate "
                                  f"({_unusable(worst)})")
        chosen = min(usable, key=lambda f: (f.criterion(criterion), f.params))
    return _estimate(patterns, cells, y, chosen, list(fits.values()), criterion, search)


def _unusable(fit: ModelFit) -> str:
    if fit.status == "infinite":
        return (f"model {fit.name}: the data do not bound the estimate (infinite), "
                "typically because lists that never overlap are modelled as dependent")
    return f"model {fit.name}: the fit did not converge"


def _estimate(patterns: CapturePatterns, cells: np.ndarray, y: np.ndarray,
              chosen: ModelFit, fits: list[ModelFit], criterion: str,
              search: str) -> Estimate:
    assert chosen.estimate is not None
    n_max, lower, upper = profile_interval(cells, y, chosen)
    warnings = _warnings(patterns, y, chosen, fits, criterion, lower, upper)
    ranked = sorted(fits, key=lambda f: (f.status not in USABLE, f.criterion(criterion)))
    lists = patterns.lists
    return Estimate(
        method="loglinear", lists=lists, documented=patterns.documented,
        estimate=chosen.estimate, lower=lower, upper=upper, interval=PROFILE,
        warnings=tuple(warnings),
        details={"criterion": criterion, "search": search, "chosen": chosen.summary(lists),
                 "multinomial_estimate": n_max, "models_fitted": len(fits),
                 "models_infinite": sum(f.status == "infinite" for f in fits),
                 "competing_models": [f.summary(lists) for f in ranked[:SHOWN_MODELS]]})


def _warnings(patterns: CapturePatterns, y: np.ndarray, chosen: ModelFit,
              fits: list[ModelFit], criterion: str, lower: float,
              upper: float) -> list[str]:
    warnings = [f"everyone documented is on list {name!r}: the other lists cannot show "
                "anyone it missed, so the estimate cannot rise above the documented count"
                for name, total in patterns.list_totals().items()
                if total == patterns.documented]
    empty = int((y == 0).sum())
    if empty * 2 > len(y):
        warnings.append(f"sparse table: {empty} of {len(y)} capture patterns have nobody; "
                        "log-linear estimates are unstable on sparse tables")
    if chosen.status == "boundary":
        warnings.append(f"model {chosen.name} fits some capture patterns as impossible "
                        "(a coefficient at minus infinity)")
    if math.isinf(upper):
        warnings.append(f"the likelihood does not bound the estimate from above within "
                        f"{UPPER_SEARCH:g} times it: the upper limit is infinite")
    best = chosen.criterion(criterion)
    close = [f.estimate for f in fits if f.status in USABLE and f.estimate is not None
             and f.criterion(criterion) - best < 2]
    if close and (min(close) < lower or max(close) > upper):
        warnings.append(f"models almost as good ({criterion.upper()} within 2 of the "
                        f"chosen) estimate from {min(close):.0f} to {max(close):.0f}, "
                        "beyond the interval, which does not count the choice of model")
    return warnings
