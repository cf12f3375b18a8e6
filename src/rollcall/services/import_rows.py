"""Turning a list's rows into the rows the registry stores, batch by batch.

Pure code, no database: it runs in a worker process while the importing process writes
the previous batch (see `import_pipeline`). Each accepted row becomes a person, a source
record, its events and one change entry holding the canonical JSON of all three, in the
form the database stores them (ISO text for partial dates, vocabulary codes as text, JSON
as text), so the writer only hands tuples to the driver. Ids come from ranges the writer
reserved before the first batch, so a batch's rows can refer to each other.

The person to inform (a family contact, GC III Art. 17 and 70) is sealed here, with the
data key the writer handed over (`ImportPlan.contact_sealer`), bound to its record id.
Neither the verbatim row nor the change entry holds it: the row's cell reads
`SEALED_CELL`, and the entry's record state says only `person_to_inform_given` (the
append-only log could never forget a contact written into it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
import rfc8785

from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.ingest.fields import DATE_FIELDS, RECORD_FIELDS, Field
from rollcall.ingest.headers import HeaderMap
from rollcall.ingest.readers import open_table
from rollcall.ingest.rows import REFUSABLE_FIELDS, REFUSED, EventDraft, ParsedRow, parse_row
from rollcall.models.base import utcnow
from rollcall.names import fold, search_key
from rollcall.security.fields import Sealer
from rollcall.services.changes import (
    Action,
    canonical_json_prepared,
    json_value,
    keys_sort_alike,
)
from rollcall.vocabulary import Category

PERSON_COLUMNS = ("id", "surname", "given_name", "patronymic", "name_script", "sex",
                  "birth_date", "category", "custody_status", "legal_status", "status_as_of",
                  "search_key", "created_at", "updated_at")
RECORD_COLUMNS = ("id", "source_id", "row_number", "source_key", "person_id", *RECORD_FIELDS,
                  "name_script", "raw", "refused_fields")
EVENT_COLUMNS = ("id", "person_id", "source_id", "source_record_id", "type", "date", "place",
                 "site_id", "site_named", "details", "recorded_at")
CHANGE_COLUMNS = ("at", "actor", "via", "action", "entity_type", "entity_id", "diff", "state")
ISSUE_COLUMNS = ("source_id", "row_number", "level", "field", "reason")

#: What a verbatim row holds in place of a sealed cell (the person to inform).
SEALED_CELL = "[sealed]"
CONTACT_TABLE, CONTACT = "source_records", Field.PERSON_TO_INFORM.value
_REFUSABLE = tuple(sorted(f.value for f in REFUSABLE_FIELDS))
_REFUSABLE_DATES = frozenset(f.value for f in REFUSABLE_FIELDS & DATE_FIELDS)
_ACTION = Action.RECORD_IMPORTED.value


@dataclass(frozen=True)
class IdStarts:
    """The first free id of each table, reserved for this import."""

    person: int
    record: int
    event: int


@dataclass(frozen=True)
class ImportPlan:
    """Everything the preparation needs; picklable, so it can cross to a worker process."""

    path: str
    header_map: HeaderMap
    source_id: int
    actor: str
    via: str
    sites: dict[str, int]
    starts: IdStarts
    today: dt.date
    batch_rows: int
    sqlite: bool
    #: Seals the person to inform; None when the list has no such column.
    contact_sealer: Sealer | None = None


@dataclass
class PreparedBatch:
    rows_seen: int
    accepted: int = 0
    rejected: int = 0
    warnings: int = 0
    persons: list[tuple[Any, ...]] = field(default_factory=list)
    records: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)
    issues: list[tuple[Any, ...]] = field(default_factory=list)


def prepare_batches(plan: ImportPlan) -> Iterator[PreparedBatch]:
    """Read the list and yield its rows in stored form, `plan.batch_rows` at a time."""
    builder = _Builder(plan)
    with open_table(Path(plan.path), digest=False) as table:
        batch = builder.new_batch(0)
        seen = 0
        for raw in table.rows():
            builder.add(parse_row(raw, plan.header_map, today=plan.today), batch)
            seen += 1
            if len(batch.persons) + len(batch.issues) >= plan.batch_rows:
                batch.rows_seen = seen
                yield batch
                batch = builder.new_batch(seen)
        batch.rows_seen = seen
        yield batch


#: The fields whose parsed values are not yet in stored form: partial dates and codes.
_DATE_KEYS = tuple(f.value for f in DATE_FIELDS)
_CODE_KEYS = ("category", "name_script")
_EMPTY_LIST = "[]"
_EMPTY_OBJECT = "{}"
_person_tuple = itemgetter(*PERSON_COLUMNS[:-2])
_record_tuple = itemgetter(*RECORD_COLUMNS[:-2])
_event_tuple = itemgetter(*EVENT_COLUMNS[:-2])


def _stored_values(values: dict[str, Any]) -> dict[str, Any]:
    """The parsed values in stored form (ISO text for dates, codes as text)."""
    stored = dict(values)
    for key in _DATE_KEYS:
        value = stored.get(key)
        if value is not None and value.__class__ is PartialDate:
            stored[key] = value.isoformat()
    for key in _CODE_KEYS:
        value = stored.get(key)
        if isinstance(value, Enum):
            stored[key] = value.value
    return stored


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _canonical_slow(state: dict[str, Any]) -> str:
    """For the rare list whose headers hold characters beyond the BMP (emoji)."""
    return rfc8785.dumps(state).decode()


class _Builder:
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.next_person = plan.starts.person
        self.next_record = plan.starts.record
        self.next_event = plan.starts.event
        fast = keys_sort_alike(plan.header_map.raw_keys)
        self.canonical = canonical_json_prepared if fast else _canonical_slow
        self.contact_keys = tuple(key for key, target in zip(
            plan.header_map.raw_keys, plan.header_map.fields, strict=True)
            if target is Field.PERSON_TO_INFORM)
        if self.contact_keys and plan.contact_sealer is None:
            raise ValueError("a list with a person to inform needs the key to seal it")

    def new_batch(self, rows_seen: int) -> PreparedBatch:
        """A batch with its own timestamp: the time its rows were prepared."""
        now = utcnow()
        self.at = now.strftime("%Y-%m-%d %H:%M:%S.%f") if self.plan.sqlite else now
        self.at_json = json_value(now)
        return PreparedBatch(rows_seen=rows_seen)

    def add(self, row: ParsedRow, batch: PreparedBatch) -> None:
        source_id = self.plan.source_id
        for problem in row.problems:
            batch.issues.append((source_id, row.row_number, "rejected", problem.field,
                                 problem.reason))
        for warning in row.warnings:
            batch.issues.append((source_id, row.row_number, "warning", warning.field,
                                 warning.reason))
        batch.warnings += len(row.warnings)
        if row.problems:
            batch.rejected += 1
            return
        batch.accepted += 1
        at = self.at

        person_id, record_id = self.next_person, self.next_record
        self.next_person += 1
        self.next_record += 1
        values = _stored_values(row.values)
        refused = [name for name in _REFUSABLE if values.get(name) == REFUSED]
        for name in refused:
            if name in _REFUSABLE_DATES:
                values[name] = None

        person = self._person(row, values, person_id)
        record = dict.fromkeys(RECORD_FIELDS)
        record.update((k, v) for k, v in values.items() if k in record)
        raw = row.raw
        if self.contact_keys:
            raw = {k: SEALED_CELL if k in self.contact_keys else v for k, v in raw.items()}
        record.update(id=record_id, source_id=source_id, row_number=row.row_number,
                      source_key=row.source_key, person_id=person_id,
                      name_script=values.get("name_script"), raw=raw,
                      refused_fields=refused)
        events = [self._event(draft, person_id, record_id) for draft in row.events]
        recorded = record
        contact = record[CONTACT]
        if self.contact_keys:
            recorded = {k: v for k, v in record.items() if k != CONTACT}
            recorded["person_to_inform_given"] = contact is not None
            if contact is not None:
                assert self.plan.contact_sealer is not None
                record[CONTACT] = self.plan.contact_sealer.seal(CONTACT_TABLE, CONTACT,
                                                                record_id, contact)

        batch.persons.append((*_person_tuple(person), at, at))
        batch.records.append((*_record_tuple(record), _json(raw),
                              _json(refused) if refused else _EMPTY_LIST))
        for event in events:
            details = event["details"]
            batch.events.append((*_event_tuple(event),
                                 _json(details) if details else _EMPTY_OBJECT, at))
        state = {"record": recorded, "person": {**person, "created_at": self.at_json},
                 "events": events}
        batch.changes.append((at, self.plan.actor, self.plan.via, _ACTION, "source_record",
                              str(record_id), "{}", self.canonical(state)))

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

    def _event(self, draft: EventDraft, person_id: int, record_id: int) -> dict[str, Any]:
        event_id = self.next_event
        self.next_event += 1
        site_id = self.plan.sites.get(fold(draft.site_named)) if draft.site_named else None
        return {
            "id": event_id, "person_id": person_id, "source_id": self.plan.source_id,
            "source_record_id": record_id, "type": draft.type.value,
            "date": draft.date.isoformat() if draft.date else None, "place": draft.place,
            "site_id": site_id, "site_named": draft.site_named, "details": draft.details,
        }
