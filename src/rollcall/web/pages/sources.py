"""Sources and their import reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rollcall.security.permissions import Permission
from rollcall.services import queries
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, requires
from rollcall.web.labels import ISSUE_LEVELS
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
PageNo = Annotated[int, Query(ge=1)]
#: Pages count a list's rows, persons and events up to this, then say "more than".
COUNT_LIMIT = 10_000


@router.get("/sources")
def sources_page(request: Request, db: DbDep, actor: Reader, page: PageNo = 1) -> Response:
    with db.session() as session:
        paged = queries.list_sources(session, actor, page=page,
                                     page_size=request.app.state.settings.page_size_default)
        return render(request, "sources.html", {"section": "sources", "paged": paged})


@router.get("/sources/{source_id}")
def source_page(request: Request, source_id: int, db: DbDep, actor: Reader,
                page: PageNo = 1, again: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    with db.session() as session:
        detail = queries.get_source(session, actor, source_id, count_limit=COUNT_LIMIT)
        issues = queries.source_issues(session, actor, source_id, page=page,
                                       page_size=request.app.state.settings.page_size_default)
        return render(request, "source.html", {
            "section": "sources", "source": detail.source, "counts": detail.counts,
            "issues": issues, "issue_levels": ISSUE_LEVELS, "again": bool(again),
        })
