"""A coarse ASCII sound skeleton of a name in any script, for comparison keys.

The skeleton forgets exactly the differences that separate one name's Ukrainian, Russian
and Latin spellings, and little else:

- letters: и ы і ї y j -> i; е є э ё ye ie je -> e; г ґ х g h kh gh -> g; ж zh ž -> zh;
  ц ts tz c(e/i/y) -> ts; ч ch cz č tsch -> ch; ш sh sz š -> sh; щ shch sch shh szcz -> shch;
  w -> v, x -> ks, ph -> f, q and other c -> k;
- the soft sign, apostrophes, hyphens, spaces and doubled letters are dropped, so the
  endings -ий/-ій/-ый/-iy/-yi/-ii/-y all end in "i";
- a glide before e is dropped (Євген/Evgen/Yevhen, Гаєвич/Гаевич/Haievych), and "yo"/"io"
  after a consonant is e, as Russian ё mostly is in print (Fyodor/Федор, Semyon/Семен).

Different names stay apart as long as they differ in more than these: Коваль (koval) and
Ковальов (kovalov), -ов and -ів, male and female forms (-ський/-ська).

Cyrillic is first spelt out in Latin (with г as "g", so "зг" never reads as "ж"), then one
tokenizer reads every Latin spelling, so a name and its romanisation meet in one form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ё": "e", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Latin letters with marks that carry a sound of their own (Czech, Polish, ISO 9)
    "š": "sh", "ś": "sh", "ž": "zh", "ź": "z", "ż": "zh", "č": "ch", "ć": "ch", "ł": "l",
    "ß": "ss", "ŝ": "shch", "û": "iu", "â": "ia", "ê": "ie", "ë": "e",
})  # fmt: skip

#: One pass, longest spelling first; upper-case letters are the skeleton's own sounds.
_TOKENS = re.compile(
    r"schtsch|shch|szcz|scz|shh|sch|tsch|ch|cz|sh|sz|zh|ts|tz|kh|gh|ph|ck|[hgcqxwyj]"
)
_TOKEN_SOUND = {
    "schtsch": "Q", "shch": "Q", "szcz": "Q", "scz": "Q", "shh": "Q", "sch": "Q",
    "tsch": "C", "ch": "C", "cz": "C",
    "sh": "S", "sz": "S",
    "zh": "Z",
    "ts": "T", "tz": "T",
    "kh": "G", "gh": "G", "h": "G", "g": "G",
    "ph": "f", "ck": "k", "q": "k", "x": "ks", "w": "v", "y": "i", "j": "i",
}  # fmt: skip
_NOT_LETTERS = re.compile(r"[^a-zA-Z]+")
_DOUBLES = re.compile(r"(.)\1+")
_GLIDE_BEFORE_E = re.compile(r"i+e")
#: Russian ё after a consonant, written "yo" or "io" (Fyodor, Semyon, Pyotr), is е as most
#: Russian documents print it (Федор, Семен, Петр).
_YO_AFTER_CONSONANT = re.compile(r"(?<=[bvdzklmnprstfGZCSQT])io")
_SPELL = str.maketrans(
    {"Q": "shch", "C": "ch", "S": "sh", "Z": "zh", "T": "ts", "G": "g"}
)


def _sound(match: re.Match[str]) -> str:
    spelling = match.group()
    if spelling == "c":  # ц before e, i, y (Cyril, Tsetsilia), к elsewhere (Victor, Nicolai)
        return "T" if match.string[match.end() : match.end() + 1] in ("e", "i", "y") else "k"
    return _TOKEN_SOUND[spelling]


def _strip_marks(text: str) -> str:
    """Drop accents that do not change the letter's sound in a name (é, ü, ï)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262144)
def skeleton(text: str) -> str:
    """The sound skeleton of one name (see the module docstring); "" if it has no letters.

    A skeleton is its own skeleton: the rare spelling whose skeleton reads back otherwise
    (Polish "sz" met by "s" + "zh") is read again until it settles.

    >>> skeleton("Коваленко"), skeleton("Kowalenko"), skeleton("Kovalenko")
    ('kovalenko', 'kovalenko', 'kovalenko')
    >>> skeleton("Рибчинський"), skeleton("Рыбчинский"), skeleton("Rybchynskyi")
    ('ribchinski', 'ribchinski', 'ribchinski')
    """
    result = _read(text)
    for _ in range(4):
        again = _read(result)
        if again == result:
            break
        result = again
    return result


def _read(text: str) -> str:
    latin = unicodedata.normalize("NFC", text).lower().translate(_CYRILLIC_TO_LATIN)
    latin = _NOT_LETTERS.sub("", _strip_marks(latin).lower())
    sounds = _TOKENS.sub(_sound, latin)
    sounds = _DOUBLES.sub(r"\1", sounds)
    sounds = _GLIDE_BEFORE_E.sub("e", sounds)
    sounds = _YO_AFTER_CONSONANT.sub("e", sounds)
    sounds = _DOUBLES.sub(r"\1", sounds)
    return sounds.translate(_SPELL)
