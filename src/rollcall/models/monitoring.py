"""Monitoring visits: who saw which place of detention when, and whom they were shown
(DESIGN.md section 4, Visit). The access-gap analysis (rollcall.monitoring) reads them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import Monitor


class Visit(Base):
    """One visit by an independent monitor to a site. A visit has a day: the date is a
    full date, not a partial one."""

    __tablename__ = "visits"

    id: Mapped[intpk]
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    monitor: Mapped[Monitor] = vocabulary_column(Monitor)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    #: Interviews without witnesses (GC III Art. 126); without them a visit is partial.
    private_interviews: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Premises the monitor asked to see and was refused; any makes the visit partial.
    premises_refused: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class VisitPerson(Base):
    """A registry person presented to the monitor during a visit. Merges do not rewrite
    these rows: readers resolve `persons.merged_into_id` to the survivor."""

    __tablename__ = "visit_persons"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           index=True)
