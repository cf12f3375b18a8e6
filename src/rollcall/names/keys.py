"""Comparison keys: one ASCII string per name that all its spellings share.

- surname: the sound skeleton alone (no dictionary: there are too many surnames, and
  their Russian spellings differ from the Ukrainian by letters, which the skeleton folds).
- given name and patronymic: the skeleton, then an index that sends the skeleton of every
  known spelling (Russian form, Latin variant) to the skeleton of the canonical Ukrainian
  form. A name no dictionary knows keeps its skeleton, so it still meets its other
  spellings wherever they differ only by letters.

Keys are cached per distinct text: lists repeat names heavily, and linkage asks for
millions of keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from names_translator.dicts import default_dicts

from rollcall.names.forms import given_names, patronymic_pairs
from rollcall.names.skeleton import skeleton

_WORDS = re.compile(r"[\s\-‐‑–—/]+")
_CACHE_SIZE = 1 << 18

#: Patronymic endings, folded so that the Ukrainian and Russian patterns of one father's
#: name meet: -ович/-йович/-ійович/-евич/-ьевич/-еевич -> "evich",
#: -івна/-ївна/-овна/-евна/-ьевна -> "ivna" (applied to the skeleton).
_MALE_ENDING = re.compile(r"i?[oe]vich$")
_FEMALE_ENDING = re.compile(r"(?:i?[oe]|i)vna$")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The three comparison keys of one record's name ("" where a part is missing)."""

    surname: str
    given: str
    patronymic: str


def patronymic_skeleton(word: str) -> str:
    """The skeleton with the patronymic ending folded (see `_MALE_ENDING`)."""
    sk = skeleton(word)
    if sk.endswith("vich"):
        return _MALE_ENDING.sub("evich", sk)
    if sk.endswith("vna"):
        return _FEMALE_ENDING.sub("ivna", sk)
    return sk


def _settle(index: dict[str, str]) -> dict[str, str]:
    """Make every target a fixed point, so a key of a key is the same key."""
    settled: dict[str, str] = {}
    for source, target in index.items():
        seen = {source}
        while target in index and index[target] != target and target not in seen:
            seen.add(target)
            target = index[target]
        if source != target:
            settled[source] = target
    for target in set(settled.values()):
        settled.pop(target, None)
    return settled


@cache
def given_index() -> dict[str, str]:
    """Skeleton of a given-name spelling -> skeleton of its canonical Ukrainian form."""
    index: dict[str, str] = {}
    ours = given_names()
    for name in ours:  # canonical forms first: nothing may take them over
        index[skeleton(name.uk[0])] = skeleton(name.uk[0])
    for name in ours:
        canonical = skeleton(name.uk[0])
        for spelling in (*name.uk[1:], *name.ru, *name.latin):
            index.setdefault(skeleton(spelling), canonical)
    _add_translations(index, "first", skeleton)
    return _settle(index)


@cache
def patronymic_index() -> dict[str, str]:
    """Skeleton of a patronymic spelling -> skeleton of its canonical Ukrainian form."""
    index: dict[str, str] = {}
    pairs = list(patronymic_pairs())
    for canonical, _, _ in pairs:
        index[patronymic_skeleton(canonical)] = patronymic_skeleton(canonical)
    for canonical, spelling, _ in pairs:
        index.setdefault(patronymic_skeleton(spelling), patronymic_skeleton(canonical))
    _add_translations(index, "patronymic", patronymic_skeleton)
    return _settle(index)


def _add_translations(index: dict[str, str], pool: str, reduce: Callable[[str], str]) -> None:
    """names-translator's pairs, best-ranked first: a Russian form whose skeleton differs
    from its Ukrainian one's points to it, unless our table already placed that skeleton."""
    table = default_dicts().as_dict(pool)
    for rank in range(3):
        for uk, translations in table.items():
            if rank >= len(translations):
                continue
            source = reduce(translations[rank])
            target = reduce(uk)
            if source != target:
                index.setdefault(source, index.get(target, target))


def _join(keys: list[str]) -> str:
    return " ".join(k for k in keys if k)


#: Russian endings of Ukrainian surnames, on the skeleton: feminine -ая (Барановская,
#: Головатая) is Ukrainian -а; -ой (Береговой) is -ий; -ёв/-ев/-ьов/-йов (Ковалёв, Ковалев,
#: Ковальов, Kovalyov) are one ending. -ов and -ів stay apart (Петров, Петрів).
_SURNAME_ENDINGS = re.compile(r"aia$|(?<=..[^aeiou])oi$|i?[eo](?=va?$)")
_SURNAME_ENDING_FORMS = {"aia": "a", "oi": "i"}


def _surname_ending(match: re.Match[str]) -> str:
    return _SURNAME_ENDING_FORMS.get(match.group(), "e")


@lru_cache(maxsize=_CACHE_SIZE)
def surname_key(text: str | None) -> str:
    """One ASCII key for every spelling of a surname (Коваленко, Kovalenko, Kowalenko;
    Рибчинський, Рыбчинский, Rybchynskyi; Барановська, Барановская).

    Several words (double-barrelled surnames) are read as one: "Коваленко-Шевчук" and
    "Коваленко Шевчук" share a key.
    """
    if not text:
        return ""
    return _SURNAME_ENDINGS.sub(_surname_ending, skeleton(text), count=1)


@lru_cache(maxsize=_CACHE_SIZE)
def given_name_key(text: str | None) -> str:
    """One ASCII key for every spelling of a first name (Андрій, Андрей, Andrii, Andrey).

    Several names ("Анна-Марія") give their keys joined by a space.
    """
    if not text:
        return ""
    index = given_index()
    return _join([index.get(s, s) for s in map(skeleton, _WORDS.split(text))])


@lru_cache(maxsize=_CACHE_SIZE)
def patronymic_key(text: str | None) -> str:
    """One ASCII key for every spelling of a patronymic (Миколайович, Николаевич,
    Mykolaiovych, Nikolaevich). Male and female patronymics keep different keys."""
    if not text:
        return ""
    index = patronymic_index()
    return _join([index.get(s, s) for s in map(patronymic_skeleton, _WORDS.split(text))])


def name_keys(surname: str | None, given_name: str | None, patronymic: str | None) -> NameKeys:
    """The three keys at once."""
    return NameKeys(surname_key(surname), given_name_key(given_name), patronymic_key(patronymic))
