"""Importing a list: the one use case that writes a whole source at once.

The import runs in a single transaction. A crash, a kill or an error mid-file therefore
leaves no half-imported source: the database keeps nothing of it, and running the same
command again imports the whole file once. Rows are streamed and written in batches, so
memory stays bounded whatever the file's size.

Each accepted row becomes a SourceRecord, its own Person (until identity resolution
merges persons), the events the row states, and one change entry holding all of that.
Each rejected row becomes lines of the import report; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import orjson
import rfc8785
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from rollcall.bulk import allocate_ids, insert_rows, stored_datetime
from rollcall.config import get_settings
from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import Conflict, InvalidValue
from rollcall.ingest.fields import DATE_FIELDS, STORED_FIELDS, Field
from rollcall.ingest.headers import load_mapping, map_headers
from rollcall.ingest.readers import open_table
from rollcall.ingest.rows import REFUSABLE_FIELDS, REFUSED, EventDraft, ParsedRow, parse_row
from rollcall.models import Change, Event, ImportIssue, Person, Source, SourceRecord
from rollcall.models.base import utcnow
from rollcall.names import fold, search_key
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import (
    Action,
    canonical_json_prepared,
    entity_state,
    json_value,
    keys_sort_alike,
    record_change,
)
from rollcall.services.sites import site_name_index
from rollcall.vocabulary import Category, Origin

_PERSONS = Person.__table__
_RECORDS = SourceRecord.__table__
_EVENTS = Event.__table__
_ISSUES = ImportIssue.__table__
_CHANGES = Change.__table__
_RECORD_FIELDS = tuple(f.value for f in STORED_FIELDS if f is not Field.SOURCE_KEY)


@dataclass
class ImportReport:
    """What an import did, for the CLI summary, the API and the source page."""

    source_id: int
    file: str
    sha256: str
    format: str
    encoding: str | None
    delimiter: str | None
    columns: dict[str, str | None]
    accepted: int = 0
    rejected: int = 0
    warnings: int = 0
    already_imported: bool = False
    issues: list[dict[str, Any]] = field(default_factory=list)

    #: How many report lines the summary carries; the rest are on the source page.
    PREVIEW = 20


def import_list(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    title: str,
    origin: Origin | str,
    mapping_path: Path | None = None,
    received: PartialDate | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    actor.require(Permission.SOURCES_IMPORT)
    title = title.strip()
    if not title:
        raise InvalidValue("a source needs a title")
    try:
        origin = Origin(origin)
    except ValueError:
        raise InvalidValue(
            f"unknown origin {str(origin)[:40]!r}; expected one of "
            f"{', '.join(o.value for o in Origin)}"
        ) from None
    mapping = load_mapping(mapping_path) if mapping_path else None
    today = today or dt.date.today()
    batch_size = get_settings().import_batch_rows

    with open_table(path) as table:
        info = table.info
        with db.session() as session:
            existing = session.scalar(select(Source).where(Source.file_sha256 == info.sha256))
            if existing is not None:
                return ImportReport(
                    source_id=existing.id, file=info.file, sha256=info.sha256,
                    format=info.format, encoding=info.encoding, delimiter=info.delimiter,
                    columns=existing.header_mapping, accepted=existing.rows_accepted,
                    rejected=existing.rows_rejected, already_imported=True,
                )
        header_map = map_headers(info, mapping)
        columns = {key: f.value if f else None
                   for key, f in zip(header_map.raw_keys, header_map.fields, strict=True)}

        try:
            with db.session() as session:
                source = Source(
                    title=title, origin=origin, received=received,
                    file_name=display_name or path.name, file_sha256=info.sha256,
                    file_format=info.format, encoding=info.encoding, header_mapping=columns,
                    imported_by=actor.username,
                )
                session.add(source)
                session.flush()
                report = ImportReport(
                    source_id=source.id, file=info.file, sha256=info.sha256,
                    format=info.format, encoding=info.encoding, delimiter=info.delimiter,
                    columns=columns,
                )
                writer = _BatchWriter(session.connection(), actor, source.id,
                                      site_name_index(session),
                                      keys_sort_alike(header_map.raw_keys))
                seen = 0
                for raw in table.rows():
                    row = parse_row(raw, header_map, today=today)
                    writer.add(row, report)
                    seen += 1
                    if len(writer.rows) >= batch_size:
                        writer.flush()
                        if progress:
                            progress(seen)
                writer.flush()
                if progress:
                    progress(seen)
                source.rows_accepted = report.accepted
                source.rows_rejected = report.rejected
                session.flush()
                record_change(session, actor, Action.SOURCE_IMPORTED, "source", source.id,
                              entity_state(source),
                              {"accepted": report.accepted, "rejected": report.rejected,
                               "warnings": report.warnings})
        except IntegrityError as exc:
            if "file_sha256" in str(exc.orig):
                raise Conflict(f"{info.file}: the same file is being imported right now") from None
            raise
    return report


def _stored(value: Any) -> Any:
    """A parsed value in the form the database and the change log both hold."""
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


_PERSON_COLUMNS = ("id", "surname", "given_name", "patronymic", "name_script", "sex",
                   "birth_date", "category", "custody_status", "legal_status", "status_as_of",
                   "search_key")
_RECORD_COLUMNS = ("id", "source_id", "row_number", "source_key", "person_id",
                   *_RECORD_FIELDS, "name_script")
_REFUSABLE = tuple(sorted(f.value for f in REFUSABLE_FIELDS))
_REFUSABLE_DATES = frozenset(f.value for f in REFUSABLE_FIELDS & DATE_FIELDS)
_EVENT_COLUMNS = ("id", "person_id", "source_id", "source_record_id", "type", "date", "place",
                  "site_id", "site_named")
_CHANGE_COLUMNS = ("at", "actor", "via", "action", "entity_type", "entity_id", "diff", "state")


class _BatchWriter:
    """Collects parsed rows and writes each batch with one bulk insert per table.

    Rows are built once in their stored form; the same values go to the tables and, as
    canonical JSON, to the row's change entry, so the log holds exactly what was written.
    """

    def __init__(self, conn: Connection, actor: Actor, source_id: int,
                 sites: dict[str, int], fast_canonical: bool) -> None:
        self.conn = conn
        self.canonical = canonical_json_prepared if fast_canonical else _canonical_slow
        self.actor = actor
        self.source_id = source_id
        self.sites = sites
        self.rows: list[ParsedRow] = []
        self.issues: list[dict[str, Any]] = []

    def add(self, row: ParsedRow, report: ImportReport) -> None:
        level_rows = [("rejected", p) for p in row.problems]
        level_rows += [("warning", w) for w in row.warnings]
        for level, problem in level_rows:
            issue = {"source_id": self.source_id, "row_number": row.row_number, "level": level,
                     "field": problem.field, "reason": problem.reason}
            self.issues.append(issue)
            if len(report.issues) < ImportReport.PREVIEW:
                report.issues.append(issue)
        report.warnings += len(row.warnings)
        if row.problems:
            report.rejected += 1
        else:
            report.accepted += 1
            self.rows.append(row)

    def flush(self) -> None:
        if self.issues:
            self.conn.execute(insert(_ISSUES), self.issues)
            self.issues = []
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        conn = self.conn
        now = utcnow()
        at = stored_datetime(conn, now)
        at_json = json_value(now)
        person_ids = allocate_ids(conn, _PERSONS, len(rows))
        record_ids = allocate_ids(conn, _RECORDS, len(rows))
        event_ids = iter(allocate_ids(conn, _EVENTS, sum(len(r.events) for r in rows)))
        persons: list[tuple[Any, ...]] = []
        records: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        actor, via = self.actor.username, self.actor.via
        action = Action.RECORD_IMPORTED.value
        for row, person_id, record_id in zip(rows, person_ids, record_ids, strict=True):
            values = {key: _stored(value) for key, value in row.values.items()}
            refused = [name for name in _REFUSABLE if values.get(name) == REFUSED]
            for name in refused:
                if name in _REFUSABLE_DATES:
                    values[name] = None
            person = self._person(row, values, person_id)
            record = {name: values.get(name) for name in _RECORD_FIELDS}
            record.update(id=record_id, source_id=self.source_id, row_number=row.row_number,
                          source_key=row.source_key, person_id=person_id,
                          name_script=values.get("name_script"))
            row_events = [self._event(draft, next(event_ids), person_id, record_id)
                          for draft in row.events]
            persons.append((*(person[c] for c in _PERSON_COLUMNS), at, at))
            record["refused_fields"] = refused
            records.append((*(record[c] for c in _RECORD_COLUMNS), _json(row.raw),
                            _json(refused)))
            events.extend((*(e[c] for c in _EVENT_COLUMNS), _json(e["details"]), at)
                          for e in row_events)
            state = {
                "record": {**record, "raw": row.raw},
                "person": {**person, "created_at": at_json},
                "events": row_events,
            }
            changes.append((at, actor, via, action, "source_record", str(record_id), "{}",
                            self.canonical(state)))
        insert_rows(conn, _PERSONS, (*_PERSON_COLUMNS, "created_at", "updated_at"), persons)
        insert_rows(conn, _RECORDS, (*_RECORD_COLUMNS, "raw", "refused_fields"), records)
        insert_rows(conn, _EVENTS, (*_EVENT_COLUMNS, "details", "recorded_at"), events)
        insert_rows(conn, _CHANGES, _CHANGE_COLUMNS, changes)

    def _person(self, row: ParsedRow, values: dict[str, Any], person_id: int) -> dict[str, Any]:
        category = values.get("category")
        derived = derive_status(((e.type, e.date) for e in row.events),
                                [Category(category)] if category else [])
        surname, given, patronymic = (values["surname"], values.get("given_name"),
                                      values.get("patronymic"))
        return {
            "id": person_id,
            "surname": surname,
            "given_name": given,
            "patronymic": patronymic,
            "name_script": values.get("name_script"),
            "sex": values.get("sex"),
            "birth_date": values.get("birth_date"),
            "category": category or Category.UNKNOWN.value,
            "custody_status": derived.custody.value,
            "legal_status": derived.legal.value,
            "status_as_of": derived.as_of.isoformat() if derived.as_of else None,
            "search_key": search_key(surname, given, patronymic),
        }

    def _event(self, draft: EventDraft, event_id: int, person_id: int,
               record_id: int) -> dict[str, Any]:
        site_id = self.sites.get(fold(draft.site_named)) if draft.site_named else None
        return {
            "id": event_id, "person_id": person_id, "source_id": self.source_id,
            "source_record_id": record_id, "type": draft.type.value,
            "date": draft.date.isoformat() if draft.date else None, "place": draft.place,
            "site_id": site_id, "site_named": draft.site_named, "details": draft.details,
        }


def _json(value: dict[str, Any] | list[str]) -> str:
    return orjson.dumps(value).decode()


def _canonical_slow(state: dict[str, Any]) -> str:
    """For the rare list whose headers hold characters beyond the BMP (emoji)."""
    return rfc8785.dumps(state).decode()
