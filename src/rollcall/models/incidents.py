"""Allegations and incidents (DESIGN.md section 4): what happened, where, when, to whom,
on which sources, and how far it is established.

Incidents and victims are counted apart (OHCHR: "32 POWs in 12 incidents, 3 incidents
verified"): `victim_count` is how many victims an incident has, identified or not; the
persons linked to it are the identified ones, so the count is never below them.

Nothing is deleted: a status moves along `reported -> credible -> verified` (or back, or
to `retracted`) and every move is a row of `incident_status_changes` with who, why and the
corroboration rule that allowed it; a source that no longer stands is withdrawn, not
removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rollcall.dates import PartialDate
from rollcall.models.base import Base, intpk, utcnow
from rollcall.models.people import vocabulary_column
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType


class Incident(Base):
    """One allegation or incident."""

    __tablename__ = "incidents"

    id: Mapped[intpk]
    type: Mapped[IncidentType] = vocabulary_column(IncidentType, index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    #: Where, in words, when no site of detention fits (a road, a village, a field).
    place: Mapped[str | None] = mapped_column(Text)
    date_from: Mapped[PartialDate | None]
    date_to: Mapped[PartialDate | None]
    #: Victims, identified or not; at least the number of persons linked.
    victim_count: Mapped[int] = mapped_column(Integer, default=0)
    perpetrator: Mapped[str | None] = mapped_column(Text)
    status: Mapped[IncidentStatus] = vocabulary_column(
        IncidentStatus, default=IncidentStatus.REPORTED, index=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("victim_count >= 0", name="victim_count_not_negative"),)


class IncidentVictim(Base):
    """A registry person who is a victim of the incident. Merges do not rewrite these
    rows: readers resolve `persons.merged_into_id` to the survivor."""

    __tablename__ = "incident_victims"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           index=True)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IncidentSource(Base):
    """One source of an incident: a testimony, a document (a registry source or a
    reference), a media report, or other.

    Independence is decided by origin (rollcall.monitoring.corroboration): a testimony's
    origin is its witness, other sources' the `origin` given (publisher, author, issuing
    body), else the registry source; a source that `repeats` another takes its origin (a
    media report quoting a witness we interviewed is not a second source).
    """

    __tablename__ = "incident_sources"

    id: Mapped[intpk]
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[IncidentSourceKind] = vocabulary_column(IncidentSourceKind)
    testimony_id: Mapped[int | None] = mapped_column(ForeignKey("testimonies.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    #: What it is and where to find it: a URL, a document's title and number.
    reference: Mapped[str | None] = mapped_column(Text)
    #: Who produced it (publisher, author, issuing body); compared without case.
    origin: Mapped[str | None] = mapped_column(String(300))
    repeats_id: Mapped[int | None] = mapped_column(ForeignKey("incident_sources.id"))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("incident_id", "testimony_id",
                         name="uq_incident_sources_testimony_once"),
        UniqueConstraint("incident_id", "source_id", name="uq_incident_sources_source_once"),
    )


class IncidentStatusChange(Base):
    """One move of an incident's status, kept for good: who, when, why, and the rule (with
    the figures it was tested on) when a rule allowed it. The first row of every incident
    is its recording as `reported` (from_status None)."""

    __tablename__ = "incident_status_changes"

    id: Mapped[intpk]
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    from_status: Mapped[IncidentStatus | None] = vocabulary_column(IncidentStatus)
    to_status: Mapped[IncidentStatus] = vocabulary_column(IncidentStatus)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    #: The corroboration rule's text when it allowed the move (credible, verified).
    rule: Mapped[str | None] = mapped_column(Text)
    #: The source figures the rule was tested on (sources, independent_sources, ...).
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
