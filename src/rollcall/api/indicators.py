"""`GET /api/indicators`: every indicator (rollcall.stats.indicators) under filters given
as query parameters, each with its definition, its cells (numerator, denominator, value,
interval) and, with `publication=true`, small cells withheld. Needs stats:read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.validation import partial_date
from rollcall.stats.indicators import (
    WHY,
    Cell,
    Filters,
    Indicator,
    Indicators,
    Kind,
    Suppression,
    compute_indicators,
)
from rollcall.vocabulary import Category, Origin
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["statistics"])

StatsReader = Annotated[Actor, Depends(requires(Permission.STATS_READ))]


class CellOut(BaseModel):
    key: list[str] = Field(description="One code per dimension of the indicator; `all` "
                           "for a total.")
    numerator: int | None = Field(description="The count; null when withheld.")
    denominator: int | None = Field(description="Of a proportion, the whole it is a share "
                                    "of; of a count, the total it is part of (null if "
                                    "none, or withheld).")
    value: float | None = Field(description="A proportion's share (0-1), a count's count.")
    lower: float | None = Field(description="95% Wilson interval, lower bound (shares).")
    upper: float | None = Field(description="95% Wilson interval, upper bound (shares).")
    suppressed: Suppression | None = Field(description="Withheld for publication: "
                                           "`primary` (small) or `secondary` (could be "
                                           "worked out from a total).")
    why: str | None = Field(description="Why it is withheld, in words.")

    @classmethod
    def of(cls, cell: Cell, threshold: int | None) -> CellOut:
        why = None
        if cell.suppressed is not None:
            why = WHY[cell.suppressed] % {"threshold": threshold}
        return cls(key=list(cell.key), numerator=cell.numerator,
                   denominator=cell.denominator, value=cell.value, lower=cell.lower,
                   upper=cell.upper, suppressed=cell.suppressed, why=why)


class IndicatorOut(BaseModel):
    code: str
    title: str
    kind: Kind
    dimensions: list[str]
    method: str = Field(description="How it is computed.")
    period_date: str = Field(description="The date the period filter reads.")
    applies: dict[str, str] = Field(description="How each filter that applies is read.")
    not_applicable: dict[str, str] = Field(description="Why the others do not apply.")
    not_applied: dict[str, str] = Field(description="Filters given here that do not apply "
                                        "to this indicator, and why: ignored for it.")
    notes: list[str]
    protected: bool = Field(description="Whether small cells are withheld for publication "
                            "(figures about people).")
    cells: list[CellOut]

    @classmethod
    def of(cls, item: Indicator, threshold: int | None) -> IndicatorOut:
        d = item.definition
        return cls(code=d.code, title=d.title, kind=d.kind, dimensions=list(d.dimensions),
                   method=d.method, period_date=d.period_date, applies=dict(d.applies),
                   not_applicable=dict(d.not_applicable), not_applied=dict(item.not_applied),
                   notes=list(item.notes), protected=d.protected,
                   cells=[CellOut.of(c, threshold) for c in item.cells])


class FiltersOut(BaseModel):
    period_from: dt.date | None
    period_to: dt.date | None
    site_id: int | None
    category: Category | None
    source_id: int | None
    origin: Origin | None


class IndicatorsOut(BaseModel):
    filters: FiltersOut
    publication: bool
    threshold: int | None = Field(description="Under publication, the small-cell threshold.")
    computed_at: dt.datetime = Field(description="Counted from the registry at this time.")
    indicators: list[IndicatorOut]

    @classmethod
    def of(cls, found: Indicators) -> IndicatorsOut:
        f = found.filters
        return cls(
            filters=FiltersOut(period_from=f.period_from, period_to=f.period_to,
                               site_id=f.site_id, category=f.category,
                               source_id=f.source_id, origin=f.origin),
            publication=found.publication, threshold=found.threshold,
            computed_at=found.computed_at,
            indicators=[IndicatorOut.of(i, found.threshold) for i in found])


@router.get("/indicators", response_model=IndicatorsOut,
            summary="Every indicator with numerator, denominator and interval, filtered")
def get_indicators(
    db: DbDep,
    actor: StatsReader,
    date_from: Annotated[str | None, Query(max_length=10, description="Period start, "
                                           "yyyy[-mm[-dd]] (its first day).")] = None,
    date_to: Annotated[str | None, Query(max_length=10, description="Period end, "
                                         "yyyy[-mm[-dd]] (its last day).")] = None,
    site_id: int | None = None,
    category: Category | None = None,
    source_id: int | None = None,
    origin: Origin | None = None,
    publication: Annotated[bool, Query(description="Withhold small cells (the setting "
                                       "small_cell_threshold) as for publication.")] = False,
) -> IndicatorsOut:
    start, end = partial_date(date_from, "date_from"), partial_date(date_to, "date_to")
    filters = Filters(period_from=start.earliest() if start else None,
                      period_to=end.latest() if end else None, site_id=site_id,
                      category=category, source_id=source_id, origin=origin)
    with db.session() as session:
        return IndicatorsOut.of(compute_indicators(session, filters, publication=publication))
