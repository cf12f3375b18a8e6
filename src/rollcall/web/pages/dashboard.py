"""The dashboard (issue 6 part 4): the key figures and charts of the whole registry, under
filters by period, site, category, source and origin, in a GET form that works without
JavaScript; optionally as prepared for publication (small cells withheld). Every figure
is counted from the registry when the page is asked for (rollcall.stats.indicators), so
it is as fresh as the registry; the page says when it was computed and how long it took.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rollcall.config import get_settings
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.stats.indicators import DEFINITIONS, FILTER_NAMES, Filters, compute_indicators
from rollcall.vocabulary import Category, Origin
from rollcall.web.access import DbDep, requires
from rollcall.web.dashboard_view import FILTER_LABELS, dashboard
from rollcall.web.i18n import choose_language, translator
from rollcall.web.pages.incidents import site_choices
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()

StatsReader = Annotated[Actor, Depends(requires(Permission.STATS_READ))]
Text = Annotated[str, Query(max_length=40)]


def page_filters(date_from: str, date_to: str, site_id: str, category: str, source_id: str,
                 origin: str) -> Filters:
    """The form's fields as filters: a partial date stands for its first day at the start
    of the period and its last day at the end ("2023" to "2023" is the whole year)."""
    start, end = optional_date(date_from, "date_from"), optional_date(date_to, "date_to")
    return Filters(period_from=start.earliest() if start else None,
                   period_to=end.latest() if end else None,
                   site_id=optional_int(site_id, "site_id"),
                   category=optional_enum(Category, category, "category"),
                   source_id=optional_int(source_id, "source_id"),
                   origin=optional_enum(Origin, origin, "origin"))


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    db: DbDep,
    actor: StatsReader,
    date_from: Text = "",
    date_to: Text = "",
    site_id: Text = "",
    category: Text = "",
    source_id: Text = "",
    origin: Text = "",
    publication: Text = "",
) -> Response:
    filters = page_filters(date_from, date_to, site_id, category, source_id, origin)
    started = time.perf_counter()
    with db.session() as session:
        found = compute_indicators(session, filters, publication=bool(publication))
    took = time.perf_counter() - started
    t = translator(choose_language(request))
    return render(request, "dashboard.html", {
        "section": "dashboard", "view": dashboard(found, t), "found": found,
        "definitions": DEFINITIONS, "filter_names": FILTER_NAMES,
        "filter_labels": FILTER_LABELS, "sites": site_choices(db),
        "Category": Category, "Origin": Origin, "seconds": f"{took:.1f}",
        "threshold": found.threshold or get_settings().small_cell_threshold,
        "filters": {"date_from": date_from, "date_to": date_to, "site_id": site_id,
                    "category": category, "source_id": source_id, "origin": origin,
                    "publication": bool(publication)},
    })
