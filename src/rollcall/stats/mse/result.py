"""The one shape every estimator returns, so the CLI, reports and the dashboard read any
method the same way."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A population estimate: N-hat, its 95% interval and how the interval was made
    ("profile likelihood", "credible", "normal on log scale"), the persons documented,
    the doubts that did not stop the estimate (`warnings`), and what is particular to the
    method (`details`: competing models, diagnostics...). `upper` may be infinite when
    the data do not bound the estimate from above; `to_dict` writes that as null.
    `refused` is set only where a stratified estimate could not be made for one stratum
    (rollcall.stats.mse.registry): it says why, and the figures are NaN."""

    method: str
    lists: tuple[str, ...]
    documented: int
    estimate: float
    lower: float
    upper: float
    interval: str
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    refused: str | None = None

    @property
    def undocumented(self) -> float:
        """The estimated number of persons on no list."""
        return self.estimate - self.documented

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "lists": list(self.lists), "documented": self.documented,
            "estimate": plain(self.estimate), "lower": plain(self.lower),
            "upper": plain(self.upper), "interval": self.interval,
            "warnings": list(self.warnings), "details": plain(self.details),
            "refused": self.refused,
        }


def plain(value: Any) -> Any:
    """JSON values: numpy scalars and arrays as Python numbers and lists, tuples as
    lists, non-finite floats as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    return value
