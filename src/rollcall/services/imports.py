"""Importing a list: the one use case that writes a whole source at once.

The import runs in a single transaction. A crash, a kill or an error mid-file therefore
leaves no half-imported source: the database keeps nothing of it, and running the same
command again imports the whole file once. Rows are streamed and written in batches, so
memory stays bounded whatever the file's size; a worker process prepares the next batch
while this one is written (`import_pipeline`).

Each accepted row becomes a SourceRecord, its own Person (until identity resolution
merges persons), the events the row states, and one change entry holding all of that
(`import_rows`). Each rejected row becomes lines of the import report; nothing is dropped
silently. The person to inform is sealed on the way (`import_rows`), under the data key
in use, which this process hands to the preparing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from rollcall.bulk import insert_rows, reserve_ids, sync_sequences
from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import Conflict, InvalidValue
from rollcall.ingest.fields import Field
from rollcall.ingest.headers import load_mapping, map_headers
from rollcall.ingest.readers import open_table
from rollcall.models import Change, Event, ImportIssue, Person, Source, SourceRecord
from rollcall.security.fields import current_sealer
from rollcall.security.keyring import keyring
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.import_pipeline import batches
from rollcall.services.import_rows import (
    CHANGE_COLUMNS,
    EVENT_COLUMNS,
    ISSUE_COLUMNS,
    PERSON_COLUMNS,
    RECORD_COLUMNS,
    IdStarts,
    ImportPlan,
)
from rollcall.services.sites import site_name_index
from rollcall.tracing import refresh_index
from rollcall.vocabulary import Origin

_PERSONS = Person.__table__
_RECORDS = SourceRecord.__table__
_EVENTS = Event.__table__
_ISSUES = ImportIssue.__table__
_CHANGES = Change.__table__
_ID_TABLES = (_PERSONS, _RECORDS, _EVENTS)
#: After an import of this many rows, PostgreSQL's planner statistics are refreshed at
#: once: until autovacuum gets to them it takes a million-row list for a few hundred rows
#: and the pages that read it choose plans a thousand times slower (bench/web_load.py).
ANALYZE_AFTER_ROWS = 50_000
_ANALYZED = ("persons", "source_records", "events", "import_issues", "trace_names",
             "trace_keys")


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
    settings = get_settings()

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
                source_id=source.id, file=info.file, sha256=info.sha256, format=info.format,
                encoding=info.encoding, delimiter=info.delimiter, columns=columns,
            )
            conn = session.connection()
            plan = ImportPlan(
                path=str(path), header_map=header_map, source_id=source.id,
                actor=actor.username, via=actor.via, sites=site_name_index(session),
                starts=IdStarts(*reserve_ids(conn, _ID_TABLES)),
                today=today or dt.date.today(), batch_rows=settings.import_batch_rows,
                sqlite=conn.dialect.name == "sqlite",
                contact_sealer=(current_sealer(session, keyring())
                                if header_map.column_of(Field.PERSON_TO_INFORM) is not None
                                else None),
            )
            in_worker = path.stat().st_size >= settings.import_worker_min_bytes
            for batch in batches(plan, in_worker=in_worker):
                insert_rows(conn, _ISSUES, ISSUE_COLUMNS, batch.issues)
                insert_rows(conn, _PERSONS, PERSON_COLUMNS, batch.persons)
                insert_rows(conn, _RECORDS, RECORD_COLUMNS, batch.records)
                insert_rows(conn, _EVENTS, EVENT_COLUMNS, batch.events)
                insert_rows(conn, _CHANGES, CHANGE_COLUMNS, batch.changes)
                report.accepted += batch.accepted
                report.rejected += batch.rejected
                report.warnings += batch.warnings
                for issue in batch.issues[: ImportReport.PREVIEW - len(report.issues)]:
                    report.issues.append(dict(zip(ISSUE_COLUMNS, issue, strict=True)))
                if progress:
                    progress(batch.rows_seen)
            sync_sequences(conn, _ID_TABLES)
            refresh_index(session, source_id=source.id)  # the tracing index
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
    if report.accepted + report.rejected >= ANALYZE_AFTER_ROWS:
        refresh_statistics(db)
    return report


def refresh_statistics(db: Database) -> None:
    """ANALYZE the tables an import fills (PostgreSQL; SQLite's planner does without)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "ANALYZE " + ", ".join(_ANALYZED))
