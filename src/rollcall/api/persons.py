"""Persons, their source records and events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from rollcall.api.schemas import (
    EventOut,
    Page,
    PersonDetailOut,
    PersonOut,
    SourceRecordOut,
    page_of,
)
from rollcall.security.permissions import Permission
from rollcall.services import queries
from rollcall.services.actor import Actor
from rollcall.vocabulary import Category, CustodyStatus, EventType
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_date

router = APIRouter(tags=["registry"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
PageNo = Annotated[int, Query(ge=1, description="1-based page number.")]
PageSize = Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE, description="Rows per page.")]


@router.get("/persons", response_model=Page[PersonOut], summary="Search persons")
def search_persons(
    db: DbDep,
    actor: Reader,
    q: Annotated[str | None, Query(max_length=200,
                                   description="Name words, any script as stored")] = None,
    status: CustodyStatus | None = None,
    category: Category | None = None,
    source_id: int | None = None,
    born_from: Annotated[str | None, Query(description="yyyy, yyyy-mm or yyyy-mm-dd")] = None,
    born_to: Annotated[str | None, Query(description="yyyy, yyyy-mm or yyyy-mm-dd")] = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> Page[PersonOut]:
    """Persons whose names contain every word of `q` (case, apostrophes and ё/е folded), a
    surname starting with the first word first; then by surname, given name, id."""
    with db.session() as session:
        paged = queries.search_persons(
            session, actor, q=q, status=status, category=category, source_id=source_id,
            born_from=optional_date(born_from, "born_from"),
            born_to=optional_date(born_to, "born_to"), page=page, page_size=page_size,
        )
        return page_of(paged, [PersonOut.of(r.person, r.record_count) for r in paged.items])


@router.get("/persons/{person_id}", response_model=PersonDetailOut,
            summary="A person with all source records and the timeline")
def get_person(person_id: int, db: DbDep, actor: Reader) -> PersonDetailOut:
    with db.session() as session:
        return PersonDetailOut.of_detail(queries.get_person(session, actor, person_id))


@router.get("/records", response_model=Page[SourceRecordOut], summary="List source records")
def list_records(
    db: DbDep,
    actor: Reader,
    source_id: int | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Surname prefix")] = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> Page[SourceRecordOut]:
    with db.session() as session:
        paged = queries.search_records(session, actor, source_id=source_id, q=q, page=page,
                                       page_size=page_size)
        return page_of(paged, [SourceRecordOut.of(v) for v in paged.items])


@router.get("/records/{record_id}", response_model=SourceRecordOut,
            summary="One source record, verbatim and normalised")
def get_record(record_id: int, db: DbDep, actor: Reader) -> SourceRecordOut:
    with db.session() as session:
        return SourceRecordOut.of(queries.get_record(session, actor, record_id))


@router.get("/events", response_model=Page[EventOut], summary="List events")
def list_events(
    db: DbDep,
    actor: Reader,
    person_id: int | None = None,
    site_id: int | None = None,
    type: EventType | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> Page[EventOut]:
    with db.session() as session:
        paged = queries.list_events(session, actor, person_id=person_id, site_id=site_id,
                                    type=type, page=page, page_size=page_size)
        return page_of(paged, [EventOut.of(r) for r in paged.items])
