"""Reading incidents: the list and one incident with its sources, victims and history.

Anyone with `registry:read` sees incidents, their sources (testimonies by pseudonym, with
the independence groups the corroboration rule counted) and how many victims are linked.
Who the linked victims are is shown only to those who may link them (`incidents:write`):
analysts work on aggregates. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rollcall.models import (
    Incident,
    IncidentSource,
    IncidentStatusChange,
    IncidentVictim,
    Person,
    Site,
    Source,
    Testimony,
)
from rollcall.monitoring.corroboration import Assessment, Rule, assess
from rollcall.monitoring.incident_counts import IncidentFilter
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.incident_status import current_rule
from rollcall.services.incidents import find_incident, incident_sources
from rollcall.services.queries import MAX_PAGE_SIZE, Paged


@dataclass(frozen=True)
class SourceView:
    item: IncidentSource
    testimony_pseudonym: str | None
    source_title: str | None
    #: Independence group (1, 2, ...): sources with one number share an origin. None for
    #: a withdrawn source.
    group: int | None


@dataclass(frozen=True)
class VictimView:
    id: int
    display_name: str


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    site: Site | None
    sources: list[SourceView]
    #: The identified victims; None when the reader may not see who they are.
    victims: list[VictimView] | None
    victims_linked: int
    history: list[IncidentStatusChange]
    assessment: Assessment


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    site: Site | None
    victims_linked: int
    sources: int


def can_see_victims(actor: Actor) -> bool:
    return actor.can(Permission.INCIDENTS_WRITE)


def incident_view(session: Session, actor: Actor, incident_id: int,
                  rule: Rule | None = None) -> IncidentView:
    """One incident with everything the detail page and the API show."""
    actor.require(Permission.REGISTRY_READ)
    incident = find_incident(session, incident_id)
    site = session.get(Site, incident.site_id) if incident.site_id is not None else None
    items = incident_sources(session, incident.id)
    assessment = assess(session, items, rule or current_rule())
    pseudonyms = dict(session.execute(
        select(Testimony.id, Testimony.pseudonym)
        .where(Testimony.id.in_([s.testimony_id for s in items if s.testimony_id]))).all())
    titles = dict(session.execute(
        select(Source.id, Source.title)
        .where(Source.id.in_([s.source_id for s in items if s.source_id]))).all())
    sources = [SourceView(item=s, testimony_pseudonym=pseudonyms.get(s.testimony_id or 0),
                          source_title=titles.get(s.source_id or 0),
                          group=assessment.groups.get(s.id)) for s in items]
    survivor = func.coalesce(Person.merged_into_id, Person.id)
    victim_ids = sorted(set(session.scalars(
        select(survivor).join(IncidentVictim, IncidentVictim.person_id == Person.id)
        .where(IncidentVictim.incident_id == incident.id))))
    victims = None
    if can_see_victims(actor):
        people = session.scalars(select(Person).where(Person.id.in_(victim_ids))
                                 .order_by(Person.id))
        victims = [VictimView(p.id, p.display_name) for p in people]
    history = list(session.scalars(
        select(IncidentStatusChange).where(IncidentStatusChange.incident_id == incident.id)
        .order_by(IncidentStatusChange.id)))
    return IncidentView(incident=incident, site=site, sources=sources, victims=victims,
                        victims_linked=len(victim_ids), history=history,
                        assessment=assessment)


def list_incidents(session: Session, actor: Actor, chosen: IncidentFilter | None = None, *,
                   page: int = 1, page_size: int = 50) -> Paged[IncidentRow]:
    """Incidents under a filter, latest first (by start date, undated last, then id), each
    with its count of linked victims and of standing sources (two grouped queries)."""
    actor.require(Permission.REGISTRY_READ)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    conds = (chosen or IncidentFilter()).conditions()
    total = session.scalar(select(func.count()).select_from(Incident).where(*conds)) or 0
    start = func.coalesce(Incident.date_from, Incident.date_to)
    rows = session.execute(
        select(Incident, Site).outerjoin(Site, Site.id == Incident.site_id).where(*conds)
        .order_by(start.desc().nulls_last(), Incident.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    ids = [incident.id for incident, _ in rows]
    linked = dict(session.execute(
        select(IncidentVictim.incident_id,
               func.count(func.distinct(func.coalesce(Person.merged_into_id, Person.id))))
        .join(Person, Person.id == IncidentVictim.person_id)
        .where(IncidentVictim.incident_id.in_(ids)).group_by(IncidentVictim.incident_id)).all())
    cited = dict(session.execute(
        select(IncidentSource.incident_id, func.count())
        .where(IncidentSource.incident_id.in_(ids), IncidentSource.withdrawn_at.is_(None))
        .group_by(IncidentSource.incident_id)).all())
    return Paged(items=[IncidentRow(i, s, linked.get(i.id, 0), cited.get(i.id, 0))
                        for i, s in rows], total=total, page=page, page_size=page_size)
