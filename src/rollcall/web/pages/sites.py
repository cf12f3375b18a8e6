"""Places of detention: list and detail with monitor access and the persons placed there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rollcall.security.permissions import Permission
from rollcall.services import queries
from rollcall.services.actor import Actor
from rollcall.vocabulary import SiteType
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_enum
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
PageNo = Annotated[int, Query(ge=1)]
Text = Annotated[str, Query(max_length=200)]


@router.get("/sites")
def sites_page(request: Request, db: DbDep, actor: Reader, q: Text = "", type: Text = "",
               country: Text = "", page: PageNo = 1) -> Response:
    with db.session() as session:
        paged = queries.list_sites(
            session, actor, q=q or None, type=optional_enum(SiteType, type, "type"),
            country=country or None, page=page,
            page_size=request.app.state.settings.page_size_default,
        )
        return render(request, "sites.html", {
            "section": "sites", "paged": paged, "SiteType": SiteType,
            "filters": {"q": q, "type": type, "country": country},
        })


@router.get("/sites/{site_id}")
def site_page(request: Request, site_id: int, db: DbDep, actor: Reader,
              page: PageNo = 1) -> Response:
    with db.session() as session:
        detail = queries.get_site(session, actor, site_id)
        persons = queries.site_persons(session, actor, site_id, page=page,
                                       page_size=request.app.state.settings.page_size_default)
        return render(request, "site.html", {
            "section": "sites", "site": detail.site, "access_periods": detail.access_periods,
            "event_count": detail.event_count, "persons": persons,
        })
