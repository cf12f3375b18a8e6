"""The registry proper: sources as received, their rows verbatim, resolved persons and the
dated events that make up a person's timeline (DESIGN.md section 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.vocabulary import Category, CustodyStatus, EventType, LegalStatus, Origin, Script


def vocabulary_column(enum: type[Any], **kwargs: Any) -> Any:
    """A column holding a vocabulary code as plain text (no native enum), so missions can
    add codes without a schema change on PostgreSQL."""
    return mapped_column(
        Enum(enum, native_enum=False, values_callable=lambda e: [m.value for m in e], length=32),
        **kwargs,
    )


class Source(Base):
    """A document or list as received. Nothing enters the registry without one."""

    __tablename__ = "sources"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(300))
    origin: Mapped[Origin] = vocabulary_column(Origin)
    received: Mapped[PartialDate | None]
    file_name: Mapped[str | None] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_format: Mapped[str | None] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(16))
    header_mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)

    records: Mapped[list[SourceRecord]] = relationship(back_populates="source", lazy="raise")
    issues: Mapped[list[ImportIssue]] = relationship(
        back_populates="source", lazy="raise", order_by="ImportIssue.id"
    )


class ImportIssue(Base):
    """One line of a source's import report: a rejected row's problem, or a warning."""

    __tablename__ = "import_issues"

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    row_number: Mapped[int | None]
    level: Mapped[str] = mapped_column(String(8))  # "rejected" | "warning"
    field: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="issues", lazy="raise")


class Person(Base):
    """The resolved human: a cluster of source records. Status is derived from events."""

    __tablename__ = "persons"

    id: Mapped[intpk]
    surname: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    name_script: Mapped[Script | None] = vocabulary_column(Script)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[PartialDate | None]
    category: Mapped[Category] = vocabulary_column(Category, default=Category.UNKNOWN)
    custody_status: Mapped[CustodyStatus] = vocabulary_column(
        CustodyStatus, default=CustodyStatus.UNKNOWN
    )
    legal_status: Mapped[LegalStatus] = vocabulary_column(LegalStatus, default=LegalStatus.UNKNOWN)
    status_as_of: Mapped[PartialDate | None]
    search_key: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: Set when identity resolution merged this person into another (the survivor). A
    #: merged person keeps its row, since its id may be cited elsewhere, but has no records.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)

    records: Mapped[list[SourceRecord]] = relationship(back_populates="person", lazy="raise")
    events: Mapped[list[Event]] = relationship(back_populates="person", lazy="raise")

    __table_args__ = (
        Index("ix_persons_surname_given", "surname", "given_name"),
        # The indicators count persons by status from this index alone (migration 0015).
        Index("ix_persons_status_scan", "merged_into_id", "custody_status", "category",
              "status_as_of"),
        # The persons search looks for words anywhere in the folded names (LIKE '%w%'):
        # on PostgreSQL a trigram index finds them among a million persons in
        # milliseconds. SQLite has no such index; it scans.
        Index("ix_persons_search_key_trgm", "search_key", postgresql_using="gin",
              postgresql_ops={"search_key": "gin_trgm_ops"},
              info={"dialects": ("postgresql",)}).ddl_if(dialect="postgresql"),
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class SourceRecord(Base):
    """One row of a source: verbatim (`raw`) and normalised (the columns)."""

    __tablename__ = "source_records"

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    row_number: Mapped[int]
    source_key: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    raw: Mapped[dict[str, Any]]

    surname: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    name_script: Mapped[Script | None] = vocabulary_column(Script)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[PartialDate | None]
    place_of_birth: Mapped[str | None] = mapped_column(Text)
    service_number: Mapped[str | None] = mapped_column(String(100))
    rank: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(Text)
    power_depended_on: Mapped[str | None] = mapped_column(String(200))
    father_name: Mapped[str | None] = mapped_column(String(200))
    mother_maiden_name: Mapped[str | None] = mapped_column(String(200))
    person_to_inform: Mapped[str | None] = mapped_column(Text)
    capture_date: Mapped[PartialDate | None]
    capture_place: Mapped[str | None] = mapped_column(Text)
    category: Mapped[Category | None] = vocabulary_column(Category)
    stated_status: Mapped[str | None] = mapped_column(Text)
    status_date: Mapped[PartialDate | None]
    health_notes: Mapped[str | None] = mapped_column(Text)
    site_named: Mapped[str | None] = mapped_column(Text)
    death_date: Mapped[PartialDate | None]
    death_place: Mapped[str | None] = mapped_column(Text)
    death_cause: Mapped[str | None] = mapped_column(Text)
    burial_place: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    #: Art. 17 questions the person refused to answer ("refused" stands in the text
    #: fields too; the date fields stay empty).
    refused_fields: Mapped[list[str]] = mapped_column(default=list)

    source: Mapped[Source] = relationship(back_populates="records", lazy="raise")
    person: Mapped[Person] = relationship(back_populates="records", lazy="raise")

    __table_args__ = (
        UniqueConstraint("source_id", "row_number", name="uq_source_records_source_row"),
        Index("ix_source_records_surname", "surname"),
        # A source's persons: counted on its page (distinct, stopping at a limit) and
        # listed by the persons filter, without reading a million-row list.
        Index("ix_source_records_source_person", "source_id", "person_id"),
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class Event(Base):
    """A dated fact about a person, from a source (GC III Art. 122)."""

    __tablename__ = "events"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))
    type: Mapped[EventType] = vocabulary_column(EventType)
    date: Mapped[PartialDate | None]
    place: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    site_named: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="events", lazy="raise")
