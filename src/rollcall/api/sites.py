"""Places of detention and monitor access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from rollcall.api.schemas import Page, SiteDetailOut, SiteOut, page_of
from rollcall.security.permissions import Permission
from rollcall.services import queries
from rollcall.services.actor import Actor
from rollcall.vocabulary import SiteType
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["sites"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]


@router.get("/sites", response_model=Page[SiteOut], summary="List sites")
def list_sites(
    db: DbDep,
    actor: Reader,
    q: Annotated[str | None, Query(max_length=200, description="Any name or alias")] = None,
    type: SiteType | None = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50,
) -> Page[SiteOut]:
    with db.session() as session:
        paged = queries.list_sites(session, actor, q=q, type=type, country=country, page=page,
                                   page_size=page_size)
        return page_of(paged, [SiteOut.of(s) for s in paged.items])


@router.get("/sites/{site_id}", response_model=SiteDetailOut,
            summary="A site with its access periods and how many persons were there")
def get_site(site_id: int, db: DbDep, actor: Reader) -> SiteDetailOut:
    with db.session() as session:
        return SiteDetailOut.of_detail(queries.get_site(session, actor, site_id))
