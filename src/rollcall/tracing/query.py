"""Reading a tracing query as staff type it: "Александр Коваленко 1995",
"Kovalenko Oleksandr 11.02.1995 в/ч А2363", "Коваленко Олександр Петрович 1995-02".

Words with letters are name tokens, in any order and any script; each may be a surname, a
given name or a patronymic, so every kind of key is computed for each. A date (ISO or
dd.mm.yyyy, possibly partial) or a four-digit year is the date of birth. Anything else with
a digit ("А2363", "38") names a unit, as do the words that usually stand beside a unit
number ("в/ч", "ОМБр", "brigade"), which are not names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rollcall.dates import PartialDate, Precision
from rollcall.ingest.values import parse_date
from rollcall.tracing.keys import given_of, patronymic_of, surname_of

#: More name words than this say nothing more about one person.
MAX_NAME_TOKENS = 4
MAX_QUERY_CHARS = 200

_SEPARATORS = re.compile(r"[\s,;]+")
_TRIM = "()[]{}\"'«».:!?"
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"^(19|20)\d\d$")
_DATE_LIKE = re.compile(r"^\d{1,4}[.\-/]\d{1,4}(?:[.\-/]\d{2,4})?$")
_PRECISION = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}
#: Words that accompany a unit number in Ukrainian, Russian and English lists.
UNIT_WORDS = frozenset({
    "в/ч", "вч", "в.ч", "military", "mu", "unit", "brigade", "бригада", "бр", "омбр",
    "огшбр", "обртро", "отбр", "одшбр", "оабр", "ошбр", "ombr", "огпбр", "обрмп", "ртро",
    "mechanized", "mechanised", "territorial", "defence", "defense", "assault", "marine",
    "всу", "зсу", "th", "st", "nd", "rd",
})  # fmt: skip


@dataclass(frozen=True)
class NameToken:
    """One word of a name as typed, with every key it might match."""

    text: str
    surname: str
    given: str
    patronymic: str


@dataclass(frozen=True)
class TraceQuery:
    names: tuple[NameToken, ...]
    birth_date: PartialDate | None
    unit_numbers: frozenset[str]

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None

    @property
    def empty(self) -> bool:
        return not self.names


def unit_numbers(text: str | None) -> frozenset[str]:
    """The numbers in a unit's name, which every language writes alike: "в/ч А2363",
    "MU A2363" -> {"2363"}; "38 ОМБр", "38th Marine Brigade" -> {"38"}."""
    if not text:
        return frozenset()
    return frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(text))


def _date(token: str, today: dt.date) -> PartialDate | None:
    if not (_YEAR.match(token) or _DATE_LIKE.match(token)):
        return None
    value, problem, _ = parse_date(token, today)
    return value if isinstance(value, PartialDate) and problem is None else None


def name_token(text: str) -> NameToken | None:
    """A word's keys as surname, given name and patronymic; None if it yields no key."""
    token = NameToken(text, surname_of(text), given_of(text), patronymic_of(text))
    return token if token.surname or token.given or token.patronymic else None


def parse_query(text: str, *, today: dt.date | None = None) -> TraceQuery:
    """Split a free-text query into name tokens, a date of birth and unit numbers."""
    today = today or dt.date.today()
    names: list[NameToken] = []
    birth: PartialDate | None = None
    units: set[str] = set()
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text[:MAX_QUERY_CHARS]):
        word = raw.strip(_TRIM)
        if not word:
            continue
        if any(ch.isdigit() for ch in word):
            date = _date(word, today)
            if date is not None and (
                    birth is None or _PRECISION[date.precision] > _PRECISION[birth.precision]):
                birth = date
            elif date is None:
                units |= unit_numbers(word)
            continue
        if word.casefold() in UNIT_WORDS or len(word) < 2:
            continue
        token = name_token(word)
        if token is None or word.casefold() in seen or len(names) >= MAX_NAME_TOKENS:
            continue
        seen.add(word.casefold())
        names.append(token)
    return TraceQuery(tuple(names), birth, frozenset(units))
