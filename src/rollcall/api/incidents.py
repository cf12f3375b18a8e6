"""Allegations and incidents: `GET /api/incidents` (filters type, status, site, period),
`GET /api/incidents/counts` (incidents and victims apart, by type and status, with the
headline), `GET /api/incidents/{id}` (sources, victims, status history, the corroboration
rule's verdict), and the writes: `POST /api/incidents`, `PATCH /api/incidents/{id}`,
`POST .../victims`, `POST .../victims/{person_id}/unlink`, `POST .../sources`,
`POST .../sources/{source_id}/withdraw`, `POST .../status`.

Reading needs registry:read; who the linked victims are is shown only to incidents:write
(`victims_withheld`). Writing needs incidents:write; moving to or from `verified` also
incidents:verify (checked by rollcall.services.incidents).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from rollcall.api.schemas import Page, SiteRef, iso, page_of
from rollcall.errors import InvalidValue
from rollcall.monitoring.incident_counts import (
    IncidentCounts,
    IncidentFilter,
    Tally,
    incident_counts,
)
from rollcall.security.permissions import Permission
from rollcall.services import incident_status as grading
from rollcall.services import incidents as service
from rollcall.services.actor import Actor
from rollcall.services.incident_views import (
    IncidentRow,
    IncidentView,
    incident_view,
    list_incidents,
)
from rollcall.services.queries import MAX_PAGE_SIZE
from rollcall.services.validation import partial_date
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["incidents"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.INCIDENTS_WRITE))]
PartialDateText = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                       description="yyyy, yyyy-mm or yyyy-mm-dd")]
Reason = Annotated[str, Field(max_length=20_000, description="Why (kept in the history).")]




def _filter(type: IncidentType | None, status: IncidentStatus | None, site_id: int | None,
            date_from: str | None, date_to: str | None) -> IncidentFilter:
    start, end = partial_date(date_from, "date_from"), partial_date(date_to, "date_to")
    return IncidentFilter(type=type, status=status, site_id=site_id,
                          period_from=start.earliest() if start else None,
                          period_to=end.latest() if end else None)


# --- input ----------------------------------------------------------------------------

class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: IncidentType
    title: str = Field(max_length=300)
    summary: str | None = Field(default=None, max_length=20_000)
    site: int | str | None = Field(default=None, description="A site's id or key.")
    place: str | None = Field(default=None, max_length=2000)
    date_from: PartialDateText | None = None
    date_to: PartialDateText | None = None
    victim_count: int = Field(default=0, ge=0,
                              description="Every victim, identified or not; raised to the "
                              "number of persons linked if lower.")
    perpetrator: str | None = Field(default=None, max_length=2000)
    person_ids: list[int] = Field(default_factory=list, max_length=10_000,
                                  description="Registry persons who are victims.")


class IncidentPatch(BaseModel):
    """Only the fields sent change; null clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    type: IncidentType | None = None
    title: str | None = Field(default=None, max_length=300)
    summary: str | None = Field(default=None, max_length=20_000)
    site: int | str | None = None
    place: str | None = Field(default=None, max_length=2000)
    date_from: PartialDateText | None = None
    date_to: PartialDateText | None = None
    victim_count: int | None = Field(default=None, ge=0)
    perpetrator: str | None = Field(default=None, max_length=2000)


class VictimsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_ids: list[int] = Field(min_length=1, max_length=10_000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class SourceIn(BaseModel):
    """A testimony is cited by `testimony_id`; other kinds by `source_id` (a registry
    source) and/or `reference`. Media need `origin` (the publisher). `repeats`: the id of
    another source of this incident that this one only repeats."""

    model_config = ConfigDict(extra="forbid")

    kind: IncidentSourceKind
    testimony_id: int | None = None
    source_id: int | None = None
    reference: str | None = Field(default=None, max_length=20_000)
    origin: str | None = Field(default=None, max_length=300)
    repeats: int | None = None


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus
    reason: Reason | None = None


# --- output ---------------------------------------------------------------------------

class TallyOut(BaseModel):
    incidents: int
    victims: int = Field(description="Sum of victim counts, identified or not.")
    persons_linked: int = Field(description="Distinct registry persons linked as victims.")

    @classmethod
    def of(cls, tally: Tally) -> TallyOut:
        return cls(incidents=tally.incidents, victims=tally.victims,
                   persons_linked=tally.persons_linked)


class TypeLineOut(BaseModel):
    type: IncidentType
    by_status: dict[IncidentStatus, TallyOut]
    total: TallyOut


class CountsOut(BaseModel):
    """Definitions: rollcall.monitoring.incident_counts. Totals leave retracted out."""

    headline: str = Field(description="'32 victims in 12 incidents, 3 incidents verified'")
    total: TallyOut
    verified: TallyOut
    by_status: dict[IncidentStatus, TallyOut]
    by_type: list[TypeLineOut]
    corroboration_rule: str = Field(description="The rule in force for moves to credible.")

    @classmethod
    def of(cls, counts: IncidentCounts, rule: str) -> CountsOut:
        return cls(
            headline=counts.headline(), total=TallyOut.of(counts.total),
            verified=TallyOut.of(counts.verified),
            by_status={s: TallyOut.of(t) for s, t in counts.by_status.items()},
            by_type=[TypeLineOut(type=line.type, total=TallyOut.of(line.total),
                                 by_status={s: TallyOut.of(t)
                                            for s, t in line.by_status.items()})
                     for line in counts.by_type],
            corroboration_rule=rule)


class IncidentSummaryOut(BaseModel):
    id: int
    type: IncidentType
    title: str
    status: IncidentStatus
    site: SiteRef | None
    place: str | None
    date_from: str | None
    date_to: str | None
    victim_count: int
    victims_linked: int
    sources: int = Field(description="Sources not withdrawn.")

    @classmethod
    def of(cls, row: IncidentRow) -> IncidentSummaryOut:
        i = row.incident
        return cls(id=i.id, type=i.type, title=i.title, status=i.status,
                   site=SiteRef(id=row.site.id, name=row.site.display_name) if row.site
                   else None, place=i.place, date_from=iso(i.date_from),
                   date_to=iso(i.date_to), victim_count=i.victim_count,
                   victims_linked=row.victims_linked, sources=row.sources)


class Ref(BaseModel):
    id: int
    name: str


class SourceOut(BaseModel):
    id: int
    kind: IncidentSourceKind
    testimony: Ref | None = Field(description="The testimony, by pseudonym.")
    source: Ref | None = Field(description="The registry source, by title.")
    reference: str | None
    origin: str | None
    repeats_id: int | None
    group: int | None = Field(description="Independence group: sources with one number "
                              "share an origin; null when withdrawn.")
    added_by: str
    added_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str | None


class StatusChangeOut(BaseModel):
    from_status: IncidentStatus | None
    to_status: IncidentStatus
    changed_by: str
    changed_at: dt.datetime
    reason: str | None
    rule: str | None = Field(description="The corroboration rule that allowed the move.")
    figures: dict[str, Any]


class CorroborationOut(BaseModel):
    rule: str
    met: bool
    figures: dict[str, int]
    explanation: str


class IncidentOut(IncidentSummaryOut):
    summary: str | None
    perpetrator: str | None
    recorded_by: str
    recorded_at: dt.datetime
    updated_at: dt.datetime
    victims: list[Ref] | None = Field(description="Null when withheld from this reader.")
    victims_withheld: bool
    source_list: list[SourceOut]
    history: list[StatusChangeOut]
    corroboration: CorroborationOut

    @classmethod
    def of_view(cls, view: IncidentView) -> IncidentOut:
        i, a = view.incident, view.assessment
        standing = sum(1 for s in view.sources if s.item.withdrawn_at is None)
        summary = IncidentSummaryOut.of(IncidentRow(i, view.site, view.victims_linked,
                                                    standing))
        return cls(
            **summary.model_dump(), summary=i.summary, perpetrator=i.perpetrator,
            recorded_by=i.recorded_by, recorded_at=i.recorded_at, updated_at=i.updated_at,
            victims=None if view.victims is None else [
                Ref(id=v.id, name=v.display_name) for v in view.victims],
            victims_withheld=view.victims is None,
            source_list=[SourceOut(
                id=s.item.id, kind=s.item.kind,
                testimony=Ref(id=s.item.testimony_id, name=s.testimony_pseudonym or "")
                if s.item.testimony_id else None,
                source=Ref(id=s.item.source_id, name=s.source_title or "")
                if s.item.source_id else None,
                reference=s.item.reference, origin=s.item.origin,
                repeats_id=s.item.repeats_id, group=s.group, added_by=s.item.added_by,
                added_at=s.item.added_at, withdrawn_at=s.item.withdrawn_at,
                withdrawn_by=s.item.withdrawn_by, withdrawn_reason=s.item.withdrawn_reason)
                for s in view.sources],
            history=[StatusChangeOut(
                from_status=h.from_status, to_status=h.to_status, changed_by=h.changed_by,
                changed_at=h.changed_at, reason=h.reason, rule=h.rule,
                figures=h.figures or {}) for h in view.history],
            corroboration=CorroborationOut(rule=a.rule.text, met=a.met,
                                           figures=a.figures.as_dict(),
                                           explanation=a.rule.explain(a.figures)))


# --- routes ---------------------------------------------------------------------------

def _detail(db: DbDep, actor: Actor, incident_id: int) -> IncidentOut:
    with db.session() as session:
        return IncidentOut.of_view(incident_view(session, actor, incident_id))


@router.get("/incidents", response_model=Page[IncidentSummaryOut],
            summary="Allegations and incidents, latest first")
def get_incidents(
    db: DbDep,
    actor: Reader,
    type: IncidentType | None = None,
    status: IncidentStatus | None = None,
    site_id: int | None = None,
    date_from: Annotated[str | None, Query(description="Period start, yyyy[-mm[-dd]].")]
    = None,
    date_to: Annotated[str | None, Query(description="Period end, yyyy[-mm[-dd]].")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> Page[IncidentSummaryOut]:
    chosen = _filter(type, status, site_id, date_from, date_to)
    with db.session() as session:
        paged = list_incidents(session, actor, chosen, page=page, page_size=page_size)
        return page_of(paged, [IncidentSummaryOut.of(row) for row in paged.items])


@router.get("/incidents/counts", response_model=CountsOut,
            summary="Incidents and victims counted apart, by type and status")
def get_incident_counts(
    db: DbDep,
    actor: Reader,
    type: IncidentType | None = None,
    site_id: int | None = None,
    date_from: Annotated[str | None, Query(description="Period start, yyyy[-mm[-dd]].")]
    = None,
    date_to: Annotated[str | None, Query(description="Period end, yyyy[-mm[-dd]].")] = None,
) -> CountsOut:
    chosen = _filter(type, None, site_id, date_from, date_to)
    rule = grading.current_rule()
    with db.session() as session:
        return CountsOut.of(incident_counts(session, chosen), rule.text)


@router.get("/incidents/{incident_id}", response_model=IncidentOut,
            summary="One incident with its sources, victims and status history")
def get_incident(incident_id: int, db: DbDep, actor: Reader) -> IncidentOut:
    return _detail(db, actor, incident_id)


@router.post("/incidents", response_model=IncidentOut, status_code=201,
             summary="Record an allegation (status reported)")
def post_incident(body: IncidentIn, db: DbDep, actor: Writer) -> IncidentOut:
    with db.session() as session:
        incident = service.record_incident(
            session, actor, type=body.type, title=body.title, summary=body.summary,
            site=body.site, place=body.place,
            date_from=partial_date(body.date_from, "date_from"),
            date_to=partial_date(body.date_to, "date_to"), victim_count=body.victim_count,
            perpetrator=body.perpetrator, person_ids=body.person_ids)
        incident_id = incident.id
    return _detail(db, actor, incident_id)


@router.patch("/incidents/{incident_id}", response_model=IncidentOut,
              summary="Correct an incident's description (not its status)")
def patch_incident(incident_id: int, body: IncidentPatch, db: DbDep,
                   actor: Writer) -> IncidentOut:
    values: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in ("date_from", "date_to"):
            value = partial_date(value, name)
        if name in ("type", "title", "victim_count") and value is None:
            raise InvalidValue(f"{name}: cannot be cleared")
        values[name] = value
    with db.session() as session:
        service.update_incident(session, actor, incident_id, **values)
    return _detail(db, actor, incident_id)


@router.post("/incidents/{incident_id}/victims", response_model=IncidentOut,
             summary="Link registry persons as victims")
def post_victims(incident_id: int, body: VictimsIn, db: DbDep, actor: Writer) -> IncidentOut:
    with db.session() as session:
        service.link_victims(session, actor, incident_id, body.person_ids)
    return _detail(db, actor, incident_id)


@router.post("/incidents/{incident_id}/victims/{person_id}/unlink",
             response_model=IncidentOut, summary="Undo a wrong victim link, with a reason")
def post_unlink_victim(incident_id: int, person_id: int, body: ReasonIn, db: DbDep,
                       actor: Writer) -> IncidentOut:
    with db.session() as session:
        service.unlink_victim(session, actor, incident_id, person_id, reason=body.reason)
    return _detail(db, actor, incident_id)


@router.post("/incidents/{incident_id}/sources", response_model=IncidentOut,
             status_code=201, summary="Cite a source (testimony, document, media, other)")
def post_source(incident_id: int, body: SourceIn, db: DbDep, actor: Writer) -> IncidentOut:
    with db.session() as session:
        service.add_source(session, actor, incident_id, kind=body.kind,
                           testimony_id=body.testimony_id, source_id=body.source_id,
                           reference=body.reference, origin=body.origin, repeats=body.repeats)
    return _detail(db, actor, incident_id)


@router.post("/incidents/{incident_id}/sources/{source_id}/withdraw",
             response_model=IncidentOut, summary="Withdraw a source, with a reason")
def post_withdraw_source(incident_id: int, source_id: int, body: ReasonIn, db: DbDep,
                         actor: Writer) -> IncidentOut:
    with db.session() as session:
        grading.withdraw_source(session, actor, incident_id, source_id, reason=body.reason)
    return _detail(db, actor, incident_id)


@router.post("/incidents/{incident_id}/status", response_model=IncidentOut,
             summary="Move the status: credible (the corroboration rule), verified "
             "(incidents:verify and a reason), back or retracted (a reason)")
def post_status(incident_id: int, body: StatusIn, db: DbDep, actor: Writer) -> IncidentOut:
    with db.session() as session:
        grading.move_status(session, actor, incident_id, body.status, reason=body.reason)
    return _detail(db, actor, incident_id)
