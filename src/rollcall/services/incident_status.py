"""Grading incidents (issue 4 part 6): moving an incident's status and withdrawing its
sources, both tested against the corroboration rule in force.

Status moves (IncidentStatus): up `reported -> credible` when the corroboration rule in
force is met (rollcall.monitoring.corroboration; a reason is optional, the rule is the
why), `credible -> verified` with `incidents:verify` and a reason. Down (`verified ->
credible|reported`, `credible -> reported`), to `retracted` and back from it (to
`reported` only) need a reason; anything touching `verified` needs `incidents:verify`. A
move to credible or verified always tests the rule, and stores its text and figures in
the status history (`incident_status_changes`) with who and why.

Withdrawing a source that leaves a credible or verified incident short of the rule moves
it back to `reported` in the same transaction, recorded as such.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import Incident, IncidentSource, IncidentStatusChange
from rollcall.models.base import utcnow
from rollcall.monitoring.corroboration import Assessment, Rule, assess
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.incidents import (
    clean_text,
    find_incident,
    incident_sources,
    required_reason,
    state_of,
)
from rollcall.vocabulary import IncidentStatus

S = IncidentStatus
RANK = {S.REPORTED: 0, S.CREDIBLE: 1, S.VERIFIED: 2}


def current_rule() -> Rule:
    """The corroboration rule in force (setting `corroboration_rule`)."""
    return Rule.parse(get_settings().corroboration_rule)


def assess_incident(session: Session, incident_id: int, rule: Rule | None = None) -> Assessment:
    """The incident's standing sources against a rule (default: the rule in force)."""
    return assess(session, incident_sources(session, incident_id), rule or current_rule())


def _status(value: IncidentStatus | str) -> IncidentStatus:
    try:
        return IncidentStatus(value)
    except ValueError:
        codes = ", ".join(s.value for s in IncidentStatus)
        raise InvalidValue(f"status: unknown status; expected one of {codes}") from None


def withdraw_source(session: Session, actor: Actor, incident_id: int, source_id: int, *,
                    reason: str | None) -> IncidentSource:
    """Withdraw a source that no longer stands (kept, marked, not counted). If the
    incident is credible or verified and the rule in force is no longer met, it goes back
    to `reported` in the same transaction (from verified this needs incidents:verify)."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    why = required_reason(reason, "withdrawing a source")
    sources = incident_sources(session, incident.id)
    item = next((s for s in sources if s.id == source_id), None)
    if item is None:
        raise NotFound(f"incident {incident.id} has no source {source_id}")
    if item.withdrawn_at is not None:
        raise Conflict(f"source {source_id} of incident {incident.id} is already withdrawn")
    demote: Assessment | None = None
    if incident.status in (S.CREDIBLE, S.VERIFIED):
        rule = current_rule()
        remaining = [s for s in sources if s.id != item.id]
        after = assess(session, [*remaining, _withdrawn_copy(item)], rule)
        if not after.met:
            if incident.status == S.VERIFIED:
                actor.require(Permission.INCIDENTS_VERIFY)
            demote = after
    item.withdrawn_at, item.withdrawn_by, item.withdrawn_reason = utcnow(), actor.username, why
    session.flush()
    record_change(session, actor, Action.INCIDENT_SOURCE_WITHDRAWN, "incident_source", item.id,
                  entity_state(item, omit=frozenset({"added_at", "withdrawn_at"})))
    if demote is not None:
        _move(session, actor, incident, S.REPORTED,
              f"source {item.id} withdrawn ({why}); {demote.missing()}", demote)
    return item


def _withdrawn_copy(item: IncidentSource) -> IncidentSource:
    """The source as it will be once withdrawn, for testing the rule before writing."""
    return IncidentSource(id=item.id, incident_id=item.incident_id, kind=item.kind,
                          testimony_id=item.testimony_id, source_id=item.source_id,
                          reference=item.reference, origin=item.origin,
                          repeats_id=item.repeats_id, withdrawn_at=utcnow())


def move_status(session: Session, actor: Actor, incident_id: int,
                to: IncidentStatus | str, *, reason: str | None = None,
                rule: Rule | None = None) -> IncidentStatusChange:
    """Move an incident's status (see the module docstring for which moves need what).
    Refused moves say what is missing and change nothing."""
    actor.require(Permission.INCIDENTS_WRITE)
    incident = find_incident(session, incident_id)
    target = _status(to)
    current = incident.status
    label = f"incident {incident.id}"
    if target == current:
        raise Conflict(f"{label} is already {current.value}")
    if S.VERIFIED in (target, current):
        actor.require(Permission.INCIDENTS_VERIFY)
    why = clean_text(reason, "reason")
    if target == S.VERIFIED and current != S.CREDIBLE:
        raise InvalidValue(f"status: {label} is {current.value}; only a credible incident "
                           "can be verified")
    if current == S.RETRACTED and target != S.REPORTED:
        raise InvalidValue(f"status: {label} is retracted; it can only go back to reported")
    upward = current != S.RETRACTED and target != S.RETRACTED and RANK[target] > RANK[current]
    if why is None and target == S.VERIFIED:
        raise InvalidValue(f"reason: verifying {label} needs the investigator's reason")
    if why is None and not upward:
        raise InvalidValue(f"reason: moving {label} from {current.value} to {target.value} "
                           "needs a reason")
    checked: Assessment | None = None
    if target in (S.CREDIBLE, S.VERIFIED):
        checked = assess_incident(session, incident.id, rule)
        if not checked.met:
            raise InvalidValue(f"status: {label} cannot be {target.value}: "
                               f"{checked.missing()}")
    return _move(session, actor, incident, target, why, checked)


def _move(session: Session, actor: Actor, incident: Incident, target: IncidentStatus,
          reason: str | None, checked: Assessment | None) -> IncidentStatusChange:
    change = IncidentStatusChange(
        incident_id=incident.id, from_status=incident.status, to_status=target,
        changed_by=actor.username, reason=reason,
        rule=checked.rule.text if checked and checked.met else None,
        figures=checked.figures.as_dict() if checked else {})
    incident.status = target
    incident.updated_at = utcnow()
    session.add(change)
    session.flush()
    record_change(session, actor, Action.INCIDENT_STATUS_MOVED, "incident", incident.id, {
        **state_of(incident),
        "change": entity_state(change, omit=frozenset({"changed_at", "incident_id"})),
    })
    return change
