"""The access-gap report as a page: which places of detention no independent monitor has
seen, or seen only in part, who is held there, who was never seen, and what released
persons say (rollcall.monitoring.access_gap has the definitions). Read-only, a GET form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rollcall.errors import InvalidValue
from rollcall.monitoring.access_gap import DEFAULT_LIMIT, MAX_LIMIT, WitnessShare, access_report
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_date
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]


def _as_of(text: str) -> dt.date | None:
    """A full day (the date picker's yyyy-mm-dd, or dd.mm.yyyy typed by hand)."""
    day = optional_date(text, "as_of")
    if day is None:
        return None
    if day.month is None or day.day is None:
        raise InvalidValue("as_of: give a full date, yyyy-mm-dd or dd.mm.yyyy")
    return dt.date(day.year, day.month, day.day)


def percentages(share: WitnessShare) -> dict[str, str] | None:
    """The share and its interval as whole percentages for the sentence, None when nobody
    answered."""
    if share.share is None or share.low is None or share.high is None:
        return None
    return {"share": f"{100 * share.share:.0f}", "low": f"{100 * share.low:.0f}",
            "high": f"{100 * share.high:.0f}"}


@router.get("/access-report")
def access_report_page(
    request: Request,
    db: DbDep,
    actor: Reader,
    as_of: Annotated[str, Query(max_length=20)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    day = _as_of(as_of)
    with db.session() as session:
        report = access_report(session, day, limit=limit)
    return render(request, "access_report.html", {
        "section": "access", "report": report, "as_of": report.as_of.isoformat(),
        "limit": limit, "percent": percentages(report.testimony_share),
    })
