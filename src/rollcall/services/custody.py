"""Recording custody periods (issue 4 part 1): the registrar's word on where a person was
held from one day to another. Periods of one person at two sites may share the transfer
day and nothing more: anything else is refused before anything is written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import CustodyPeriod, Person, Site, Source
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.sites import find_site

MAX_NOTES_CHARS = 5000


def _full_day(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidValue(f"{field} must be a full date (a day)")
    return value


def _site_label(site: Site) -> str:
    return f"site {site.id}" + (f" ({site.key})" if site.key else "")


def _period_label(start: dt.date, end: dt.date | None) -> str:
    return f"{start.isoformat()} to {end.isoformat() if end else 'now'}"


def record_custody(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    site: int | str,
    start: dt.date,
    end: dt.date | None = None,
    source_id: int | None = None,
    notes: str | None = None,
) -> CustodyPeriod:
    """Record that the person was held at the site from `start` to `end` (both days
    included; None: still held there). A merged person's id is recorded as its survivor's.

    Refused: an unknown person, site or source; a day in the future; `end` before
    `start`; a period sharing more than a boundary day with another period of the same
    person at a different site (the message names both sites and both periods)."""
    actor.require(Permission.SITES_WRITE)
    start = _full_day(start, "from")
    if end is not None:
        end = _full_day(end, "to")
    today = dt.date.today()
    if start > today or (end is not None and end > today):
        raise InvalidValue("a custody period cannot reach into the future")
    if end is not None and end < start:
        raise InvalidValue(f"to ({end.isoformat()}) is before from ({start.isoformat()})")
    if notes is not None and len(notes) > MAX_NOTES_CHARS:
        raise InvalidValue(f"notes: at most {MAX_NOTES_CHARS} characters")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    survivor = person.merged_into_id or person.id
    try:
        target = find_site(session, site)
    except NotFound:
        raise NotFound(f"no site {site!r}") from None
    if source_id is not None and session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")

    same_person = select(Person.id).where(or_(Person.id == survivor,
                                              Person.merged_into_id == survivor))
    # Overlap by more than a shared boundary day: each starts before the other ends.
    clash = session.execute(
        select(CustodyPeriod, Site).join(Site, Site.id == CustodyPeriod.site_id)
        .where(CustodyPeriod.person_id.in_(same_person), CustodyPeriod.site_id != target.id,
               or_(CustodyPeriod.end.is_(None), start < CustodyPeriod.end),
               *([CustodyPeriod.start < end] if end is not None else []))
        .order_by(CustodyPeriod.start, CustodyPeriod.id).limit(1)
    ).first()
    if clash is not None:
        other, other_site = clash
        raise Conflict(
            f"custody at {_site_label(target)} from {_period_label(start, end)} overlaps "
            f"custody period {other.id} at {_site_label(other_site)} from "
            f"{_period_label(other.start, other.end)}: a person is held at one site at a "
            "time (periods may share only the transfer day)")

    period = CustodyPeriod(person_id=survivor, site_id=target.id, start=start, end=end,
                           source_id=source_id, notes=(notes or "").strip() or None)
    session.add(period)
    session.flush()
    record_change(session, actor, Action.CUSTODY_RECORDED, "custody_period", period.id,
                  entity_state(period, omit=frozenset({"recorded_at"})))
    return period
