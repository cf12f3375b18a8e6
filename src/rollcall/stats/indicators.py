"""The indicators (issue 6): every figure a monitor publishes, computed from the registry
with its numerator, its denominator and, for a proportion, a 95% Wilson interval, under
filters by period, site, category and source, and prepared for publication on request.

The library the dashboard, the API (`/api/indicators`), the CLI (`rollcall indicators`)
and the periodic report call. Everything here is read-only; the doors check the
permission `stats:read` first.

    from rollcall.stats.indicators import Filters, compute_indicators
    found = compute_indicators(session, Filters(period_from=dt.date(2024, 1, 1)),
                               publication=True)
    held = found["persons_by_status"].cell("held")   # numerator, denominator, ...
    print(found["persons_by_status"].definition.method)  # how it is computed

Each indicator also has its own function (`persons_by_status(session, filters)`, ...) and
its `Definition` (title, method, the date the period reads, how each filter applies or
why it does not), which the report's methods section prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.errors import InvalidValue
from rollcall.stats.access import SITES_BY_ACCESS, sites_by_access
from rollcall.stats.exchanges import EXCHANGES, PERSONS_EXCHANGED, exchanges, persons_exchanged
from rollcall.stats.filters import check_filters
from rollcall.stats.ill_treatment import ILL_TREATMENT, ill_treatment_methods
from rollcall.stats.incidents import INCIDENTS, VICTIMS, incidents_and_victims
from rollcall.stats.intervals import wilson_interval
from rollcall.stats.persons import (
    DEATHS_IN_CUSTODY,
    PERSONS_BY_STATUS,
    deaths_in_custody,
    persons_by_status,
)
from rollcall.stats.results import (
    ALL,
    FILTER_NAMES,
    WHY,
    Cell,
    Definition,
    Filters,
    Group,
    Indicator,
    Kind,
    Suppression,
)
from rollcall.stats.suppression import publish

#: Every indicator, in the order the dashboard and the report show them.
DEFINITIONS: tuple[Definition, ...] = (
    PERSONS_BY_STATUS, DEATHS_IN_CUSTODY, SITES_BY_ACCESS, ILL_TREATMENT, INCIDENTS, VICTIMS,
    EXCHANGES, PERSONS_EXCHANGED,
)


@dataclass(frozen=True)
class Indicators:
    """Every indicator under one set of filters, as of `computed_at`."""

    filters: Filters
    publication: bool
    threshold: int | None
    computed_at: dt.datetime
    items: tuple[Indicator, ...]

    def __getitem__(self, code: str) -> Indicator:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.items)


def check_period(filters: Filters) -> None:
    if (filters.period_from is not None and filters.period_to is not None
            and filters.period_from > filters.period_to):
        raise InvalidValue("period: the start is after the end")


def compute_indicators(session: Session, filters: Filters | None = None, *,
                       publication: bool = False,
                       threshold: int | None = None) -> Indicators:
    """Every indicator under the filters. With `publication`, small cells are suppressed
    (rollcall.stats.suppression) under `threshold`, by default the setting
    `small_cell_threshold`. A site or source that does not exist is refused (NotFound)."""
    filters = filters or Filters()
    check_period(filters)
    check_filters(session, filters)
    if session.get_bind().dialect.name == "postgresql":
        # For this transaction, measured at a million persons: no JIT compilation (half a
        # second compiling each grouped count it then ran in as long); no parallel workers
        # (each built the whole hash of a subquery again: the earliest captures took 5.3 s
        # in three processes, 2.2 s in one); hashes and sorts in memory, not on disk.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL work_mem = '128MB'"))
    incidents, victims = incidents_and_victims(session, filters)
    items = [persons_by_status(session, filters), deaths_in_custody(session, filters),
             sites_by_access(session, filters), ill_treatment_methods(session, filters),
             incidents, victims, exchanges(session, filters),
             persons_exchanged(session, filters)]
    if publication:
        threshold = threshold or get_settings().small_cell_threshold
        items = [publish(item, threshold) for item in items]
    return Indicators(filters=filters, publication=publication,
                      threshold=threshold if publication else None,
                      computed_at=dt.datetime.now(dt.UTC), items=tuple(items))


__all__ = [
    "ALL", "DEATHS_IN_CUSTODY", "DEFINITIONS", "EXCHANGES", "FILTER_NAMES", "ILL_TREATMENT",
    "INCIDENTS", "PERSONS_BY_STATUS", "PERSONS_EXCHANGED", "SITES_BY_ACCESS", "VICTIMS", "WHY",
    "Cell", "Definition", "Filters", "Group", "Indicator", "Indicators", "Kind", "Suppression",
    "check_period", "compute_indicators", "deaths_in_custody", "exchanges",
    "ill_treatment_methods", "incidents_and_victims", "persons_by_status",
    "persons_exchanged", "publish", "sites_by_access", "wilson_interval",
]
