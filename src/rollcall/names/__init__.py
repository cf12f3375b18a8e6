"""Personal names in any script: the search fold, official Ukrainian romanisation, Russian
and Ukrainian forms of one name, Latin variants, and comparison keys that put every spelling
of one name together. Linkage (`rollcall.linkage`) and tracing (`rollcall.tracing`) compare
names only through the keys defined here.

Public API (stable; the implementations live in the submodules):

- `fold(text)` - case, apostrophes, ё/е and spacing folded; same script.
  `search_key(*parts)` - the fold of several parts joined.
- `romanize(text)` - Ukrainian -> Latin by the Cabinet of Ministers' 2010 table (Res. No. 55).
- `given_name_key(text)`, `patronymic_key(text)`, `surname_key(text)` - one ASCII key per
  name, shared by its Ukrainian, Russian and Latin spellings ("Андрей", "Андрій", "Andrii",
  "Andrey" -> one key). Empty string for an empty or unusable name. A key is its own key.
- `name_keys(surname, given_name, patronymic)` - the three keys at once (`NameKeys`).
- `service_number_key(text)` - a service number without separators or case, Cyrillic
  look-alike letters as Latin.
- `birth_date_agreement(a, b)` - how two birth dates agree (`DateAgreement`).

Also: `skeleton(text)` (the sound skeleton the keys are built on); `to_russian`,
`to_ukrainian`, `russian_forms` (Андрій <-> Андрей, Миколайович <-> Николаевич; `NameKind`
says whether a first name or a patronymic is meant); `russian_romanizations(text)` (a Russian
name in the usual schemes, via iuliia).

Splitting a full name held in one field stays with `rollcall.ingest.namesplit`.
"""

from __future__ import annotations

import re
import unicodedata

from rollcall.names.forms import NameKind, russian_forms, to_russian, to_ukrainian
from rollcall.names.identifiers import DateAgreement, birth_date_agreement, service_number_key
from rollcall.names.keys import (
    NameKeys,
    given_name_key,
    name_keys,
    patronymic_key,
    surname_key,
)
from rollcall.names.romanization import romanize
from rollcall.names.russian import russian_romanizations
from rollcall.names.skeleton import skeleton

__all__ = [
    "DateAgreement",
    "NameKeys",
    "NameKind",
    "birth_date_agreement",
    "fold",
    "given_name_key",
    "name_keys",
    "patronymic_key",
    "romanize",
    "russian_forms",
    "russian_romanizations",
    "search_key",
    "service_number_key",
    "skeleton",
    "surname_key",
    "to_russian",
    "to_ukrainian",
]

_APOSTROPHES = str.maketrans({"'": "", "’": "", "ʼ": "", "‘": "", "`": "", "ё": "е", "-": " "})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A spelling-insensitive form for search: case, apostrophes, ё/е and spacing folded."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return _SPACES.sub(" ", folded).strip()


def search_key(*parts: str | None) -> str:
    return fold(" ".join(p for p in parts if p))
