"""Custody: which person was at which site when, from events of any source and from the
periods registrars record (issue 4 part 1). Read-only and set-based: every stay of every
person comes out of one SQL statement (window functions over the events), so the
selective-presentation analysis can place a million persons without a loop.

Days. A partial event date stands for its first day ("2023-06" is 1 June 2023), as in the
access-gap report; the SQL compares days as ISO text ('YYYY-MM-DD'), which sorts as dates.

Stays from events (kind `events`). A person's custody events that name a site (capture,
holding, transfer, hospital admission, monitor visit, charge, sentence: the events that
make a person held in `rollcall.custody`) and their release, exchange, repatriation,
escape, death and body-repatriation events are put in order: by day, undated custody
events first (as the access-gap report does), custody before leaving on the same day, then
by id. Consecutive events naming one site make one stay. It begins on the day of its first
event and lasts up to, not including, the day of the next event naming another site or
ending custody; the last stay is open. So on a transfer day the person is at the new site,
and on the day of release no longer held. An undated release, exchange, escape or death
ends the last stay at an unknown day after its last event: the stay then lasts up to and
including the day of that last event. A stay beginning with an undated event runs "from
the beginning".

Recorded periods (kind `recorded`, table `custody_periods`): both days included; periods
of one person at one site that overlap or touch are read as one. On the days a recorded
period covers, it alone places the person: stays from events are set aside for those days,
whatever site they name, and count again on the days no recorded period covers.

Merged persons are resolved to their survivor (events move with a merge; recorded periods
keep the id they were recorded under and are resolved when read).

The access-gap report places a held person at the site of their latest event naming one:
for a person held today this is the site of their open stay here, except when a release
later than that event and a re-capture naming no site follow it (the report keeps the old
site; here the person has no known site).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FunctionElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.models import CustodyPeriod, Event, Person, Site
from rollcall.vocabulary import EventType

E = EventType

#: Events that make a person held (rollcall.custody): naming a site, they begin a stay.
CUSTODY_EVENTS = frozenset(
    {E.CAPTURED, E.HELD, E.TRANSFERRED, E.HOSPITALISED, E.SEEN_BY_MONITOR, E.CHARGED,
     E.SENTENCED})
#: Events that end custody (released, escaped, dead in rollcall.custody).
LEAVING_EVENTS = frozenset(
    {E.RELEASED, E.EXCHANGED, E.REPATRIATED, E.ESCAPED, E.DIED, E.BODY_REPATRIATED})

RECORDED, EVENTS = "recorded", "events"
#: Sort keys standing for "before any day" and "after any day" in ISO-text comparisons.
BEFORE_ALL, AFTER_ALL = "", "9999-99-99"
_OPEN = "9999-12-31"


class iso_day(FunctionElement[str]):
    """A DATE column as ISO text 'YYYY-MM-DD', comparable with partial dates stored as
    text. SQLite keeps dates as that text already; PostgreSQL formats them."""

    type = String()
    name = "iso_day"
    inherit_cache = True


@compiles(iso_day)
def _iso_day_sqlite(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(iso_day, "postgresql")
def _iso_day_postgresql(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(next(iter(element.clauses)), **kw)}, 'YYYY-MM-DD')"


def as_text(column: Any) -> ColumnElement[str]:
    """A partial-date column as its stored ISO text."""
    return type_coerce(column, String)


def earliest_day(text: Any) -> ColumnElement[str]:
    """The first day an ISO partial date ('2023', '2023-06', '2023-06-05') can be."""
    n = func.length(text)
    return case((n == 4, text + literal("-01-01")), (n == 7, text + literal("-01")),
                else_=text)


def touches(date_text: Any, start: Any, end: Any) -> ColumnElement[bool]:
    """A partial date (ISO text) that may fall on a day from `start` to `end`, both
    included (start '' = from the beginning, end NULL = still lasting)."""
    return and_(or_(end.is_(None), earliest_day(date_text) <= end),
                func.substr(start, 1, func.length(date_text)) <= date_text)


def covers(stay: Any, day: Any) -> ColumnElement[bool]:
    """The stay (a row with start, end, end_included) places its person there on `day`."""
    return and_(stay.start <= day, or_(stay.end.is_(None), day < stay.end,
                                       and_(stay.end_included == 1, day <= stay.end)))


def survivor(person_id: Any) -> ColumnElement[int]:
    """The person a row's `person_id` stands for now: the survivor when that id was merged
    away. Most ids never were: only the few merged ones are looked up (a join to every
    person took a second at 160,000 rows and a million persons)."""
    merged = select(Person.id).where(Person.merged_into_id.is_not(None))
    found = (select(Person.merged_into_id).where(Person.id == person_id)
             .correlate_except(Person).scalar_subquery())
    return case((person_id.in_(merged), found), else_=person_id)


def persons_at_sites(site_ids: Iterable[int] | Select[Any]) -> Select[Any]:
    """Persons who may have a stay at the sites: an event names one, or a recorded period."""
    sites = site_ids if isinstance(site_ids, Select) else list(site_ids)
    return union_all(
        select(Event.person_id).where(Event.site_id.in_(sites)),
        select(func.coalesce(Person.merged_into_id, Person.id))
        .join(CustodyPeriod, CustodyPeriod.person_id == Person.id)
        .where(CustodyPeriod.site_id.in_(sites)),
    ).subquery("persons_at_sites").select()


def event_stays(persons: Select[Any] | None = None) -> Select[Any]:
    """Stays from events: person_id, site_id, kind, key, start, end, end_included,
    first_date (the stay's first event's date, as stored). Of every person, or of the
    persons `persons` selects (a one-column select of person ids).

    Two window passes: the events in order, each compared with the one before (a stay
    begins where the site changes); then those beginnings, each ended by the next."""
    leaving = Event.type.in_(LEAVING_EVENTS)
    raw = as_text(Event.date)
    day = case((and_(Event.date.is_(None), leaving), literal(AFTER_ALL)),
               (Event.date.is_(None), literal(BEFORE_ALL)), else_=earliest_day(raw))
    markers = (
        select(Event.person_id, Event.id,
               case((leaving, null()), else_=Event.site_id).label("site_id"),
               day.label("day"), raw.label("raw"),
               case((leaving, 1), else_=0).label("leaving"))
        .where(or_(and_(Event.type.in_(CUSTODY_EVENTS), Event.site_id.is_not(None)),
                   leaving))
    )
    if persons is not None:
        markers = markers.where(Event.person_id.in_(persons))
    m = markers.subquery("markers")
    order = {"partition_by": m.c.person_id, "order_by": (m.c.day, m.c.leaving, m.c.id)}
    compared = select(
        m.c.person_id, m.c.id, m.c.site_id, m.c.day, m.c.raw, m.c.leaving,
        func.lag(m.c.site_id).over(**order).label("prev_site"),
        func.lag(m.c.day).over(**order).label("prev_day"),
    ).subquery("compared")
    c = compared.c
    order = {"partition_by": c.person_id, "order_by": (c.day, c.leaving, c.id)}
    begins = (
        select(c.person_id, c.id, c.site_id, c.day, c.raw,
               func.lead(c.day).over(**order).label("next_day"),
               func.lead(c.prev_day).over(**order).label("last_day"))
        .where(c.site_id.is_distinct_from(c.prev_site))
        .subquery("begins")
    )
    b = begins.c
    undated_end = b.next_day == AFTER_ALL
    return select(
        b.person_id, b.site_id, literal(EVENTS).label("kind"), b.id.label("key"),
        b.day.label("start"),
        case((undated_end, b.last_day), else_=b.next_day).label("end"),
        case((undated_end, 1), else_=0).label("end_included"),
        b.raw.label("first_date"),
    ).where(b.site_id.is_not(None))


def recorded_stays(persons: Select[Any] | None = None) -> Select[Any]:
    """Recorded periods, those of one person at one site that overlap or touch read as
    one: the same columns as `event_stays` (first_date the first day)."""
    person = func.coalesce(Person.merged_into_id, Person.id)
    end_key = func.coalesce(iso_day(CustodyPeriod.end), literal(_OPEN))
    base = (select(person.label("person_id"), CustodyPeriod.site_id, CustodyPeriod.id,
                   iso_day(CustodyPeriod.start).label("start"), end_key.label("end_key"))
            .join(Person, Person.id == CustodyPeriod.person_id))
    if persons is not None:
        base = base.where(person.in_(persons))
    b = base.subquery("periods")
    window = {"partition_by": (b.c.person_id, b.c.site_id), "order_by": (b.c.start, b.c.id)}
    reach = func.max(b.c.end_key).over(**window, rows=(None, -1))
    flagged = select(
        b.c.person_id, b.c.site_id, b.c.start, b.c.end_key, b.c.id,
        case((or_(reach.is_(None), b.c.start > reach), 1), else_=0).label("new"),
    ).subquery("flagged")
    grouped = select(
        flagged.c.person_id, flagged.c.site_id, flagged.c.start, flagged.c.end_key,
        func.sum(flagged.c.new).over(
            partition_by=(flagged.c.person_id, flagged.c.site_id),
            order_by=(flagged.c.start, flagged.c.id), rows=(None, 0)).label("grp"),
    ).subquery("grouped")
    last = func.max(grouped.c.end_key)
    return (
        select(grouped.c.person_id, grouped.c.site_id, literal(RECORDED).label("kind"),
               grouped.c.grp.label("key"), func.min(grouped.c.start).label("start"),
               case((last == _OPEN, null()), else_=last).label("end"),
               literal(1).label("end_included"),
               func.min(grouped.c.start).label("first_date"))
        .group_by(grouped.c.person_id, grouped.c.site_id, grouped.c.grp)
    )


def all_stays(persons: Select[Any] | None = None) -> Select[Any]:
    """Both kinds, one row per stay (person_id, site_id, kind, key) — before the rule that
    recorded periods win: apply it with `placed_on`."""
    return union_all(recorded_stays(persons), event_stays(persons)).subquery("stays").select()


def recorded_cover(person_id: Any, day: Any) -> ColumnElement[bool]:
    """A recorded period of the person (or of a person merged into them) covers `day`.
    Two indexed lookups, one per way a period can belong to the person: PostgreSQL finds
    no index condition in one lookup through `id = p OR merged_into_id = p`, and at a
    million persons scans every period for every row."""
    covering = (iso_day(CustodyPeriod.start) <= day,
                or_(CustodyPeriod.end.is_(None), day <= iso_day(CustodyPeriod.end)))
    own = (select(CustodyPeriod.id).where(CustodyPeriod.person_id == person_id, *covering)
           .correlate_except(CustodyPeriod))
    absorbed = (select(CustodyPeriod.id)
                .join(Person, Person.id == CustodyPeriod.person_id)
                .where(Person.merged_into_id == person_id, *covering)
                .correlate_except(CustodyPeriod, Person))
    return or_(own.exists(), absorbed.exists())


def placed_on(stays: Any, day: Any) -> ColumnElement[bool]:
    """The stay places its person at its site on `day`: it covers the day and, if it comes
    from events, no recorded period of the person covers that day."""
    return and_(covers(stays.c, day),
                or_(stays.c.kind == RECORDED, ~recorded_cover(stays.c.person_id, day)))


def persons_at_site_on(session: Session, site_ids: Iterable[int],
                       day: dt.date) -> list[tuple[int, int]]:
    """(person_id, site_id) of everyone the registry places at one of the sites on `day`,
    by person then site. A person on a transfer day between two recorded periods is at
    both sites."""
    wanted = sorted(set(site_ids))
    if not wanted:
        return []
    stays = all_stays(persons_at_sites(wanted)).cte("stays")
    text_day = literal(day.isoformat(), String)
    rows = session.execute(
        select(stays.c.person_id, stays.c.site_id).distinct()
        .where(stays.c.site_id.in_(wanted), placed_on(stays, text_day))
        .order_by(stays.c.person_id, stays.c.site_id)
    ).all()
    return [(row.person_id, row.site_id) for row in rows]


@functools.cache
def _one_persons_stays() -> Select[Any]:
    """One person's stays with their sites, built once: the construct takes longer to build
    than the query takes to run, and the person page asks for it on every view."""
    stays = all_stays(select(bindparam("survivor", type_=Integer))).cte("stays")
    return (select(stays, Site).join(Site, Site.id == stays.c.site_id)
            .order_by(stays.c.start, stays.c.kind, stays.c.key))


def _day(text: str | None) -> PartialDate | None:
    if text is None or text in (BEFORE_ALL, AFTER_ALL):
        return None
    return PartialDate.fromisoformat(text)


@dataclass(frozen=True)
class Stay:
    """One stay as the doors show it. `start` None: from the beginning; `end` None: still
    lasting. `end_included`: the person was still there on the end day."""

    kind: str
    site_id: int
    site_name: str
    start: PartialDate | None
    end: PartialDate | None
    end_included: bool


@dataclass(frozen=True)
class PersonCustody:
    person_id: int
    recorded: list[CustodyPeriod]
    stays: list[Stay]


def custody_of(session: Session, person_id: int) -> PersonCustody:
    """A person's recorded periods (as recorded, with their ids) and stays of both kinds
    (recorded periods read together), in time order. A merged id stands for its
    survivor."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    survivor = person.merged_into_id or person.id
    absorbed = select(Person.id).where(or_(Person.id == survivor,
                                           Person.merged_into_id == survivor))
    recorded = list(session.scalars(
        select(CustodyPeriod).where(CustodyPeriod.person_id.in_(absorbed))
        .order_by(CustodyPeriod.start, CustodyPeriod.id)))
    rows = session.execute(_one_persons_stays(), {"survivor": survivor}).all()
    return PersonCustody(survivor, recorded, [
        Stay(kind=row.kind, site_id=row.site_id, site_name=row.Site.display_name,
             start=_day(row.first_date if row.kind == EVENTS else row.start),
             end=_day(row.end), end_included=bool(row.end_included))
        for row in rows])


__all__ = [
    "CUSTODY_EVENTS", "EVENTS", "LEAVING_EVENTS", "RECORDED", "PersonCustody", "Stay",
    "all_stays", "covers", "custody_of", "event_stays", "iso_day", "persons_at_site_on",
    "persons_at_sites",
    "placed_on", "recorded_cover", "recorded_stays", "survivor", "touches",
]
