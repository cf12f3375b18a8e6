"""Custody periods a registrar records by hand: person P was held at site S from one day to
another (issue 4 part 1). They stand beside the stays the registry derives from events
(`rollcall.monitoring.custody`) and win over them on the days they cover.

A period covers both its days: `start` is the first day at the site, `end` the last one
(the day of the transfer or release), None while it lasts. Two periods of one person at
different sites may share a boundary day (the transfer day) but no more; the service
refuses anything else, since nobody is held in two places at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.models.base import Base, intpk, utcnow


class CustodyPeriod(Base):
    __tablename__ = "custody_periods"

    id: Mapped[intpk]
    #: Merges do not rewrite these rows: readers resolve `persons.merged_into_id`.
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
