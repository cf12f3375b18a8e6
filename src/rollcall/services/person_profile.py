"""What a person shows when several records describe them: names, birth date, sex and
category chosen from the records, and a search key that finds every spelling.

Pure code over plain values, shared by the one-at-a-time merge and the bulk merge of a
linkage run, so both choose alike. The best record gives the names: the own bureau's
before anyone else's (it took the details from the person or their family), a Ukrainian
Cyrillic spelling before a Russian or Latin one, a full name before a partial one; then
the oldest record. The birth date is the most precise any record gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rollcall.custody import DerivedStatus, derive_status
from rollcall.dates import PartialDate
from rollcall.names import search_key
from rollcall.vocabulary import Category, EventType, Origin, Script

_UKRAINIAN_ONLY = re.compile("[ІіЇїЄєҐґ]")
_RUSSIAN_ONLY = re.compile("[ЫыЭэЪъЁё]")


@dataclass(frozen=True)
class RecordFacts:
    """The fields of one source record a person's profile is chosen from."""

    record_id: int
    origin: Origin | str | None
    surname: str
    given_name: str | None
    patronymic: str | None
    name_script: Script | str | None
    sex: str | None
    #: A PartialDate, or its ISO prefix as stored (the bulk merge reads it so).
    birth_date: PartialDate | str | None
    category: Category | str | None


@dataclass(frozen=True)
class Profile:
    surname: str
    given_name: str | None
    patronymic: str | None
    name_script: Script | None
    sex: str | None
    birth_date: PartialDate | str | None
    category: Category
    search_key: str


def _script_rank(facts: RecordFacts) -> int:
    """0 Ukrainian Cyrillic, 1 other Cyrillic, 2 Russian Cyrillic, 3 mixed, 4 Latin."""
    script = str(facts.name_script) if facts.name_script else None
    if script == Script.CYRILLIC.value:
        letters = " ".join(p for p in (facts.surname, facts.given_name, facts.patronymic) if p)
        if _UKRAINIAN_ONLY.search(letters):
            return 0
        if _RUSSIAN_ONLY.search(letters):
            return 2
        return 1
    if script == Script.MIXED.value:
        return 3
    return 4


def _rank(facts: RecordFacts) -> tuple[int, int, int, int]:
    own = 0 if facts.origin is not None and str(facts.origin) == Origin.OWN_BUREAU.value else 1
    missing = sum(1 for part in (facts.given_name, facts.patronymic) if not part)
    return (own, _script_rank(facts), missing, facts.record_id)


def best_first(records: Iterable[RecordFacts]) -> list[RecordFacts]:
    """The records, the one whose names a person should show first."""
    return sorted(records, key=_rank)


#: Codes to members: a bulk merge reads codes as stored and converts hundreds of thousands.
_EVENT_TYPES: dict[str, EventType] = {e.value: e for e in EventType}
_CATEGORIES: dict[str, Category] = {c.value: c for c in Category}


def _event_type(kind: EventType | str) -> EventType:
    return kind if isinstance(kind, EventType) else _EVENT_TYPES.get(kind) or EventType(kind)


def _category(code: Category | str) -> Category:
    return code if isinstance(code, Category) else _CATEGORIES.get(code) or Category(code)


@lru_cache(maxsize=65536)
def _spelling(surname: str | None, given: str | None, patronymic: str | None) -> str:
    """A record's search key; cached, since a person's lists often spell them alike."""
    return search_key(surname, given, patronymic)


def spellings_key(names: Iterable[tuple[str | None, str | None, str | None]]) -> str:
    """One search key holding every distinct spelling, the first one first (search ranks
    a surname that starts the key above one found further in)."""
    keys: list[str] = []
    for surname, given, patronymic in names:
        key = _spelling(surname, given, patronymic)
        if key and key not in keys:
            keys.append(key)
    return " ".join(keys)


def profile_of(records: Sequence[RecordFacts]) -> Profile:
    """The profile a person with these records shows. Needs at least one record."""
    if not records:
        raise ValueError("a profile needs at least one record")
    ordered = best_first(records)
    best = ordered[0]
    dates = [r.birth_date for r in ordered if r.birth_date is not None]
    # The ISO prefix's length is the precision. max() keeps the first of equals: the
    # best record's date among the most precise.
    birth_date = max(dates, key=lambda d: len(str(d))) if dates else None
    sex = next((r.sex for r in ordered if r.sex), None)
    category = next((_category(r.category) for r in ordered
                     if r.category and str(r.category) != Category.UNKNOWN.value),
                    Category.UNKNOWN)
    return Profile(
        surname=best.surname,
        given_name=best.given_name,
        patronymic=best.patronymic,
        name_script=Script(str(best.name_script)) if best.name_script else None,
        sex=sex,
        birth_date=birth_date,
        category=category,
        search_key=spellings_key((r.surname, r.given_name, r.patronymic) for r in ordered),
    )


def status_of(events: Iterable[tuple[EventType | str, PartialDate | None]],
              records: Iterable[RecordFacts]) -> DerivedStatus:
    """The custody and legal status the person's events and records imply."""
    return derive_status(
        [(_event_type(kind), date) for kind, date in events],
        [_category(r.category) for r in records if r.category],
    )
