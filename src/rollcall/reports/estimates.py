"""The estimate of the undocumented in the periodic report: multiple systems estimation
(rollcall.stats.mse.registry_estimate, method "auto") on the registry's linked persons
held and dead, with lists by origin, as `rollcall estimate --population held|dead`
computes it.

The estimate is laid out as an indicator (documented, estimated total, undocumented) so
that the one publication rule (rollcall.stats.suppression) withholds it like any other
figure about people: a documented count below the threshold is withheld, and with it
whatever would give it away by subtraction (the estimated total is the documented plus
the undocumented).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import Estimate, registry_estimate, registry_patterns
from rollcall.stats.results import Cell, Definition, Filters, Group, Indicator, Kind, computed
from rollcall.stats.suppression import publish
from rollcall.web.i18n import N_

POPULATIONS = ("held", "dead")
#: Log-linear models with interactions of pairs of lists at most: at five lists the
#: exhaustive search up to triples (`rollcall estimate`'s default) fits 6,212 models and
#: took 10 and 44 s on the demo registry; up to pairs, 1,024 models in about a second,
#: and the same model chosen there.
MAX_ORDER = 2
MIN_LOGLINEAR_LISTS = 3
DOCUMENTED, ESTIMATED, UNDOCUMENTED = "documented", "estimated", "undocumented"
_WHOLE_REGISTRY = N_("the estimate is made on the registry as it stands on the day of "
                     "issue, over all its persons held or dead")

UNDOCUMENTED_ESTIMATE = Definition(
    code="undocumented_estimate",
    title=N_("Estimate of the undocumented"),
    kind=Kind.COUNT,
    dimensions=("population", "figure"),
    method=N_(
        "Multiple systems estimation on the registry's linked persons whose status now is "
        "held, and those whose status now is dead. A list is an origin of sources (own "
        "bureau, the other side's bureau, the ICRC, families, media...): a person is on a "
        "list when one of their records comes from a source of that origin. From the "
        "numbers of persons on each combination of lists, the method estimates how many "
        "are on none. From three lists: hierarchical log-linear models fitted as Poisson "
        "regressions, the model chosen by BIC, with a 95% profile likelihood interval "
        "(the interval does not count the choice of model), among the models with "
        "interactions between pairs of lists (dependence between two lists; not of three "
        "at once). From two lists: Chapman's "
        "estimator with a 95% interval on the log scale. Fewer than two lists, or lists "
        "that do not overlap, estimate nothing: the report then says why. Assumptions: "
        "every person of the population could appear on every list; the linkage of records "
        "into persons is right (a missed link makes persons look undocumented, a false one "
        "hides them); with two lists, being on one list does not change the chance of "
        "being on the other, while the log-linear models allow for such dependence between "
        "lists but not for every kind of it (people who are hard to document for every "
        "list alike are still missed)."),
    period_date=N_("none: the registry as it stands on the day of issue"),
    applies={},
    not_applicable={"period": _WHOLE_REGISTRY, "site": _WHOLE_REGISTRY,
                    "category": _WHOLE_REGISTRY, "source": _WHOLE_REGISTRY,
                    "origin": _WHOLE_REGISTRY},
)


@dataclass(frozen=True)
class PopulationEstimate:
    """One population's estimate: the estimator's answer (None when it refused, or
    nobody is on any list), its refusal in its own words, the number of lists, and the
    figures as published."""

    population: str
    estimate: Estimate | None
    refused: str | None
    lists: tuple[str, ...]
    documented: int
    command: str


def _estimate(session: Session, population: str) -> PopulationEstimate:
    lists: tuple[str, ...] = ()
    documented = 0
    command = f"rollcall estimate --population {population} --json"
    try:
        patterns = registry_patterns(session, population).get(None)
        options = {}
        if patterns is not None:
            lists, documented = patterns.lists, patterns.documented
            if patterns.k >= MIN_LOGLINEAR_LISTS:
                options["max_order"] = MAX_ORDER
                command = (f"rollcall estimate --population {population} "
                           f"--max-order {MAX_ORDER} --json")
        found = registry_estimate(session, population, **options)[None]
    except EstimateRefused as refusal:
        return PopulationEstimate(population, None, refusal.message, lists, documented,
                                  command)
    return PopulationEstimate(population, found, None, lists, documented, command)


def _cells(found: PopulationEstimate) -> list[Cell]:
    p, e = found.population, found.estimate
    cells = [Cell(key=(p, DOCUMENTED), numerator=found.documented,
                  value=float(found.documented))]
    if e is not None and math.isfinite(e.estimate):
        total = round(e.estimate)
        cells += [Cell(key=(p, ESTIMATED), numerator=total, value=e.estimate,
                       lower=e.lower, upper=e.upper),
                  Cell(key=(p, UNDOCUMENTED), numerator=total - found.documented,
                       value=e.estimate - found.documented)]
    return cells


def undocumented_estimates(session: Session, threshold: int
                           ) -> tuple[list[PopulationEstimate], Indicator]:
    """Both populations' estimates, and their figures prepared for publication."""
    found = [_estimate(session, population) for population in POPULATIONS]
    cells = [cell for estimate in found for cell in _cells(estimate)]
    keys = {cell.key for cell in cells}
    groups = [Group(total=(p, ESTIMATED), members=((p, DOCUMENTED), (p, UNDOCUMENTED)))
              for p in POPULATIONS if (p, ESTIMATED) in keys]
    indicator = computed(UNDOCUMENTED_ESTIMATE, Filters(), cells, groups)
    return found, publish(indicator, threshold)


__all__ = ["DOCUMENTED", "ESTIMATED", "POPULATIONS", "UNDOCUMENTED",
           "UNDOCUMENTED_ESTIMATE", "PopulationEstimate", "undocumented_estimates"]
