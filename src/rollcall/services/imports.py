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
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from rollcall.config import get_settings
from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import Conflict, InvalidValue
from rollcall.ingest.fields import STORED_FIELDS, Field
from rollcall.ingest.headers import load_mapping, map_headers
from rollcall.ingest.readers import open_table
from rollcall.ingest.rows import ParsedRow, parse_row
from rollcall.models import Change, Event, ImportIssue, Person, Source, SourceRecord
from rollcall.models.base import utcnow
from rollcall.names import fold, search_key
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, change_row, entity_state, json_value, record_change
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
        columns = header_map.as_dict()

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
                                      site_name_index(session))
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


class _BatchWriter:
    """Collects parsed rows and writes them with one multi-row statement per table."""

    def __init__(self, conn: Connection, actor: Actor, source_id: int,
                 sites: dict[str, int]) -> None:
        self.conn = conn
        self.actor = actor
        self.source_id = source_id
        self.sites = sites
        self.rows: list[ParsedRow] = []
        self.issues: list[dict[str, Any]] = []

    def add(self, row: ParsedRow, report: ImportReport) -> None:
        level_rows = [("rejected", p) for p in row.problems] + [("warning", w) for w in row.warnings]
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
        now = utcnow()
        rows, self.rows = self.rows, []
        person_rows = [self._person(row, now) for row in rows]
        person_ids = [
            r.id for r in self.conn.execute(
                insert(_PERSONS).returning(_PERSONS.c.id, sort_by_parameter_order=True),
                person_rows,
            )
        ]
        record_rows = [
            self._record(row, person_id) for row, person_id in zip(rows, person_ids, strict=True)
        ]
        record_ids = [
            r.id for r in self.conn.execute(
                insert(_RECORDS).returning(_RECORDS.c.id, sort_by_parameter_order=True),
                record_rows,
            )
        ]
        event_rows: list[dict[str, Any]] = []
        change_rows: list[dict[str, Any]] = []
        for row, person, record, person_id, record_id in zip(
            rows, person_rows, record_rows, person_ids, record_ids, strict=True
        ):
            events = [self._event(e, person_id, record_id, now) for e in row.events]
            event_rows.extend(events)
            state = {
                "record": {"id": record_id, **record},
                "person": {"id": person_id, **person},
                "events": [{k: v for k, v in e.items() if k != "recorded_at"} for e in events],
            }
            change_rows.append(change_row(self.actor, Action.RECORD_IMPORTED, "source_record",
                                          record_id, state, at=now))
        if event_rows:
            self.conn.execute(insert(_EVENTS), event_rows)
        self.conn.execute(insert(_CHANGES), change_rows)

    def _person(self, row: ParsedRow, now: dt.datetime) -> dict[str, Any]:
        values = row.values
        category = values.get("category")
        derived = derive_status(((e.type, e.date) for e in row.events), [category])
        return {
            "surname": values["surname"],
            "given_name": values.get("given_name"),
            "patronymic": values.get("patronymic"),
            "name_script": values.get("name_script"),
            "sex": values.get("sex"),
            "birth_date": values.get("birth_date"),
            "category": category or Category.UNKNOWN,
            "custody_status": derived.custody,
            "legal_status": derived.legal,
            "status_as_of": derived.as_of,
            "search_key": search_key(values["surname"], values.get("given_name"),
                                     values.get("patronymic")),
            "created_at": now,
            "updated_at": now,
        }

    def _record(self, row: ParsedRow, person_id: int) -> dict[str, Any]:
        values = row.values
        record = {name: values.get(name) for name in _RECORD_FIELDS}
        record.update(
            source_id=self.source_id, row_number=row.row_number, source_key=row.source_key,
            person_id=person_id, raw=row.raw, name_script=values.get("name_script"),
        )
        return record

    def _event(self, draft: Any, person_id: int, record_id: int,
               now: dt.datetime) -> dict[str, Any]:
        site_id = self.sites.get(fold(draft.site_named)) if draft.site_named else None
        return {
            "person_id": person_id, "source_id": self.source_id, "source_record_id": record_id,
            "type": draft.type, "date": draft.date, "place": draft.place, "site_id": site_id,
            "site_named": draft.site_named, "details": draft.details, "recorded_at": now,
        }


__all__ = ["ImportReport", "import_list", "json_value"]
