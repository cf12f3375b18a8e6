"""What the API answers: output models only, separate from the ORM, so a column added to a
table never leaks out by itself. Partial dates are ISO prefixes (`1994`, `1994-03`,
`1994-03-12`): the length is the precision."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from rollcall.dates import PartialDate, Precision
from rollcall.models import AccessPeriod, ImportIssue, Person, Site, Source
from rollcall.services.queries import (
    EventRow,
    Paged,
    PersonDetail,
    RecordView,
    SiteDetail,
    SourceDetail,
)
from rollcall.vocabulary import (
    AccessLevel,
    Category,
    CustodyStatus,
    EventType,
    LegalStatus,
    Origin,
    SiteType,
)

T = TypeVar("T")

PartialDateText = str


def iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value is not None else None


def precision(value: PartialDate | None) -> Precision | None:
    return value.precision if value is not None else None


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total over all pages."""

    items: list[T]
    total: int
    page: int
    page_size: int


def page_of(paged: Paged[Any], items: list[T]) -> Page[T]:
    return Page[T](items=items, total=paged.total, page=paged.page, page_size=paged.page_size)


class SourceRef(BaseModel):
    id: int
    title: str
    origin: Origin


class SiteRef(BaseModel):
    id: int
    name: str


class PersonOut(BaseModel):
    id: int
    surname: str
    given_name: str | None
    patronymic: str | None
    name_script: str | None
    sex: str | None
    birth_date: PartialDateText | None
    birth_date_precision: Precision | None
    category: Category
    custody_status: CustodyStatus = Field(description="Derived from the events.")
    legal_status: LegalStatus
    status_as_of: PartialDateText | None
    record_count: int | None = None

    @classmethod
    def of(cls, person: Person, record_count: int | None = None) -> PersonOut:
        return cls(
            id=person.id, surname=person.surname, given_name=person.given_name,
            patronymic=person.patronymic,
            name_script=person.name_script.value if person.name_script else None,
            sex=person.sex, birth_date=iso(person.birth_date),
            birth_date_precision=precision(person.birth_date), category=person.category,
            custody_status=person.custody_status, legal_status=person.legal_status,
            status_as_of=iso(person.status_as_of), record_count=record_count,
        )


class SourceRecordOut(BaseModel):
    id: int
    source: SourceRef
    row_number: int
    source_key: str | None
    person_id: int
    name_script: str | None
    fields: dict[str, Any] = Field(description="Normalised fields; dates as ISO prefixes.")
    raw: dict[str, Any] = Field(description="The row verbatim, header -> cell.")
    withheld: list[str] = Field(
        default_factory=list,
        description="Fields withheld from this caller (family contacts need contacts:read).",
    )

    @classmethod
    def of(cls, view: RecordView) -> SourceRecordOut:
        record = view.record
        fields = {k: (iso(v) if isinstance(v, PartialDate) else v) for k, v in view.fields.items()}
        return cls(
            id=record.id, source=SourceRef(id=view.source.id, title=view.source.title,
                                           origin=view.source.origin),
            row_number=record.row_number, source_key=record.source_key,
            person_id=record.person_id,
            name_script=record.name_script.value if record.name_script else None,
            fields=fields, raw=view.raw, withheld=list(view.withheld),
        )


class EventOut(BaseModel):
    id: int
    person_id: int
    type: EventType
    date: PartialDateText | None
    date_precision: Precision | None
    place: str | None
    site: SiteRef | None
    site_named: str | None
    source: SourceRef
    source_record_id: int | None
    details: dict[str, Any]

    @classmethod
    def of(cls, row: EventRow) -> EventOut:
        event = row.event
        return cls(
            id=event.id, person_id=event.person_id, type=event.type, date=iso(event.date),
            date_precision=precision(event.date), place=event.place,
            site=SiteRef(id=row.site.id, name=row.site.display_name) if row.site else None,
            site_named=event.site_named,
            source=SourceRef(id=row.source.id, title=row.source.title, origin=row.source.origin),
            source_record_id=event.source_record_id, details=event.details or {},
        )


class PersonDetailOut(PersonOut):
    records: list[SourceRecordOut]
    events: list[EventOut] = Field(description="The timeline, in date order.")

    @classmethod
    def of_detail(cls, detail: PersonDetail) -> PersonDetailOut:
        base = PersonOut.of(detail.person, len(detail.records)).model_dump()
        return cls(**base, records=[SourceRecordOut.of(v) for v in detail.records],
                   events=[EventOut.of(e) for e in detail.events])


class SourceOut(BaseModel):
    id: int
    title: str
    origin: Origin
    received: PartialDateText | None
    file_name: str | None
    file_sha256: str | None
    file_format: str | None
    encoding: str | None
    rows_accepted: int
    rows_rejected: int
    imported_by: str
    imported_at: dt.datetime
    notes: str | None

    @classmethod
    def of(cls, source: Source) -> SourceOut:
        return cls(
            id=source.id, title=source.title, origin=source.origin,
            received=iso(source.received), file_name=source.file_name,
            file_sha256=source.file_sha256, file_format=source.file_format,
            encoding=source.encoding, rows_accepted=source.rows_accepted,
            rows_rejected=source.rows_rejected, imported_by=source.imported_by,
            imported_at=source.imported_at, notes=source.notes,
        )


class SourceCountsOut(BaseModel):
    records: int
    persons: int
    events: int
    rejected_issues: int
    warnings: int


class SourceDetailOut(SourceOut):
    header_mapping: dict[str, Any] = Field(description="Header in the file -> field.")
    counts: SourceCountsOut

    @classmethod
    def of_detail(cls, detail: SourceDetail) -> SourceDetailOut:
        counts = detail.counts
        return cls(
            **SourceOut.of(detail.source).model_dump(),
            header_mapping=detail.source.header_mapping or {},
            counts=SourceCountsOut(records=counts.records, persons=counts.persons,
                                   events=counts.events,
                                   rejected_issues=counts.rejected_issues,
                                   warnings=counts.warnings),
        )


class ImportIssueOut(BaseModel):
    row: int | None
    level: str = Field(description="rejected | warning")
    field: str | None
    reason: str

    @classmethod
    def of(cls, issue: ImportIssue) -> ImportIssueOut:
        return cls(row=issue.row_number, level=issue.level, field=issue.field,
                   reason=issue.reason)


class AccessPeriodOut(BaseModel):
    id: int
    monitor: str
    level: AccessLevel
    start: PartialDateText | None
    end: PartialDateText | None
    source_id: int | None
    notes: str | None

    @classmethod
    def of(cls, period: AccessPeriod) -> AccessPeriodOut:
        return cls(id=period.id, monitor=period.monitor, level=period.level,
                   start=iso(period.start), end=iso(period.end), source_id=period.source_id,
                   notes=period.notes)


class SiteOut(BaseModel):
    id: int
    key: str | None
    name: str
    name_uk: str | None
    name_ru: str | None
    name_en: str | None
    aliases: list[str]
    type: SiteType
    region: str | None
    country: str | None
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, site: Site) -> SiteOut:
        return cls(
            id=site.id, key=site.key, name=site.display_name, name_uk=site.name_uk,
            name_ru=site.name_ru, name_en=site.name_en, aliases=list(site.aliases or []),
            type=site.type, region=site.region, country=site.country,
            latitude=site.latitude, longitude=site.longitude,
        )


class SiteDetailOut(SiteOut):
    access_periods: list[AccessPeriodOut]
    person_count: int = Field(description="Persons with at least one event at the site.")
    event_count: int

    @classmethod
    def of_detail(cls, detail: SiteDetail) -> SiteDetailOut:
        return cls(**SiteOut.of(detail.site).model_dump(),
                   access_periods=[AccessPeriodOut.of(p) for p in detail.access_periods],
                   person_count=detail.person_count, event_count=detail.event_count)


class MeOut(BaseModel):
    username: str
    display_name: str | None
    roles: list[str]
    permissions: list[str]
    language: str


class HealthOut(BaseModel):
    status: str = Field(description="ok | degraded")
    database: str = Field(description="ok | unreachable")
