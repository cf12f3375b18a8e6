"""Persons documented as held, released, escaped, dead, missing; and deaths in custody.

Read-only and set-based: persons by status is one grouped statement over the persons
(their status is kept on the row, derived from their events by the services), so it stays
a single scan at a million persons; deaths in custody reads the events of the dead only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.models import Event, Person
from rollcall.monitoring.custody import CUSTODY_EVENTS, LEAVING_EVENTS, as_text
from rollcall.stats.filters import partial_in_period, person_filters
from rollcall.stats.results import (
    ALL,
    Cell,
    Definition,
    Filters,
    Group,
    Indicator,
    Kind,
    computed,
    count_cell,
)
from rollcall.vocabulary import CustodyStatus, EventType
from rollcall.web.i18n import N_

S = CustodyStatus
#: Statuses with a date of their own (the fact they follow from), and so a period.
DATED = (S.HELD, S.RELEASED, S.ESCAPED, S.DEAD)
KINDS = {kind.value: kind for kind in EventType}
#: The events the custody status follows from, deaths left out.
STATUS_EVENTS = sorted(CUSTODY_EVENTS | LEAVING_EVENTS - {EventType.DIED,
                                                          EventType.BODY_REPATRIATED})
IN_CUSTODY, OTHERWISE = "in_custody", "otherwise"

_PERSON_FILTERS = {
    "site": N_("the person's last known site: the site of their latest event that names "
               "one"),
    "category": N_("the person's category"),
    "source": N_("persons with a record from the source or an event citing it"),
    "origin": N_("persons with a record from a source of that origin or an event citing "
                 "one"),
}

PERSONS_BY_STATUS = Definition(
    code="persons_by_status",
    title=N_("Persons by status"),
    kind=Kind.COUNT,
    dimensions=("status",),
    method=N_(
        "Persons in the registry by the custody status derived from their events: held, "
        "released, escaped, dead, missing (a source reports them missing and no event says "
        "more) or unknown, as it stands now. A person merged into another counts once. "
        "Without a period the statuses add up to every person documented; with a period "
        "each status is read on its own date, persons whose status has no date (missing, "
        "unknown, an undated fact) are left out, and there is no total."),
    period_date=N_("held: the earliest dated capture; released or escaped: the date of the "
                   "release, exchange, repatriation or escape the status follows from; "
                   "dead: the date of death"),
    applies={"period": N_("on each status's own date"), **_PERSON_FILTERS},
    not_applicable={},
)

DEATHS_IN_CUSTODY = Definition(
    code="deaths_in_custody",
    title=N_("Deaths in custody"),
    kind=Kind.COUNT,
    dimensions=("when",),
    method=N_(
        "Persons documented as dead (a death, or a body repatriated) who died in custody: "
        "the status their other events give, by the same rule as the custody status, is "
        "held (their latest custody fact comes after any release, exchange, repatriation or "
        "escape). The total is every person documented as dead; the rest were released or "
        "escaped before, or no custody fact of theirs is recorded."),
    period_date=N_("the date of death (the earliest dated death or body repatriation)"),
    applies={"period": N_("on the date of death"), **_PERSON_FILTERS},
    not_applicable={},
)


def _living() -> list[ColumnElement[bool]]:
    return [Person.merged_into_id.is_(None)]


def _captured_in_period(filters: Filters) -> Select[Any]:
    """The persons whose earliest dated capture meets the period. (Partial dates sort as
    text by their earliest day, so min() finds the earliest.)"""
    first = (select(Event.person_id, func.min(Event.date).label("day"))
             .where(Event.type == EventType.CAPTURED, Event.date.is_not(None))
             .group_by(Event.person_id).subquery("first_capture"))
    return select(first.c.person_id).where(*partial_in_period(first.c.day, filters))


def persons_by_status(session: Session, filters: Filters) -> Indicator:
    """One cell per custody status; without a period, their total (definition above).
    With a period, two statements, each condition at the top of its WHERE, where both
    databases can join on it rather than test it row by row."""
    conditions = [*_living(), *person_filters(Person, filters)]
    if filters.has_period:
        held = session.scalar(
            select(func.count()).where(*conditions, Person.custody_status == S.HELD,
                                       Person.id.in_(_captured_in_period(filters)))) or 0
        counts = {S.HELD: held, **{S(status): n for status, n in session.execute(
            select(Person.custody_status, func.count())
            .where(*conditions, Person.custody_status.in_(DATED[1:]),
                   *partial_in_period(Person.status_as_of, filters))
            .group_by(Person.custody_status))}}
        cells = [count_cell((s.value,), counts.get(s, 0)) for s in DATED]
        return computed(PERSONS_BY_STATUS, filters, cells, notes=(
            N_("No total: each status is read on its own date, and persons whose status "
               "has no date are left out."),))
    counts = {S(status): n for status, n in session.execute(
        select(Person.custody_status, func.count()).where(*conditions)
        .group_by(Person.custody_status))}
    total = sum(counts.values())
    cells = [count_cell((s.value,), counts.get(s, 0), total) for s in S]
    cells.append(count_cell((ALL,), total, total))
    group = Group(total=(ALL,), members=tuple((s.value,) for s in S))
    return computed(PERSONS_BY_STATUS, filters, cells, [group])


def deaths_in_custody(session: Session, filters: Filters) -> Indicator:
    """The dead under the filters, and those of them who died in custody: their events
    other than deaths read by `rollcall.custody.derive_status`, the one rule for both
    (at a million persons, 35,000 dead: ~1 s, most of it reading their events and that
    rule in Python)."""
    dead = (select(Person.id)
            .where(*_living(), Person.custody_status == S.DEAD,
                   *person_filters(Person, filters),
                   *partial_in_period(Person.status_as_of, filters))
            .subquery("dead"))
    # One statement: each dead person with their status events (none: one empty row), so
    # the filters are worked out once. Types and dates as text, each distinct date parsed
    # once: they repeat across persons, and converting value by value took half the time.
    facts: dict[int, list[tuple[EventType, PartialDate | None]]] = {}
    parse = cache(PartialDate.fromisoformat)
    for person_id, kind, date in session.execute(
            select(dead.c.id, as_text(Event.type), as_text(Event.date))
            .outerjoin(Event, and_(Event.person_id == dead.c.id,
                                   Event.type.in_(STATUS_EVENTS)))):
        events = facts.setdefault(person_id, [])
        if kind is not None:
            events.append((KINDS[kind], parse(date) if date else None))
    total = len(facts)
    in_custody = sum(1 for events in facts.values()
                     if derive_status(events).custody is S.HELD)
    cells: list[Cell] = [count_cell((IN_CUSTODY,), in_custody, total),
                         count_cell((OTHERWISE,), total - in_custody, total),
                         count_cell((ALL,), total, total)]
    group = Group(total=(ALL,), members=((IN_CUSTODY,), (OTHERWISE,)))
    return computed(DEATHS_IN_CUSTODY, filters, cells, [group])


__all__ = ["DEATHS_IN_CUSTODY", "IN_CUSTODY", "OTHERWISE", "PERSONS_BY_STATUS",
           "deaths_in_custody", "persons_by_status"]
