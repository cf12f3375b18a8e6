"""Evidence files over the API: `POST /api/evidence` (multipart upload, streamed into the
store), `GET /api/evidence/{id}` (metadata and links), `GET /api/evidence/{id}/custody`
(the chain of custody) and `GET /api/evidence/{id}/content?reason=...` (the bytes,
streamed; recorded as `copied` with the reason). Uploading needs evidence:write, the rest
evidence:read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Depends, Form, Query, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from rollcall.ledger.evidence_store import CHUNK
from rollcall.models import EvidenceItem
from rollcall.security.permissions import Permission
from rollcall.services import evidence
from rollcall.services.actor import Actor
from rollcall.vocabulary import Derivation, EvidenceKind
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["evidence"])

Writer = Annotated[Actor, Depends(requires(Permission.EVIDENCE_WRITE))]
Reader = Annotated[Actor, Depends(requires(Permission.EVIDENCE_READ))]


class LinkOut(BaseModel):
    entity_type: str
    entity_id: int


class EvidenceOut(BaseModel):
    id: int
    sha256: str
    size: int
    media_type: str
    kind: EvidenceKind
    original_name: str | None
    derived_from_id: int | None
    derivation: Derivation | None
    source_id: int | None
    description: str | None
    received_by: str
    received_at: dt.datetime
    links: list[LinkOut]

    @classmethod
    def of(cls, item: EvidenceItem, links: list[LinkOut]) -> EvidenceOut:
        return cls(id=item.id, sha256=item.sha256, size=item.size, media_type=item.media_type,
                   kind=item.kind, original_name=item.original_name,
                   derived_from_id=item.derived_from_id, derivation=item.derivation,
                   source_id=item.source_id, description=item.description,
                   received_by=item.received_by, received_at=item.received_at, links=links)


class ReceivedOut(BaseModel):
    item: EvidenceOut
    created: bool = Field(description="False when these bytes were stored already: the "
                                      "existing item was received once more.")


class CustodyOut(BaseModel):
    change_id: int
    at: dt.datetime
    actor: str
    via: str
    event: str
    item_id: int = Field(description="The item the entry is about: a copy made from this "
                                     "one for `derived`.")
    reason: str | None
    details: dict[str, Any]


def _links(session: Any, item_id: int) -> list[LinkOut]:
    return [LinkOut(entity_type=row.entity_type, entity_id=row.entity_id)
            for row in evidence.links_of(session, item_id)]


@router.post("/evidence", response_model=ReceivedOut, status_code=201,
             summary="Receive an evidence file (multipart; streamed into the store)")
def post_evidence(
    db: DbDep,
    actor: Writer,
    file: UploadFile,
    kind: Annotated[EvidenceKind, Form()],
    reason: Annotated[str, Form(max_length=2000)],
    link: Annotated[list[str] | None, Form(description="TYPE:ID, repeatable")] = None,
    media_type: Annotated[str | None, Form(max_length=127)] = None,
    description: Annotated[str | None, Form(max_length=20_000)] = None,
    source_id: Annotated[int | None, Form()] = None,
) -> ReceivedOut:
    with db.session() as session:
        got = evidence.receive(session, actor, file.file, kind=kind, reason=reason,
                               links=link or [], original_name=file.filename,
                               media_type=media_type or file.content_type,
                               description=description, source_id=source_id)
        return ReceivedOut(item=EvidenceOut.of(got.item, _links(session, got.item.id)),
                           created=got.created)


@router.get("/evidence/{item_id}", response_model=EvidenceOut,
            summary="An evidence item's metadata and links")
def get_evidence(item_id: int, db: DbDep, actor: Reader) -> EvidenceOut:
    with db.session() as session:
        item = evidence.get_item(session, actor, item_id)
        return EvidenceOut.of(item, _links(session, item_id))


@router.get("/evidence/{item_id}/custody", response_model=list[CustodyOut],
            summary="The chain of custody: every handling, who, when and why")
def get_custody(item_id: int, db: DbDep, actor: Reader) -> list[CustodyOut]:
    with db.session() as session:
        return [CustodyOut(change_id=e.change_id, at=e.at, actor=e.actor, via=e.via,
                           event=e.event, item_id=e.item_id, reason=e.reason,
                           details={k: v for k, v in e.custody.items()
                                    if k not in ("event", "reason")})
                for e in evidence.history(session, actor, item_id)]


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


@router.get("/evidence/{item_id}/content", summary="Download the file (recorded as copied)",
            response_class=StreamingResponse)
def get_content(
    item_id: int,
    db: DbDep,
    actor: Reader,
    reason: Annotated[str, Query(min_length=1, max_length=2000,
                                 description="Why (goes into the chain of custody).")],
) -> StreamingResponse:
    with db.session() as session:
        item = evidence.get_item(session, actor, item_id)
        stream = evidence.evidence_store().open(item.sha256)
        try:
            evidence.record_copied(session, actor, item, reason=reason,
                                   destination=f"download via the API by {actor.username}")
        except BaseException:
            stream.close()
            raise
        media_type, name = item.media_type, f"evidence-{item.id}"
    return StreamingResponse(_chunks(stream), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
