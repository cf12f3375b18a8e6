"""The reports page (`/reports`): a GET form (period, language) that downloads the
periodic report (rollcall.reports) as one self-contained HTML file, the same file
`rollcall report` writes. Needs stats:read, as the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from rollcall.errors import InvalidValue
from rollcall.reports import (
    LANGUAGES,
    content_security_policy,
    file_name,
    parse_period,
    periodic_report,
)
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import choose_language
from rollcall.web.render import render

router = APIRouter()

StatsReader = Annotated[Actor, Depends(requires(Permission.STATS_READ))]
Text = Annotated[str, Query(max_length=40)]


@router.get("/reports")
def reports_page(request: Request, actor: StatsReader) -> Response:
    return render(request, "reports.html", {"section": "reports",
                                            "default_language": choose_language(request)})


@router.get("/reports/periodic.html")
def periodic_report_download(request: Request, db: DbDep, actor: StatsReader,
                             date_from: Text = "", date_to: Text = "",
                             language: Text = "") -> Response:
    """The report as a download (Content-Disposition: attachment)."""
    period = parse_period(date_from, date_to, from_name="date_from", to_name="date_to")
    chosen = language.strip() or choose_language(request)
    if chosen not in LANGUAGES:
        raise InvalidValue(f"language: unknown code; expected one of {', '.join(LANGUAGES)}")
    with db.session() as session:
        html = periodic_report(session, period, language=chosen)
    return HTMLResponse(html, headers={
        "Content-Disposition": f'attachment; filename="{file_name(period, chosen)}"',
        "Content-Security-Policy": content_security_policy()})


__all__ = ["router"]
