"""The period a report covers, from the dates people type, and its division into the
intervals (months, quarters or years) its charts over time are drawn by.

A report needs both ends: a periodic report without them is the dashboard. The dates may
be partial, as the dashboard's are: a year or a month stands for its first day at the
start and its last day at the end ("2023" to "2023" is the whole year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue
from rollcall.web.params import optional_date

#: Charts over time keep to about a dozen columns: months up to 18 of them, quarters up
#: to 5 years, years beyond.
MONTHS_AT_MOST = 18
QUARTERS_AT_MOST = 20
#: A report counts each interval apart, so a period of centuries (typed by mistake, or
#: asked of the API) would be thousands of counts: refused instead.
YEARS_AT_MOST = 50


@dataclass(frozen=True)
class Interval:
    """One column of a chart over time: its first and last day and how it is named
    (`kind` month, quarter or year; `label` the ISO-like code shown in figure ids)."""

    start: dt.date
    end: dt.date
    kind: str
    code: str


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def intervals(self) -> list[Interval]:
        """The period cut into months, quarters or years (the first and last cut to the
        period's ends)."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        kind = ("month" if months <= MONTHS_AT_MOST
                else "quarter" if months <= QUARTERS_AT_MOST * 3 else "year")
        found: list[Interval] = []
        cursor = self.start
        while cursor <= self.end:
            if kind == "month":
                first = cursor.replace(day=1)
                following = _add_months(first, 1)
                code = f"{first:%Y-%m}"
            elif kind == "quarter":
                first = dt.date(cursor.year, 3 * ((cursor.month - 1) // 3) + 1, 1)
                following = _add_months(first, 3)
                code = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
            else:
                first = dt.date(cursor.year, 1, 1)
                following = dt.date(cursor.year + 1, 1, 1)
                code = f"{first.year}"
            last = min(following - dt.timedelta(days=1), self.end)
            found.append(Interval(start=max(first, self.start), end=last, kind=kind,
                                  code=code))
            cursor = following
        return found


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_period(date_from: str | PartialDate | None, date_to: str | PartialDate | None, *,
                 from_name: str = "--from", to_name: str = "--to") -> Period:
    """The period from two dates as typed (yyyy, yyyy-mm, yyyy-mm-dd, mm.yyyy,
    dd.mm.yyyy); errors name the option or field (`from_name`, `to_name`)."""
    start = date_from if isinstance(date_from, PartialDate) else optional_date(date_from,
                                                                               from_name)
    end = date_to if isinstance(date_to, PartialDate) else optional_date(date_to, to_name)
    if start is None:
        raise InvalidValue(f"{from_name}: the report needs the start of its period")
    if end is None:
        raise InvalidValue(f"{to_name}: the report needs the end of its period")
    period = Period(start.earliest(), end.latest())
    if period.start > period.end:
        raise InvalidValue(f"{from_name}: the start of the period is after its end "
                           f"({to_name})")
    if period.end.year - period.start.year >= YEARS_AT_MOST:
        raise InvalidValue(f"{to_name}: a report covers at most {YEARS_AT_MOST} years")
    return period


__all__ = ["Interval", "Period", "parse_period"]
