"""Monitoring pages: the visits (with the selective-presentation flag), one visit with its
2x2 table and verdict in plain words, and the flagged visits. The access-gap report has
its own page (`web/pages/access.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from rollcall.models import Site
from rollcall.monitoring.selective import (
    MIN_ROSTER,
    SELECTIVE,
    SelectiveReport,
    VisitFilter,
    VisitPresentation,
    selective_presentation,
    visit_detail,
)
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.queries import Paged
from rollcall.vocabulary import Monitor
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Text = Annotated[str, Query(max_length=200)]
PageNo = Annotated[int, Query(ge=1)]
PERSONS_SHOWN = 500


def _filter(site: str, monitor: str, date_from: str, date_to: str) -> VisitFilter:
    first, last = optional_date(date_from, "from"), optional_date(date_to, "to")
    return VisitFilter(site_id=optional_int(site, "site"),
                       monitor=optional_enum(Monitor, monitor, "monitor"),
                       date_from=first.earliest() if first else None,
                       date_to=last.latest() if last else None)


def _page_of(report: SelectiveReport, page: int, size: int) -> Paged[VisitPresentation]:
    start = (page - 1) * size
    return Paged(items=report.items[start:start + size], total=len(report.items), page=page,
                 page_size=size)


def _visits_page(request: Request, db: DbDep, *, template: str, flagged_only: bool,
                 site: str, monitor: str, date_from: str, date_to: str, page: int) -> Response:
    where = _filter(site, monitor, date_from, date_to)
    with db.session() as session:
        report = selective_presentation(session, where, flagged_only=flagged_only)
        sites = session.scalars(select(Site).order_by(Site.id)).all()
        return render(request, template, {
            "section": "access", "report": report, "SELECTIVE": SELECTIVE,
            "paged": _page_of(report, page, request.app.state.settings.page_size_default),
            "sites": sites, "Monitor": Monitor, "min_roster": MIN_ROSTER,
            "filters": {"site": site, "monitor": monitor, "from": date_from, "to": date_to},
        })


@router.get("/visits")
def visits_page(request: Request, db: DbDep, actor: Reader, site: Text = "",
                monitor: Text = "", date_from: Annotated[str, Query(alias="from",
                                                                     max_length=20)] = "",
                date_to: Annotated[str, Query(alias="to", max_length=20)] = "",
                page: PageNo = 1) -> Response:
    return _visits_page(request, db, template="visits.html", flagged_only=False, site=site,
                        monitor=monitor, date_from=date_from, date_to=date_to, page=page)


@router.get("/selective-presentation")
def selective_page(request: Request, db: DbDep, actor: Reader, site: Text = "",
                   monitor: Text = "", date_from: Annotated[str, Query(alias="from",
                                                                        max_length=20)] = "",
                   date_to: Annotated[str, Query(alias="to", max_length=20)] = "",
                   page: PageNo = 1) -> Response:
    return _visits_page(request, db, template="selective.html", flagged_only=True, site=site,
                        monitor=monitor, date_from=date_from, date_to=date_to, page=page)


@router.get("/visits/{visit_id}")
def visit_page(request: Request, visit_id: int, db: DbDep, actor: Reader) -> Response:
    with db.session() as session:
        detail = visit_detail(session, visit_id, limit=PERSONS_SHOWN)
        return render(request, "visit.html", {
            "section": "access", "detail": detail, "item": detail.presentation,
            "alpha": detail.alpha, "min_roster": MIN_ROSTER, "SELECTIVE": SELECTIVE,
        })
