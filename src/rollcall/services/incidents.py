"""Allegations and incidents (issue 4 part 6): the only door by which incidents, their
victims and sources enter the registry. Each write checks the permission, validates
everything before writing anything, writes, and appends a change entry.

The calls other code uses (CLI, API, pages, the demo generator):

    record_incident(session, actor, type=..., title=..., ...)    -> Incident (reported)
    update_incident(session, actor, incident_id, title=..., ...) -> Incident
    link_victims(session, actor, incident_id, person_ids)        -> ids newly linked
    unlink_victim(session, actor, incident_id, person_id, reason=...)
    add_source(session, actor, incident_id, kind=..., ...)       -> IncidentSource
    rollcall.services.incident_status:
        move_status(session, actor, incident_id, to, reason=...) -> IncidentStatusChange
        withdraw_source(session, actor, incident_id, source_id, reason=...)
    rollcall.services.incident_views: incident_view, list_incidents (reads)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import (
    Incident,
    IncidentSource,
    IncidentStatusChange,
    IncidentVictim,
    Person,
    Source,
    Testimony,
)
from rollcall.models.base import utcnow
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, diff_states, entity_state, record_change
from rollcall.services.sites import find_site
from rollcall.services.visits import resolve_persons
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType

MAX_TITLE = 300
MAX_TEXT = 20_000
MAX_ORIGIN = 300
MAX_VICTIMS = 100_000

#: Passed for a field `update_incident` leaves as it is.
UNCHANGED: Any = object()


def find_incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def incident_sources(session: Session, incident_id: int) -> list[IncidentSource]:
    return list(session.scalars(select(IncidentSource)
                                .where(IncidentSource.incident_id == incident_id)
                                .order_by(IncidentSource.id)))


# ---- checking values -------------------------------------------------------------------

def clean_text(value: str | None, name: str, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{name}: expected text")
    cleaned = value.strip()
    if len(cleaned) > limit:
        raise InvalidValue(f"{name}: longer than {limit} characters")
    return cleaned or None


def required_reason(value: str | None, why: str) -> str:
    reason = clean_text(value, "reason")
    if reason is None:
        raise InvalidValue(f"reason: {why} needs a reason")
    return reason


def _type(value: IncidentType | str) -> IncidentType:
    try:
        return IncidentType(value)
    except ValueError:
        codes = ", ".join(t.value for t in IncidentType)
        raise InvalidValue(f"type: unknown incident type; expected one of {codes}") from None


def _date(value: PartialDate | dt.date | str | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    try:
        return PartialDate.fromisoformat(value) if value.strip() else None
    except (ValueError, AttributeError):
        raise InvalidValue(f"{name}: not a date; write yyyy, yyyy-mm or yyyy-mm-dd") from None


def _period(start: PartialDate | None, end: PartialDate | None) -> None:
    today = dt.date.today()
    for name, value in (("date_from", start), ("date_to", end)):
        if value is not None and value.earliest() > today:
            raise InvalidValue(f"{name}: an incident cannot be dated in the future")
    if start is not None and end is not None and end.latest() < start.earliest():
        raise InvalidValue(f"date_to: {end} ends before date_from {start} begins")


def _count(value: int, linked: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue("victim_count: expected a whole number")
    if not 0 <= value <= MAX_VICTIMS:
        raise InvalidValue(f"victim_count: must lie between 0 and {MAX_VICTIMS}")
    return max(value, linked)


def _site(session: Session, site: int | str | None) -> int | None:
    return None if site is None or site == "" else find_site(session, site).id


def _linked_persons(session: Session, incident_id: int) -> set[int]:
    """The incident's victims as the registry knows them today (merges resolved)."""
    return set(session.scalars(
        select(func.coalesce(Person.merged_into_id, Person.id))
        .join(IncidentVictim, IncidentVictim.person_id == Person.id)
        .where(IncidentVictim.incident_id == incident_id)))


def state_of(incident: Incident) -> dict[str, Any]:
    return entity_state(incident, omit=frozenset({"recorded_at", "updated_at"}))


# ---- writes ----------------------------------------------------------------------------

def record_incident(
    session: Session,
    actor: Actor,
    *,
    type: IncidentType | str,
    title: str,
    summary: str | None = None,
    site: int | str | None = None,
    place: str | None = None,
    date_from: PartialDate | dt.date | str | None = None,
    date_to: PartialDate | dt.date | str | None = None,
    victim_count: int = 0,
    perpetrator: str | None = None,
    person_ids: Iterable[int] = (),
) -> Incident:
    """Record an allegation as `reported`, with its identified victims (registry person
    ids; merged ones resolve to the survivor). `victim_count` counts every victim,
    identified or not; it is raised to the number of persons linked if lower."""
    actor.require(Permission.INCIDENTS_WRITE)
    kind = _type(type)
    heading = clean_text(title, "title", MAX_TITLE)
    if heading is None:
        raise InvalidValue("title: an incident needs a title")
    start, end = _date(date_from, "date_from"), _date(date_to, "date_to")
    _period(start, end)
    site_id = _site(session, site)
    victims = resolve_persons(session, person_ids)
    incident = Incident(
        type=kind, title=heading, summary=clean_text(summary, "summary"), site_id=site_id,
        place=clean_text(place, "place"), date_from=start, date_to=end,
        victim_count=_count(victim_count, len(victims)),
        perpetrator=clean_text(perpetrator, "perpetrator"), status=IncidentStatus.REPORTED,
        recorded_by=actor.username)
    session.add(incident)
    session.flush()
    session.add(IncidentStatusChange(incident_id=incident.id, from_status=None,
                                     to_status=IncidentStatus.REPORTED, changed_by=actor.username,
                                     figures={}))
    if victims:
        session.execute(insert(IncidentVictim), [
            {"incident_id": incident.id, "person_id": p, "added_by": actor.username}
            for p in victims])
    record_change(session, actor, Action.INCIDENT_RECORDED, "incident", incident.id,
                  {**state_of(incident), "person_ids": victims})
    return incident


def update_incident(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    type: IncidentType | str = UNCHANGED,
    title: str = UNCHANGED,
    summary: str | None = UNCHANGED,
    site: int | str | None = UNCHANGED,
    place: str | None = UNCHANGED,
    date_from: PartialDate | dt.date | str | None = UNCHANGED,
    date_to: PartialDate | dt.date | str | None = UNCHANGED,
    victim_count: int = UNCHANGED,
    perpetrator: str | None = UNCHANGED,
) -> Incident:
    """Correct what an incident says (not its status: see incident_status). Fields left
    UNCHANGED keep their value; None clears an optional one."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    values: dict[str, Any] = {}
    if type is not UNCHANGED:
        values["type"] = _type(type)
    if title is not UNCHANGED:
        values["title"] = clean_text(title, "title", MAX_TITLE)
        if values["title"] is None:
            raise InvalidValue("title: an incident needs a title")
    for name, given in (("summary", summary), ("place", place),
                        ("perpetrator", perpetrator)):
        if given is not UNCHANGED:
            values[name] = clean_text(given, name)
    if date_from is not UNCHANGED:
        values["date_from"] = _date(date_from, "date_from")
    if date_to is not UNCHANGED:
        values["date_to"] = _date(date_to, "date_to")
    _period(values.get("date_from", incident.date_from), values.get("date_to", incident.date_to))
    if site is not UNCHANGED:
        values["site_id"] = _site(session, site)
    if victim_count is not UNCHANGED:
        linked = len(_linked_persons(session, incident.id))
        values["victim_count"] = _count(victim_count, 0)
        if values["victim_count"] < linked:
            raise InvalidValue(f"victim_count: {linked} persons are linked as victims; the "
                               "count cannot be lower")
    before = state_of(incident)
    for name, value in values.items():
        setattr(incident, name, value)
    after = state_of(incident)
    if after == before:
        return incident
    incident.updated_at = utcnow()
    record_change(session, actor, Action.INCIDENT_UPDATED, "incident", incident.id, after,
                  diff_states(before, after))
    return incident


def link_victims(session: Session, actor: Actor, incident_id: int,
                 person_ids: Iterable[int]) -> list[int]:
    """Link registry persons as victims; returns those newly linked (a person already
    linked, also under an id merged since, is skipped). Linking more persons than the
    incident counts raises its count: each linked person is a victim."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    wanted = resolve_persons(session, person_ids)
    if not wanted:
        raise InvalidValue("person_ids: name at least one person")
    linked = _linked_persons(session, incident.id)
    added = [p for p in wanted if p not in linked]
    if not added:
        return []
    session.execute(insert(IncidentVictim), [
        {"incident_id": incident.id, "person_id": p, "added_by": actor.username}
        for p in added])
    incident.victim_count = max(incident.victim_count, len(linked) + len(added))
    incident.updated_at = utcnow()
    record_change(session, actor, Action.INCIDENT_VICTIMS_LINKED, "incident", incident.id,
                  {**state_of(incident), "person_ids_added": added})
    return added


def unlink_victim(session: Session, actor: Actor, incident_id: int, person_id: int, *,
                  reason: str | None) -> None:
    """Undo a wrong link (the person was not this victim). The victim count stays: the
    victim still exists, only the identification was wrong; correct it separately."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    why = required_reason(reason, "unlinking a victim")
    target = resolve_persons(session, [person_id])[0]
    rows = session.scalars(
        select(IncidentVictim.person_id)
        .join(Person, Person.id == IncidentVictim.person_id)
        .where(IncidentVictim.incident_id == incident.id,
               func.coalesce(Person.merged_into_id, Person.id) == target)).all()
    if not rows:
        raise NotFound(f"person {person_id} is not linked to incident {incident_id}")
    session.execute(delete(IncidentVictim).where(IncidentVictim.incident_id == incident.id,
                                                 IncidentVictim.person_id.in_(rows)))
    incident.updated_at = utcnow()
    record_change(session, actor, Action.INCIDENT_VICTIM_UNLINKED, "incident", incident.id,
                  {**state_of(incident), "person_id_unlinked": target, "reason": why})


def add_source(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    kind: IncidentSourceKind | str,
    testimony_id: int | None = None,
    source_id: int | None = None,
    reference: str | None = None,
    origin: str | None = None,
    repeats: int | None = None,
) -> IncidentSource:
    """Cite a source for an incident. A testimony is cited by `testimony_id`; any other
    kind by a registry `source_id` and/or a `reference` (URL, title, number). A media
    report needs its publisher as `origin`. `repeats` names another source of this
    incident that this one only repeats (so the two are not independent). Adding a source
    never moves the status: that is incident_status.move_status."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    try:
        what = IncidentSourceKind(kind)
    except ValueError:
        codes = ", ".join(k.value for k in IncidentSourceKind)
        raise InvalidValue(f"kind: unknown source kind; expected one of {codes}") from None
    ref = clean_text(reference, "reference")
    who = clean_text(origin, "origin", MAX_ORIGIN)
    existing = incident_sources(session, incident.id)
    if what == IncidentSourceKind.TESTIMONY:
        if testimony_id is None:
            raise InvalidValue("testimony_id: a testimony source names the testimony")
        if source_id is not None:
            raise InvalidValue("source_id: a testimony is cited by its testimony_id")
        if session.get(Testimony, testimony_id) is None:
            raise NotFound(f"no testimony {testimony_id}")
        if any(s.testimony_id == testimony_id for s in existing):
            raise Conflict(f"testimony {testimony_id} is already a source of incident "
                           f"{incident.id}")
    else:
        if testimony_id is not None:
            raise InvalidValue(f"testimony_id: only a testimony source names a testimony, "
                               f"not a {what.value} source")
        if source_id is None and ref is None:
            raise InvalidValue(f"reference: a {what.value} source needs a reference or a "
                               "registry source_id")
        if what == IncidentSourceKind.MEDIA and who is None:
            raise InvalidValue("origin: a media source needs its publisher, so two reports "
                               "from one outlet count once")
    if source_id is not None:
        if session.get(Source, source_id) is None:
            raise NotFound(f"no source {source_id}")
        if any(s.source_id == source_id for s in existing):
            raise Conflict(f"source {source_id} is already cited by incident {incident.id}")
    if repeats is not None and not any(s.id == repeats for s in existing):
        raise NotFound(f"incident {incident.id} has no source {repeats} to repeat")
    item = IncidentSource(incident_id=incident.id, kind=what, testimony_id=testimony_id,
                          source_id=source_id, reference=ref, origin=who, repeats_id=repeats,
                          added_by=actor.username)
    session.add(item)
    session.flush()
    record_change(session, actor, Action.INCIDENT_SOURCE_ADDED, "incident_source", item.id,
                  entity_state(item, omit=frozenset({"added_at"})))
    return item
