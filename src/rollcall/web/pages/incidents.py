"""Pages for allegations and incidents: the list with the headline counts ("32 victims in
12 incidents, 3 incidents verified") and filters, one incident with its victims, sources,
status history and the forms that grade it, and the form that records or corrects one.

Plain forms, no JavaScript. A refused form comes back with what was typed and the
service's message (it names the field and what is missing, never personal data).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from rollcall.db import Database
from rollcall.errors import Conflict, InputError, NotFound
from rollcall.models import Site
from rollcall.monitoring.corroboration import NAMES
from rollcall.monitoring.incident_counts import IncidentFilter, incident_counts
from rollcall.security.permissions import Permission
from rollcall.services import incident_status as grading
from rollcall.services import incidents as service
from rollcall.services.actor import Actor
from rollcall.services.incident_views import incident_view, list_incidents
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import N_
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.INCIDENTS_WRITE))]
Text = Annotated[str, Query(max_length=40)]
MAX_FIELD = 20_000
FIELDS = ("type", "title", "summary", "site", "place", "date_from", "date_to",
          "victim_count", "perpetrator", "person_ids")
#: The rule's figures as the page names them.
FIGURES = {
    "sources": N_("sources"), "independent_sources": N_("independent sources"),
    "testimonies": N_("testimonies"), "documents": N_("documents"), "media": N_("media"),
    "other": N_("other sources"),
}
assert set(FIGURES) == set(NAMES)
Refusal = (InputError, Conflict, NotFound)


def _typed(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for name in names:
        value = form.get(name)
        text = value if isinstance(value, str) else ""
        if len(text) > MAX_FIELD:
            raise InputError(f"{name}: longer than {MAX_FIELD} characters")
        values[name] = text
    return values


def _ids(text: str, name: str) -> list[int]:
    """Person numbers typed as '17, 18 19'."""
    ids = []
    for part in text.replace(",", " ").split():
        number = optional_int(part, name)
        if number is not None:
            ids.append(number)
    return ids


def site_choices(db: Database) -> list[tuple[int, str | None, str]]:
    """(id, key, name) of the first 500 sites, for a select box."""
    with db.session() as session:
        return [(s.id, s.key, s.display_name)
                for s in session.scalars(select(Site).order_by(Site.id).limit(500))]


# ---- the list --------------------------------------------------------------------------

@router.get("/incidents")
def list_page(
    request: Request,
    db: DbDep,
    actor: Reader,
    type: Text = "",
    status: Text = "",
    site_id: Text = "",
    date_from: Text = "",
    date_to: Text = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    start, end = optional_date(date_from, "date_from"), optional_date(date_to, "date_to")
    chosen = IncidentFilter(
        type=optional_enum(IncidentType, type, "type"),
        status=optional_enum(IncidentStatus, status, "status"),
        site_id=optional_int(site_id, "site_id"),
        period_from=start.earliest() if start else None,
        period_to=end.latest() if end else None)
    counted = IncidentFilter(type=chosen.type, site_id=chosen.site_id,
                             period_from=chosen.period_from, period_to=chosen.period_to)
    with db.session() as session:
        paged = list_incidents(session, actor, chosen, page=page,
                               page_size=request.app.state.settings.page_size_default)
        counts = incident_counts(session, counted)
        return render(request, "incidents.html", {
            "section": "incidents", "paged": paged, "counts": counts,
            "statuses": list(IncidentStatus), "IncidentType": IncidentType,
            "IncidentStatus": IncidentStatus, "sites": site_choices(db),
            "filters": {"type": type, "status": status, "site_id": site_id,
                        "date_from": date_from, "date_to": date_to},
            "rule": grading.current_rule(),
        })


# ---- recording and correcting ----------------------------------------------------------

def _form(request: Request, db: Database, values: dict[str, str], *, incident_id: int | None,
          problem: str | None = None, status: int = 200) -> Response:
    return render(request, "incident_form.html", {
        "section": "incidents", "values": values, "incident_id": incident_id,
        "problem": problem, "IncidentType": IncidentType, "sites": site_choices(db),
    }, status=status)


def _fields(values: dict[str, str]) -> dict[str, Any]:
    count = optional_int(values["victim_count"], "victim_count")
    return {
        "type": values["type"], "title": values["title"], "summary": values["summary"],
        "site": optional_int(values["site"], "site") if values["site"].strip().isdigit()
        else (values["site"].strip() or None),
        "place": values["place"],
        "date_from": optional_date(values["date_from"], "date_from"),
        "date_to": optional_date(values["date_to"], "date_to"),
        "victim_count": count if count is not None else 0,
        "perpetrator": values["perpetrator"],
    }


@router.get("/incidents/new")
def new_form(request: Request, db: DbDep, actor: Writer) -> Response:
    return _form(request, db, dict.fromkeys(FIELDS, ""), incident_id=None)


@router.post("/incidents/new")
async def submit_new(request: Request, db: DbDep, actor: Writer) -> Response:
    values = _typed(await request.form(), FIELDS)
    try:
        fields = _fields(values)
        persons = _ids(values["person_ids"], "person_ids")
        with db.session() as session:
            incident_id = service.record_incident(session, actor, **fields,
                                                  person_ids=persons).id
    except Refusal as exc:
        return _form(request, db, values, incident_id=None, problem=exc.message,
                     status=exc.status)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.get("/incidents/{incident_id}/edit")
def edit_form(request: Request, incident_id: int, db: DbDep, actor: Writer) -> Response:
    with db.session() as session:
        i = service.find_incident(session, incident_id)
        site = session.get(Site, i.site_id) if i.site_id else None
        values = {
            "type": i.type.value, "title": i.title, "summary": i.summary or "",
            "site": (site.key or str(site.id)) if site else "", "place": i.place or "",
            "date_from": str(i.date_from or ""), "date_to": str(i.date_to or ""),
            "victim_count": str(i.victim_count), "perpetrator": i.perpetrator or "",
            "person_ids": "",
        }
    return _form(request, db, values, incident_id=incident_id)


@router.post("/incidents/{incident_id}/edit")
async def submit_edit(request: Request, incident_id: int, db: DbDep, actor: Writer
                      ) -> Response:
    values = _typed(await request.form(), FIELDS)
    with db.session() as session:
        service.find_incident(session, incident_id)  # an unknown incident is a plain 404
    try:
        fields = _fields(values)
        with db.session() as session:
            service.update_incident(session, actor, incident_id, **fields)
    except Refusal as exc:
        return _form(request, db, values, incident_id=incident_id, problem=exc.message,
                     status=exc.status)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


# ---- one incident ----------------------------------------------------------------------

def _detail(request: Request, db: Database, actor: Actor, incident_id: int, *,
            problem: str | None = None, typed: dict[str, str] | None = None,
            status: int = 200) -> Response:
    with db.session() as session:
        view = incident_view(session, actor, incident_id)
        return render(request, "incident.html", {
            "section": "incidents", "view": view, "incident": view.incident,
            "assessment": view.assessment, "figures": FIGURES, "problem": problem,
            "typed": typed or {}, "IncidentStatus": IncidentStatus,
            "IncidentSourceKind": IncidentSourceKind,
            "may_write": actor.can(Permission.INCIDENTS_WRITE),
            "may_verify": actor.can(Permission.INCIDENTS_VERIFY),
        }, status=status)


@router.get("/incidents/{incident_id}")
def detail_page(request: Request, incident_id: int, db: DbDep, actor: Reader) -> Response:
    return _detail(request, db, actor, incident_id)


async def _act(request: Request, db: Database, actor: Actor, incident_id: int,
               names: tuple[str, ...], write: Any) -> Response:
    """Run one write from a form on the detail page; a refusal shows the page again with
    the message and what was typed. An unknown incident is a plain 404."""
    typed = _typed(await request.form(), names)
    with db.session() as session:
        service.find_incident(session, incident_id)
    try:
        with db.session() as session:
            write(session, typed)
    except Refusal as exc:
        return _detail(request, db, actor, incident_id, problem=exc.message, typed=typed,
                       status=exc.status)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


@router.post("/incidents/{incident_id}/status")
async def move_status(request: Request, incident_id: int, db: DbDep, actor: Writer
                      ) -> Response:
    def write(session: Any, typed: dict[str, str]) -> None:
        grading.move_status(session, actor, incident_id, typed["status"],
                            reason=typed["reason"])

    return await _act(request, db, actor, incident_id, ("status", "reason"), write)


@router.post("/incidents/{incident_id}/sources")
async def add_source(request: Request, incident_id: int, db: DbDep, actor: Writer
                     ) -> Response:
    def write(session: Any, typed: dict[str, str]) -> None:
        service.add_source(
            session, actor, incident_id, kind=typed["kind"],
            testimony_id=optional_int(typed["testimony_id"], "testimony_id"),
            source_id=optional_int(typed["source_id"], "source_id"),
            reference=typed["reference"], origin=typed["origin"],
            repeats=optional_int(typed["repeats"], "repeats"))

    return await _act(request, db, actor, incident_id,
                      ("kind", "testimony_id", "source_id", "reference", "origin", "repeats"),
                      write)


@router.post("/incidents/{incident_id}/sources/{source_id}/withdraw")
async def withdraw_source(request: Request, incident_id: int, source_id: int, db: DbDep,
                          actor: Writer) -> Response:
    def write(session: Any, typed: dict[str, str]) -> None:
        grading.withdraw_source(session, actor, incident_id, source_id,
                                reason=typed["withdraw_reason"])

    return await _act(request, db, actor, incident_id, ("withdraw_reason",), write)


@router.post("/incidents/{incident_id}/victims")
async def link_victims(request: Request, incident_id: int, db: DbDep, actor: Writer
                       ) -> Response:
    def write(session: Any, typed: dict[str, str]) -> None:
        service.link_victims(session, actor, incident_id,
                             _ids(typed["person_ids"], "person_ids"))

    return await _act(request, db, actor, incident_id, ("person_ids",), write)
