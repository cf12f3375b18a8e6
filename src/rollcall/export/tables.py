"""The rows an export holds, streamed from the database in id order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rollcall.ingest.fields import CONTACT_FIELDS, RECORD_FIELDS
from rollcall.models import Person, Source, SourceRecord
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import json_value
from rollcall.services.import_rows import CONTACT
from rollcall.services.record_contacts import contact_opener

RECORD_COLUMNS = ("source", "source_key", "row_number", "person_id", *RECORD_FIELDS,
                  "refused_fields")
PERSON_COLUMNS = (
    "person_id", "surname", "given_name", "patronymic", "sex", "birth_date", "category",
    "custody_status", "legal_status", "status_as_of", "records",
)
STREAM_ROWS = 5000


def record_rows(session: Session, actor: Actor) -> Iterator[dict[str, Any]]:
    """Every record, in id order. The person to inform only for an actor holding
    `contacts:read`, opened record by record; the export is one `sensitive:read` entry."""
    actor.require(Permission.EXPORT)
    reads_contacts = actor.can(Permission.CONTACTS_READ)
    hidden = set() if reads_contacts else CONTACT_FIELDS
    opened = contact_opener(session, actor) if reads_contacts else None
    query = (
        select(SourceRecord, Source.title)
        .join(Source, Source.id == SourceRecord.source_id)
        .order_by(SourceRecord.id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    for record, title in session.execute(query):
        row = {"source": title, "source_key": record.source_key,
               "row_number": record.row_number, "person_id": record.person_id}
        for name in RECORD_FIELDS:
            row[name] = None if name in hidden else json_value(getattr(record, name))
        if opened is not None and record.person_to_inform is not None:
            row[CONTACT] = opened(record.id, record.person_to_inform)
        row["refused_fields"] = ", ".join(record.refused_fields) or None
        yield row
        session.expunge(record)


def person_rows(session: Session, actor: Actor) -> Iterator[dict[str, Any]]:
    actor.require(Permission.EXPORT)
    counts = (
        select(SourceRecord.person_id, func.count().label("records"))
        .group_by(SourceRecord.person_id)
        .subquery()
    )
    query = (
        select(Person, counts.c.records)
        .outerjoin(counts, counts.c.person_id == Person.id)
        .order_by(Person.id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    for person, records in session.execute(query):
        yield {
            "person_id": person.id,
            **{name: json_value(getattr(person, name)) for name in PERSON_COLUMNS[1:-1]},
            "records": records or 0,
        }
        session.expunge(person)
