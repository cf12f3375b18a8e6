"""Names in the reader's script: Cyrillic for a Ukrainian-language user, the official
Latin form (KMU 2010, `rollcall.names.romanize`) for an English one, with every other
known spelling a click away on the person's page.

A name that reached the registry only in Latin stays as written for a Ukrainian reader:
there is no official way back from Latin, and a guessed Cyrillic spelling would be a
spelling no source gave. When one of the person's records spells the name in Cyrillic,
that spelling is shown instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rollcall.names import fold, romanize

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def in_script(name: str, language: str, *, cyrillic: Iterable[str] = ()) -> str:
    """`name` as a reader of `language` should see it; `cyrillic` are other spellings of
    the same person to fall back on for a Ukrainian reader when `name` is Latin."""
    if language == "en":
        return romanize(name) if is_cyrillic(name) else name
    if is_cyrillic(name) or not name:
        return name
    return next((other for other in cyrillic if is_cyrillic(other)), name)


@dataclass(frozen=True)
class Spelling:
    """One way the name is written and where it comes from: a source record (`source`,
    `row`), the registry's chosen name (neither), or the official romanisation of one of
    those (`romanised`)."""

    text: str
    source: str | None = None
    row: int | None = None
    romanised: bool = False


def spellings(shown: str, person_name: str,
              records: Iterable[tuple[str, str, int]]) -> list[Spelling]:
    """Every distinct spelling of a person's name except the one shown: each record's
    (name, source title, row), the registry's chosen name, and the official Latin form of
    each Cyrillic one. Spellings differing only in case or apostrophes count once."""
    seen = {fold(shown)}
    found: list[Spelling] = []

    def add(spelling: Spelling) -> None:
        if spelling.text and fold(spelling.text) not in seen:
            seen.add(fold(spelling.text))
            found.append(spelling)

    written = [Spelling(text, source, row) for text, source, row in records]
    written.append(Spelling(person_name))
    for spelling in written:
        add(spelling)
    for spelling in written:
        if is_cyrillic(spelling.text):
            add(Spelling(romanize(spelling.text), romanised=True))
    return found
