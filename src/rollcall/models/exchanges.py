"""Exchanges and repatriation, and contact with family (DESIGN.md section 4, Exchange;
GC III Art. 70-71, 109-119).

A person's status is never stored here: attaching a person to an exchange, or recording a
delivered letter, also records the matching event (`exchanged`, `body_repatriated`,
`identified`, `contact_with_family`) and the status follows from the events. These tables
keep what the events cannot: who was handed over each way, in what state, and whether a
repatriated body has been identified.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import (
    ContactDirection,
    ContactKind,
    ExchangeDirection,
    ExchangeKind,
    IdentificationStatus,
    Mediator,
)


class Exchange(Base):
    """One exchange or repatriation: a day, who mediated, and bodies handed over that no
    list names (they are counted, as unidentified, but belong to no person)."""

    __tablename__ = "exchanges"

    id: Mapped[intpk]
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    #: The mediator as the announcement names it ("ICRC and the UAE").
    mediator: Mapped[str | None] = mapped_column(Text)
    mediator_code: Mapped[Mediator | None] = vocabulary_column(Mediator)
    place: Mapped[str | None] = mapped_column(Text)
    unnamed_bodies_to_own_side: Mapped[int] = mapped_column(Integer, default=0)
    unnamed_bodies_to_adversary: Mapped[int] = mapped_column(Integer, default=0)
    #: The announcement or report of the exchange, when one is in the registry.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ExchangePerson(Base):
    """A registry person handed over in an exchange. Merges do not rewrite these rows:
    readers resolve `persons.merged_into_id` to the survivor."""

    __tablename__ = "exchange_persons"

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           index=True)
    direction: Mapped[ExchangeDirection] = vocabulary_column(ExchangeDirection)
    kind: Mapped[ExchangeKind] = vocabulary_column(ExchangeKind)
    #: Bodies only (None for a person handed over alive).
    identification: Mapped[IdentificationStatus | None] = vocabulary_column(
        IdentificationStatus)
    #: The list or report that names this person as handed over.
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    #: The row of an imported exchange list this person came from.
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FamilyContact(Base):
    """A capture card, letter, call, parcel or message between a person in captivity and
    their family. `delivered` says whether it reached its addressee: the family for a
    contact from the person, the person for one to them; None when nobody knows. Notes
    must not hold the family's contact details (those belong to the encrypted fields)."""

    __tablename__ = "family_contacts"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[ContactKind] = vocabulary_column(ContactKind)
    direction: Mapped[ContactDirection] = vocabulary_column(ContactDirection)
    date: Mapped[PartialDate | None]
    delivered: Mapped[bool | None] = mapped_column(Boolean)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
