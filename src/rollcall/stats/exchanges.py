"""Exchanges, and the persons and bodies handed over in them: the exchange counts
(rollcall.monitoring.exchange_counts.handed_over) under the filters."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from rollcall.models import Exchange, ExchangePerson, Person
from rollcall.monitoring.custody import survivor
from rollcall.monitoring.exchange_counts import handed_over
from rollcall.stats.filters import day_in_period, from_source
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
from rollcall.vocabulary import ExchangeDirection
from rollcall.web.i18n import N_

ALIVE, BODY, UNNAMED = "alive", "body", "unnamed_body"
KINDS = (ALIVE, BODY, UNNAMED)
_NO_SITE = N_("an exchange takes place at no place of detention")

EXCHANGES = Definition(
    code="exchanges",
    title=N_("Exchanges"),
    kind=Kind.COUNT,
    dimensions=(),
    method=N_("Exchanges and repatriations recorded, whoever mediated them."),
    period_date=N_("the day of the exchange"),
    applies={"period": N_("exchanges on a day in the period"),
             "source": N_("exchanges reported by the source, or handing over a person it "
                          "names"),
             "origin": N_("exchanges reported by a source of that origin, or handing over a "
                          "person one names")},
    not_applicable={"site": _NO_SITE,
                    "category": N_("an exchange is counted whoever it hands over")},
    protected=False,
)

PERSONS_EXCHANGED = Definition(
    code="persons_exchanged",
    title=N_("Persons and bodies handed over"),
    kind=Kind.COUNT,
    dimensions=("direction", "kind"),
    method=N_(
        "Registry persons handed over alive, and bodies, in each direction: a person "
        "counts once per direction and kind, however many exchanges name them (a person "
        "merged into another counts as the survivor). Bodies include those no list names "
        "(an exchange's unnamed count), which are shown apart and left out when the "
        "category, source or origin is chosen: they have none."),
    period_date=N_("the day of the exchange"),
    applies={"period": N_("exchanges on a day in the period"),
             "category": N_("the category of the person handed over"),
             "source": N_("persons the source names as handed over (the list or report "
                          "attached with them)"),
             "origin": N_("persons a source of that origin names as handed over")},
    not_applicable={"site": _NO_SITE},
)


def exchanges(session: Session, filters: Filters) -> Indicator:
    conditions = day_in_period(Exchange.date, filters)
    chosen = from_source(Exchange.source_id, filters)
    if chosen:
        naming = select(ExchangePerson.exchange_id).where(
            *from_source(ExchangePerson.source_id, filters))
        conditions.append(or_(and_(*chosen), Exchange.id.in_(naming)))
    total = session.scalar(select(func.count()).select_from(Exchange).where(*conditions))
    return computed(EXCHANGES, filters, [count_cell((ALL,), total or 0)])


def persons_exchanged(session: Session, filters: Filters) -> Indicator:
    conditions = from_source(ExchangePerson.source_id, filters)
    if filters.has_period:
        conditions.append(ExchangePerson.exchange_id.in_(
            select(Exchange.id).where(*day_in_period(Exchange.date, filters))))
    if filters.category is not None:  # looked up row by row: most persons have a category
        conditions.append(select(Person.id).where(
            Person.id == survivor(ExchangePerson.person_id),
            Person.category == filters.category).exists())
    # Unnamed bodies have no category and no list naming them: out when either is chosen.
    by_person = any(name in filters.given() for name in ("category", "source", "origin"))
    handed = handed_over(session, conditions, unnamed_where=None if by_person
                         else day_in_period(Exchange.date, filters))
    cells: list[Cell] = []
    groups: list[Group] = []
    for direction in ExchangeDirection:
        counts = handed[direction.value]
        named = counts.bodies.total - counts.bodies.unnamed
        values = {ALIVE: counts.alive, BODY: named, UNNAMED: counts.bodies.unnamed}
        cells += [count_cell((direction.value, k), values[k]) for k in KINDS]
        cells.append(count_cell((direction.value, ALL), sum(values.values())))
        groups.append(Group((direction.value, ALL), tuple((direction.value, k) for k in KINDS)))
    by_key = {c.key: c.numerator or 0 for c in cells}
    for kind in (*KINDS, ALL):
        cells.append(count_cell((ALL, kind), sum(by_key[(d.value, kind)]
                                                 for d in ExchangeDirection)))
    directions = [d.value for d in ExchangeDirection]
    groups += [Group((ALL, k), tuple((d, k) for d in directions)) for k in KINDS]
    groups.append(Group((ALL, ALL), tuple((d, ALL) for d in directions)))
    groups.append(Group((ALL, ALL), tuple((ALL, k) for k in KINDS)))
    return computed(PERSONS_EXCHANGED, filters, cells, groups)


__all__ = ["ALIVE", "BODY", "EXCHANGES", "KINDS", "PERSONS_EXCHANGED", "UNNAMED",
           "exchanges", "persons_exchanged"]
