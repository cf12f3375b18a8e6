"""Custody: `GET /api/persons/{id}/custody` (which site held the person when) and
`POST /api/custody` (a registrar records a period). Reading needs registry:read;
recording needs sites:write."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from rollcall.api.schemas import PartialDateText, SiteRef, iso
from rollcall.models import CustodyPeriod, Site
from rollcall.monitoring.custody import EVENTS, RECORDED, PersonCustody, custody_of
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.custody import MAX_NOTES_CHARS, record_custody
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["custody"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
SiteWriter = Annotated[Actor, Depends(requires(Permission.SITES_WRITE))]


class CustodyPeriodIn(BaseModel):
    person_id: int
    site: int | str = Field(description="The site's id or key.")
    start: dt.date = Field(description="The first day at the site.")
    end: dt.date | None = Field(default=None, description="The last day at the site (the "
                                "day of the transfer or release); none while it lasts.")
    source_id: int | None = None
    notes: str | None = Field(default=None, max_length=MAX_NOTES_CHARS)


class CustodyPeriodOut(BaseModel):
    id: int
    person_id: int = Field(description="As recorded (a merged person's survivor may differ).")
    site: SiteRef
    start: dt.date
    end: dt.date | None
    source_id: int | None
    notes: str | None

    @classmethod
    def of(cls, period: CustodyPeriod, site: Site) -> CustodyPeriodOut:
        return cls(id=period.id, person_id=period.person_id,
                   site=SiteRef(id=site.id, name=site.display_name), start=period.start,
                   end=period.end, source_id=period.source_id, notes=period.notes)


class StayOut(BaseModel):
    kind: str = Field(description=f"`{RECORDED}` (recorded periods, overlapping ones read "
                      f"as one) or `{EVENTS}` (derived from events).")
    site: SiteRef
    start: PartialDateText | None = Field(description="None: from before any dated event.")
    end: PartialDateText | None = Field(description="None: still lasting.")
    end_included: bool = Field(description="Whether the person was still there on the end "
                               "day (recorded periods; a stay ended by an undated release).")


class PersonCustodyOut(BaseModel):
    """Stays from events count only on days no recorded period covers
    (rollcall.monitoring.custody)."""

    person_id: int
    recorded: list[CustodyPeriodOut]
    stays: list[StayOut]

    @classmethod
    def of(cls, custody: PersonCustody, sites: dict[int, Site]) -> PersonCustodyOut:
        return cls(
            person_id=custody.person_id,
            recorded=[CustodyPeriodOut.of(p, sites[p.site_id]) for p in custody.recorded],
            stays=[StayOut(kind=s.kind, site=SiteRef(id=s.site_id, name=s.site_name),
                           start=iso(s.start), end=iso(s.end), end_included=s.end_included)
                   for s in custody.stays])


@router.get("/persons/{person_id}/custody", response_model=PersonCustodyOut,
            summary="Where the person was held when: recorded periods and stays from events")
def get_custody(person_id: int, db: DbDep, actor: Reader) -> PersonCustodyOut:
    with db.session() as session:
        custody = custody_of(session, person_id)
        sites = {s.id: s for s in (session.get(Site, p.site_id) for p in custody.recorded)
                 if s is not None}
        return PersonCustodyOut.of(custody, sites)


@router.post("/custody", response_model=CustodyPeriodOut, status_code=201,
             summary="Record a custody period (refused if it overlaps one at another site)")
def post_custody(body: CustodyPeriodIn, db: DbDep, actor: SiteWriter) -> CustodyPeriodOut:
    with db.session() as session:
        period = record_custody(session, actor, person_id=body.person_id, site=body.site,
                                start=body.start, end=body.end, source_id=body.source_id,
                                notes=body.notes)
        site = session.get(Site, period.site_id)
        assert site is not None
        return CustodyPeriodOut.of(period, site)
