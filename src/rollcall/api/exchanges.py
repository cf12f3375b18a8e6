"""Exchanges and repatriation, prosecutions, family contact (issue 4 parts 7-10).

Reading needs registry:read; writing needs registry:write (registrars). Importing an
exchange list also needs sources:import and linkage:review, which the service checks
before it reads the file. Schemas: `rollcall.api.exchange_schemas`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile

from rollcall.api.exchange_schemas import (
    AttachIn,
    AttachOut,
    ContactIn,
    ContactOut,
    ExchangeCountsOut,
    ExchangeDetailOut,
    ExchangeIn,
    ExchangeListOut,
    ExchangeOut,
    HandedOverOut,
    IdentificationIn,
    ProsecutionIn,
    ProsecutionOut,
    VerdictIn,
)
from rollcall.api.schemas import Page, page_of
from rollcall.errors import InvalidValue
from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.security.permissions import Permission
from rollcall.services import exchanges, family_contact, prosecutions
from rollcall.services.actor import Actor
from rollcall.services.exchange_lists import import_exchange_list
from rollcall.services.queries import MAX_PAGE_SIZE
from rollcall.services.validation import partial_date
from rollcall.vocabulary import (
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    Origin,
    Verdict,
)
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["exchanges"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.REGISTRY_WRITE))]
PageNo = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]

#: Largest exchange list accepted through the API (the CLI takes any size).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@router.get("/exchanges", response_model=Page[ExchangeOut],
            summary="Exchanges, newest first, with persons counted each way")
def get_exchanges(db: DbDep, actor: Reader, page: PageNo = 1,
                  page_size: PageSize = 50) -> Page[ExchangeOut]:
    with db.session() as session:
        paged = exchanges.list_exchanges(session, actor, page=page, page_size=page_size)
        return page_of(paged, [ExchangeOut.of(row) for row in paged.items])


@router.post("/exchanges", response_model=ExchangeOut, status_code=201,
             summary="Record an exchange")
def post_exchange(body: ExchangeIn, db: DbDep, actor: Writer) -> ExchangeOut:
    with db.session() as session:
        exchange = exchanges.record_exchange(session, actor, **body.model_dump())
        return ExchangeOut.of(exchanges.ExchangeRow(exchange))


@router.get("/exchanges/{exchange_id}", response_model=ExchangeDetailOut,
            summary="An exchange with every person handed over each way")
def get_exchange(exchange_id: int, db: DbDep, actor: Reader) -> ExchangeDetailOut:
    with db.session() as session:
        return ExchangeDetailOut.of_view(exchanges.exchange_view(session, actor, exchange_id))


@router.post("/exchanges/{exchange_id}/persons", response_model=AttachOut,
             summary="Attach registry persons to an exchange; their status follows")
def post_exchange_persons(exchange_id: int, body: AttachIn, db: DbDep,
                          actor: Writer) -> AttachOut:
    with db.session() as session:
        result = exchanges.attach_persons(session, actor, exchange_id, body.person_ids,
                                          direction=body.direction, kind=body.kind,
                                          identification=body.identification,
                                          source_id=body.source_id)
        return AttachOut(attached=result.attached, already=result.already)


@router.post("/exchanges/{exchange_id}/persons/{person_id}/identification",
             response_model=HandedOverOut,
             summary="Move a repatriated body's identification forward")
def post_identification(exchange_id: int, person_id: int, body: IdentificationIn, db: DbDep,
                        actor: Writer) -> HandedOverOut:
    with db.session() as session:
        exchanges.set_identification(
            session, actor, exchange_id, person_id, body.identification,
            date=partial_date(body.date, "date"), source_id=body.source_id)
        view = exchanges.exchange_view(session, actor, exchange_id)
        survivor = next(h for h in view.persons if person_id in (h.attached_as, h.person.id)
                        and h.kind is ExchangeKind.BODY)
        return HandedOverOut.of(survivor)


def save_upload(upload: UploadFile, folder: Path) -> Path:
    """The upload as a file the importer can read; refused past MAX_UPLOAD_BYTES."""
    path = folder / "list"
    copied = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(1024 * 1024):
            copied += len(chunk)
            if copied > MAX_UPLOAD_BYTES:
                raise InvalidValue(f"file: at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
            out.write(chunk)
    return path


@router.post("/exchanges/{exchange_id}/import", response_model=ExchangeListOut,
             summary="Import a list of persons handed over, link it, attach the persons")
def post_exchange_list(
    exchange_id: int,
    db: DbDep,
    actor: Writer,
    file: Annotated[UploadFile, File(description="CSV or XLSX, as `rollcall import` reads.")],
    direction: Annotated[ExchangeDirection, Form()],
    kind: Annotated[ExchangeKind, Form()] = ExchangeKind.ALIVE,
    identification: Annotated[IdentificationStatus | None, Form()] = None,
    origin: Annotated[Origin, Form(description="Who produced the list.")] = Origin.OWN_BUREAU,
    title: Annotated[str, Form(max_length=300)] = "",
) -> ExchangeListOut:
    """The rows join the persons the registry knows (the linkage run), then each
    resulting person is attached with their event. Safe to send again: nothing is
    imported or attached twice."""
    name = PurePath((file.filename or "list").replace("\\", "/")).name[:300] or "list"
    folder = Path(tempfile.mkdtemp(prefix="rollcall-exchange-"))
    try:
        path = save_upload(file, folder)
        report = import_exchange_list(db, actor, exchange_id, path, direction=direction,
                                      kind=kind, identification=identification, origin=origin,
                                      title=title or None, display_name=name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ExchangeListOut.of(report, name)


@router.get("/exchange-counts", response_model=ExchangeCountsOut,
            summary="Exchanges, bodies, contact with family and prosecutions counted")
def get_exchange_counts(db: DbDep, actor: Reader) -> ExchangeCountsOut:
    with db.session() as session:
        return ExchangeCountsOut.of(exchange_counts(session))


@router.get("/prosecutions", response_model=Page[ProsecutionOut],
            summary="Prosecutions, latest charge first")
def get_prosecutions(db: DbDep, actor: Reader, person_id: int | None = None,
                     verdict: Verdict | None = None, concern: FairTrialConcern | None = None,
                     page: PageNo = 1, page_size: PageSize = 50) -> Page[ProsecutionOut]:
    with db.session() as session:
        paged = prosecutions.list_prosecutions(session, actor, person_id=person_id,
                                               verdict=verdict, concern=concern, page=page,
                                               page_size=page_size)
        return page_of(paged, [ProsecutionOut.of(v) for v in paged.items])


@router.get("/persons/{person_id}/prosecutions", response_model=Page[ProsecutionOut],
            summary="A person's prosecutions")
def get_person_prosecutions(person_id: int, db: DbDep, actor: Reader, page: PageNo = 1,
                            page_size: PageSize = 50) -> Page[ProsecutionOut]:
    return get_prosecutions(db, actor, person_id=person_id, page=page, page_size=page_size)


@router.post("/persons/{person_id}/prosecutions", response_model=ProsecutionOut,
             status_code=201, summary="Record a prosecution; the legal status follows")
def post_prosecution(person_id: int, body: ProsecutionIn, db: DbDep,
                     actor: Writer) -> ProsecutionOut:
    with db.session() as session:
        case = prosecutions.record_prosecution(session, actor, person_id, **body.model_dump())
        return ProsecutionOut.of(prosecutions.prosecution_view(session, actor, case.id))


@router.post("/prosecutions/{prosecution_id}/verdict", response_model=ProsecutionOut,
             summary="Record the court's decision on a pending case")
def post_verdict(prosecution_id: int, body: VerdictIn, db: DbDep,
                 actor: Writer) -> ProsecutionOut:
    with db.session() as session:
        prosecutions.record_verdict(session, actor, prosecution_id, **body.model_dump())
        return ProsecutionOut.of(prosecutions.prosecution_view(session, actor,
                                                                  prosecution_id))


@router.get("/persons/{person_id}/family-contacts", response_model=list[ContactOut],
            summary="A person's contacts with family")
def get_contacts(person_id: int, db: DbDep, actor: Reader) -> list[ContactOut]:
    with db.session() as session:
        return [ContactOut.of(c)
                for c in family_contact.person_contacts(session, actor, person_id)]


@router.post("/persons/{person_id}/family-contacts", response_model=ContactOut,
             status_code=201, summary="Record a contact with family (GC III Art. 70-71)")
def post_contact(person_id: int, body: ContactIn, db: DbDep, actor: Writer) -> ContactOut:
    with db.session() as session:
        return ContactOut.of(family_contact.record_contact(session, actor, person_id,
                                                           **body.model_dump()))
