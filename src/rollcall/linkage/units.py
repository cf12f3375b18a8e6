"""Military unit and place keys: the same unit or town written in Ukrainian, Russian or
English must give one key, because lists name units three ways ("в/ч А2363", "MU A2363",
"А2363"; "38 ОМБр", "38th Separate Mechanised Brigade") and places in three languages.

A unit gives up to two keys: the military unit number (`A2363`) and the brigade
(`38:mech`, or `38:` when the kind is not named). The two are not comparable with each other:
no table says which unit number belongs to which brigade.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Cyrillic letters that look like Latin ones, as they appear in unit and service numbers.
_LOOKALIKE = str.maketrans("АВЕКМНОРСТХавекмнорстх", "ABEKMHOPCTXabekmhopctx")
_MILITARY_UNIT = re.compile(
    r"(?:в\s*/\s*ч|в\.\s*ч\.?|mu|m/u|military\s+unit|military unit)?\s*"
    r"\b([AaАа])\s*-?\s*(\d{3,4})\b",
    re.IGNORECASE,
)
_BRIGADE_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")

#: Brigade kinds: (key, patterns), most specific first ("mountain assault" before
#: "assault"). Abbreviations as Ukrainian and Russian lists write them, and English words.
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mountain", ("огшбр", "огпбр", "mountain")),
    ("airassault", ("одшбр", "дшбр", "air assault", "airborne", "аэромобил", "десантно")),
    ("motorised", ("омпбр", "motori", "мотопіх", "мотопех")),
    ("marine", ("обрмп", "обмп", "marine", "морської піхоти", "морской пехоты")),
    ("terdef", ("обртро", "territorial", "територіальної", "территориальной")),
    ("tank", ("отбр", "tank", "танков")),
    ("artillery", ("оабр", "абр", "artillery", "артилер", "артиллер")),
    ("mech", ("омбр", "мбр", "mechani", "механізов", "механизир")),
    ("assault", ("ошбр", "шбр", "assault", "штурмов")),
)
_BRIGADE_WORD = re.compile(r"бр\b|brigade|бригад", re.IGNORECASE)


@lru_cache(maxsize=65536)
def unit_keys(text: str | None) -> tuple[str | None, str | None]:
    """(military unit number key, brigade key) for a unit as written; None where absent."""
    if not text:
        return None, None
    number = None
    found = _MILITARY_UNIT.search(text)
    if found:
        number = "A" + found.group(2)
        rest = text[: found.start()] + " " + text[found.end() :]
    else:
        rest = text
    brigade = None
    low = rest.casefold()
    kind = ""
    for key, patterns in _KINDS:
        if any(p in low for p in patterns):
            kind = key
            break
    if kind or _BRIGADE_WORD.search(low):
        digits = _BRIGADE_NUMBER.search(low)
        if digits:
            brigade = f"{int(digits.group(1))}:{kind}"
    return number, brigade


_PLACE_NOISE = re.compile(
    r"^(?:м\.|г\.|с\.|смт\.?|пгт\.?|село|місто|город|city of|town of)\s*", re.IGNORECASE
)


def strip_place_prefix(text: str) -> str:
    """'м. Харків' -> 'Харків', 'г. Киев' -> 'Киев': settlement-type prefixes are noise."""
    return _PLACE_NOISE.sub("", text.strip()).split(",")[0].strip()


def lookalike_to_latin(text: str) -> str:
    return text.translate(_LOOKALIKE)
