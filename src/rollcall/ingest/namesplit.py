"""Split a full-name cell into surname, given name and patronymic; tag a name's script.

Rules, in order (the name order a list uses is a convention of its language, so the
script decides the default):

1. A comma means "Surname, Given [Patronymic]" in any script. After the comma, a last
   word that looks like a patronymic is the patronymic; the rest is the given name(s).
   Nothing before the comma means no surname (the row is then rejected).
2. If some words are ALL CAPS (at least two letters) and others are not, the capitalised
   words are the surname ("Taras SHEVCHENKO", "ШЕВЧЕНКО Тарас Григорович"); of the
   rest, a last word that looks like a patronymic is the patronymic.
3. Cyrillic (any Cyrillic letter): surname first, as Ukrainian and Russian lists write
   ("Шевченко Тарас Григорович"). With three or more words a last word that looks like a
   patronymic (-ович/-евич/-йович/-ич, -івна/-ївна/-овна/-евна/-ична; Turkic "огли/оглы",
   "кизи/кызы" with the word before) is the patronymic, the words between are the given
   name. Three words whose middle one is a patronymic and last is not are read
   "Given Patronymic Surname" ("Тарас Григорович Шевченко").
4. Latin: "Given Surname" - the last word is the surname. Exceptions for romanised
   Ukrainian/Russian names: three or more words whose last looks like a patronymic
   (-ovych/-evych/-ovich/-evich/-yich/-ivna/-ovna/-evna/-ichna) are surname-first
   ("Shevchenko Taras Hryhorovych"); a patronymic second to last means
   "Given Patronymic Surname"; initials at the end mean surname first ("Smith J.").
5. One word is a surname.
"""

from __future__ import annotations

import re

from rollcall.vocabulary import Script

_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_PATRONYMIC_ENDINGS = (
    "ич", "івна", "ївна", "овна", "евна", "ична",
    "ovych", "evych", "ovich", "evich", "yich", "ivna", "ovna", "evna", "ichna", "ychna",
)
_INITIALS = re.compile(r"(?:\w\.)+\w?|\w")
_TURKIC = frozenset({"огли", "оглы", "кизи", "кызы", "ogly", "ohly", "ogli", "kyzy", "kizi"})

Split = tuple[str, str | None, str | None]  # surname, given name, patronymic


def looks_like_patronymic(word: str) -> bool:
    word = word.casefold()
    return len(word) > 4 and word.endswith(_PATRONYMIC_ENDINGS)


def _is_caps(word: str) -> bool:
    """An ALL-CAPS word of two or more letters (initials such as "Т.Г." are not)."""
    if _INITIALS.fullmatch(word):
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _given_and_patronymic(words: list[str]) -> tuple[str | None, str | None]:
    """Given name(s) and patronymic from the words after the surname."""
    if len(words) >= 3 and words[-1].casefold() in _TURKIC:
        return " ".join(words[:-2]), " ".join(words[-2:])
    if len(words) >= 2 and looks_like_patronymic(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return (" ".join(words) or None), None


def split_full_name(full: str) -> Split:
    """Surname, given name, patronymic from a full-name cell (see the module rules)."""
    if "," in full:
        head, _, rest = full.partition(",")
        words = rest.replace(",", " ").split()
        return (head.strip(), *_given_and_patronymic(words))  # "" surname: the list says so
    words = full.split()
    if len(words) <= 1:
        return full.strip(), None, None
    caps = [w for w in words if _is_caps(w)]
    if 0 < len(caps) < len(words):
        return (" ".join(caps), *_given_and_patronymic([w for w in words if not _is_caps(w)]))
    if _CYRILLIC.search(full):
        if (len(words) == 3 and looks_like_patronymic(words[1])
                and not looks_like_patronymic(words[2])):
            return words[2], words[0], words[1]
        return (words[0], *_given_and_patronymic(words[1:]))
    if (len(words) >= 3 and looks_like_patronymic(words[-1])) or (
            _INITIALS.fullmatch(words[-1]) and not _INITIALS.fullmatch(words[0])):
        return (words[0], *_given_and_patronymic(words[1:]))
    if len(words) >= 3 and looks_like_patronymic(words[-2]):
        return words[-1], " ".join(words[:-2]), words[-2]
    return words[-1], " ".join(words[:-1]), None


def name_script(text: str) -> str | None:
    """Script tag of the letters in a name: cyrl, latn, mixed, or None with no letters."""
    if text.isascii():
        return Script.LATIN.value if _LATIN.search(text) else None
    cyrillic = _CYRILLIC.search(text) is not None
    latin = _LATIN.search(text) is not None
    if cyrillic and latin:
        return Script.MIXED.value
    if cyrillic:
        return Script.CYRILLIC.value
    return Script.LATIN.value if latin else None


script_cache: dict[str, str] = {}


def names_script(*parts: str | None) -> str | None:
    """Script tag over several name parts; each part's tag is cached (names repeat)."""
    result = None
    for part in parts:
        if part is None:
            continue
        script = script_cache.get(part)
        if script is None:
            if len(script_cache) > 50_000:
                script_cache.clear()
            script = script_cache[part] = name_script(part) or ""
        if not script:
            continue
        if result is None:
            result = script
        elif result != script:
            return Script.MIXED.value
    return result
