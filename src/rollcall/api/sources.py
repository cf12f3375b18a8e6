"""Sources and their import reports; registering a source that is not a list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from rollcall.api.schemas import (
    ImportIssueOut,
    Page,
    PartialDateText,
    SourceDetailOut,
    SourceOut,
    page_of,
)
from rollcall.security.permissions import Permission
from rollcall.services import queries, sources
from rollcall.services.actor import Actor
from rollcall.services.validation import partial_date
from rollcall.vocabulary import Origin
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["sources"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.REGISTRY_WRITE))]
PageNo = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)]


@router.get("/sources", response_model=Page[SourceOut], summary="List sources")
def list_sources(db: DbDep, actor: Reader, page: PageNo = 1,
                 page_size: PageSize = 50) -> Page[SourceOut]:
    """Sources, newest import first."""
    with db.session() as session:
        paged = queries.list_sources(session, actor, page=page, page_size=page_size)
        return page_of(paged, [SourceOut.of(s) for s in paged.items])


@router.get("/sources/{source_id}", response_model=SourceDetailOut,
            summary="A source with its column mapping and counts")
def get_source(source_id: int, db: DbDep, actor: Reader) -> SourceDetailOut:
    with db.session() as session:
        return SourceDetailOut.of_detail(queries.get_source(session, actor, source_id))


@router.get("/sources/{source_id}/issues", response_model=Page[ImportIssueOut],
            summary="The import report: rejected rows and warnings")
def source_issues(
    source_id: int,
    db: DbDep,
    actor: Reader,
    level: Annotated[str | None, Query(pattern="^(rejected|warning)$")] = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> Page[ImportIssueOut]:
    with db.session() as session:
        paged = queries.source_issues(session, actor, source_id, level=level, page=page,
                                      page_size=page_size)
        return page_of(paged, [ImportIssueOut.of(i) for i in paged.items])


class SourceIn(BaseModel):
    """A document that is a source of facts without rows to import."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=sources.MAX_TITLE)
    origin: Origin
    received: PartialDateText | None = None
    notes: str | None = Field(default=None, max_length=sources.MAX_NOTES)


@router.post("/sources", response_model=SourceOut, status_code=201,
             summary="Register a source that is not a list (court, media, letter)")
def register_source(body: SourceIn, db: DbDep, actor: Writer) -> SourceOut:
    received = partial_date(body.received, "received")
    with db.session() as session:
        return SourceOut.of(sources.register_source(
            session, actor, title=body.title, origin=body.origin, received=received,
            notes=body.notes))
