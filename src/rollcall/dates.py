"""Partial dates: lists give a year, a month, or a full day, and that precision is part of
the fact ("born 1994" is not "born 1994-01-01").

A `PartialDate` is stored as its ISO prefix (`"1994"`, `"1994-03"`, `"1994-03-12"`), which
sorts correctly as text and keeps its precision without a second column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import total_ordering

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month, or the day."""

    year: int
    month: int | None = None
    day: int | None = None
    #: The ISO text, made once: imports write millions of them.
    _iso: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")
        if self.day is not None:
            assert self.month is not None
            dt.date(self.year, self.month, self.day)  # raises ValueError for 31.02
        if self.day is not None:
            iso = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.month is not None:
            iso = f"{self.year:04d}-{self.month:02d}"
        else:
            iso = f"{self.year:04d}"
        object.__setattr__(self, "_iso", iso)

    def _key(self) -> tuple[int, int, int]:
        """Orders by the earliest day, a vaguer date first on a tie ("1994" < "1994-01")."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def isoformat(self) -> str:
        return self._iso

    __str__ = isoformat

    @classmethod
    def fromisoformat(cls, text: str) -> PartialDate:
        match = _ISO.match(text.strip())
        if not match:
            raise ValueError(f"not an ISO partial date: {text!r}")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def earliest(self) -> dt.date:
        """The first day this partial date could be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this partial date could be."""
        if self.day is not None:
            return self.earliest()
        if self.month is None:
            return dt.date(self.year, 12, 31)
        following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
