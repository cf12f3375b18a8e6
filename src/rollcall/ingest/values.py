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
_CACHE_LIMIT = 50_000

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")
_SURROGATES = re.compile("[\udc80-\udcff]")

_PART = r"(\d{1,2}|\?{1,2}|[xXхХ]{1,2})"
_YMD = re.compile(rf"(\d{{4}})(?:([-./]){_PART}(?:\2{_PART})?)?", re.ASCII)
_DMY = re.compile(rf"{_PART}([./-]){_PART}\2(\d{{4}}|\d{{2}})", re.ASCII)
_MY = re.compile(rf"{_PART}[./-](\d{{4}})", re.ASCII)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", re.ASCII)
_YEAR_WORD = re.compile(r"\s*(?:р|г|рік|року|год|года|г\.?\s*р|р\.?\s*н)\.?$")
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
_date_caches: dict[dt.date, dict[str, DateResult]] = {}
category_cache: dict[str, tuple[str | None, str | None]] = {}
sex_cache: dict[str, tuple[str | None, str | None]] = {}
status_cache: dict[str, EventType | None] = {}


def date_cache(today: dt.date) -> dict[str, DateResult]:
    """The cache of date answers for `today` (answers depend on it: future, yy pivot)."""
    cached = _date_caches.get(today)
    if cached is None:
        if len(_date_caches) >= 2:  # yesterday's answers are stale
            _date_caches.clear()
        cached = _date_caches[today] = {}
    return cached


def parse_date(
    text: str, today: dt.date, cached: dict[str, DateResult] | None = None
) -> DateResult:
    """(PartialDate or "refused", problem, warning) for a trimmed date cell."""
    if cached is None:
        cached = date_cache(today)
    result = cached.get(text)
    if result is None:
        if len(cached) > _CACHE_LIMIT:
            cached.clear()
        result = cached[text] = _parse_date(text, today)
    return result


def _part(text: str) -> int | None:
    """A day or month; placeholders (??, xx, 0, 00) mean unknown."""
    return int(text) or None if text.isascii() and text.isdigit() else None


def _parse_date(text: str, today: dt.date) -> DateResult:
    if len(text) == 10 and text.isascii():  # the two forms nearly every list uses
        if text[4] == "-" and text[7] == "-":
            y, m, d = text[:4], text[5:7], text[8:]
        elif text[2] == "." and text[5] == ".":
            d, m, y = text[:2], text[3:5], text[6:]
        else:
            y = m = d = ""
        if y.isdigit() and m.isdigit() and d.isdigit():
            return _checked(text, int(y), int(m), int(d), today, None)
    if text[:1].isalpha() and normalise_word(text) in refused_words():
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
    return _checked(text, year, month, day, today, warning)


def _checked(text: str, year: int, month: int | None, day: int | None, today: dt.date,
             warning: str | None) -> DateResult:
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
    result = category_cache.get(text)
    if result is None:
        code = category_words().get(normalise_word(text))
        if code is None:
            codes = ", ".join(c.value for c in Category)
            result = (None, f"unknown category {show(text)} (expected one of {codes}, "
                            "or a word such as військовополонений, civilian internee)")
        else:
            result = (code, None)
        if len(category_cache) > _CACHE_LIMIT:
            category_cache.clear()
        category_cache[text] = result
    return result


def parse_sex(text: str) -> tuple[str | None, str | None]:
    """("m" or "f", problem)."""
    result = sex_cache.get(text)
    if result is None:
        code = sex_words().get(normalise_word(text).rstrip("."))
        result = (code, None) if code else (
            None, f"unknown sex {show(text)} (expected e.g. ч/ж, м/ж, male/female, m/f)")
        if len(sex_cache) > _CACHE_LIMIT:
            sex_cache.clear()
        sex_cache[text] = result
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
