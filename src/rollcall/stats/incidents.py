"""Allegations and incidents by type and status, incidents and victims counted apart: the
incident counts (rollcall.monitoring.incident_counts) laid out as two indicators."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from rollcall.monitoring.incident_counts import (
    COUNTED,
    IncidentCounts,
    IncidentFilter,
    Tally,
    incident_counts,
)
from rollcall.stats.results import (
    ALL,
    Definition,
    Filters,
    Group,
    Indicator,
    Kind,
    computed,
    count_cell,
)
from rollcall.vocabulary import IncidentStatus, IncidentType
from rollcall.web.i18n import N_

_PERIOD_DATE = N_("the incident's dates: an incident meets the period when some day "
                  "between its first and last date lies within it; undated incidents meet "
                  "no period")
_APPLIES = {
    "period": N_("incidents whose dates meet the period"),
    "site": N_("incidents at the site"),
    "source": N_("incidents with a source (not withdrawn) that is the source, or a "
                 "testimony recorded from it"),
    "origin": N_("incidents with a source (not withdrawn) of that origin, or a testimony "
                 "recorded from one"),
}
_NOT_APPLICABLE = {"category": N_("incidents are counted as events, and most of their "
                                  "victims are not identified")}

INCIDENTS = Definition(
    code="incidents",
    title=N_("Allegations and incidents by type and status"),
    kind=Kind.COUNT,
    dimensions=("type", "status"),
    method=N_(
        "Allegations and incidents by type and by how far each is established: reported; "
        "credible (the corroboration rule is met); verified (an investigator signed it "
        "off: reasonable grounds to believe); retracted. The totals leave retracted ones "
        "out; they are kept and shown in their own column. Incidents and their victims are "
        "counted apart."),
    period_date=_PERIOD_DATE,
    applies=_APPLIES,
    not_applicable=_NOT_APPLICABLE,
)

VICTIMS = Definition(
    code="victims",
    title=N_("Victims of allegations and incidents by type and status"),
    kind=Kind.COUNT,
    dimensions=("type", "status"),
    method=N_(
        "The victims of the same incidents: the sum of each incident's number of victims, "
        "identified or not. A person who is a victim of two incidents counts twice (two "
        "victimisations, as OHCHR counts them). The totals leave retracted incidents out."),
    period_date=_PERIOD_DATE,
    applies=_APPLIES,
    not_applicable=_NOT_APPLICABLE,
)


def _groups() -> list[Group]:
    """Each type's statuses add up to its total, each status's types to the status, and
    both the types' totals and the counted statuses to the grand total."""
    types = [t.value for t in IncidentType]
    counted = [s.value for s in COUNTED]
    groups = [Group((t, ALL), tuple((t, s) for s in counted)) for t in types]
    groups += [Group((ALL, s.value), tuple((t, s.value) for t in types))
               for s in IncidentStatus]
    groups.append(Group((ALL, ALL), tuple((t, ALL) for t in types)))
    groups.append(Group((ALL, ALL), tuple((ALL, s) for s in counted)))
    return groups


def _table(counts: IncidentCounts, measure: Callable[[Tally], int]) -> list:
    lines = {line.type: line for line in counts.by_type}
    cells = []
    for kind in IncidentType:
        line = lines.get(kind)
        for status in IncidentStatus:
            tally = line.by_status[status] if line else Tally()
            cells.append(count_cell((kind.value, status.value), measure(tally)))
        cells.append(count_cell((kind.value, ALL), measure(line.total if line else Tally())))
    for status in IncidentStatus:
        cells.append(count_cell((ALL, status.value), measure(counts.by_status[status])))
    cells.append(count_cell((ALL, ALL), measure(counts.total)))
    return cells


def incidents_and_victims(session: Session, filters: Filters) -> tuple[Indicator, Indicator]:
    """Both indicators from one pass of the incident counts."""
    counts = incident_counts(session, IncidentFilter(
        site_id=filters.site_id, period_from=filters.period_from,
        period_to=filters.period_to, source_id=filters.source_id, origin=filters.origin))
    groups = _groups()
    return (computed(INCIDENTS, filters, _table(counts, lambda t: t.incidents), groups),
            computed(VICTIMS, filters, _table(counts, lambda t: t.victims), groups))


__all__ = ["INCIDENTS", "VICTIMS", "incidents_and_victims"]
