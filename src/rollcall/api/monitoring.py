"""Monitoring: `GET /api/access-report` (the access-gap analysis) and `GET/POST
/api/visits`. Reading needs registry:read; recording a visit needs sites:write."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from rollcall.api.schemas import Page, SiteRef, page_of
from rollcall.monitoring.access_gap import DEFAULT_LIMIT, MAX_LIMIT, access_report
from rollcall.security.permissions import Permission
from rollcall.services import visits
from rollcall.services.actor import Actor
from rollcall.services.queries import MAX_PAGE_SIZE
from rollcall.vocabulary import Monitor, SiteType
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["monitoring"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
SiteWriter = Annotated[Actor, Depends(requires(Permission.SITES_WRITE))]


class _FromReport(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SiteGapOut(_FromReport):
    id: int
    name: str
    type: SiteType
    region: str | None
    country: str | None
    persons_held: int = Field(description="Held persons whose latest known site this is.")
    visits: int
    last_visit: dt.date | None


class PersonGapOut(_FromReport):
    id: int
    display_name: str
    site_id: int | None
    site_name: str | None


class SiteGapList(_FromReport):
    total: int
    items: list[SiteGapOut] = Field(description="The first entries by id, at most `limit`.")


class PersonGapList(_FromReport):
    total: int
    items: list[PersonGapOut] = Field(description="The first entries by id, at most `limit`.")


class AccessReportOut(_FromReport):
    """Definitions: rollcall.monitoring.access_gap (a site with full access had a visit
    with private interviews and no premises refused, or an access period `full`)."""

    as_of: dt.date
    sites_total: int
    sites_never_visited: SiteGapList
    sites_partial_only: SiteGapList
    sites_full_access: int
    persons_held: int
    persons_held_without_site: int
    persons_at_never_visited: PersonGapList
    persons_at_partial_only: PersonGapList
    persons_never_seen: PersonGapList
    not_computed: list[str] = Field(description="Figures the report cannot give yet, and why.")


class VisitIn(BaseModel):
    site: int | str = Field(description="The site's id or key.")
    monitor: Monitor
    date: dt.date = Field(description="The day of the visit.")
    person_ids: list[int] = Field(default_factory=list, max_length=10_000,
                                  description="Registry persons presented.")
    private_interviews: bool = False
    premises_refused: str | None = Field(default=None, max_length=5000)
    source_id: int | None = None
    notes: str | None = Field(default=None, max_length=20_000)


class VisitOut(BaseModel):
    id: int
    site: SiteRef
    monitor: Monitor
    date: dt.date
    private_interviews: bool
    premises_refused: str | None
    source_id: int | None
    notes: str | None
    person_ids: list[int]

    @classmethod
    def of(cls, view: visits.VisitView) -> VisitOut:
        v = view.visit
        return cls(id=v.id, site=SiteRef(id=view.site.id, name=view.site.display_name),
                   monitor=v.monitor, date=v.date, private_interviews=v.private_interviews,
                   premises_refused=v.premises_refused, source_id=v.source_id, notes=v.notes,
                   person_ids=view.person_ids)


@router.get("/access-report", response_model=AccessReportOut,
            summary="Places of detention no monitor has seen, and who was never seen")
def get_access_report(
    db: DbDep,
    actor: Reader,
    as_of: Annotated[dt.date | None, Query(description="Default today.")] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Entries per list.")]
    = DEFAULT_LIMIT,
) -> AccessReportOut:
    with db.session() as session:
        return AccessReportOut.model_validate(access_report(session, as_of, limit=limit))


@router.get("/visits", response_model=Page[VisitOut], summary="Monitoring visits, newest first")
def get_visits(
    db: DbDep,
    actor: Reader,
    site_id: int | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> Page[VisitOut]:
    with db.session() as session:
        paged = visits.list_visits(session, actor, site_id=site_id, page=page,
                                   page_size=page_size)
        return page_of(paged, [VisitOut.of(v) for v in paged.items])


@router.post("/visits", response_model=VisitOut, status_code=201,
             summary="Record a monitoring visit")
def post_visit(body: VisitIn, db: DbDep, actor: SiteWriter) -> VisitOut:
    with db.session() as session:
        visit = visits.record_visit(
            session, actor, site=body.site, monitor=body.monitor, date=body.date,
            person_ids=body.person_ids, private_interviews=body.private_interviews,
            premises_refused=body.premises_refused, source_id=body.source_id, notes=body.notes)
        return VisitOut.of(visits.visit_view(session, visit))
