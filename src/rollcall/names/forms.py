"""Russian and Ukrainian forms of one first name or patronymic (Андрей <-> Андрій,
Николаевич <-> Миколайович).

Two sources, ours first:

- `data/given_names.csv`: the common Ukrainian first names with their Russian forms and the
  Latin spellings met in lists (passports old and new, Russian-style, Polish, German,
  English equivalents). It decides where a spelling could belong to two names.
- names-translator's Ukrainian -> Russian dictionaries (about 11,000 first names and
  17,000 patronymics, each Ukrainian form with its ranked Russian translations).

Patronymics of the names in our table are made by rule (`uk_patronymic`, `ru_patronymic`)
with the exceptions in `data/patronymic_exceptions.csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from names_translator.dicts import default_dicts

from rollcall.names.romanization import APOSTROPHES


class NameKind(StrEnum):
    GIVEN = "given"
    PATRONYMIC = "patronymic"


_POOL = {NameKind.GIVEN: "first", NameKind.PATRONYMIC: "patronymic"}


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("rollcall.names").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def normal_form(word: str) -> str:
    """Lower case with one apostrophe ('), the form dictionaries are keyed by."""
    low = word.strip().lower().replace("ё", "е")
    return "".join("'" if ch in APOSTROPHES else ch for ch in low)


@dataclass(frozen=True, slots=True)
class GivenName:
    """One first name: its Ukrainian forms (the first is canonical), Russian forms and the
    Latin spellings that the sound skeleton alone would not put with it."""

    female: bool
    uk: tuple[str, ...]
    ru: tuple[str, ...]
    latin: tuple[str, ...]


@cache
def given_names() -> tuple[GivenName, ...]:
    return tuple(
        GivenName(
            female=row["sex"] == "f",
            uk=tuple(row["uk"].split("|")),
            ru=tuple(row["ru"].split("|")),
            latin=tuple(v for v in row["latin"].split("|") if v),
        )
        for row in _read("given_names.csv")
    )


# --- patronymics by rule -----------------------------------------------------------------


@cache
def _patronymic_exceptions() -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (r["lang"], r["name"]): (r["male"], r["female"])
        for r in _read("patronymic_exceptions.csv")
    }


def uk_patronymic(father: str, female: bool) -> str:
    """Ukrainian patronymic from the father's Ukrainian name: Петро -> Петрович/Петрівна,
    Андрій -> Андрійович/Андріївна, Василь -> Васильович/Василівна."""
    known = _patronymic_exceptions().get(("uk", father))
    if known:
        return known[female]
    if father.endswith("ій"):
        return father[:-1] + ("ївна" if female else "йович")
    if father.endswith(("о", "а")):
        return father[:-1] + ("івна" if female else "ович")
    if father.endswith("ь"):
        return father[:-1] + "івна" if female else father + "ович"
    if father.endswith("й"):
        return father[:-1] + ("ївна" if female else "йович")
    return father + ("івна" if female else "ович")


def ru_patronymic(father: str, female: bool) -> str:
    """Russian patronymic from the father's Russian name: Юрий -> Юрьевич, Андрей ->
    Андреевич, Игорь -> Игоревич, Иван -> Иванович."""
    known = _patronymic_exceptions().get(("ru", father))
    if known:
        return known[female]
    if father.endswith("ий"):
        return father[:-2] + ("ьевна" if female else "ьевич")
    if father.endswith(("й", "ь")):
        return father[:-1] + ("евна" if female else "евич")
    if father.endswith(("а", "я")):
        return father[:-1] + ("ична" if female else "ич")
    return father + ("овна" if female else "ович")


def patronymic_pairs() -> Iterator[tuple[str, str, str]]:
    """(canonical Ukrainian patronymic, any spelling of it) for the names in our table: the
    Ukrainian ones from every Ukrainian form, the Russian ones from every Russian form."""
    for name in given_names():
        if name.female:
            continue
        for female in (False, True):
            canonical = uk_patronymic(name.uk[0], female)
            for uk in name.uk:
                yield canonical, uk_patronymic(uk, female), "uk"
            for ru in name.ru:
                yield canonical, ru_patronymic(ru, female), "ru"


# --- Russian <-> Ukrainian by dictionary -------------------------------------------------


@cache
def _uk_to_ru(kind: NameKind) -> dict[str, tuple[str, ...]]:
    """Ukrainian form -> Russian forms, best first (ours, then names-translator's)."""
    table: dict[str, list[str]] = {}
    for uk, ru in _our_pairs(kind):
        table.setdefault(normal_form(uk), []).append(ru)
    for uk, translations in default_dicts().as_dict(_POOL[kind]).items():
        forms = table.setdefault(normal_form(uk), [])
        forms.extend(t for t in translations if t not in forms)
    return {uk: tuple(forms) for uk, forms in table.items()}


@cache
def _ru_to_uk(kind: NameKind) -> dict[str, str]:
    """Russian form -> the Ukrainian form it most likely renders.

    A Russian form may be the translation of several Ukrainian names, and names-translator
    also lists Russian-looking Ukrainian keys (Александр, Павел) that translate to
    themselves. The best-ranked translation wins, and a real translation beats a name
    translating to itself.
    """
    best: dict[str, tuple[int, str]] = {}
    for uk, ru in _our_pairs(kind):
        best.setdefault(normal_form(ru), (-1, uk))
    for uk, translations in default_dicts().as_dict(_POOL[kind]).items():
        for rank, ru in enumerate(translations):
            key = normal_form(ru)
            score = rank * 2 + (key == uk)
            if key not in best or score < best[key][0]:
                best[key] = (score, uk)
    return {ru: uk for ru, (_, uk) in best.items()}


def _our_pairs(kind: NameKind) -> Iterator[tuple[str, str]]:
    if kind is NameKind.GIVEN:
        for name in given_names():
            for ru in name.ru:
                yield name.uk[0], ru
    else:
        for canonical, spelling, lang in patronymic_pairs():
            if lang == "ru":
                yield canonical, spelling


def _recase_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def to_russian(name: str, kind: NameKind = NameKind.GIVEN) -> str:
    """The usual Russian form of a Ukrainian first name or patronymic (Андрій -> Андрей,
    Миколайович -> Николаевич); the name itself when no dictionary knows it."""
    forms = _uk_to_ru(kind).get(normal_form(name))
    return _recase_like(name, forms[0]) if forms else name


def russian_forms(name: str, kind: NameKind = NameKind.GIVEN) -> tuple[str, ...]:
    """Every Russian form the dictionaries give, best first."""
    return tuple(_recase_like(name, f) for f in _uk_to_ru(kind).get(normal_form(name), ()))


def to_ukrainian(name: str, kind: NameKind = NameKind.GIVEN) -> str:
    """The Ukrainian form of a Russian first name or patronymic (Николай -> Микола,
    Алексеевна -> Олексіївна). A name already Ukrainian, or unknown, comes back as is."""
    key = normal_form(name)
    if key in _ours_uk(kind):
        return name
    uk = _ru_to_uk(kind).get(key)
    return _recase_like(name, uk) if uk else name


@cache
def _ours_uk(kind: NameKind) -> frozenset[str]:
    """The Ukrainian forms in our own table: never read as Russian."""
    if kind is NameKind.GIVEN:
        return frozenset(normal_form(uk) for n in given_names() for uk in n.uk)
    return frozenset(normal_form(s) for _, s, lang in patronymic_pairs() if lang == "uk")
