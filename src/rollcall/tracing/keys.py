"""Which keys a record is filed under, and which keys a query looks up.

Name keys come from `rollcall.names`: one ASCII key per name, shared by its Ukrainian,
Russian and Latin spellings. A surname alone fans out (a common surname is thousands of
records in a registry of a million), so records are filed under compound keys, each with
the year of birth beside it, and a search reads only the narrow ranges its query names:

    sg:SURNAME|GIVEN      the usual lookup: "Коваленко Олександр" in any script
    gp:GIVEN|PATRONYMIC   a surname misspelt, where both sides give a patronymic
    pg:SURN|GIVEN         the surname's first four letters: a slip late in the surname
    xg:S+NAME|GIVEN       its first letter and last four: a slip early in it (people rarely
                          get the first letter wrong)
    mg:SU+ME|GIVEN        its first two and last two letters: a slip in the middle
    cg:SRNM|GIVEN         its consonants: a vowel changed (Кисель/Kysil) or mistyped
    sp:SURNAME|PATRONYMIC the given name misspelt, where both sides give a patronymic
    si:SURNAME|G          the given name misspelt, by its initial
    s:SURNAME             the given name misspelt or not given

A name without a patronymic is also filed read the other way round (sg only): media lists
write "Антон Москаль", which the import reads surname first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rollcall.models.tracing import KEY_CHARS
from rollcall.names import given_name_key, patronymic_key, surname_key

if TYPE_CHECKING:
    from rollcall.tracing.query import NameToken

#: Letters of a surname key kept by the partial keys.
PART = 4
_CACHE = 1 << 17
_PART_CHARS = KEY_CHARS // 2 - 1


# Names repeat (a registry of a million records holds a few tens of thousands of distinct
# spellings), so each spelling's key is computed once per process.


@lru_cache(maxsize=_CACHE)
def surname_of(text: str) -> str:
    return surname_key(text)[:_PART_CHARS]


@lru_cache(maxsize=_CACHE)
def given_of(text: str) -> str:
    return given_name_key(text)[:_PART_CHARS]


@lru_cache(maxsize=_CACHE)
def patronymic_of(text: str) -> str:
    return patronymic_key(text)[:_PART_CHARS]


@dataclass(frozen=True, slots=True)
class NameKeys:
    """A record's name keys as `trace_names` stores them ("" for none)."""

    surname: str
    given: str
    patronymic: str
    alt_surname: str = ""
    alt_given: str = ""


def stored_keys(row: Any) -> NameKeys:
    """The keys of a `trace_names` row (an ORM object or a result row)."""
    return NameKeys(row.surname_key, row.given_key or "", row.patronymic_key or "",
                    row.alt_surname_key or "", row.alt_given_key or "")


def record_keys(surname: str | None, given: str | None, patronymic: str | None) -> NameKeys:
    s = surname_of(surname) if surname else ""
    g = given_of(given) if given else ""
    p = patronymic_of(patronymic) if patronymic else ""
    if p or not (surname and given):
        return NameKeys(s, g, p)
    return NameKeys(s, g, p, surname_of(given), given_of(surname))


_VOWELS = str.maketrans("", "", "aeiou")


def consonants(key: str) -> str:
    """A name key without its vowels: the letters Ukrainian, Russian and Latin spellings
    of a surname and most slips in it leave alone."""
    return key.translate(_VOWELS) or key


def _partial(surname: str) -> tuple[str, ...]:
    """The surname's partial keys, each tagged with its kind."""
    return (f"pg:{surname[:PART]}", f"xg:{surname[0]}{surname[-PART:]}",
            f"mg:{surname[:2]}{surname[-2:]}", f"cg:{consonants(surname)}")


def entries(keys: NameKeys) -> set[str]:
    """Every key a record is filed under (its year of birth is stored beside each)."""
    s, g, p = keys.surname, keys.given, keys.patronymic
    found: set[str] = set()
    if s:
        found.add(f"s:{s}")
    if s and g:
        found.add(f"sg:{s}|{g}")
        found.add(f"si:{s}|{g[0]}")
        found.update(f"{part}|{g}" for part in _partial(s))
    if g and p:
        found.add(f"gp:{g}|{p}")
    if s and p:
        found.add(f"sp:{s}|{p}")
    if keys.alt_surname and keys.alt_given:
        found.add(f"sg:{keys.alt_surname}|{keys.alt_given}")
    return found


def _pairs(tokens: tuple[NameToken, ...]) -> Iterator[tuple[NameToken, NameToken]]:
    for first in tokens:
        for second in tokens:
            if first is not second:
                yield first, second


def precise_lookups(tokens: tuple[NameToken, ...]) -> list[str]:
    """Keys naming a person closely: read with the year of birth give or take one."""
    found: dict[str, None] = {}
    for a, b in _pairs(tokens):
        if a.surname and b.given:
            found[f"sg:{a.surname}|{b.given}"] = None
        if a.given and b.patronymic:
            found[f"gp:{a.given}|{b.patronymic}"] = None
    return list(found)


def fallback_lookups(tokens: tuple[NameToken, ...]) -> list[str]:
    """Keys that forgive one misspelt name: read with the exact year of birth, each a
    bounded share of the candidates."""
    found: dict[str, None] = {}
    for token in tokens:
        if token.surname:
            found[f"s:{token.surname}"] = None
    for a, b in _pairs(tokens):
        if a.surname and b.patronymic:
            found[f"sp:{a.surname}|{b.patronymic}"] = None
        if a.surname and b.given:
            found[f"si:{a.surname}|{b.given[0]}"] = None
            found.update(dict.fromkeys(f"{part}|{b.given}" for part in _partial(a.surname)))
    return list(found)
