"""Exchanges and repatriation: the list with the counts, one exchange with the persons
handed over each way and the bodies' identification, and the forms that record an
exchange, attach persons, import a list and move an identification forward. Registrars
write (registry:write); everyone who reads the registry reads. The prosecution and
family-contact pages come from `web.pages.prosecutions`."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rollcall.api.exchanges import save_upload
from rollcall.dates import Precision
from rollcall.errors import InvalidValue, RollcallError
from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.security.permissions import Permission
from rollcall.services import exchanges
from rollcall.services.actor import Actor
from rollcall.services.exchange_lists import import_exchange_list
from rollcall.vocabulary import (
    ExchangeDirection,
    ExchangeKind,
    IdentificationStatus,
    Mediator,
    Origin,
)
from rollcall.web.access import DbDep, requires
from rollcall.web.pages import prosecutions
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()
router.include_router(prosecutions.router)

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.REGISTRY_WRITE))]
Field = Annotated[str, Form(max_length=500)]
LongField = Annotated[str, Form(max_length=20_000)]

EXCHANGE_FIELDS = ("date", "mediator", "mediator_code", "place", "unnamed_bodies_to_own_side",
                   "unnamed_bodies_to_adversary", "source_id", "notes")
_NUMBERS = re.compile(r"\d+")


def vocabularies() -> dict[str, Any]:
    return {"Mediator": Mediator, "ExchangeDirection": ExchangeDirection,
            "ExchangeKind": ExchangeKind, "IdentificationStatus": IdentificationStatus,
            "Origin": Origin}


def _count(value: str, name: str) -> int:
    return optional_int(value, name) or 0


def _day(value: str, name: str) -> Any:
    day = optional_date(value, name)
    if day is None or day.precision is not Precision.DAY:
        raise InvalidValue(f"{name}: give the day, e.g. 03.01.2024")
    return day.earliest()


@router.get("/exchanges")
def exchanges_page(request: Request, db: DbDep, actor: Reader,
                   page: Annotated[int, Query(ge=1)] = 1) -> Response:
    return _list_page(request, db, actor, page=page)


def _list_page(request: Request, db: DbDep, actor: Actor, *, page: int = 1,
               values: dict[str, str] | None = None, problem: str | None = None,
               status: int = 200) -> Response:
    with db.session() as session:
        paged = exchanges.list_exchanges(session, actor, page=page,
                                         page_size=request.app.state.settings.page_size_default)
        return render(request, "exchanges.html", {
            "section": "exchanges", "paged": paged, "counts": exchange_counts(session),
            "may_write": actor.can(Permission.REGISTRY_WRITE),
            "values": values or dict.fromkeys(EXCHANGE_FIELDS, ""), "problem": problem,
            **vocabularies(),
        }, status=status)


@router.post("/exchanges")
def create_exchange(
    request: Request, db: DbDep, actor: Writer, date: Field, mediator: Field = "",
    mediator_code: Field = "", place: Field = "", unnamed_bodies_to_own_side: Field = "",
    unnamed_bodies_to_adversary: Field = "", source_id: Field = "", notes: LongField = "",
) -> Response:
    values = {"date": date, "mediator": mediator, "mediator_code": mediator_code,
              "place": place, "unnamed_bodies_to_own_side": unnamed_bodies_to_own_side,
              "unnamed_bodies_to_adversary": unnamed_bodies_to_adversary,
              "source_id": source_id, "notes": notes}
    try:
        with db.session() as session:
            exchange = exchanges.record_exchange(
                session, actor, date=_day(date, "date"), mediator=mediator,
                mediator_code=optional_enum(Mediator, mediator_code, "mediator_code"),
                place=place,
                unnamed_bodies_to_own_side=_count(unnamed_bodies_to_own_side,
                                                  "unnamed_bodies_to_own_side"),
                unnamed_bodies_to_adversary=_count(unnamed_bodies_to_adversary,
                                                   "unnamed_bodies_to_adversary"),
                source_id=optional_int(source_id, "source_id"), notes=notes)
            exchange_id = exchange.id
    except RollcallError as exc:
        return _list_page(request, db, actor, values=values, problem=exc.message,
                          status=exc.status)
    return RedirectResponse(f"/exchanges/{exchange_id}", status_code=303)


def _exchange_page(request: Request, db: DbDep, actor: Actor, exchange_id: int, *,
                   report: Any = None, problem: str | None = None,
                   status: int = 200) -> Response:
    with db.session() as session:
        view = exchanges.exchange_view(session, actor, exchange_id)
        return render(request, "exchange.html", {
            "section": "exchanges", "view": view, "exchange": view.exchange,
            "may_write": actor.can(Permission.REGISTRY_WRITE),
            "may_import": all(actor.can(p) for p in (
                Permission.REGISTRY_WRITE, Permission.SOURCES_IMPORT,
                Permission.LINKAGE_REVIEW)),
            "report": report, "problem": problem, **vocabularies(),
        }, status=status)


@router.get("/exchanges/{exchange_id}")
def exchange_page(request: Request, exchange_id: int, db: DbDep, actor: Reader) -> Response:
    return _exchange_page(request, db, actor, exchange_id)


@router.post("/exchanges/{exchange_id}/persons")
def attach_persons(
    request: Request, exchange_id: int, db: DbDep, actor: Writer,
    person_ids: Annotated[str, Form(max_length=20_000)], direction: Field,
    kind: Field = "alive", identification: Field = "", source_id: Field = "",
) -> Response:
    """Persons by number, separated by anything; each one's status follows."""
    try:
        with db.session() as session:
            exchanges.attach_persons(
                session, actor, exchange_id, [int(n) for n in _NUMBERS.findall(person_ids)],
                direction=direction, kind=kind,
                identification=identification or None,
                source_id=optional_int(source_id, "source_id"))
    except RollcallError as exc:
        return _exchange_page(request, db, actor, exchange_id, problem=exc.message,
                              status=exc.status)
    return RedirectResponse(f"/exchanges/{exchange_id}", status_code=303)


@router.post("/exchanges/{exchange_id}/persons/{person_id}/identification")
def identify(
    request: Request, exchange_id: int, person_id: int, db: DbDep, actor: Writer,
    identification: Field, date: Field = "", source_id: Field = "",
) -> Response:
    try:
        with db.session() as session:
            exchanges.set_identification(session, actor, exchange_id, person_id,
                                         identification, date=optional_date(date, "date"),
                                         source_id=optional_int(source_id, "source_id"))
    except RollcallError as exc:
        return _exchange_page(request, db, actor, exchange_id, problem=exc.message,
                              status=exc.status)
    return RedirectResponse(f"/exchanges/{exchange_id}", status_code=303)


@router.post("/exchanges/{exchange_id}/import")
def import_list_page(
    request: Request, exchange_id: int, db: DbDep, actor: Writer,
    file: Annotated[UploadFile, File()], direction: Field, kind: Field = "alive",
    identification: Field = "", origin: Field = "own_bureau",
    title: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Import, link and attach; the page shows what matched, what is new and what was
    rejected."""
    name = PurePath((file.filename or "list").replace("\\", "/")).name[:300] or "list"
    folder = Path(tempfile.mkdtemp(prefix="rollcall-exchange-"))
    try:
        report = import_exchange_list(db, actor, exchange_id, save_upload(file, folder),
                                      direction=direction,
                                      kind=kind, identification=identification or None,
                                      origin=origin or Origin.OWN_BUREAU,
                                      title=title or None, display_name=name)
    except RollcallError as exc:
        return _exchange_page(request, db, actor, exchange_id, problem=exc.message,
                              status=exc.status)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report.file = name
    return _exchange_page(request, db, actor, exchange_id, report=report)
