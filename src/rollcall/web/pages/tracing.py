"""Staff pages for tracing: the search box, family tracing requests (liaison staff), and the
reconciliation of a received list against the registry."""

from __future__ import annotations

from io import BytesIO
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from rollcall.export import write_table
from rollcall.models import RequestStatus
from rollcall.security.permissions import Permission
from rollcall.services import reconcile as reconciliation
from rollcall.services import tracing as requests_service
from rollcall.services.actor import Actor
from rollcall.tracing import Reason, trace
from rollcall.tracing.query import MAX_QUERY_CHARS
from rollcall.tracing.search import MAX_LIMIT
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import N_
from rollcall.web.pages.family import FIELDS as REQUEST_FIELDS
from rollcall.web.params import optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()

Tracer = Annotated[Actor, Depends(requires(Permission.TRACE))]
Liaison = Annotated[Actor, Depends(requires(Permission.TRACING_REQUESTS))]
Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Exporter = Annotated[Actor, Depends(requires(Permission.EXPORT))]
PageNo = Annotated[int, Query(ge=1)]
#: Rows of each group the reconciliation page lists; the CSV has them all.
RECONCILE_SHOWN = 200

REASONS = {
    Reason.SURNAME: N_("surname"), Reason.SURNAME_NEAR: N_("surname, spelt slightly differently"),
    Reason.GIVEN_NAME: N_("given name"),
    Reason.GIVEN_NAME_NEAR: N_("given name, spelt slightly differently"),
    Reason.PATRONYMIC: N_("patronymic"),
    Reason.PATRONYMIC_NEAR: N_("patronymic, spelt slightly differently"),
    Reason.NAME_ORDER: N_("name written given name first"),
    Reason.BIRTH_DATE: N_("same date of birth"),
    Reason.BIRTH_DATE_SWAPPED: N_("date of birth with day and month swapped"),
    Reason.BIRTH_MONTH: N_("same year and month of birth"),
    Reason.BIRTH_YEAR: N_("same year of birth"),
    Reason.BIRTH_CENTURY: N_("year of birth a century apart"),
    Reason.BIRTH_YEAR_NEAR: N_("year of birth one apart"),
    Reason.BIRTH_DATE_CONFLICT: N_("different date of birth"),
    Reason.UNIT: N_("unit"),
}
REQUEST_STATUSES = {
    RequestStatus.OPEN: N_("open"), RequestStatus.ANSWERED: N_("answered"),
    RequestStatus.CLOSED: N_("closed"),
}


@router.get("/tracing")
def tracing_page(
    request: Request,
    db: DbDep,
    actor: Tracer,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> Response:
    with db.session() as session:
        result = trace(session, actor, q, limit=limit) if q.strip() else None
        return render(request, "tracing.html", {
            "section": "tracing", "q": q, "result": result, "reasons": REASONS,
        })


@router.get("/tracing/requests")
def requests_page(request: Request, db: DbDep, actor: Liaison,
                  status: Annotated[str, Query(max_length=20)] = "",
                  page: PageNo = 1) -> Response:
    chosen = optional_enum(RequestStatus, status, "status")
    with db.session() as session:
        paged = requests_service.list_requests(
            session, actor, status=chosen, page=page,
            page_size=request.app.state.settings.page_size_default)
        return render(request, "tracing_requests.html", {
            "section": "tracing", "paged": paged, "status": status,
            "statuses": REQUEST_STATUSES,
        })


def _request_page(request: Request, db: DbDep, actor: Actor, request_id: int, *,
                  problem: str | None = None, status: int = 200) -> Response:
    with db.session() as session:
        item = requests_service.get_request(session, actor, request_id)
        contact = requests_service.request_contact(session, actor, request_id)
        result = (requests_service.request_candidates(session, actor, request_id)
                  if actor.can(Permission.TRACE) else None)
        return render(request, "tracing_request.html", {
            "section": "tracing", "item": item, "contact": contact, "result": result,
            "reasons": REASONS, "statuses": REQUEST_STATUSES, "fields": REQUEST_FIELDS,
            "problem": problem,
        }, status=status)


@router.get("/tracing/requests/{request_id}")
def request_page(request: Request, request_id: int, db: DbDep, actor: Liaison) -> Response:
    return _request_page(request, db, actor, request_id)


@router.post("/tracing/requests/{request_id}")
def answer_request(
    request: Request,
    request_id: int,
    db: DbDep,
    actor: Liaison,
    status: Annotated[str, Form(max_length=20)],
    answer: Annotated[str, Form(max_length=8000)] = "",
    matched_person_id: Annotated[str, Form(max_length=20)] = "",
    other_person_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    matched = (optional_int(other_person_id, "other_person_id")
               or optional_int(matched_person_id, "matched_person_id"))
    with db.session() as session:
        requests_service.answer_request(session, actor, request_id, status=status,
                                        answer=answer, matched_person_id=matched)
    return RedirectResponse(f"/tracing/requests/{request_id}", status_code=303)


@router.get("/sources/{source_id}/reconcile")
def reconcile_page(request: Request, source_id: int, db: DbDep, actor: Reader) -> Response:
    with db.session() as session:
        result = reconciliation.reconcile(session, actor, source_id)
        return render(request, "reconcile.html", {
            "section": "sources", "result": result, "shown": RECONCILE_SHOWN,
            "can_export": actor.can(Permission.EXPORT),
        })


@router.get("/sources/{source_id}/reconcile.csv")
def reconcile_csv(source_id: int, db: DbDep, actor: Exporter) -> Response:
    buffer = BytesIO()
    with db.session() as session:
        result = reconciliation.reconcile(session, actor, source_id)
        write_table(reconciliation.report_rows(result), reconciliation.COLUMNS, "csv", buffer)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="reconcile-{source_id}.csv"'})
