"""Name normalisation. For now the search fold only; romanisation and Russian/Ukrainian name
forms come with identity resolution."""

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
