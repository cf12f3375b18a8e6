"""The counts behind the selective-presentation analysis (`rollcall.monitoring.selective`
defines them): for every visit of a filter, how many persons the registry places at the
site that day, how many of them have a report, and how many of those presented were
among them.

How, at a million persons and twenty thousand visits:
1. The stays (`rollcall.monitoring.custody`) at the sites visited go into a temporary
   table in one statement, indexed by person and site; the stays with a report are
   marked in a second one, found from the reports (few) through that index.
2. The roster counts come from a sweep: the stays' first and last days, sorted per site
   with numpy, and for each visit day the number of stays begun minus those ended
   (`numpy.searchsorted`). Stays from events that a recorded period sets aside on the
   visit day are counted in SQL (they belong to the few persons with recorded periods)
   and taken off.
3. The persons presented are matched to the stays that place them there, in SQL.
The temporary table lives for the call only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    FunctionElement,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    distinct,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    union,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from rollcall.models import Act, CustodyPeriod, Event, Person, Visit, VisitPerson
from rollcall.monitoring.custody import (
    EVENTS,
    RECORDED,
    all_stays,
    as_text,
    covers,
    earliest_day,
    iso_day,
    persons_at_sites,
    recorded_cover,
    survivor,
    touches,
)
from rollcall.services.witnesses import witness_link_table
from rollcall.vocabulary import EventType, Monitor


@dataclass(frozen=True)
class VisitFilter:
    """Which visits a report holds (None: any)."""

    site_id: int | None = None
    monitor: Monitor | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    visit_id: int | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.site_id, self.monitor, self.date_from,
                                       self.date_to, self.visit_id))


@dataclass(frozen=True)
class VisitCounts:
    roster: int
    roster_with_reports: int
    presented: int
    presented_on_roster: int
    presented_with_reports: int


class _day_number(FunctionElement[int]):
    """An ISO day as a whole number of days, '' (from the beginning) as 0: numbers numpy
    can sort. The origin differs by database; only differences matter."""

    type = Integer()
    name = "day_number"
    inherit_cache = True


@compiles(_day_number)
def _day_number_sqlite(element: _day_number, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return f"(CASE WHEN {day} = '' THEN 0 ELSE CAST(julianday({day}) AS INTEGER) END)"


@compiles(_day_number, "postgresql")
def _day_number_postgresql(element: _day_number, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return (f"(CASE WHEN {day} = '' THEN 0 ELSE CAST({day} AS DATE) - DATE '0001-01-01' + 1 "
            "END)")


def _conditions(where: VisitFilter) -> list[Any]:
    conditions = []
    if where.site_id is not None:
        conditions.append(Visit.site_id == where.site_id)
    if where.monitor is not None:
        conditions.append(Visit.monitor == where.monitor)
    if where.date_from is not None:
        conditions.append(Visit.date >= where.date_from)
    if where.date_to is not None:
        conditions.append(Visit.date <= where.date_to)
    if where.visit_id is not None:
        conditions.append(Visit.id == where.visit_id)
    return conditions


def visits_of(where: VisitFilter) -> Select[Any]:
    """(id, site_id, day as ISO text) of the visits of the filter."""
    return (select(Visit.id, Visit.site_id, iso_day(Visit.date).label("day"))
            .where(*_conditions(where)))


def _victims(links: Table) -> Select[Any]:
    """(person_id, site_id, ps, pe) of every act at a site whose victim is in the
    registry (the act's victim, or the witness when `victim_is_witness`: `links` holds the
    opened witness links, `services.witnesses.witness_link_table`), resolved to the
    survivor of merges; ps, pe the act's period as ISO text."""
    victim = func.coalesce(Act.victim_person_id,
                           case((Act.victim_is_witness.is_(True), links.c.person_id)))
    return (select(func.coalesce(Person.merged_into_id, Person.id).label("person_id"),
                   Act.site_id, as_text(Act.period_start).label("ps"),
                   as_text(Act.period_end).label("pe"))
            .select_from(Act)
            .outerjoin(links, links.c.testimony_id == Act.testimony_id)
            .join(Person, Person.id == victim)
            .where(Act.site_id.is_not(None)))


def _act_touches(act: Any, stay: Any) -> Any:
    """The act's period could touch the stay (an undated act always could)."""
    first, last = func.coalesce(act.ps, act.pe), func.coalesce(act.pe, act.ps)
    return or_(first.is_(None), and_(
        or_(stay.end.is_(None), earliest_day(first) <= stay.end),
        func.substr(stay.start, 1, func.length(last)) <= last))


def _stays_table(name: str) -> Table:
    """A temporary table of stays (the columns of `all_stays`, days also as numbers, and
    whether the stay has a report), on its own metadata."""
    return Table(
        name, MetaData(),
        Column("person_id", Integer), Column("site_id", Integer), Column("kind", String(16)),
        Column("key", BigInteger), Column("start", String(10)), Column("end", String(10)),
        Column("end_included", Integer), Column("start_n", Integer), Column("end_n", Integer),
        Column("report", Integer),
        # Covering: a presented person's stays at a site are read from the index alone.
        Index(f"{name}_person", "person_id", "site_id", "start", "end", "end_included",
              "kind", "report"),
        prefixes=["TEMPORARY"],
    )


def _fill_stays(session: Session, tmp: Table, where: VisitFilter, sites: Select[Any]) -> None:
    """The stays at the sites visited, in the temporary table, those with a report marked."""
    persons = None if where.empty else persons_at_sites(sites)
    stays = all_stays(persons).subquery("stays")
    tmp.create(session.connection())
    session.execute(insert(tmp).from_select(
        ["person_id", "site_id", "kind", "key", "start", "end", "end_included", "start_n",
         "end_n", "report"],
        select(stays.c.person_id, stays.c.site_id, stays.c.kind, stays.c.key, stays.c.start,
               stays.c.end, stays.c.end_included, _day_number(stays.c.start),
               _day_number(stays.c.end), literal(0))
        .where(stays.c.site_id.in_(sites))))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {tmp.name}"))

    with witness_link_table(session) as links:
        _mark_reported(session, tmp, _victims(links).subquery("victims"))


def _mark_reported(session: Session, tmp: Table, victims: Any) -> None:
    """Mark the stays with a report: an act whose victim it places at the act's site in
    the act's period, or a stay in hospital."""
    hospital = (select(Event.person_id, as_text(Event.date).label("day"))
                .where(Event.type == EventType.HOSPITALISED, Event.date.is_not(None))
                .subquery("hospital"))
    key = (tmp.c.person_id, tmp.c.site_id, tmp.c.kind, tmp.c.key)  # keys count per site
    reported = union(
        select(*key).select_from(victims)
        .join(tmp, and_(tmp.c.person_id == victims.c.person_id,
                        tmp.c.site_id == victims.c.site_id))
        .where(_act_touches(victims.c, tmp.c)),
        select(*key).select_from(hospital)
        .join(tmp, tmp.c.person_id == hospital.c.person_id)
        .where(touches(hospital.c.day, tmp.c.start, tmp.c.end)),
    )
    session.execute(update(tmp).where(tuple_(*key).in_(reported)).values(report=1))


_SITE = 1 << 32  # site ids in the high bits, day numbers in the low ones


def _sweep(session: Session, tmp: Any, visit_sites: np.ndarray,
           visit_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each visit: stays covering its day at its site, and those with a report."""
    # 1.5 million rows at a million persons: read as plain tuples, not ORM rows.
    cursor = session.connection().connection.cursor()
    cursor.execute(f"SELECT site_id, start_n, coalesce(end_n, -1), end_included, report "
                   f"FROM {tmp.name}")
    table = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 5)
    cursor.close()
    if not len(table):
        zero = np.zeros(len(visit_sites), dtype=np.int64)
        return zero, zero
    site = table[:, 0] * _SITE
    start = site + table[:, 1]
    ended = table[:, 2] >= 0
    end = site + table[:, 2]
    included = table[:, 3] == 1
    report = table[:, 4] == 1
    base = visit_sites * _SITE
    key = base + visit_days

    def covering(chosen: np.ndarray) -> np.ndarray:
        begun = np.sort(start[chosen])
        gone_before = np.sort(end[chosen & ended & ~included])  # gone on the end day
        gone_after = np.sort(end[chosen & ended & included])    # there on the end day

        def within(keys: np.ndarray, side: Literal["left", "right"]) -> np.ndarray:
            return np.searchsorted(keys, key, side=side) - np.searchsorted(keys, base,
                                                                            side="left")

        return within(begun, "right") - within(gone_before, "right") - within(
            gone_after, "left")

    everyone = np.ones(len(table), dtype=bool)
    return covering(everyone), covering(report)


def visit_counts(session: Session, where: VisitFilter) -> dict[int, VisitCounts]:
    """The counts of every visit of the filter, by visit id."""
    visit_rows = session.execute(
        select(Visit.id, Visit.site_id, _day_number(iso_day(Visit.date)).label("day_n"))
        .where(*_conditions(where))).all()
    if not visit_rows:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        # Large sorts in memory rather than on disk, and no JIT compilation (seconds spent
        # compiling what runs once). For this transaction only.
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        session.execute(text("SET LOCAL jit = off"))
    visits = visits_of(where).subquery("visits")
    sites = select(visits.c.site_id)
    tmp = _stays_table(f"selective_stays_{uuid.uuid4().hex[:12]}")
    try:
        _fill_stays(session, tmp, where, sites)
        roster, reported = _sweep(
            session, tmp, np.array([r.site_id for r in visit_rows], dtype=np.int64),
            np.array([r.day_n for r in visit_rows], dtype=np.int64))
        set_aside = _set_aside(session, tmp, visits)
        shown = _presented(session, tmp, where)
    finally:
        # After a failed statement PostgreSQL refuses any other until the rollback, which
        # drops the table anyway.
        with suppress(SQLAlchemyError):
            tmp.drop(session.connection(), checkfirst=True)
    counts = {}
    counts = {}
    for i, visit_id in enumerate(r.id for r in visit_rows):
        n_off, r_off = set_aside.get(visit_id, (0, 0))
        total, on_roster, with_reports = shown.get(visit_id, (0, 0, 0))
        counts[visit_id] = VisitCounts(
            roster=int(roster[i]) - n_off, roster_with_reports=int(reported[i]) - r_off,
            presented=total, presented_on_roster=on_roster,
            presented_with_reports=with_reports)
    return counts


def _recorded_persons() -> Select[Any]:
    """Persons with a recorded custody period, at any site (merged resolved)."""
    return (select(func.coalesce(Person.merged_into_id, Person.id))
            .join(CustodyPeriod, CustodyPeriod.person_id == Person.id))


def _set_aside(session: Session, tmp: Any, visits: Any) -> dict[int, tuple[int, int]]:
    """Per visit: stays from events the sweep counted but a recorded period of the same
    person sets aside on the visit day (and how many of them have a report)."""
    recorded = _recorded_persons()
    rows = session.execute(
        select(visits.c.id, func.count(), func.sum(tmp.c.report))
        .select_from(tmp)
        .join(visits, and_(visits.c.site_id == tmp.c.site_id, covers(tmp.c, visits.c.day)))
        .where(tmp.c.kind == EVENTS, tmp.c.person_id.in_(recorded),
               recorded_cover(tmp.c.person_id, visits.c.day))
        .group_by(visits.c.id)
    ).all()
    return {visit_id: (n, int(r or 0)) for visit_id, n, r in rows}


def _presented(session: Session, tmp: Any,
               where: VisitFilter) -> dict[int, tuple[int, int, int]]:
    """Per visit: persons presented (merged resolved), those the stays place there, and
    those of them with a report. One pass over the persons presented: visits, then their
    persons, then the stays of each at the site (indexed)."""
    person = survivor(VisitPerson.person_id)
    day = iso_day(Visit.date)
    placed = and_(tmp.c.person_id == person, tmp.c.site_id == Visit.site_id,
                  covers(tmp.c, day),
                  or_(tmp.c.kind == RECORDED, tmp.c.person_id.not_in(_recorded_persons()),
                      ~recorded_cover(tmp.c.person_id, day)))
    rows = session.execute(
        select(Visit.id, func.count(distinct(person)),
               func.count(distinct(case((tmp.c.person_id.is_not(None), person)))),
               func.count(distinct(case((tmp.c.report == 1, person)))))
        .join(VisitPerson, VisitPerson.visit_id == Visit.id)
        .outerjoin(tmp, placed)
        .where(*_conditions(where))
        .group_by(Visit.id)
    ).all()
    return {visit_id: (total, on_roster, reported)
            for visit_id, total, on_roster, reported in rows}
