"""A person's custody on their page (where they were held when, from events of any source
and from recorded periods) and the form that records a custody period."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rollcall.errors import InvalidValue, RollcallError
from rollcall.monitoring.custody import custody_of
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.custody import record_custody
from rollcall.services.registry import get_person
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_date, optional_int
from rollcall.web.render import render

router = APIRouter()

SiteWriter = Annotated[Actor, Depends(requires(Permission.SITES_WRITE))]
Field = Annotated[str, Form(max_length=500)]
FIELDS = ("site", "start", "end", "source_id", "notes")


def custody_section(session: Session, actor: Actor, person_id: int) -> dict[str, Any]:
    """What the person page shows of custody, and whether it offers the form."""
    return {"stays": custody_of(session, person_id).stays,
            "may_record": actor.can(Permission.SITES_WRITE)}


def _day(text: str, name: str, *, required: bool = False) -> dt.date | None:
    value = optional_date(text, name)
    if value is None:
        if required:
            raise InvalidValue(f"{name}: required")
        return None
    if value.day is None:
        raise InvalidValue(f"{name}: a custody period needs full days (dd.mm.yyyy)")
    return value.earliest()


def _form(request: Request, db: DbDep, person_id: int, values: dict[str, str], *,
          problem: str | None = None, status: int = 200) -> Response:
    with db.session() as session:
        person = get_person(session, person_id)
        return render(request, "custody_form.html", {
            "section": "persons", "person": person, "values": values, "problem": problem,
        }, status=status)


@router.get("/persons/{person_id}/custody/new")
def new_custody(request: Request, person_id: int, db: DbDep, actor: SiteWriter) -> Response:
    return _form(request, db, person_id, dict.fromkeys(FIELDS, ""))


@router.post("/persons/{person_id}/custody/new")
def create_custody(request: Request, person_id: int, db: DbDep, actor: SiteWriter,
                   site: Field, start: Field, end: Field = "", source_id: Field = "",
                   notes: Field = "") -> Response:
    values = {"site": site, "start": start, "end": end, "source_id": source_id,
              "notes": notes}
    try:
        site_ref: int | str = int(site) if site.strip().isdigit() else site.strip()
        with db.session() as session:
            record_custody(session, actor, person_id=person_id, site=site_ref,
                           start=_day(start, "from", required=True),
                           end=_day(end, "to"),
                           source_id=optional_int(source_id, "source_id"),
                           notes=notes or None)
    except RollcallError as exc:
        return _form(request, db, person_id, values, problem=exc.message, status=exc.status)
    return RedirectResponse(f"/persons/{person_id}#custody", status_code=303)
