"""Confidence intervals for proportions: Wilson's score interval (95%), which stays inside
0-100% and keeps its coverage for small counts and shares near 0 or 1, where the normal
("Wald") interval fails. One implementation (statsmodels), for a single share and for
arrays of them."""

from __future__ import annotations

from typing import Any

import numpy as np

ALPHA = 0.05


def wilson_bounds(count: Any, total: Any) -> tuple[np.ndarray, np.ndarray]:
    """The 95% Wilson interval of count/total, element-wise over arrays (total > 0),
    clipped to [0, 1] (the formula can land a rounding error outside)."""
    # Imported here: statsmodels (with scipy) takes most of a second to load, which every
    # CLI command and the app's start would otherwise pay.
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(np.asarray(count), np.asarray(total), alpha=ALPHA,
                                   method="wilson")
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)


def wilson_interval(count: int, total: int) -> tuple[float, float] | None:
    """The 95% Wilson score interval of count/total, None when total is 0."""
    if total <= 0:
        return None
    low, high = wilson_bounds(count, total)
    return float(low), float(high)


__all__ = ["ALPHA", "wilson_bounds", "wilson_interval"]
