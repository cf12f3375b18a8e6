"""Gathering the periodic report's figures: every indicator for the period, persons by
status for each month, quarter or year of it, and the estimate of the undocumented, all
prepared for publication (small cells withheld by rollcall.stats.suppression).

Every figure comes from a *query*: an indicator (rollcall.stats.indicators) under stated
filters, or the estimate. A query has a stable id and the command that computes the same
figures again (`rollcall indicators ... --publication --json`); a figure's id is its
query's id and its cell's key (`persons_by_status@2023-Q2/held`), which the report shows
beside the figure and lists, with the query, in its appendix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.reports.estimates import PopulationEstimate, undocumented_estimates
from rollcall.reports.period import Interval, Period
from rollcall.stats.indicators import (
    ALL,
    Cell,
    Filters,
    Group,
    Indicator,
    Indicators,
    compute_indicators,
    persons_by_status,
    publish,
)


@dataclass(frozen=True)
class Query:
    """Where a set of figures comes from: `indicator` computed under `filters` (for the
    estimate: the registry as a whole), and the command that recomputes them."""

    id: str
    indicator: str
    filters: Filters
    command: str


@dataclass(frozen=True)
class PeriodicReport:
    """Everything the report shows, before it is put in words of a language."""

    period: Period
    issued: dt.datetime
    threshold: int
    indicators: Indicators
    series: tuple[tuple[Interval, Indicator], ...]
    estimates: tuple[PopulationEstimate, ...]
    estimate_figures: Indicator
    queries: tuple[Query, ...]

    def query_of(self, indicator: Indicator, interval: Interval | None = None) -> Query:
        wanted = query_id(indicator.code, interval)
        return next(q for q in self.queries if q.id == wanted)


def query_id(indicator: str, interval: Interval | None = None) -> str:
    return indicator if interval is None else f"{indicator}@{interval.code}"


def figure_id(query: str, cell: Cell) -> str:
    return query + "/" + "/".join(cell.key)


def _command(filters: Filters) -> str:
    return (f"rollcall indicators --from {filters.period_from:%Y-%m-%d} "
            f"--to {filters.period_to:%Y-%m-%d} --publication --json")


def over_time(raw: list[tuple[Interval, Indicator]], whole: Indicator, threshold: int
              ) -> tuple[list[tuple[Interval, Indicator]], Indicator]:
    """Persons by status per interval, prepared for publication together with the
    period's figures: each status's intervals and the period's figure form a group, so
    that a withheld figure of one interval cannot be worked out from the period's figure
    and the other intervals (they add up to it when every date is known to the day). The
    groups only add suppressions to what each query's own publication withholds (the
    smallest other interval first, the period's figure last). Returns the intervals and
    the period's indicator with any figure withheld that way marked."""
    statuses = [cell.key for cell in whole.cells]
    cells = [replace(cell, key=(ALL, *cell.key)) for cell in whole.cells]
    cells += [replace(cell, key=(interval.code, *cell.key))
              for interval, item in raw for cell in item.cells]
    groups = [Group(total=(ALL, *key), members=tuple((i.code, *key) for i, _ in raw))
              for key in statuses]
    together = publish(replace(whole, cells=tuple(cells), groups=tuple(groups)), threshold)
    by_key = {cell.key: cell for cell in together.cells}

    def part(code: str, item: Indicator) -> Indicator:
        """The query's own publication, with what the groups withheld besides."""
        own = publish(item, threshold)
        marked = []
        for cell in own.cells:
            joint = by_key[(code, *cell.key)]
            withheld_besides = cell.suppressed is None and joint.suppressed is not None
            marked.append(replace(joint, key=cell.key) if withheld_besides else cell)
        return replace(own, cells=tuple(marked))

    series = [(interval, part(interval.code, item)) for interval, item in raw]
    return series, part(ALL, whole)


def gather(session: Session, period: Period, *, threshold: int | None = None,
           issued: dt.datetime | None = None) -> PeriodicReport:
    """Every figure of the report on `period`, withheld under `threshold` (default: the
    setting small_cell_threshold)."""
    threshold = threshold or get_settings().small_cell_threshold
    filters = Filters(period_from=period.start, period_to=period.end)
    found = compute_indicators(session, filters, publication=True, threshold=threshold)
    queries = [Query(item.code, item.code, filters, _command(filters)) for item in found]
    raw = []
    for interval in period.intervals():
        within = Filters(period_from=interval.start, period_to=interval.end)
        raw.append((interval, persons_by_status(session, within)))
        queries.append(Query(query_id("persons_by_status", interval), "persons_by_status",
                             within, _command(within)))
    series, whole = over_time(raw, found["persons_by_status"], threshold)
    found = replace(found, items=tuple(whole if item.code == whole.code else item
                                       for item in found))
    estimates, figures = undocumented_estimates(session, threshold)
    queries.append(Query(figures.code, figures.code, Filters(),
                         "; ".join(e.command for e in estimates)))
    return PeriodicReport(period=period, issued=issued or dt.datetime.now(dt.UTC),
                          threshold=threshold, indicators=found, series=tuple(series),
                          estimates=tuple(estimates), estimate_figures=figures,
                          queries=tuple(queries))


__all__ = ["PeriodicReport", "Query", "figure_id", "gather", "query_id"]
