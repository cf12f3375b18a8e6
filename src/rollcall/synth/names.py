"""Name parts and every spelling a list may use for them.

A synthetic person is a surname, a given name and a father's name, each an index into the
tables here. Every spelling (Ukrainian, Russian, KMU Latin, old passport Latin, Russian-style
Latin; male and female) is computed once when the tables load, so writing a million rows
is only lookups.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rollcall.synth.translit import kmu, ru_latin, uk_latin_old, uk_letters_to_ru


def read_data(name: str) -> list[dict[str, str]]:
    """Rows of a CSV under synth/data (UTF-8, header row)."""
    text = (
        resources.files("rollcall.synth")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(io.StringIO(text)))


# --- patronymics -------------------------------------------------------------------------


@cache
def _exceptions() -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (r["lang"], r["name"]): (r["male"], r["female"])
        for r in read_data("patronymic_exceptions.csv")
    }


def uk_patronymic(father: str, female: bool) -> str:
    """Ukrainian patronymic: Петро -> Петрович/Петрівна, Андрій -> Андрійович/Андріївна."""
    known = _exceptions().get(("uk", father))
    if known:
        return known[female]
    if father.endswith("ій"):
        return father[:-1] + ("ївна" if female else "йович")
    if father.endswith("о"):
        return father[:-1] + ("івна" if female else "ович")
    if father.endswith("ь"):
        return father[:-1] + "івна" if female else father + "ович"
    return father + ("івна" if female else "ович")


def ru_patronymic(father: str, female: bool) -> str:
    """Russian patronymic: Юрий -> Юрьевич, Андрей -> Андреевич, Николай -> Николаевич."""
    known = _exceptions().get(("ru", father))
    if known:
        return known[female]
    if father.endswith("ий"):
        return father[:-2] + ("ьевна" if female else "ьевич")
    if father.endswith(("й", "ь")):
        return father[:-1] + ("евна" if female else "евич")
    return father + ("овна" if female else "ович")


# --- surnames ----------------------------------------------------------------------------

_ADJECTIVE_ENDINGS = (("ський", "ский"), ("цький", "цкий"), ("зький", "зкий"))


def ru_surname(uk: str) -> str:
    """Russian spelling of a Ukrainian surname by letters and adjective endings."""
    for uk_end, ru_end in _ADJECTIVE_ENDINGS:
        if uk.endswith(uk_end):
            return uk_letters_to_ru(uk[: -len(uk_end)]) + ru_end
    ru = uk_letters_to_ru(uk)
    if uk.endswith("ий") and uk[-3:-2] not in "кгхжшчщ":
        ru = ru[:-2] + "ый"
    return ru


def uk_female_surname(male: str) -> str:
    """Ukrainian feminine form: -ський -> -ська, -ий -> -а, -ов -> -ова; most do not change."""
    if male.endswith("ий"):
        return male[:-2] + "а"
    if male.endswith(("ов", "ев", "єв", "ін", "їн")):
        return male + "а"
    return male


def ru_female_surname(male: str) -> str:
    """Russian feminine form of a Russian-spelt surname that declines."""
    if male.endswith(("ий", "ый", "ой")):
        return male[:-2] + "ая"
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    return male


@dataclass(frozen=True, slots=True)
class Surname:
    """One surname in all its forms; index 0 is male, 1 female."""

    uk: tuple[str, str]
    ru: tuple[str, str]
    kmu: tuple[str, str]
    old: tuple[str, str]
    ru_lat: tuple[str, str]


def _surname(uk_m: str, ru_override: str) -> Surname:
    uk_f = uk_female_surname(uk_m)
    ru_m = ru_override or ru_surname(uk_m)
    ru_f = ru_m if uk_f == uk_m else ru_female_surname(ru_m)
    return Surname(
        uk=(uk_m, uk_f),
        ru=(ru_m, ru_f),
        kmu=(kmu(uk_m), kmu(uk_f)),
        old=(uk_latin_old(uk_m), uk_latin_old(uk_f)),
        ru_lat=(ru_latin(ru_m), ru_latin(ru_f)),
    )


# --- given names -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GivenName:
    """A given name; for men also the patronymic it gives their children (index = female)."""

    female: bool
    uk: str
    ru: str
    kmu: str
    passport: tuple[str, ...]
    ru_lat: tuple[str, ...]
    patr_uk: tuple[str, str]
    patr_ru: tuple[str, str]
    patr_kmu: tuple[str, str]


def _given(row: dict[str, str]) -> GivenName:
    female = row["sex"] == "f"
    uk, ru = row["uk"], row["ru"]
    patr_uk = ("", "") if female else (uk_patronymic(uk, False), uk_patronymic(uk, True))
    patr_ru = ("", "") if female else (ru_patronymic(ru, False), ru_patronymic(ru, True))
    return GivenName(
        female=female,
        uk=uk,
        ru=ru,
        kmu=kmu(uk),
        passport=tuple(row["passport"].split("|")),
        ru_lat=tuple(row["ru_latin"].split("|")),
        patr_uk=patr_uk,
        patr_ru=patr_ru,
        patr_kmu=(kmu(patr_uk[0]), kmu(patr_uk[1])),
    )


@dataclass(frozen=True, slots=True)
class NameTables:
    """All name parts with cumulative weights for drawing."""

    surnames: tuple[Surname, ...]
    surname_weights: tuple[float, ...]
    male: tuple[GivenName, ...]
    male_weights: tuple[float, ...]
    father_weights: tuple[float, ...]
    female: tuple[GivenName, ...]
    female_weights: tuple[float, ...]


@cache
def name_tables() -> NameTables:
    """Load and derive every spelling once per process."""
    surnames = read_data("surnames.csv")
    given = [_given(r) for r in read_data("given_names.csv")]
    weights = [float(r["weight"]) for r in read_data("given_names.csv")]
    fathers = [float(r["father_weight"]) for r in read_data("given_names.csv")]
    male = [i for i, g in enumerate(given) if not g.female]
    female = [i for i, g in enumerate(given) if g.female]
    return NameTables(
        surnames=tuple(_surname(r["uk"], r["ru"]) for r in surnames),
        surname_weights=tuple(float(r["weight"]) for r in surnames),
        male=tuple(given[i] for i in male),
        male_weights=tuple(weights[i] for i in male),
        father_weights=tuple(fathers[i] for i in male),
        female=tuple(given[i] for i in female),
        female_weights=tuple(weights[i] for i in female),
    )
