"""Tracing as stored: the name-key index over source records, and family tracing requests.

The index (`trace_names`, `trace_keys`) is derived data, like a search engine's index: it is
computed from the records' names and dates of birth, can be rebuilt at any time
(`rollcall tracing reindex`) and is never a domain write, so it has no change entries.
Tracing requests are domain data: each write is recorded.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column

#: Longest key the index stores; name keys are cut to fit (a longer name says nothing more).
KEY_CHARS = 80


class TraceName(Base):
    """What ranking needs of a record, computed once: its name keys (rollcall.names), date
    of birth and unit numbers, so ranking a few hundred candidates reads one narrow table
    and computes no key. `alt_*` hold the keys of the name read the other way round (given
    name first), kept only for names without a patronymic: lists such as media digests
    write "Given Surname" in Cyrillic, which the import reads surname first."""

    __tablename__ = "trace_names"

    record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), primary_key=True)
    surname_key: Mapped[str] = mapped_column(String(KEY_CHARS))
    given_key: Mapped[str | None] = mapped_column(String(KEY_CHARS))
    patronymic_key: Mapped[str | None] = mapped_column(String(KEY_CHARS))
    alt_surname_key: Mapped[str | None] = mapped_column(String(KEY_CHARS))
    alt_given_key: Mapped[str | None] = mapped_column(String(KEY_CHARS))
    #: As filed in `trace_keys` (0: unknown), so a record's entries can be found again.
    birth_year: Mapped[int] = mapped_column(SmallInteger)
    birth_date: Mapped[PartialDate | None]
    #: The numbers in the record's unit, space-separated ("2363").
    unit_numbers: Mapped[str | None] = mapped_column(String(100))


class TraceKey(Base):
    """One index entry: a record filed under a (compound) name key and its year of birth
    (0: unknown). The primary key is the lookup order, so a search reads a narrow range
    of one index and never the records themselves; no row id (SQLite WITHOUT ROWID)."""

    __tablename__ = "trace_keys"

    key: Mapped[str] = mapped_column(String(KEY_CHARS), primary_key=True)
    birth_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class RequestStatus(StrEnum):
    """Where a family's tracing request stands."""

    OPEN = "open"  # received, not yet answered
    ANSWERED = "answered"  # an answer was given to the family
    CLOSED = "closed"  # nothing more to do (answered long ago, withdrawn, duplicate)


class TracingRequest(Base):
    """A relative's request about a missing person, from the public form.

    `requester_contact` is the one sensitive column (DESIGN.md section 6): only
    services.tracing writes and reads it, it never enters a log or the change log, and it
    is stored encrypted (`rollcall.security.fields`). `requester_contact_index` is its
    blind index, so a relative who calls back can be found by the contact they gave.
    """

    __tablename__ = "tracing_requests"

    id: Mapped[intpk]
    #: What the family is told: a random code, not the row id, so it cannot be guessed.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(5), default="uk")

    surname: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[PartialDate | None]
    unit: Mapped[str | None] = mapped_column(Text)
    last_known_place: Mapped[str | None] = mapped_column(Text)
    last_known_date: Mapped[PartialDate | None]
    details: Mapped[str | None] = mapped_column(Text)

    requester_name: Mapped[str] = mapped_column(String(200))
    requester_relation: Mapped[str] = mapped_column(String(100))
    requester_contact: Mapped[str] = mapped_column(Text)
    requester_contact_index: Mapped[str | None] = mapped_column(String(64), index=True)

    status: Mapped[RequestStatus] = vocabulary_column(RequestStatus, default=RequestStatus.OPEN)
    matched_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_tracing_requests_status", "status", "received_at"),)
