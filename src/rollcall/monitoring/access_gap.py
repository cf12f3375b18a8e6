"""The access-gap analysis: which places of detention no independent monitor has seen, or
seen only partially, how many people the registry places there, and who was never seen.

Read-only and set-based: each figure is one SQL statement over the whole registry (no
per-person loop), so it scales to a million persons.

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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, case, func, literal, or_, select, union
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from rollcall.dates import PartialDate
from rollcall.models import AccessPeriod, Event, Person, Site, Visit, VisitPerson
from rollcall.vocabulary import AccessLevel, CustodyStatus, EventType, SiteType

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
NEVER, PARTIAL, FULL = "never_visited", "partial_only", "full_access"

#: Figures the report cannot give yet, and why (printed with every report).
NOT_COMPUTED = (
    "share of released persons who gave testimony and say they never saw a monitor: "
    "needs testimonies (issue 4 part 5)",
)


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
    not_computed: tuple[str, ...] = field(default=NOT_COMPUTED)


def _started(column: Any, as_of: PartialDate) -> ColumnElement[bool]:
    """A partial date known not to lie after `as_of` (or no date at all)."""
    return or_(column.is_(None), column <= as_of)


def _site_access(as_of: dt.date, day: PartialDate) -> Select[Any]:
    """(site_id, access class) of every site."""
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


def _held_sites(day: PartialDate) -> Select[Any]:
    """(person_id, site_id) of every held person, site_id None if no event names one.
    One pass: each held person joined to their own site events through the index on
    `events.person_id`, ranked, the latest kept."""
    ranked = (
        select(Person.id.label("person_id"), Event.site_id, func.row_number().over(
            partition_by=Person.id,
            order_by=(Event.date.desc().nulls_last(), Event.id.desc()),
        ).label("rn"))
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


def access_report(
    session: Session,
    as_of: dt.date | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> AccessReport:
    """The report as of a day (default today); lists hold at most `limit` entries each,
    with their totals. Read-only: the doors check `registry:read` before calling."""
    as_of = as_of or dt.date.today()
    limit = max(0, min(limit, MAX_LIMIT))
    day = PartialDate.from_date(as_of)
    access = _site_access(as_of, day).cte("site_access")
    held = _held_sites(day).cte("held")

    site_counts = dict(session.execute(
        select(access.c.access, func.count()).group_by(access.c.access)).all())

    held_here = (select(held.c.site_id, func.count().label("n"))
                 .where(held.c.site_id.is_not(None)).group_by(held.c.site_id).subquery())
    visit_stats = (select(Visit.site_id, func.count().label("n"),
                          func.max(Visit.date).label("last"))
                   .where(Visit.date <= as_of).group_by(Visit.site_id).subquery())

    def sites_of(kind: str) -> Capped[SiteGap]:
        rows = session.execute(
            select(Site, func.coalesce(held_here.c.n, 0), func.coalesce(visit_stats.c.n, 0),
                   visit_stats.c.last)
            .join(access, access.c.site_id == Site.id)
            .outerjoin(held_here, held_here.c.site_id == Site.id)
            .outerjoin(visit_stats, visit_stats.c.site_id == Site.id)
            .where(access.c.access == kind).order_by(Site.id).limit(limit)
        ).all()
        items = [SiteGap(id=s.id, name=s.display_name, type=s.type, region=s.region,
                         country=s.country, persons_held=n, visits=v, last_visit=last)
                 for s, n, v, last in rows]
        return Capped(total=site_counts.get(kind, 0), items=items)

    def persons_where(condition: ColumnElement[bool]) -> Capped[PersonGap]:
        base = (select(Person, Site)
                .join(held, held.c.person_id == Person.id)
                .outerjoin(Site, Site.id == held.c.site_id)
                .outerjoin(access, access.c.site_id == held.c.site_id)
                .where(condition))
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = session.execute(base.order_by(Person.id).limit(limit)).all()
        return Capped(total=total, items=[
            PersonGap(id=p.id, display_name=p.display_name, site_id=s.id if s else None,
                      site_name=s.display_name if s else None) for p, s in rows])

    held_total, without_site = session.execute(
        select(func.count(), func.coalesce(func.sum(
            case((held.c.site_id.is_(None), 1), else_=0)), 0)).select_from(held)
    ).one()

    return AccessReport(
        as_of=as_of,
        sites_total=sum(site_counts.values()),
        sites_never_visited=sites_of(NEVER),
        sites_partial_only=sites_of(PARTIAL),
        sites_full_access=site_counts.get(FULL, 0),
        persons_held=held_total,
        persons_held_without_site=int(without_site),
        persons_at_never_visited=persons_where(access.c.access == NEVER),
        persons_at_partial_only=persons_where(access.c.access == PARTIAL),
        persons_never_seen=persons_where(~_seen(held.c.person_id, as_of, day)),
    )


__all__ = ["AccessReport", "Capped", "PersonGap", "SiteGap", "access_report"]
