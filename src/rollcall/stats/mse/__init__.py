"""Multiple systems estimation: how many persons no list documents, from which lists the
documented ones are on (issue 6, part 2).

    CapturePatterns     the data: counts per 0/1 pattern over k lists (CSV, pairs, persons)
    estimate(...)       one entry point: lincoln_petersen, chapman, loglinear, lcmcr, auto
    Estimate            N-hat, its 95% interval and how it was made, warnings, details
    registry_patterns   capture patterns of the registry's held or dead persons, by stratum
    registry_estimate   and their estimates

Methods: two lists (`two_lists`), hierarchical log-linear models chosen by BIC or AIC
with a profile likelihood interval (`loglinear`, `models`, `glm`), the Bayesian
latent-class model of Manrique-Vallier 2016 (`lcmcr`, `diagnostics`). A refusal is an
`rollcall.errors.EstimateRefused`; a doubt that still allows an estimate is a warning
carried by the Estimate.
"""

from rollcall.stats.mse.lcmcr import lcmcr
from rollcall.stats.mse.loglinear import loglinear
from rollcall.stats.mse.methods import METHODS, auto_method, estimate
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.registry import registry_estimate, registry_patterns
from rollcall.stats.mse.result import Estimate
from rollcall.stats.mse.two_lists import chapman, lincoln_petersen

__all__ = [
    "METHODS",
    "CapturePatterns",
    "Estimate",
    "auto_method",
    "chapman",
    "estimate",
    "lcmcr",
    "lincoln_petersen",
    "loglinear",
    "registry_estimate",
    "registry_patterns",
]
