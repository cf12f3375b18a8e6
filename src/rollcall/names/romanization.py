"""Official romanisation of Ukrainian: the Cabinet of Ministers' table of 27 January 2010
(Resolution No. 55), which passports and the ICRC use.

The letter table is translitua's `UkrainianKMU` (it is the 2010 table: word-initial
є ї й ю я as ye yi y yu ya, "зг" as "zgh", soft sign and apostrophe dropped). The driver is
ours because translitua works on whole strings and so breaks words in capitals
("ЗГУРСЬКИЙ" -> "ZGhURSKYI", "ЩЕРБАК" -> "ShchERBAK"); here each letter's case is carried
onto its Latin letters, and a word in capitals stays in capitals.
"""

from __future__ import annotations

from functools import lru_cache

from translitua import UkrainianKMU

#: Apostrophe look-alikes met in lists; the resolution drops the apostrophe.
APOSTROPHES = frozenset("'’ʼ‘`´")

_TABLE: dict[str, str] = {
    chr(code): latin for code, latin in UkrainianKMU.MAIN_TRANSLIT_TABLE.items()
    if chr(code).islower()
}
_INITIAL: dict[str, str] = {k: v for k, v in UkrainianKMU.FIRST_CHARACTERS.items() if k.islower()}
#: Not Ukrainian letters, but Russian-spelt names reach Ukrainian lists; the resolution has
#: no rule for them, so the nearest Ukrainian reading is used.
_NON_UKRAINIAN = {"ы": "y", "э": "e", "ё": "io", "ъ": "", "ь": ""}


def _is_word_start(text: str, i: int) -> bool:
    """A letter starts a word unless a letter or an apostrophe comes before it."""
    if i == 0:
        return True
    prev = text[i - 1]
    return not (prev.isalpha() or prev in APOSTROPHES)


def _recase(latin: str, text: str, i: int) -> str:
    """Carry the case of `text[i]` onto its Latin letters; capitals next to capitals mean
    a word written in capitals ("ЩЕРБАК" -> "SHCHERBAK", not "ShchERBAK")."""
    ch = text[i]
    if not latin or not ch.isupper():
        return latin
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if (before.isalpha() and before.isupper()) or (after.isalpha() and after.isupper()):
        return latin.upper()
    return latin[0].upper() + latin[1:]


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """Ukrainian Cyrillic -> Latin by the 2010 table. Case pattern and anything that is not
    a Cyrillic letter (Latin letters, digits, spaces, hyphens) are kept as they are.

    >>> romanize("Згурський Андрій")
    'Zghurskyi Andrii'
    >>> romanize("ЇЖАКЕВИЧ Мар'яна")
    'YIZHAKEVYCH Mariana'
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in APOSTROPHES:
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if _is_cyrillic(prev) and _is_cyrillic(nxt):
                continue  # the apostrophe inside a word: dropped
            out.append("'")  # a quotation mark: kept, plain
            continue
        low = ch.lower()
        latin = _TABLE.get(low)
        if latin is None:
            latin = _NON_UKRAINIAN.get(low)
            if latin is None:
                out.append(ch)
                continue
        elif low == "г" and text[:i].rstrip("".join(APOSTROPHES))[-1:].lower() == "з":
            latin = "gh"  # "зг" is "zgh", so that it does not read as "ж" (zh)
        elif low in _INITIAL and _is_word_start(text, i):
            latin = _INITIAL[low]
        out.append(_recase(latin, text, i))
    return "".join(out)


def _is_cyrillic(ch: str) -> bool:
    return bool(ch) and "\u0400" <= ch <= "\u04ff"
