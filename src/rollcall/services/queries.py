"""Read-only queries: what the API and the pages show, in one place.

Each function takes a Session and the Actor, checks the permission it needs and returns ORM
objects or small dataclasses. Nothing here writes registry data (callers never flush what
they read: a redacted or opened value lives in a view, never on the ORM object); showing a
sealed person to inform records a `sensitive:read` entry (`services.record_contacts`).
Lists are paginated with LIMIT/OFFSET and a COUNT over the same filter, ordered on indexed
columns so a page stays cheap with 100k+ persons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.ingest.fields import CONTACT_FIELDS
from rollcall.models import AccessPeriod, Event, ImportIssue, Person, Site, Source, SourceRecord
from rollcall.names import fold
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.import_rows import CONTACT, SEALED_CELL
from rollcall.services.linkage import current_person_id
from rollcall.services.record_contacts import shown_contacts
from rollcall.vocabulary import Category, CustodyStatus, EventType, SiteType

T = TypeVar("T")

MAX_PAGE_SIZE = 200
MAX_TERMS = 8

#: The normalised record fields, in the order a person's records are compared.
RECORD_FIELDS = (
    "surname", "given_name", "patronymic", "sex", "birth_date", "place_of_birth",
    "service_number", "rank", "unit", "power_depended_on", "father_name",
    "mother_maiden_name", "person_to_inform", "capture_date", "capture_place", "category",
    "stated_status", "status_date", "site_named", "health_notes", "death_date", "death_place",
    "death_cause", "burial_place", "notes",
)


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
    #: True when counting stopped at a limit: there are more than `total` (pages count
    #: only so far, so a list of a million persons costs what one of ten thousand does).
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _bounds(page: int, page_size: int) -> tuple[int, int]:
    return max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)


def count_upto(session: Session, rows: Select[Any], limit: int | None) -> tuple[int, bool]:
    """How many rows `rows` selects, counting no further than `limit` (None: all); and
    whether it stopped there."""
    if limit is None:
        return session.scalar(select(func.count()).select_from(rows.subquery())) or 0, False
    found = session.scalar(select(func.count()).select_from(rows.limit(limit + 1).subquery()))
    return min(found or 0, limit), (found or 0) > limit


def _page(session: Session, stmt: Select[Any], count: Select[Any], page: int,
          page_size: int, *, scalars: bool = True,
          count_limit: int | None = None) -> Paged[Any]:
    """One page of `stmt`; `count` is its COUNT, or with `count_limit` the rows it counts
    (a SELECT of one column over the same filter) counted up to the limit."""
    page, page_size = _bounds(page, page_size)
    if count_limit is None:
        total, more = session.scalar(count) or 0, False
    else:
        total, more = count_upto(session, count, count_limit)
    stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    items = list(session.scalars(stmt)) if scalars else list(session.execute(stmt).all())
    return Paged(items, total, page, page_size, more)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- persons -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonRow:
    person: Person
    record_count: int


def search_persons(
    session: Session,
    actor: Actor,
    *,
    q: str | None = None,
    status: CustodyStatus | None = None,
    category: Category | None = None,
    source_id: int | None = None,
    born_from: PartialDate | None = None,
    born_to: PartialDate | None = None,
    page: int = 1,
    page_size: int = 50,
    count_limit: int | None = None,
) -> Paged[PersonRow]:
    """Persons whose folded names contain every word of `q` (any script, as stored), a
    surname starting with the first word ranked first; then by surname, given name, id.
    On PostgreSQL the words are found through a trigram index. `count_limit` stops the
    count there (the pages: "more than 10,000"), the API counts them all."""
    actor.require(Permission.REGISTRY_READ)
    conds: list[ColumnElement[bool]] = [Person.merged_into_id.is_(None)]
    terms = fold(q).split()[:MAX_TERMS] if q else []
    for term in terms:
        conds.append(Person.search_key.like(f"%{_like_escape(term)}%", escape="\\"))
    if status is not None:
        conds.append(Person.custody_status == status)
    if category is not None:
        conds.append(Person.category == category)
    if source_id is not None:
        conds.append(Person.id.in_(
            select(SourceRecord.person_id).where(SourceRecord.source_id == source_id)))
    if born_from is not None:
        conds.append(Person.birth_date >= born_from)
    if born_to is not None:
        conds.append(Person.birth_date <= PartialDate.from_date(born_to.latest()))

    records = (select(func.count(SourceRecord.id))
               .where(SourceRecord.person_id == Person.id)
               .correlate(Person).scalar_subquery())
    order: list[Any] = [Person.surname, Person.given_name, Person.id]
    if terms:
        prefix = Person.search_key.like(f"{_like_escape(terms[0])}%", escape="\\")
        order.insert(0, case((prefix, 0), else_=1))
    stmt = select(Person, records).where(*conds).order_by(*order)
    count = (select(func.count(Person.id)).where(*conds) if count_limit is None
             else select(Person.id).where(*conds))
    paged = _page(session, stmt, count, page, page_size, scalars=False,
                  count_limit=count_limit)
    return Paged([PersonRow(p, n) for p, n in paged.items], paged.total, paged.page,
                 paged.page_size, paged.more)


@dataclass(frozen=True)
class RecordView:
    """A source record as this actor may see it: contact fields withheld without
    CONTACTS_READ, in the normalised fields and in the verbatim row alike; opened (and
    the showing recorded) with it."""

    record: SourceRecord
    source: Source
    fields: dict[str, Any]
    raw: dict[str, Any]
    withheld: tuple[str, ...] = ()
    withheld_raw: tuple[str, ...] = ()


def record_views(session: Session, actor: Actor,
                 records: Sequence[SourceRecord]) -> list[RecordView]:
    """The records as this actor may see them (their `source` loaded). The only way a
    record is shown: the person to inform is opened here, for readers of contacts."""
    contacts = shown_contacts(session, actor, records)
    return [_record_view(r, actor, contacts.get(r.id)) for r in records]


def _record_view(record: SourceRecord, actor: Actor, contact: str | None) -> RecordView:
    source = record.source
    fields = {name: getattr(record, name) for name in RECORD_FIELDS}
    raw = dict(record.raw or {})
    headers = tuple(header for header, target in (source.header_mapping or {}).items()
                    if target in CONTACT_FIELDS and header in raw)
    if actor.can(Permission.CONTACTS_READ):
        fields[CONTACT] = contact
        for header in headers:
            if raw[header] == SEALED_CELL:
                raw[header] = contact
        return RecordView(record, source, fields, raw)
    for name in CONTACT_FIELDS:
        fields[name] = None
    for header in headers:
        raw[header] = None
    return RecordView(record, source, fields, raw, tuple(sorted(CONTACT_FIELDS)), headers)


@dataclass(frozen=True)
class EventRow:
    event: Event
    source: Source
    site: Site | None


@dataclass(frozen=True)
class PersonDetail:
    person: Person
    records: list[RecordView]
    events: list[EventRow]


def _event_order(row: EventRow) -> tuple[dt.date, int]:
    date = row.event.date
    return (date.earliest() if date else dt.date.max, row.event.id)


def get_person(session: Session, actor: Actor, person_id: int) -> PersonDetail:
    """The person, every source record side by side, and the timeline in date order
    (undated events last). A person merged into another stands for the survivor: the
    detail is the survivor's (its `person.id` says which)."""
    actor.require(Permission.REGISTRY_READ)
    person_id = current_person_id(session, person_id)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    records = session.scalars(
        select(SourceRecord).options(joinedload(SourceRecord.source))
        .where(SourceRecord.person_id == person_id)
        .order_by(SourceRecord.source_id, SourceRecord.row_number)
    ).all()
    events = _event_rows(session, [Event.person_id == person_id])
    return PersonDetail(person, record_views(session, actor, records),
                        sorted(events, key=_event_order))


def _event_rows(session: Session, conds: Sequence[ColumnElement[bool]], *,
                limit: int | None = None, offset: int = 0) -> list[EventRow]:
    stmt = (select(Event, Source, Site)
            .join(Source, Event.source_id == Source.id)
            .outerjoin(Site, Event.site_id == Site.id)
            .where(*conds)
            .order_by(Event.date.is_(None), Event.date, Event.id))
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return [EventRow(e, s, site) for e, s, site in session.execute(stmt).all()]


# --- records -------------------------------------------------------------------------------

def _case_variants(term: str) -> set[str]:
    return {term, term.lower(), term.capitalize(), term.upper()}


def search_records(
    session: Session,
    actor: Actor,
    *,
    source_id: int | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[RecordView]:
    """Source records, by source and surname prefix (in any letter case, on the surname
    index), in source and row order."""
    actor.require(Permission.REGISTRY_READ)
    conds: list[ColumnElement[bool]] = []
    if source_id is not None:
        conds.append(SourceRecord.source_id == source_id)
    term = q.strip() if q else ""
    if term:
        conds.append(or_(*(
            SourceRecord.surname.between(v, v + "\U0010ffff") for v in _case_variants(term)
        )))
    stmt = (select(SourceRecord).options(joinedload(SourceRecord.source)).where(*conds)
            .order_by(SourceRecord.source_id, SourceRecord.row_number))
    count = select(func.count(SourceRecord.id)).where(*conds)
    paged: Paged[SourceRecord] = _page(session, stmt, count, page, page_size)
    return Paged(record_views(session, actor, paged.items), paged.total, paged.page,
                 paged.page_size)


def get_record(session: Session, actor: Actor, record_id: int) -> RecordView:
    actor.require(Permission.REGISTRY_READ)
    record = session.scalar(select(SourceRecord).options(joinedload(SourceRecord.source))
                            .where(SourceRecord.id == record_id))
    if record is None:
        raise NotFound(f"no record {record_id}")
    return record_views(session, actor, [record])[0]


# --- sources -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceCounts:
    records: int
    persons: int
    events: int
    rejected_issues: int
    warnings: int
    #: The figures counting stopped at (see `get_source`'s `count_limit`).
    more: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SourceDetail:
    source: Source
    counts: SourceCounts


def list_sources(session: Session, actor: Actor, *, page: int = 1,
                 page_size: int = 50) -> Paged[Source]:
    """Sources, newest import first."""
    actor.require(Permission.REGISTRY_READ)
    stmt = select(Source).order_by(Source.imported_at.desc(), Source.id.desc())
    return _page(session, stmt, select(func.count(Source.id)), page, page_size)


def get_source(session: Session, actor: Actor, source_id: int, *,
               count_limit: int | None = None) -> SourceDetail:
    """A source with its counts. With `count_limit`, records, persons and events are
    counted no further than that (a page shows "more than"; a list of a million rows
    then costs what one of ten thousand does)."""
    actor.require(Permission.REGISTRY_READ)
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source {source_id}")
    by_source = SourceRecord.source_id == source_id
    issues = dict(session.execute(
        select(ImportIssue.level, func.count(ImportIssue.id))
        .where(ImportIssue.source_id == source_id).group_by(ImportIssue.level)
    ).all())
    figures = {
        "records": select(SourceRecord.id).where(by_source),
        "persons": select(SourceRecord.person_id).where(by_source).distinct(),
        "events": select(Event.id).where(Event.source_id == source_id),
    }
    counted = {name: count_upto(session, rows, count_limit) for name, rows in figures.items()}
    counts = SourceCounts(
        records=counted["records"][0], persons=counted["persons"][0],
        events=counted["events"][0],
        rejected_issues=issues.get("rejected", 0),
        warnings=issues.get("warning", 0),
        more=frozenset(name for name, (_, more) in counted.items() if more),
    )
    return SourceDetail(source, counts)


def source_issues(session: Session, actor: Actor, source_id: int, *, level: str | None = None,
                  page: int = 1, page_size: int = 50) -> Paged[ImportIssue]:
    """The import report of a source, in row order."""
    actor.require(Permission.REGISTRY_READ)
    if session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")
    conds = [ImportIssue.source_id == source_id]
    if level:
        conds.append(ImportIssue.level == level)
    stmt = select(ImportIssue).where(*conds).order_by(ImportIssue.row_number, ImportIssue.id)
    return _page(session, stmt, select(func.count(ImportIssue.id)).where(*conds), page,
                 page_size)


# --- sites and events ----------------------------------------------------------------------

@dataclass(frozen=True)
class SiteDetail:
    site: Site
    access_periods: list[AccessPeriod]
    person_count: int
    event_count: int


def list_sites(
    session: Session,
    actor: Actor,
    *,
    q: str | None = None,
    type: SiteType | None = None,
    country: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[Site]:
    """Sites by name. A gazetteer holds hundreds of sites, not millions, so the name match
    (every name and alias, folded) is done here rather than in SQL."""
    actor.require(Permission.REGISTRY_READ)
    stmt = select(Site)
    if type is not None:
        stmt = stmt.where(Site.type == type)
    if country:
        stmt = stmt.where(Site.country == country.strip().upper())
    sites: Sequence[Site] = session.scalars(stmt.order_by(Site.id)).all()
    terms = fold(q).split() if q else []
    if terms:
        sites = [s for s in sites if all(t in fold(" ".join(s.names)) for t in terms)]
    ordered = sorted(sites, key=lambda s: (fold(s.display_name), s.id))
    page, page_size = _bounds(page, page_size)
    start = (page - 1) * page_size
    return Paged(ordered[start:start + page_size], len(ordered), page, page_size)


def get_site(session: Session, actor: Actor, site_id: int) -> SiteDetail:
    actor.require(Permission.REGISTRY_READ)
    site = session.scalar(select(Site).options(selectinload(Site.access_periods))
                          .where(Site.id == site_id))
    if site is None:
        raise NotFound(f"no site {site_id}")
    at_site = Event.site_id == site_id
    return SiteDetail(
        site,
        access_periods=list(site.access_periods),
        person_count=session.scalar(
            select(func.count(func.distinct(Event.person_id))).where(at_site)) or 0,
        event_count=session.scalar(select(func.count(Event.id)).where(at_site)) or 0,
    )


def site_persons(session: Session, actor: Actor, site_id: int, *, page: int = 1,
                 page_size: int = 50) -> Paged[Person]:
    """Persons with at least one event at the site, by name."""
    actor.require(Permission.REGISTRY_READ)
    if session.get(Site, site_id) is None:
        raise NotFound(f"no site {site_id}")
    there = Person.id.in_(select(Event.person_id).where(Event.site_id == site_id))
    stmt = select(Person).where(there).order_by(Person.surname, Person.given_name, Person.id)
    return _page(session, stmt, select(func.count(Person.id)).where(there), page, page_size)


def list_events(
    session: Session,
    actor: Actor,
    *,
    person_id: int | None = None,
    site_id: int | None = None,
    type: EventType | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[EventRow]:
    actor.require(Permission.REGISTRY_READ)
    conds: list[ColumnElement[bool]] = []
    if person_id is not None:
        conds.append(Event.person_id == person_id)
    if site_id is not None:
        conds.append(Event.site_id == site_id)
    if type is not None:
        conds.append(Event.type == type)
    page, page_size = _bounds(page, page_size)
    total = session.scalar(select(func.count(Event.id)).where(*conds)) or 0
    rows = _event_rows(session, conds, limit=page_size,
                       offset=(page - 1) * page_size)
    return Paged(rows, total, page, page_size)
