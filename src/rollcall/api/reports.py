"""`GET /api/reports/periodic`: the periodic report (rollcall.reports) for a period, as
the one self-contained HTML file `rollcall report` writes, or (`format=json`) its figures:
every indicator, the series over time and the estimate, each with the query it came
from. Needs stats:read."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from rollcall.api.indicators import FiltersOut, IndicatorOut, IndicatorsOut
from rollcall.reports import (
    PeriodicReport,
    content_security_policy,
    file_name,
    gather,
    parse_period,
    render_report,
)
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["statistics"])

StatsReader = Annotated[Actor, Depends(requires(Permission.STATS_READ))]


class Language(StrEnum):
    UK = "uk"
    EN = "en"


class Format(StrEnum):
    HTML = "html"
    JSON = "json"


class QueryOut(BaseModel):
    id: str = Field(description="The query's id: figure ids are this id and a cell's key.")
    indicator: str
    filters: FiltersOut
    command: str = Field(description="The command that computes the same figures again.")


class IntervalOut(BaseModel):
    code: str
    start: dt.date
    end: dt.date
    persons_by_status: IndicatorOut


class EstimateOut(BaseModel):
    population: str
    lists: list[str]
    documented: int
    estimate: dict[str, Any] | None = Field(description="The estimator's answer (the shape "
                                            "of `rollcall estimate --json`), unpublished.")
    refused: str | None = Field(description="Why no estimate could be made.")


class PeriodicReportOut(BaseModel):
    period_from: dt.date
    period_to: dt.date
    issued: dt.datetime
    threshold: int = Field(description="Small cells below this are withheld.")
    indicators: IndicatorsOut
    series: list[IntervalOut]
    estimates: list[EstimateOut]
    estimate_figures: IndicatorOut = Field(description="The estimates as published.")
    queries: list[QueryOut]

    @classmethod
    def of(cls, report: PeriodicReport) -> PeriodicReportOut:
        t = report.threshold
        return cls(
            period_from=report.period.start, period_to=report.period.end,
            issued=report.issued, threshold=t,
            indicators=IndicatorsOut.of(report.indicators),
            series=[IntervalOut(code=i.code, start=i.start, end=i.end,
                                persons_by_status=IndicatorOut.of(item, t))
                    for i, item in report.series],
            estimates=[EstimateOut(population=e.population, lists=list(e.lists),
                                   documented=e.documented,
                                   estimate=e.estimate.to_dict() if e.estimate else None,
                                   refused=e.refused) for e in report.estimates],
            estimate_figures=IndicatorOut.of(report.estimate_figures, t),
            queries=[QueryOut(id=q.id, indicator=q.indicator, command=q.command,
                              filters=FiltersOut(**vars(q.filters)))
                     for q in report.queries])


@router.get("/reports/periodic", summary="The periodic report for a period (HTML or JSON)",
            response_model=PeriodicReportOut,
            responses={200: {"content": {"text/html": {}}, "description": "The report as "
                             "one self-contained HTML file, or its figures as JSON."}})
def get_periodic_report(
    db: DbDep,
    actor: StatsReader,
    date_from: Annotated[str, Query(max_length=10, description="Period start, "
                                    "yyyy[-mm[-dd]] (its first day).")],
    date_to: Annotated[str, Query(max_length=10, description="Period end, "
                                  "yyyy[-mm[-dd]] (its last day).")],
    language: Language = Language.UK,
    format: Format = Format.HTML,
) -> Any:
    period = parse_period(date_from, date_to, from_name="date_from", to_name="date_to")
    with db.session() as session:
        report = gather(session, period)
    if format is Format.JSON:
        return PeriodicReportOut.of(report)
    return HTMLResponse(render_report(report, language.value), headers={
        "Content-Security-Policy": content_security_policy(),
        "Content-Disposition": f'inline; filename="{file_name(period, language.value)}"'})
