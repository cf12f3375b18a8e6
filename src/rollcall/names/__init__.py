"""Personal names in any script: the search fold, official Ukrainian romanisation, Russian
and Ukrainian forms of one name, Latin variants, and comparison keys that put every spelling
of one name together. Linkage (`rollcall.linkage`) and tracing (`rollcall.tracing`) compare
names only through the keys defined here.

Public API (stable; the implementations live in the submodules):

- `fold(text)` - case, apostrophes, ё/е and spacing folded; same script.
- `romanize(text)` - Ukrainian -> Latin by the Cabinet of Ministers' 2010 table (Res. No. 55).
- `given_name_key(text)`, `patronymic_key(text)`, `surname_key(text)` - one ASCII key per
  name, shared by its Ukrainian, Russian and Latin spellings ("Андрей", "Андрій", "Andrii",
  "Andrey" -> one key). Empty string for an empty or unusable name.
- `name_keys(surname, given_name, patronymic)` - the three keys at once (`NameKeys`).
- `service_number_key(text)` - a service number without separators or case.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"'": "", "’": "", "ʼ": "", "‘": "", "`": "", "ё": "е", "-": " "})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A spelling-insensitive form for search: case, apostrophes, ё/е and spacing folded."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return _SPACES.sub(" ", folded).strip()


def search_key(*parts: str | None) -> str:
    return fold(" ".join(p for p in parts if p))
