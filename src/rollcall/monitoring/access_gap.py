"""The access-gap analysis: which places of detention no independent monitor has seen, or
seen only partially, how many people the registry places there, and who was never seen.

Read-only and set-based: the figures come from three SQL passes over the whole registry (no
per-person loop in Python), so it scales to a million persons (bench/monitoring_bench.py).

Definitions (as of a day; records dated later are ignored):
- A site is *visited* if a visit is recorded, or an access period of level partial or full
  has started. It has *full access* if a visit allowed private interviews and refused no
  premises, or an access period of level full has started (GC III Art. 126). A visited site
  without full access is *partial only*; a site with only `none` periods is never visited.
- A *held* person is a person not merged away whose derived custody status is `held` (the
  status now: it is derived from all events). Their site is the one of their latest event
  that names a site, by date (undated events count as earliest), then by id.
- A held person is *seen* if presented in a visit (merged ids resolved to the survivor) or
  if an event `seen_by_monitor` is recorded for them.
- The *testimony share*: among released persons (derived custody status `released`, the
  status now; a testimony naming a merged person counts for the survivor) interviewed on or
  before the day, with at least one testimony whose witness consented to statistical use,
  the share who say they never saw an independent monitor. Only consented testimonies are
  read; a person counts once: they *never saw* one if none of their testimonies says they
  did and at least one says they did not; *answered* if any testimony gives an answer (yes
  or no). A "yes" anywhere outweighs a "no" elsewhere: "never saw a monitor" weighs against
  the detaining Power, so it is counted only when nothing the same person said contradicts
  it. The interval is Wilson's (95%), which stays inside 0-100% for small counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, Table, and_, case, func, literal, or_, select, union
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from rollcall.dates import PartialDate
from rollcall.models import AccessPeriod, Event, Person, Site, Testimony, Visit, VisitPerson
from rollcall.services.witnesses import witness_link_table
from rollcall.stats.intervals import wilson_interval
from rollcall.vocabulary import AccessLevel, CustodyStatus, EventType, SiteType

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
NEVER, PARTIAL, FULL = "never_visited", "partial_only", "full_access"

#: Figures the report cannot give yet, and why (printed with every report).
NOT_COMPUTED: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteGap:
    id: int
    name: str
    type: SiteType
    region: str | None
    country: str | None
    persons_held: int
    visits: int
    last_visit: dt.date | None


@dataclass(frozen=True)
class PersonGap:
    id: int
    display_name: str
    site_id: int | None
    site_name: str | None


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first `len(items)` of `total`, ordered by id."""

    total: int
    items: list[T]


@dataclass(frozen=True)
class WitnessShare:
    """Released persons who gave testimony, by their answer to "did you ever see an
    independent monitor?" (definitions in the module docstring). `share`, `low` and
    `high` are None when nobody answered."""

    witnesses: int
    answered: int
    never_saw: int
    unanswered: int
    share: float | None
    low: float | None
    high: float | None
    #: Released persons whose testimonies all lack consent to statistics: not counted.
    without_consent: int
    #: Witnesses the registry does not place as released now (held, dead, unknown...).
    not_released: int
    #: Testimonies linked to no registry person: their witness's status is unknown.
    unlinked_testimonies: int


@dataclass(frozen=True)
class AccessReport:
    as_of: dt.date
    sites_total: int
    sites_never_visited: Capped[SiteGap]
    sites_partial_only: Capped[SiteGap]
    sites_full_access: int
    persons_held: int
    persons_held_without_site: int
    persons_at_never_visited: Capped[PersonGap]
    persons_at_partial_only: Capped[PersonGap]
    persons_never_seen: Capped[PersonGap]
    testimony_share: WitnessShare
    not_computed: tuple[str, ...] = field(default=NOT_COMPUTED)


def _started(column: Any, as_of: PartialDate) -> ColumnElement[bool]:
    """A partial date known not to lie after `as_of` (or no date at all)."""
    return or_(column.is_(None), column <= as_of)


def site_access(as_of: dt.date, day: PartialDate) -> Select[Any]:
    """(site_id, access class) of every site, as of a day (`day` the same day as a
    partial date, the form partial-date columns compare with)."""
    visited = union(
        select(Visit.site_id).where(Visit.date <= as_of),
        select(AccessPeriod.site_id).where(
            AccessPeriod.level.in_([AccessLevel.PARTIAL, AccessLevel.FULL]),
            _started(AccessPeriod.start, day)),
    )
    full = union(
        select(Visit.site_id).where(
            Visit.date <= as_of, Visit.private_interviews.is_(True),
            or_(Visit.premises_refused.is_(None), Visit.premises_refused == "")),
        select(AccessPeriod.site_id).where(
            AccessPeriod.level == AccessLevel.FULL, _started(AccessPeriod.start, day)),
    )
    access = case(
        (Site.id.in_(full), literal(FULL)),
        (Site.id.in_(visited), literal(PARTIAL)),
        else_=literal(NEVER),
    )
    return select(Site.id.label("site_id"), access.label("access"))


def latest_first() -> tuple[Any, ...]:
    """The order a person's events naming a site are read in, latest first: by date
    (undated events count as earliest), then by id."""
    return (Event.date.desc().nulls_last(), Event.id.desc())


def _held_sites(day: PartialDate) -> Select[Any]:
    """(person_id, site_id) of every held person, site_id None if no event names one.
    One pass: each held person joined to their own site events through the index on
    `events.person_id`, ranked, the latest kept."""
    ranked = (
        select(Person.id.label("person_id"), Event.site_id, func.row_number().over(
            partition_by=Person.id, order_by=latest_first()).label("rn"))
        .outerjoin(Event, and_(Event.person_id == Person.id, Event.site_id.is_not(None),
                               _started(Event.date, day)))
        .where(Person.merged_into_id.is_(None), Person.custody_status == CustodyStatus.HELD)
        .subquery("ranked")
    )
    return select(ranked.c.person_id, ranked.c.site_id).where(ranked.c.rn == 1)


def _seen(person_id: Any, as_of: dt.date, day: PartialDate) -> ColumnElement[bool]:
    """The person a monitor saw: presented in a visit (also under the id of a person
    merged into them since) or reported by an event `seen_by_monitor`. Each test is an
    indexed lookup."""
    merged = aliased(Person)
    presented = (select(VisitPerson.person_id).join(Visit, Visit.id == VisitPerson.visit_id)
                 .where(VisitPerson.person_id == person_id, Visit.date <= as_of))
    presented_merged = (
        select(merged.id).join(VisitPerson, VisitPerson.person_id == merged.id)
        .join(Visit, Visit.id == VisitPerson.visit_id)
        .where(merged.merged_into_id == person_id, Visit.date <= as_of))
    reported = select(Event.id).where(Event.person_id == person_id,
                                      Event.type == EventType.SEEN_BY_MONITOR,
                                      _started(Event.date, day))
    return or_(presented.exists(), presented_merged.exists(), reported.exists())


def _seen_ids(as_of: dt.date, day: PartialDate) -> Select[Any]:
    """The persons (survivors of merges) a monitor saw, as one set: `_seen` for a whole
    population at once, which the database can hash-join instead of probing per person."""
    return union(
        select(func.coalesce(Person.merged_into_id, Person.id).label("person_id"))
        .select_from(VisitPerson).join(Visit, Visit.id == VisitPerson.visit_id)
        .join(Person, Person.id == VisitPerson.person_id).where(Visit.date <= as_of),
        select(Event.person_id).where(Event.type == EventType.SEEN_BY_MONITOR,
                                      _started(Event.date, day)),
    )


def witness_share(session: Session, as_of: dt.date) -> WitnessShare:
    """One grouped pass over the testimonies up to `as_of` (thousands, not millions), each
    witness resolved to the surviving person, then joined to that person's status. The
    sealed witness links are opened for this count only (`services.witnesses`)."""
    with witness_link_table(session) as links:
        return _witness_share(session, as_of, links)


def _witness_share(session: Session, as_of: dt.date, links: Table) -> WitnessShare:
    survivor = func.coalesce(Person.merged_into_id, Person.id)
    consented = Testimony.consent_statistics.is_(True)

    def any_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.max(case((condition, 1), else_=0))

    per_witness = (
        select(survivor.label("person_id"),
               any_of(consented).label("consented"),
               any_of(and_(consented, Testimony.saw_monitor.is_(True))).label("saw"),
               any_of(and_(consented, Testimony.saw_monitor.is_(False))).label("not_saw"))
        .join(links, links.c.testimony_id == Testimony.id)
        .join(Person, Person.id == links.c.person_id)
        .where(Testimony.interviewed_on <= as_of)
        .group_by(survivor)
        .subquery("per_witness")
    )
    w = per_witness.c
    released = Person.custody_status == CustodyStatus.RELEASED
    counted = and_(released, w.consented == 1)

    def how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    witnesses, answered, never_saw, without_consent, not_released = session.execute(
        select(how_many(counted),
               how_many(and_(counted, or_(w.saw == 1, w.not_saw == 1))),
               how_many(and_(counted, w.saw == 0, w.not_saw == 1)),
               how_many(and_(released, w.consented == 0)),
               how_many(~released))
        .select_from(per_witness).join(Person, Person.id == w.person_id)
    ).one()
    unlinked = session.scalar(
        select(func.count()).select_from(Testimony)
        .where(Testimony.witness.is_(None), Testimony.interviewed_on <= as_of)) or 0
    interval = wilson_interval(int(never_saw), int(answered))
    return WitnessShare(
        witnesses=int(witnesses), answered=int(answered), never_saw=int(never_saw),
        unanswered=int(witnesses) - int(answered),
        share=int(never_saw) / int(answered) if answered else None,
        low=interval[0] if interval else None, high=interval[1] if interval else None,
        without_consent=int(without_consent), not_released=int(not_released),
        unlinked_testimonies=int(unlinked))


def _latest_site(person_id: Any, day: PartialDate) -> Any:
    """The site of the person's latest event naming one (the same order as `_held_sites`),
    as a correlated lookup: for lists that stop after their first `limit` persons."""
    return (select(Event.site_id)
            .where(Event.person_id == person_id, Event.site_id.is_not(None),
                   _started(Event.date, day))
            .order_by(*latest_first()).limit(1).scalar_subquery())


def last_known_at(site_id: int) -> Select[Any]:
    """The persons whose latest event naming a site names this one (`_latest_site` of
    every day, as a set): one window over the events of the persons an event places
    there. At the largest site of the 1M-person benchmark (95,000 persons) PostgreSQL ran
    it in 1.5 s against 3.4 s for a lookup per person; SQLite about as fast either way."""
    ranked = (select(Event.person_id, Event.site_id, func.row_number().over(
        partition_by=Event.person_id, order_by=latest_first()).label("rn"))
        .where(Event.site_id.is_not(None),
               Event.person_id.in_(select(Event.person_id).where(Event.site_id == site_id)))
        .subquery("ranked"))
    return select(ranked.c.person_id).where(ranked.c.rn == 1, ranked.c.site_id == site_id)


def access_report(
    session: Session,
    as_of: dt.date | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> AccessReport:
    """The report as of a day (default today); lists hold at most `limit` entries each,
    with their totals. Read-only: the doors check `registry:read` before calling.

    Three passes, whatever the registry's size: the sites' access (one row per site), one
    grouped pass placing every held person and testing whether a monitor saw them (its
    result has one row per site and seen/unseen, so the totals are summed from it), and the
    lists, which walk persons by id and stop after `limit` (1M persons: EXPLAIN showed the
    earlier shape, placing everyone again for each list and total, taking ~80 s on SQLite).
    """
    as_of = as_of or dt.date.today()
    limit = max(0, min(limit, MAX_LIMIT))
    day = PartialDate.from_date(as_of)

    site_class: dict[int, str] = {site_id: kind for site_id, kind in
                                  session.execute(site_access(as_of, day))}
    of_kind: dict[str, list[int]] = {NEVER: [], PARTIAL: [], FULL: []}
    for site_id, kind in site_class.items():
        of_kind[kind].append(site_id)

    held = _held_sites(day).subquery("held")
    # The seen set joined the way each database handles 1M persons (bench): SQLite indexes
    # an IN list once but scans a LEFT JOINed union for every person; PostgreSQL hash-joins
    # the LEFT JOIN but probes a ~1.5M-row IN list row by row when it exceeds work_mem.
    seen_ids = _seen_ids(as_of, day).subquery("seen_ids")
    if session.get_bind().dialect.name == "sqlite":
        placed = select(held.c.site_id, case(
            (held.c.person_id.in_(select(seen_ids.c.person_id)), 1), else_=0).label("seen"))
    else:
        placed = (select(held.c.site_id,
                         case((seen_ids.c.person_id.is_(None), 0), else_=1).label("seen"))
                  .outerjoin(seen_ids, seen_ids.c.person_id == held.c.person_id))
    placed = placed.subquery("placed")
    tally = session.execute(select(placed.c.site_id, placed.c.seen, func.count())
                            .group_by(placed.c.site_id, placed.c.seen)).all()
    held_at: dict[int | None, int] = {}
    at_kind = {NEVER: 0, PARTIAL: 0, FULL: 0}
    never_seen = 0
    for site_id, seen, n in tally:  # at most two rows per site
        held_at[site_id] = held_at.get(site_id, 0) + n
        if site_id is not None:
            at_kind[site_class[site_id]] += n
        if not seen:
            never_seen += n

    visit_stats = (select(Visit.site_id, func.count().label("n"),
                          func.max(Visit.date).label("last"))
                   .where(Visit.date <= as_of).group_by(Visit.site_id).subquery())

    def sites_of(kind: str) -> Capped[SiteGap]:
        ids = of_kind[kind]
        rows = session.execute(
            select(Site, func.coalesce(visit_stats.c.n, 0), visit_stats.c.last)
            .outerjoin(visit_stats, visit_stats.c.site_id == Site.id)
            .where(Site.id.in_(ids)).order_by(Site.id).limit(limit)
        ).all() if ids and limit else []
        items = [SiteGap(id=s.id, name=s.display_name, type=s.type, region=s.region,
                         country=s.country, persons_held=held_at.get(s.id, 0), visits=v,
                         last_visit=last) for s, v, last in rows]
        return Capped(total=len(ids), items=items)

    latest = _latest_site(Person.id, day)

    def persons_where(condition: ColumnElement[bool], total: int) -> Capped[PersonGap]:
        if not total or not limit:
            return Capped(total=total, items=[])
        rows = session.execute(
            select(Person, Site).outerjoin(Site, Site.id == latest)
            .where(Person.merged_into_id.is_(None), Person.custody_status == CustodyStatus.HELD,
                   condition)
            .order_by(Person.id).limit(limit)
        ).all()
        return Capped(total=total, items=[
            PersonGap(id=p.id, display_name=p.display_name, site_id=s.id if s else None,
                      site_name=s.display_name if s else None) for p, s in rows])

    return AccessReport(
        as_of=as_of,
        sites_total=len(site_class),
        sites_never_visited=sites_of(NEVER),
        sites_partial_only=sites_of(PARTIAL),
        sites_full_access=len(of_kind[FULL]),
        persons_held=sum(held_at.values()),
        persons_held_without_site=held_at.get(None, 0),
        persons_at_never_visited=persons_where(latest.in_(of_kind[NEVER]), at_kind[NEVER]),
        persons_at_partial_only=persons_where(latest.in_(of_kind[PARTIAL]), at_kind[PARTIAL]),
        persons_never_seen=persons_where(~_seen(Person.id, as_of, day), never_seen),
        testimony_share=witness_share(session, as_of),
    )


__all__ = ["FULL", "NEVER", "PARTIAL", "AccessReport", "Capped", "PersonGap", "SiteGap",
           "WitnessShare", "access_report", "last_known_at", "latest_first", "site_access",
           "wilson_interval",
           "witness_share"]
