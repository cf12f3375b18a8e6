"""The words each list uses for the same facts: one tuple per fact, (uk, ru, en).

Kept in one place so the stated values per list can be read off here and handed to whoever
writes the importer's mappings.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Term(NamedTuple):
    uk: str
    ru: str
    en: str


class Weighted(NamedTuple):
    term: Term
    weight: float


#: Military ranks, most frequent first. The en column is how ICRC writes them; the second
#: English form of the senior private appears on some rows.
RANKS: tuple[Weighted, ...] = (
    Weighted(Term("солдат", "рядовой", "Private"), 38),
    Weighted(Term("старший солдат", "ефрейтор", "Senior Private"), 14),
    Weighted(Term("молодший сержант", "младший сержант", "Junior Sergeant"), 10),
    Weighted(Term("сержант", "сержант", "Sergeant"), 10),
    Weighted(Term("старший сержант", "старший сержант", "Senior Sergeant"), 8),
    Weighted(Term("молодший лейтенант", "младший лейтенант", "Junior Lieutenant"), 3),
    Weighted(Term("лейтенант", "лейтенант", "Lieutenant"), 6),
    Weighted(Term("старший лейтенант", "старший лейтенант", "Senior Lieutenant"), 5),
    Weighted(Term("капітан", "капитан", "Captain"), 4),
    Weighted(Term("майор", "майор", "Major"), 2),
)
SENIOR_PRIVATE_ALT = "Private First Class"

#: Brigade kinds for unit names such as "53 ОМБр" (the abbreviations are the same in uk/ru).
BRIGADE_KINDS: tuple[Weighted, ...] = (
    Weighted(Term("ОМБр", "ОМБр", "Separate Mechanised Brigade"), 40),
    Weighted(Term("ОДШБр", "ОДШБр", "Separate Air Assault Brigade"), 10),
    Weighted(Term("ОБрМП", "ОБрМП", "Separate Marine Brigade"), 8),
    Weighted(Term("ОБрТрО", "ОБрТрО", "Territorial Defence Brigade"), 20),
    Weighted(Term("ОШБр", "ОШБр", "Separate Assault Brigade"), 8),
    Weighted(Term("ОТБр", "ОТБр", "Separate Tank Brigade"), 5),
    Weighted(Term("ОГШБр", "ОГШБр", "Separate Mountain Assault Brigade"), 4),
    Weighted(Term("ОАБр", "ОАБр", "Separate Artillery Brigade"), 5),
)

DEATH_CAUSES: tuple[Weighted, ...] = (
    Weighted(Term("серцева недостатність", "сердечная недостаточность", "heart failure"), 30),
    Weighted(Term("пневмонія", "пневмония", "pneumonia"), 15),
    Weighted(Term("туберкульоз", "туберкулез", "tuberculosis"), 10),
    Weighted(Term("наслідки поранення", "последствия ранения", "complications of wounds"), 20),
    Weighted(Term("інсульт", "инсульт", "stroke"), 8),
    Weighted(Term("не встановлена", "не установлена", "unknown"), 17),
)

#: Relatives named as person to inform: (term, relative is female, allowed for a woman).
RELATIONS: tuple[tuple[Term, bool, bool], ...] = (
    (Term("мати", "мать", "mother"), True, True),
    (Term("батько", "отец", "father"), False, True),
    (Term("дружина", "жена", "wife"), True, False),
    (Term("чоловік", "муж", "husband"), False, True),
    (Term("сестра", "сестра", "sister"), True, True),
    (Term("брат", "брат", "brother"), False, True),
)
RELATION_WEIGHTS = (40, 10, 30, 0, 10, 10)
RELATION_WEIGHTS_FEMALE = (45, 15, 0, 20, 10, 10)

# --- categories and stated statuses, per list -------------------------------------------

CATEGORY_OWN = {
    "pow": "військовополонений",
    "civilian": "цивільний заручник",
    "missing": "зниклий безвісти",
}
CATEGORY_ADVERSARY = {"pow": "военнопленный", "civilian": "задержанный"}
CATEGORY_ICRC = {
    "pow": "POW",
    "civilian_detainee": "civilian detainee",
    "civilian_internee": "civilian internee",
}

#: Custody state -> status as each list states it.
STATUS_OWN = {
    "held": "утримується",
    "released": "звільнений",
    "exchanged": "обміняний",
    "died": "помер",
}
STATUS_ADVERSARY = {
    "held": "содержится",
    "released": "освобожден",
    "exchanged": "обменян",
    "died": "умер",
}
STATUS_ICRC = {"held": "held", "released": "released", "exchanged": "exchanged", "died": "deceased"}
STATUS_MEDIA = {"captured": "captured", "exchanged": "exchanged", "died": "died"}

HEALTH_OWN = ("задовільний", "поранення", "потребує медичної допомоги")
HEALTH_ADVERSARY = ("удовлетворительное", "ранение", "нуждается в медицинской помощи")

NOTES_OWN = ("дані уточнюються", "за інформацією рідних", "підтверджено МКЧХ", "потребує перевірки")
NOTES_OWN_MISSING = "зник безвісти під час бойових дій"

# --- the calendar of the synthetic world -------------------------------------------------

WAR_START = dt.date(2022, 2, 24)
LAST_CAPTURE = dt.date(2025, 12, 31)
#: "Now" for the ground truth: nothing happens after this day.
HORIZON = dt.date(2026, 1, 31)

#: Capture dates: piecewise uniform, most captures in the first months (Mariupol, 2022).
CAPTURE_PERIODS: tuple[tuple[dt.date, dt.date, float], ...] = (
    (WAR_START, dt.date(2022, 5, 31), 0.35),
    (dt.date(2022, 6, 1), dt.date(2022, 12, 31), 0.20),
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31), 0.17),
    (dt.date(2024, 1, 1), dt.date(2024, 12, 31), 0.16),
    (dt.date(2025, 1, 1), LAST_CAPTURE, 0.12),
)


def capture_cdf(day: dt.date) -> float:
    """Share of captures on or before `day`, to scale list coverage for late captures."""
    total = 0.0
    for start, end, weight in CAPTURE_PERIODS:
        if day >= end:
            total += weight
        elif day >= start:
            total += weight * ((day - start).days + 1) / ((end - start).days + 1)
    return total
