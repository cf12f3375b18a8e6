"""The periodic report (issue 6 part 3): one self-contained HTML file in the shape of a
monitoring mission's periodic report, for a period, in Ukrainian or English.

    from rollcall.reports import periodic_report
    html = periodic_report(session, parse_period("2023", "2023"), language="uk")

    period      the period from the dates people type, and its months/quarters/years
    figures     gathering every figure (indicators, series, estimate), with its query
    estimates   the estimate of the undocumented (multiple systems estimation)
    charts      the chart over time (the bar charts are rollcall.stats.charts)
    view        the figures in words of a language, each tagged with its figure id
    render      the HTML file: template, inlined style, its own Content-Security-Policy

The CLI (`rollcall report`), the page (`/reports`) and the API
(`GET /api/reports/periodic`) all call `periodic_report` (or `gather` for the JSON of the
figures); the doors check the permission `stats:read` first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rollcall.reports.figures import PeriodicReport, Query, figure_id, gather
from rollcall.reports.period import Interval, Period, parse_period
from rollcall.reports.render import content_security_policy, render_report

LANGUAGES = ("uk", "en")


def periodic_report(session: Session, period: Period, *, language: str,
                    threshold: int | None = None, issued: dt.datetime | None = None) -> str:
    """The report on `period` in `language`, as one HTML document."""
    return render_report(gather(session, period, threshold=threshold, issued=issued),
                         language)


def file_name(period: Period, language: str) -> str:
    """The name a downloaded report is saved under."""
    return f"rollcall-report-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}-{language}.html"


__all__ = ["LANGUAGES", "Interval", "Period", "PeriodicReport", "Query",
           "content_security_policy", "figure_id", "file_name", "gather", "parse_period",
           "periodic_report", "render_report"]
