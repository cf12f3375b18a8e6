"""Reading coded cell values: dates, category, sex, refusals and stated status.

Lists repeat the same few values (a status word, a capture date, a category) hundreds
of thousands of times, so each reader caches its answer per distinct cell text: after
the first rows a cell costs one dict lookup, not a regular expression.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

from rollcall.dates import PartialDate
from rollcall.vocabulary import Category, EventType

#: Values shown in messages are cut to this many characters: enough to find the cell,
#: never a whole row of someone's data.
SHOW_CHARS = 40
_CACHE_LIMIT = 100_000

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")
_SURROGATES = re.compile("[\udc80-\udcff]")

_PART = r"(\d{1,2}|\?{1,2}|[xXхХ]{1,2})"
_YMD = re.compile(rf"(\d{{4}})(?:([-./]){_PART}(?:\2{_PART})?)?")
_DMY = re.compile(rf"{_PART}([./-]){_PART}\2(\d{{4}}|\d{{2}})")
_MY = re.compile(rf"{_PART}[./](\d{{4}})")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_YEAR_WORD = re.compile(r"\s*(?:р|г|рік|року|год|года)\.?$")
DATE_HINT = "write e.g. 1994-03-12, 12.03.1994, 03.1994 or 1994"


def show(value: str) -> str:
    """A cell value quoted for a message, cut to SHOW_CHARS."""
    value = _SURROGATES.sub("\ufffd", value)
    if len(value) > SHOW_CHARS:
        value = value[:SHOW_CHARS] + "…"
    return f"'{value}'"


def normalise_word(text: str) -> str:
    """Casefolded, apostrophes unified, spaces collapsed: the form words are compared in."""
    return _SPACES.sub(" ", text.casefold().translate(_APOSTROPHES)).strip()


@cache
def _words() -> dict[str, Any]:
    return tomllib.loads(files("rollcall.ingest").joinpath("value_words.toml").read_text("utf-8"))


@cache
def refused_words() -> frozenset[str]:
    return frozenset(normalise_word(w) for w in _words()["refused"]["words"])


@cache
def category_words() -> dict[str, str]:
    table = {normalise_word(w): Category(code).value
             for code, ws in _words()["category"].items() for w in ws}
    table.update({c.value: c.value for c in Category})
    return table


@cache
def sex_words() -> dict[str, str]:
    return {normalise_word(w): code for code, ws in _words()["sex"].items() for w in ws}


@cache
def _status_patterns() -> list[tuple[EventType, re.Pattern[str]]]:
    """Highest priority first: the table's later events win."""
    out = []
    for code, ws in _words()["status"].items():
        parts = []
        for w in ws:
            words = [re.escape(x[:-1]) + r"\w*" if x.endswith("*") else re.escape(x)
                     for x in normalise_word(w).split()]
            parts.append(r"\s+".join(words))
        out.append((EventType(code), re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")))
    return out[::-1]


# --- per-text caches -------------------------------------------------------------------

DateResult = tuple[PartialDate | str | None, str | None, str | None]  # value, problem, warning
_date_cache: dict[str, DateResult] = {}
_date_cache_day: list[dt.date] = []
_category_cache: dict[str, tuple[str | None, str | None]] = {}
_sex_cache: dict[str, tuple[str | None, str | None]] = {}
status_cache: dict[str, EventType | None] = {}


def date_cache(today: dt.date) -> dict[str, DateResult]:
    """The cache of date answers for `today` (answers depend on it: future, yy pivot)."""
    if not _date_cache_day or _date_cache_day[0] != today:
        _date_cache.clear()
        _date_cache_day[:] = [today]
    elif len(_date_cache) > _CACHE_LIMIT:
        _date_cache.clear()
    return _date_cache


def parse_date(text: str, today: dt.date) -> DateResult:
    """(PartialDate or "refused", problem, warning) for a trimmed date cell."""
    cached = date_cache(today)
    result = cached.get(text)
    if result is None:
        result = cached[text] = _parse_date(text, today)
    return result


def _part(text: str) -> int | None:
    """A day or month; placeholders (??, xx, 0, 00) mean unknown."""
    return int(text) or None if text.isdigit() else None


def _parse_date(text: str, today: dt.date) -> DateResult:
    if normalise_word(text) in refused_words():
        return "refused", None, None
    t = _YEAR_WORD.sub("", _TIME.sub("", text.strip()))
    warning = None
    if m := _YMD.fullmatch(t):
        year, month, day = int(m[1]), m[3] and _part(m[3]), m[4] and _part(m[4])
    elif m := _DMY.fullmatch(t):
        day, month, year = _part(m[1]), _part(m[3]), int(m[4])
        if len(m[4]) == 2:
            year += 2000 if year <= today.year % 100 else 1900
            warning = f"two-digit year in {show(text)} read as {year}"
    elif m := _MY.fullmatch(t):
        day, month, year = None, _part(m[1]), int(m[2])
    else:
        return None, f"unparseable date {show(text)} ({DATE_HINT})", None
    if not month:
        day = None  # a day without a month says nothing more than the year
    try:
        value = PartialDate(year, month or None, day or None)
    except ValueError:
        return None, f"unparseable date {show(text)}: no such day or month", None
    if year < 1900:
        return None, f"year before 1900 in date {show(text)}", None
    if value.earliest() > today:
        return None, f"date is in the future: {show(text)}", None
    return value, None, warning


def parse_category(text: str) -> tuple[str | None, str | None]:
    """(Category code, problem)."""
    result = _category_cache.get(text)
    if result is None:
        code = category_words().get(normalise_word(text))
        if code is None:
            codes = ", ".join(c.value for c in Category)
            result = (None, f"unknown category {show(text)} (expected one of {codes}, "
                            "or a word such as військовополонений, civilian internee)")
        else:
            result = (code, None)
        if len(_category_cache) > _CACHE_LIMIT:
            _category_cache.clear()
        _category_cache[text] = result
    return result


def parse_sex(text: str) -> tuple[str | None, str | None]:
    """("m" or "f", problem)."""
    result = _sex_cache.get(text)
    if result is None:
        code = sex_words().get(normalise_word(text).rstrip("."))
        result = (code, None) if code else (
            None, f"unknown sex {show(text)} (expected e.g. ч/ж, м/ж, male/female, m/f)")
        if len(_sex_cache) > _CACHE_LIMIT:
            _sex_cache.clear()
        _sex_cache[text] = result
    return result


def status_event(text: str) -> EventType | None:
    """The event a stated status reports, or None for a status we do not recognise."""
    if text in status_cache:
        return status_cache[text]
    norm = normalise_word(text)
    found = next((event for event, pattern in _status_patterns() if pattern.search(norm)), None)
    if len(status_cache) > _CACHE_LIMIT:
        status_cache.clear()
    status_cache[text] = found
    return found
