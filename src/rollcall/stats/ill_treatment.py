"""The share of interviewed released prisoners who report each method of ill-treatment.

Who counts is the access report's testimony share (rollcall.monitoring.access_gap): a
released person (status now; a testimony naming a merged person counts for the survivor)
counts once, and only testimonies whose witness consented to statistical use are read.
A witness reports a method when one of those testimonies codes an act of it whose victim
is the witness (`acts.victim_is_witness`): acts the witness saw done to others are the
others' to report. Testimonies are thousands, not millions: two grouped statements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, distinct, func, select, union
from sqlalchemy.orm import Session, aliased

from rollcall.models import Act, CustodyPeriod, Event, Person, Testimony
from rollcall.monitoring.methods import vocabulary
from rollcall.services.witnesses import witness_link_table
from rollcall.stats.filters import day_in_period, from_source
from rollcall.stats.intervals import wilson_interval
from rollcall.stats.results import ALL, Cell, Definition, Filters, Indicator, Kind, computed
from rollcall.vocabulary import CustodyStatus
from rollcall.web.i18n import N_

ILL_TREATMENT = Definition(
    code="ill_treatment_methods",
    title=N_("Released prisoners interviewed who report each method of ill-treatment"),
    kind=Kind.PROPORTION,
    dimensions=("method",),
    method=N_(
        "Denominator: released persons (the status now) with at least one testimony whose "
        "witness consented to statistical use; a person counts once, whatever the number of "
        "their testimonies, and only those testimonies are read. Numerator: those of them "
        "who report at least one act of the method that they suffered themselves (the "
        "victim is the witness). The line \"any method\" counts those who report any act. "
        "A witness may report several methods, so the shares do not add up. 95% Wilson "
        "score interval: the witnesses are those who could be interviewed, not a random "
        "sample, which no interval can correct."),
    period_date=N_("the day of the interview"),
    applies={
        "period": N_("testimonies given in the period"),
        "site": N_("witnesses the registry places at the site (an event names it, or a "
                   "recorded custody period) or who report an act there; only acts at that "
                   "site count"),
        "category": N_("the witness's category"),
        "source": N_("testimonies recorded from the source"),
        "origin": N_("testimonies recorded from a source of that origin"),
    },
    not_applicable={},
)


def _counted(filters: Filters, links: Table) -> Any:
    """(person_id, testimony_id): the consented testimonies of the filters, each with its
    witness (the sealed link, opened in `links`) resolved to the survivor, kept when that
    survivor is released now."""
    named = aliased(Person)
    survivor = func.coalesce(named.merged_into_id, named.id)
    testimonies = (
        select(survivor.label("person_id"), Testimony.id.label("testimony_id"))
        .join(links, links.c.testimony_id == Testimony.id)
        .join(named, named.id == links.c.person_id)
        .where(Testimony.consent_statistics.is_(True),
               *day_in_period(Testimony.interviewed_on, filters),
               *from_source(Testimony.source_id, filters))
        .subquery("testimonies"))
    t = testimonies.c
    kept = [Person.custody_status == CustodyStatus.RELEASED]
    if filters.category is not None:
        kept.append(Person.category == filters.category)
    base = select(t.person_id, t.testimony_id).join(Person, Person.id == t.person_id)
    return base.where(*kept).subquery("counted")


def _at_site(counted: Any, site_id: int) -> Select[Any]:
    """Witnesses (survivors) placed at the site: by an event, a recorded custody period
    (recorded under their id or one merged into them), or an act they report there."""
    recorded = aliased(Person)
    return union(
        select(Event.person_id).where(Event.site_id == site_id),
        select(func.coalesce(recorded.merged_into_id, recorded.id))
        .join(CustodyPeriod, CustodyPeriod.person_id == recorded.id)
        .where(CustodyPeriod.site_id == site_id),
        select(counted.c.person_id).join(Act, Act.testimony_id == counted.c.testimony_id)
        .where(Act.site_id == site_id),
    ).subquery("at_site").select()


def ill_treatment_methods(session: Session, filters: Filters) -> Indicator:
    """The witnesses' links are opened for this count only (`services.witnesses`)."""
    with witness_link_table(session) as links:
        return _ill_treatment_methods(session, filters, links)


def _ill_treatment_methods(session: Session, filters: Filters, links: Table) -> Indicator:
    counted = _counted(filters, links)
    c = counted.c
    witness_conditions = [] if filters.site_id is None else [
        c.person_id.in_(_at_site(counted, filters.site_id))]
    witnesses = session.scalar(
        select(func.count(distinct(c.person_id))).where(*witness_conditions)) or 0
    acts = [Act.victim_is_witness.is_(True)]
    if filters.site_id is not None:
        acts.append(Act.site_id == filters.site_id)
    reported = (select(c.person_id, Act.method)
                .join(Act, Act.testimony_id == c.testimony_id)
                .where(*acts, *witness_conditions).subquery("reported"))
    by_method = dict(session.execute(
        select(reported.c.method, func.count(distinct(reported.c.person_id)))
        .group_by(reported.c.method)).all())
    anyone = session.scalar(select(func.count(distinct(reported.c.person_id)))) or 0
    codes = [m.code for m in vocabulary()]
    codes += sorted(set(by_method) - set(codes))

    def share(key: tuple[str, ...], k: int) -> Cell:
        interval = wilson_interval(k, witnesses)
        return Cell(key=key, numerator=k, denominator=witnesses,
                    value=k / witnesses if witnesses else None,
                    lower=interval[0] if interval else None,
                    upper=interval[1] if interval else None)

    cells = [share((ALL,), anyone)] + [share((code,), by_method.get(code, 0)) for code in codes]
    return computed(ILL_TREATMENT, filters, cells)


__all__ = ["ILL_TREATMENT", "ill_treatment_methods"]
