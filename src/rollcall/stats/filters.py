"""The filters of an indicator (rollcall.stats.results.Filters) as SQL conditions, written
once for every indicator.

- Period on a partial date (stored as ISO text, '2023', '2023-05', '2023-05-10'): the date
  meets the period when some day it can stand for lies within it, as the incident counts
  read incident dates ("2023-05" meets a period from 20 May). An undated fact meets no
  period. On a full date (an interview, an exchange): the day lies within it.
- Source: a person is documented by a source when one of their records comes from it or
  an event of theirs cites it (records and events move to the survivor of a merge, so the
  person is always the survivor). Origin: the same, for every source of that origin.
- Site, for a person: their *last known site*, the site of their latest event naming one
  (rollcall.monitoring.access_gap.last_known_at: by date, undated events earliest, then
  by id), the same place the access-gap report gives a held person.
- Category, for a person: the category the registry gives them (from their records).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, literal, null, select, union
from sqlalchemy.orm import Session

from rollcall.errors import NotFound
from rollcall.models import Event, Site, Source, SourceRecord
from rollcall.monitoring.access_gap import last_known_at
from rollcall.monitoring.custody import as_text, touches
from rollcall.stats.results import Filters


def partial_in_period(column: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """A partial-date column meets the period (none: no condition)."""
    if not filters.has_period:
        return []
    start = filters.period_from.isoformat() if filters.period_from else ""
    end = literal(filters.period_to.isoformat()) if filters.period_to else null()
    date_text = as_text(column)
    return [date_text.is_not(None), touches(date_text, literal(start), end)]


def day_in_period(column: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """A full-date column lies within the period (none: no condition)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.period_from is not None:
        conditions.append(column >= filters.period_from)
    if filters.period_to is not None:
        conditions.append(column <= filters.period_to)
    return conditions


def from_source(column: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """A source-id column names the source, or a source of the origin."""
    conditions: list[ColumnElement[bool]] = []
    if filters.source_id is not None:
        conditions.append(column == filters.source_id)
    if filters.origin is not None:
        conditions.append(column.in_(select(Source.id).where(Source.origin == filters.origin)))
    return conditions


def documented_by(filters: Filters) -> Select[Any]:
    """The persons (survivors) a record or an event of the source (or origin) documents."""
    return union(
        select(SourceRecord.person_id).where(*from_source(SourceRecord.source_id, filters)),
        select(Event.person_id).where(*from_source(Event.source_id, filters)),
    ).subquery("documented").select()


def person_filters(person: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """Category, source or origin, and last known site, on a `persons` row that is not
    merged away (the period is each indicator's own)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.category is not None:
        conditions.append(person.category == filters.category)
    if filters.source_id is not None or filters.origin is not None:
        conditions.append(person.id.in_(documented_by(filters)))
    if filters.site_id is not None:
        conditions.append(person.id.in_(last_known_at(filters.site_id)))
    return conditions


def check_filters(session: Session, filters: Filters) -> None:
    """A site or source that does not exist is a mistake to report, not an empty table."""
    if filters.site_id is not None and session.get(Site, filters.site_id) is None:
        raise NotFound(f"site: no site {filters.site_id}")
    if filters.source_id is not None and session.get(Source, filters.source_id) is None:
        raise NotFound(f"source: no source {filters.source_id}")


__all__ = ["check_filters", "day_in_period", "documented_by", "from_source",
           "partial_in_period", "person_filters"]
