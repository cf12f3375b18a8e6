"""Incidents and victims counted apart, by type and status (OHCHR: "32 POWs in 12
incidents, 3 incidents verified").

Definitions:
- *incidents*: the incidents matching the filter.
- *victims*: the sum of their `victim_count`, identified or not. A person who is a victim
  of two incidents counts twice: they are two victimisations, as OHCHR counts them.
- *persons linked*: the distinct registry persons linked as victims (a person merged
  since counts once, under the survivor). Within one line of the table and within a
  total each person counts once, so these do not add up across lines.
- The totals and the headline leave `retracted` incidents out (they are kept, and shown
  in their own line of the table by status).

A period filter keeps incidents whose dates meet the period; an incident without dates is
left out of a period. A source filter keeps incidents with a source not withdrawn that is
the registry source, or a testimony recorded from it; an origin filter, the same for any
source of that origin. Read-only and set-based: each figure is one grouped SQL statement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.models import Incident, IncidentSource, IncidentVictim, Person, Source, Testimony
from rollcall.vocabulary import IncidentStatus, IncidentType, Origin

COUNTED = [s for s in IncidentStatus if s != IncidentStatus.RETRACTED]


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents a list or a count covers; None means any."""

    type: IncidentType | None = None
    status: IncidentStatus | None = None
    site_id: int | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    source_id: int | None = None
    origin: Origin | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if self.type is not None:
            conds.append(Incident.type == self.type)
        if self.status is not None:
            conds.append(Incident.status == self.status)
        if self.site_id is not None:
            conds.append(Incident.site_id == self.site_id)
        start = func.coalesce(Incident.date_from, Incident.date_to)
        end = func.coalesce(Incident.date_to, Incident.date_from)
        if self.period_to is not None:
            # A partial date sorts as its earliest day: "2023" <= "2023-05-01".
            conds.append(start.is_not(None))
            conds.append(start <= PartialDate.from_date(self.period_to))
        if self.period_from is not None:
            # Its latest day is on or after the day when its ISO text is not below the
            # day's text cut to the same length ("2023-05" vs "2023-05-10"[:7]).
            conds.append(end.is_not(None))
            day = self.period_from.isoformat()
            conds.append(end >= func.substr(day, 1, func.length(end)))
        if self.source_id is not None or self.origin is not None:
            conds.append(Incident.id.in_(self._citing()))
        return conds

    def _citing(self) -> Select[Any]:
        """Incidents with a source (not withdrawn) from the chosen registry sources: the
        source itself, or a testimony recorded from it."""
        chosen = select(Source.id)
        if self.source_id is not None:
            chosen = chosen.where(Source.id == self.source_id)
        if self.origin is not None:
            chosen = chosen.where(Source.origin == self.origin)
        standing = IncidentSource.withdrawn_at.is_(None)
        return union(
            select(IncidentSource.incident_id)
            .where(standing, IncidentSource.source_id.in_(chosen)),
            select(IncidentSource.incident_id)
            .join(Testimony, Testimony.id == IncidentSource.testimony_id)
            .where(standing, Testimony.source_id.in_(chosen)),
        ).subquery("citing").select()


@dataclass(frozen=True)
class Tally:
    incidents: int = 0
    victims: int = 0
    persons_linked: int = 0


@dataclass(frozen=True)
class TypeLine:
    type: IncidentType
    by_status: dict[IncidentStatus, Tally]
    total: Tally  # not retracted


@dataclass(frozen=True)
class IncidentCounts:
    by_status: dict[IncidentStatus, Tally]  # every status, zeros included
    by_type: list[TypeLine]  # the types that have any incident, in vocabulary order
    total: Tally  # not retracted
    verified: Tally
    filter: IncidentFilter = field(default_factory=IncidentFilter)

    def headline(self) -> str:
        """The sentence in English: '32 victims in 12 incidents, 3 incidents verified'.
        (The pages translate it: templates/incidents.html.)"""
        t, v = self.total, self.verified.incidents

        def plural(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        return (f"{plural(t.victims, 'victim')} in {plural(t.incidents, 'incident')}, "
                f"{plural(v, 'incident')} verified")


def _persons(person: Any) -> Any:
    return func.count(func.distinct(func.coalesce(person.merged_into_id, person.id)))


def _linked(conds: list[ColumnElement[bool]], *group: Any) -> Select[Any]:
    return (select(*group, _persons(Person))
            .select_from(Incident)
            .join(IncidentVictim, IncidentVictim.incident_id == Incident.id)
            .join(Person, Person.id == IncidentVictim.person_id)
            .where(*conds).group_by(*group))


def incident_counts(session: Session, chosen: IncidentFilter | None = None) -> IncidentCounts:
    """The counts under a filter. Read-only: the doors check `registry:read` first."""
    chosen = chosen or IncidentFilter()
    conds = chosen.conditions()
    not_retracted = Incident.status != IncidentStatus.RETRACTED

    cells: dict[tuple[IncidentType, IncidentStatus], list[int]] = {}
    for kind, status, n, victims in session.execute(
        select(Incident.type, Incident.status, func.count(),
               func.coalesce(func.sum(Incident.victim_count), 0))
        .where(*conds).group_by(Incident.type, Incident.status)
    ):
        cells[(kind, status)] = [n, int(victims), 0]
    for kind, status, persons in session.execute(
            _linked(conds, Incident.type, Incident.status)):
        cells[(kind, status)][2] = persons
    status_persons = dict(session.execute(_linked(conds, Incident.status)).all())
    type_persons = dict(session.execute(_linked([*conds, not_retracted], Incident.type)).all())
    total_persons = session.scalar(
        select(_persons(Person)).select_from(Incident)
        .join(IncidentVictim, IncidentVictim.incident_id == Incident.id)
        .join(Person, Person.id == IncidentVictim.person_id)
        .where(*conds, not_retracted)) or 0

    def summed(keys: list[tuple[IncidentType, IncidentStatus]], persons: int) -> Tally:
        return Tally(incidents=sum(cells[k][0] for k in keys),
                     victims=sum(cells[k][1] for k in keys), persons_linked=persons)

    by_status = {
        status: summed([k for k in cells if k[1] == status], status_persons.get(status, 0))
        for status in IncidentStatus
    }
    by_type = [
        TypeLine(
            type=kind,
            by_status={status: Tally(*cells[(kind, status)]) if (kind, status) in cells
                       else Tally() for status in IncidentStatus},
            total=summed([k for k in cells if k[0] == kind and k[1] in COUNTED],
                         type_persons.get(kind, 0)),
        )
        for kind in IncidentType if any(k[0] == kind for k in cells)
    ]
    return IncidentCounts(
        by_status=by_status, by_type=by_type,
        total=summed([k for k in cells if k[1] in COUNTED], total_persons),
        verified=by_status[IncidentStatus.VERIFIED], filter=chosen,
    )


__all__ = ["IncidentCounts", "IncidentFilter", "Tally", "TypeLine", "incident_counts"]
