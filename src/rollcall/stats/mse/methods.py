"""One entry point for every estimator, by name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from rollcall.errors import EstimateRefused
from rollcall.stats.mse.lcmcr import lcmcr
from rollcall.stats.mse.loglinear import loglinear
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.result import Estimate
from rollcall.stats.mse.two_lists import chapman, lincoln_petersen

METHODS: dict[str, Callable[..., Estimate]] = {
    "lincoln_petersen": lincoln_petersen, "chapman": chapman, "loglinear": loglinear,
    "lcmcr": lcmcr,
}
AUTO = "auto"


def auto_method(patterns: CapturePatterns) -> str:
    """"auto": the log-linear models from three lists (they can model dependence between
    lists), Chapman for two (the less biased two-list estimator); one list estimates
    nothing."""
    if patterns.k >= 3:
        return "loglinear"
    if patterns.k == 2:
        return "chapman"
    raise EstimateRefused(f"at least two lists are needed to estimate; {patterns.k} here")


def estimate(patterns: CapturePatterns, method: str, *, seed: int | None = None,
             **options: Any) -> Estimate:
    """The estimate by `method` (lincoln_petersen, chapman, loglinear, lcmcr or auto).
    `seed` makes the latent-class sampler reproducible; `options` go to the method
    (loglinear: criterion, max_order, model; lcmcr: classes, chains, burnin, samples,
    thin, a_alpha, b_alpha)."""
    if method == AUTO:
        method = auto_method(patterns)
    if method not in METHODS:
        raise EstimateRefused(f"unknown method {method!r}; one of "
                              f"{', '.join([*METHODS, AUTO])}")
    if method == "lcmcr":
        return lcmcr(patterns, seed=seed, **options)
    function = METHODS[method]
    accepted = set(inspect.signature(function).parameters) - {"patterns"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise EstimateRefused(f"{method} takes no option {unknown[0]!r}")
    return function(patterns, **options)
