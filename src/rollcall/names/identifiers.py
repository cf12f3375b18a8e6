"""Identifiers and birth dates as lists write them: a service number with or without
separators and in either alphabet, a birth date with day and month swapped or known only
to the year.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from rollcall.dates import PartialDate, Precision

#: Cyrillic letters that look like Latin ones: a number copied by eye keeps its shape,
#: not its sound (В is B, Н is H, Р is P, С is C, Х is X).
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХІЈЅУ", "ABEKMHOPCTXIJSY")
_NOT_ALNUM = re.compile(r"[^0-9A-Z\u0400-\u04ff]+")


@lru_cache(maxsize=1 << 16)
def service_number_key(text: str | None) -> str:
    """A service or personal number without separators, spaces or case, its Cyrillic
    look-alike letters as Latin ones: "АА-123 456", "aa123456" and "AA 123456" share
    "AA123456". Other Cyrillic letters are kept (there is no Latin letter they look like).
    """
    if not text:
        return ""
    upper = unicodedata.normalize("NFKC", text).upper().translate(_LOOKALIKES)
    return _NOT_ALNUM.sub("", upper)


class DateAgreement(StrEnum):
    """How two birth dates of what may be one person agree, best first."""

    EXACT = "exact"  # the same day, or the same month or year where both stop there
    DAY_MONTH_SWAPPED = "same_when_day_month_swapped"  # 03.12.1994 and 12.03.1994
    SAME_YEAR_MONTH = "same_year_month"  # as far as the less precise one goes, or days differ
    SAME_YEAR = "same_year"
    TWO_DIGIT_YEAR = "two_digit_year_match"  # 1905 and 2005: a two-digit year read wrongly
    NEAR_YEAR = "near_year"  # a year apart
    DISAGREE = "disagree"
    UNKNOWN = "unknown"  # one date or both missing


def birth_date_agreement(a: PartialDate | None, b: PartialDate | None) -> DateAgreement:
    """How far two birth dates agree, at the precision both have.

    "1994" and "1994-03-12" agree at year precision (SAME_YEAR): nothing contradicts.
    Two full dates that differ only by day and month swapped (both at most 12) are
    DAY_MONTH_SWAPPED. Years a century apart with everything else equal are
    TWO_DIGIT_YEAR: imports expand "05" to 2005 or 1905 by a pivot (see
    `rollcall.ingest.values`), and a list written in another year may have pivoted
    differently.
    """
    if a is None or b is None:
        return DateAgreement.UNKNOWN
    if a.year != b.year:
        if abs(a.year - b.year) == 100 and (a.month, a.day) == (b.month, b.day):
            return DateAgreement.TWO_DIGIT_YEAR
        if abs(a.year - b.year) == 1:
            return DateAgreement.NEAR_YEAR
        return DateAgreement.DISAGREE
    if a.month is None or b.month is None:
        return DateAgreement.EXACT if a.month == b.month else DateAgreement.SAME_YEAR
    if a.precision is Precision.DAY and b.precision is Precision.DAY:
        if a.month == b.month:
            return DateAgreement.EXACT if a.day == b.day else DateAgreement.SAME_YEAR_MONTH
        if (a.day, a.month) == (b.month, b.day):
            return DateAgreement.DAY_MONTH_SWAPPED
        return DateAgreement.SAME_YEAR
    if a.month == b.month:
        return DateAgreement.EXACT if a.precision == b.precision else DateAgreement.SAME_YEAR_MONTH
    # one date stops at the month: a swapped full date may still be this month
    full = a if a.day is not None else b
    other = b if full is a else a
    if full.day == other.month:
        return DateAgreement.DAY_MONTH_SWAPPED
    return DateAgreement.SAME_YEAR
