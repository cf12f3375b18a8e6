"""Romanisation of Cyrillic names, three ways, because real lists use all three.

* `kmu` — the official Ukrainian national system (Cabinet of Ministers resolution No. 55 of
  27 January 2010), which ICRC and recent passports use.
* `uk_latin_old` — the older passport habit (`Andriy`, `Kovalskiy`, `Yuriy`) that families
  still type.
* `ru_latin` — a plain Russian romanisation (`Andrey`, `Nikolay`) as media outlets write
  names taken from the other side's videos.

Implemented here rather than taken from a library: the tables are short, and the synthetic
data must not change when a dependency changes its rules.
"""

from __future__ import annotations

APOSTROPHES = "'’ʼ`"

_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
}  # fmt: skip
#: KMU 2010: these letters are romanised differently at the start of a word.
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_OLD = dict(_KMU, **_KMU_INITIAL)

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_RU_INITIAL = {"е": "ye"}


def _recase(latin: str, text: str, i: int) -> str:
    """Carry the case of Cyrillic letter `text[i]` onto its (possibly multi-letter) Latin."""
    ch = text[i]
    if not latin or ch == ch.lower():
        return latin
    neighbours = (text[i - 1] if i else "") + (text[i + 1] if i + 1 < len(text) else "")
    if any(n.isalpha() and n.isupper() for n in neighbours):
        return latin.upper()  # a word in capitals stays in capitals: ЩЕРБАК -> SHCHERBAK
    return latin[0].upper() + latin[1:]


def _is_initial(text: str, i: int) -> bool:
    if i == 0:
        return True
    prev = text[i - 1]
    return not (prev.isalpha() or prev in APOSTROPHES)


def kmu(text: str) -> str:
    """Ukrainian -> Latin by the KMU 2010 table (word-initial є ї й ю я; зг -> zgh)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in APOSTROPHES:
            continue
        low = ch.lower()
        latin = _KMU.get(low)
        if latin is None:
            out.append(ch)
            continue
        if low == "г" and i and text[i - 1].lower() == "з":
            latin = "gh"
        elif low in _KMU_INITIAL and _is_initial(text, i):
            latin = _KMU_INITIAL[low]
        out.append(_recase(latin, text, i))
    return "".join(out)


def uk_latin_old(text: str) -> str:
    """Ukrainian -> Latin the pre-2010 passport way: y-forms everywhere, final -ий -> -iy."""
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in APOSTROPHES:
            continue
        low = ch.lower()
        latin = _OLD.get(low)
        if latin is None:
            out.append(ch)
            continue
        if low == "г" and i and text[i - 1].lower() == "з":
            latin = "gh"
        elif low == "и" and i + 1 < n and text[i + 1].lower() == "й":
            final = i + 2 == n or not text[i + 2].isalpha()
            latin = "i" if final else latin
        out.append(_recase(latin, text, i))
    return "".join(out)


def ru_latin(text: str) -> str:
    """Russian -> Latin the way the press writes it (Andrey, Kovalenko, Zgurskiy)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        latin = _RU.get(low)
        if latin is None:
            out.append(ch)
            continue
        if low in _RU_INITIAL and _is_initial(text, i):
            latin = _RU_INITIAL[low]
        out.append(_recase(latin, text, i))
    return "".join(out)


#: Letters a Russian-language list cannot hold (not in Windows-1251 Russian usage).
UKRAINIAN_ONLY = "іїєґІЇЄҐ"

_UK_TO_RU = str.maketrans(
    {"і": "и", "І": "И", "ї": "и", "Ї": "И", "є": "е", "Є": "Е", "ґ": "г", "Ґ": "Г"}
    | {a: "ь" for a in APOSTROPHES}
)


def uk_letters_to_ru(text: str) -> str:
    """Spell a Ukrainian word with Russian letters (і->и, є->е, ї->и, ґ->г, '->ь).

    Ukrainian и stays и: Russian writes Мельничук and Гриценко, not Мельнычук.
    """
    return text.translate(_UK_TO_RU)
