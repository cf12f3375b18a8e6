"""Testimonies of released persons and the acts coded from them (DESIGN.md section 4).

The witness's identity and the narrative are sensitive: each sits in one column, sealed
(`rollcall.security.fields`), read and written only through `rollcall.services.testimonies`
and `rollcall.services.witnesses`. Everyone else sees the pseudonym.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import CaptivityStage


class Testimony(Base):
    """One interview with a released person."""

    __tablename__ = "testimonies"

    id: Mapped[intpk]
    #: Shown instead of the witness everywhere outside the investigators' view.
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    #: The witness's person id in the registry, sealed (the link from a pseudonym to a name
    #: is the witness's identity): read only through `services.witnesses`. No foreign key:
    #: the database cannot see the id (persons are never deleted; a merged id stays valid).
    witness: Mapped[str | None] = mapped_column(Text)
    #: Blind index of the person id (`security.fields.blind_index`): "testimonies given by
    #: this person" is one indexed lookup, without opening any link.
    witness_index: Mapped[str | None] = mapped_column(String(64), index=True)
    interviewer: Mapped[str] = mapped_column(String(200))
    interviewed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(Text)
    #: ISO 639-1 code of the interview language (uk, ru, en, ...).
    language: Mapped[str] = mapped_column(String(8))
    consent_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_public_report: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_prosecution: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_icrc: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The witness's answer for the whole captivity: ever saw an independent monitor?
    #: None when not asked or not answered.
    saw_monitor: Mapped[bool | None] = mapped_column(Boolean)
    #: Ever allowed contact with family (GC III Art. 70-71)? None when unknown.
    family_contact: Mapped[bool | None] = mapped_column(Boolean)
    #: The account in the witness's words (sensitive: read only through the service).
    narrative: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Act(Base):
    """One act of ill-treatment coded from a testimony: the unit every count of methods,
    sites and periods is made of."""

    __tablename__ = "acts"

    id: Mapped[intpk]
    testimony_id: Mapped[int] = mapped_column(ForeignKey("testimonies.id"), index=True)
    #: A stable code of the methods vocabulary (rollcall/monitoring/data/methods.toml).
    method: Mapped[str] = mapped_column(String(64), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    period_start: Mapped[PartialDate | None]
    period_end: Mapped[PartialDate | None]
    stage: Mapped[CaptivityStage | None] = vocabulary_column(CaptivityStage)
    perpetrator: Mapped[str | None] = mapped_column(Text)
    #: The victim when it is not the witness; None means the witness.
    victim_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    victim_is_witness: Mapped[bool] = mapped_column(Boolean, default=True)
    monitor_seen: Mapped[bool | None] = mapped_column(Boolean)
    family_contact_allowed: Mapped[bool | None] = mapped_column(Boolean)
