"""Prosecutions of persons in captivity: charges, court, dates, verdict, sentence, and the
fair-trial guarantees recorded as missing (GC III Art. 82-108; AP I Art. 75).

A charge or a sentence also enters the person's timeline as an event (`charged`,
`sentenced`), so their legal status follows: a Power that prosecutes a prisoner for
taking part in hostilities denies them POW status (rollcall.custody).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import FairTrialConcern, Verdict


class Prosecution(Base):
    """One case against one person. Dates are partial: reports often give only a month."""

    __tablename__ = "prosecutions"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    #: The charges as reported ("participation in a terrorist organisation").
    charges: Mapped[str] = mapped_column(Text)
    #: Articles of the code applied, as written ("ст. 205.5 ч. 2 УК РФ").
    article_codes: Mapped[str | None] = mapped_column(String(300))
    court: Mapped[str | None] = mapped_column(Text)
    charged_on: Mapped[PartialDate | None]
    trial_start: Mapped[PartialDate | None]
    verdict: Mapped[Verdict] = vocabulary_column(Verdict, default=Verdict.PENDING, index=True)
    verdict_on: Mapped[PartialDate | None]
    #: The sentence as pronounced ("13 years, strict-regime colony"; "life").
    sentence: Mapped[str | None] = mapped_column(Text)
    #: The term in months when it is one, for counting (13 years: 156).
    sentence_months: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProsecutionConcern(Base):
    """A fair-trial guarantee recorded as missing in a prosecution: a row each, so a count
    by concern is one grouped query on every database."""

    __tablename__ = "prosecution_concerns"

    prosecution_id: Mapped[int] = mapped_column(ForeignKey("prosecutions.id"),
                                                primary_key=True)
    concern: Mapped[FairTrialConcern] = vocabulary_column(FairTrialConcern, primary_key=True,
                                                          index=True)
