"""From a testimony to an incident: an investigator opens a new incident from what a
witness told, or attaches the testimony to an incident already recorded. Either way the
testimony becomes one of the incident's sources and the other registry persons its acts
name as victims are linked.

The witness is not linked as a victim here even when an act was done to them: the
incident's victims are shown to roles that may not know who the witness is, so linking
the witness stays a deliberate step on the incident's page.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.errors import NotFound
from rollcall.models import Act, Incident, Testimony
from rollcall.security.permissions import Permission
from rollcall.services import incidents
from rollcall.services.actor import Actor
from rollcall.vocabulary import IncidentSourceKind, IncidentType


def act_victims(session: Session, testimony_id: int) -> list[int]:
    """The registry persons (not the witness) the testimony's acts name as victims."""
    rows = session.scalars(select(Act.victim_person_id).where(
        Act.testimony_id == testimony_id, Act.victim_person_id.is_not(None))
        .order_by(Act.id)).all()
    return list(dict.fromkeys(p for p in rows if p is not None))


def cite_testimony(
    session: Session,
    actor: Actor,
    testimony_id: int,
    *,
    incident_id: int | None = None,
    type: IncidentType | str | None = None,
    title: str | None = None,
) -> Incident:
    """Attach the testimony to incident `incident_id`, or, without one, record a new
    incident of `type` titled `title` at the first coded act's site. Each step is the
    incidents service's own write, with its change entry."""
    actor.require(Permission.INCIDENTS_WRITE)
    testimony = session.get(Testimony, testimony_id)
    if testimony is None:
        raise NotFound(f"no testimony {testimony_id}")
    victims = act_victims(session, testimony_id)
    if incident_id is None:
        first_site = session.scalar(select(Act.site_id).where(
            Act.testimony_id == testimony_id, Act.site_id.is_not(None)).order_by(Act.id))
        incident = incidents.record_incident(
            session, actor, type=type or "", title=title or "", site=first_site,
            person_ids=victims, victim_count=len(victims))
    else:
        incident = incidents.find_incident(session, incident_id)
        if victims:
            incidents.link_victims(session, actor, incident.id, victims)
    incidents.add_source(session, actor, incident.id, kind=IncidentSourceKind.TESTIMONY,
                         testimony_id=testimony_id)
    return incident
