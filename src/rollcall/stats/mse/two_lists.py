"""Two lists: Lincoln-Petersen and Chapman (Seber 1982, pp. 59-60), with the interval on
the log scale of the undocumented count (Chao 1987, Biometrics 43: 783-791), so the lower
limit never falls below the persons already documented. Both assume the two lists are
independent and every person equally likely to be on each: dependence between lists (a
bureau copying another's list) biases them, which is why three or more lists and the
log-linear or latent-class models are preferred when there are any."""

from __future__ import annotations

import math

from rollcall.errors import EstimateRefused
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.result import Estimate

Z95 = 1.959963984540054
#: Below this many persons on both lists the ratio estimators are unstable (Robson and
#: Regier 1964: Lincoln-Petersen is nearly unbiased only from about 7 recaptures).
FEW_OVERLAP = 7
LOG_SCALE = "normal on log scale"


def _two(patterns: CapturePatterns, method: str) -> tuple[int, int, int]:
    if patterns.k != 2:
        raise EstimateRefused(f"{method} takes exactly two lists; {patterns.k} given "
                              "(use the log-linear or latent-class model for more)")
    first, second = patterns.lists
    totals = patterns.list_totals()
    n1, n2, m = totals[first], totals[second], patterns.overlap(first, second)
    if n1 == 0 or n2 == 0:
        empty = first if n1 == 0 else second
        raise EstimateRefused(f"list {empty!r} has nobody on it")
    if m == 0:
        raise EstimateRefused(f"no person is on both {first!r} and {second!r}: without "
                              "overlap two lists cannot estimate anything")
    return n1, n2, m


def log_scale_interval(documented: int, estimate: float,
                       variance: float) -> tuple[float, float]:
    """Chao (1987): the undocumented count f0 = N - n is taken as log-normal."""
    f0 = estimate - documented
    if f0 <= 0 or variance <= 0:
        return float(documented), float(documented)
    c = math.exp(Z95 * math.sqrt(math.log(1 + variance / f0 ** 2)))
    return documented + f0 / c, documented + f0 * c


def _result(method: str, patterns: CapturePatterns, n1: int, n2: int, m: int,
            estimate: float, variance: float) -> Estimate:
    lower, upper = log_scale_interval(patterns.documented, estimate, variance)
    warnings = []
    if m < FEW_OVERLAP:
        warnings.append(f"only {m} persons are on both lists: the estimate is unstable "
                        f"(fewer than {FEW_OVERLAP})")
    return Estimate(method=method, lists=patterns.lists, documented=patterns.documented,
                    estimate=estimate, lower=lower, upper=upper, interval=LOG_SCALE,
                    warnings=tuple(warnings),
                    details={"n1": n1, "n2": n2, "both": m,
                             "standard_error": math.sqrt(variance)})


def lincoln_petersen(patterns: CapturePatterns) -> Estimate:
    """N = n1 n2 / m, var = n1 n2 (n1 - m)(n2 - m) / m^3 (Seber 1982, p. 59)."""
    n1, n2, m = _two(patterns, "lincoln_petersen")
    estimate = n1 * n2 / m
    variance = n1 * n2 * (n1 - m) * (n2 - m) / m ** 3
    return _result("lincoln_petersen", patterns, n1, n2, m, estimate, variance)


def chapman(patterns: CapturePatterns) -> Estimate:
    """N = (n1 + 1)(n2 + 1)/(m + 1) - 1, var = (n1 + 1)(n2 + 1)(n1 - m)(n2 - m) /
    ((m + 1)^2 (m + 2)) (Seber 1982, p. 60): less biased than Lincoln-Petersen when
    the overlap is small."""
    n1, n2, m = _two(patterns, "chapman")
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    return _result("chapman", patterns, n1, n2, m, estimate, variance)
