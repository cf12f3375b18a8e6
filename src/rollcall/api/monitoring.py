"""Monitoring: `GET /api/access-report` (the access-gap analysis), `GET/POST
/api/visits`, and selective presentation (`GET /api/visits/{id}/presentation`,
`GET /api/selective-presentation`). Reading needs registry:read; recording a visit needs
sites:write."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from rollcall.api.monitoring_schemas import SelectiveReportOut, VisitPresentationDetailOut
from rollcall.api.schemas import Page, SiteRef, page_of
from rollcall.monitoring.access_gap import DEFAULT_LIMIT, MAX_LIMIT, access_report
from rollcall.monitoring.selective import VisitFilter, selective_presentation, visit_detail
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


class WitnessShareOut(_FromReport):
    """Released persons who gave testimony (with consent to statistics), by whether they
    say they ever saw an independent monitor. A person with several testimonies counts
    once: "never" only if none says they saw one and at least one says they did not."""

    witnesses: int = Field(description="Released persons with a testimony consenting to "
                                       "statistics.")
    answered: int = Field(description="Of those, persons whose testimonies answer the "
                                      "question (the denominator).")
    never_saw: int = Field(description="Persons who say they never saw a monitor (the "
                                       "numerator).")
    unanswered: int
    share: float | None = Field(description="never_saw / answered; null when nobody answered.")
    low: float | None = Field(description="Wilson 95% interval, lower bound.")
    high: float | None = Field(description="Wilson 95% interval, upper bound.")
    without_consent: int = Field(description="Released witnesses not counted: no testimony "
                                             "consents to statistics.")
    not_released: int = Field(description="Witnesses not counted: the registry does not "
                                          "place them as released now.")
    unlinked_testimonies: int = Field(description="Testimonies not counted: no registry "
                                                  "person.")


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
    testimony_share: WitnessShareOut
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


@router.get("/visits/{visit_id}/presentation", response_model=VisitPresentationDetailOut,
            summary="Were the persons presented in this visit those the registry places there?")
def get_visit_presentation(
    visit_id: int,
    db: DbDep,
    actor: Reader,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Persons per list.")] = 200,
) -> VisitPresentationDetailOut:
    """The visit tested alone (q = p). Definitions: rollcall.monitoring.selective."""
    with db.session() as session:
        return VisitPresentationDetailOut.of_detail(visit_detail(session, visit_id,
                                                                 limit=limit))


@router.get("/selective-presentation", response_model=SelectiveReportOut,
            summary="Visits where the persons presented look selected (one-sided Fisher, BH)")
def get_selective_presentation(
    db: DbDep,
    actor: Reader,
    site_id: int | None = None,
    monitor: Monitor | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    flagged: Annotated[bool, Query(description="List only flagged visits (all visits of "
                                   "the filter are still tested together).")] = False,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Visits listed.")]
    = DEFAULT_LIMIT,
) -> SelectiveReportOut:
    where = VisitFilter(site_id=site_id, monitor=monitor, date_from=date_from, date_to=date_to)
    with db.session() as session:
        report = selective_presentation(session, where, flagged_only=flagged)
    return SelectiveReportOut.of(report, limit)
