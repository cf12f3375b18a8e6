"""Map a list's headers onto record fields.

Built-in synonyms (uk/ru/en, `header_synonyms.toml`) cover the lists bureaus send; a
mapping file (`--mapping FILE`, TOML `[columns]`) covers the rest and overrides them.
Every ambiguity is a file-level error before any row is read: guessing which of two
surname columns is the real one would silently corrupt a whole list.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from rollcall.errors import ImportFileError
from rollcall.ingest.fields import Field
from rollcall.ingest.readers import TableInfo

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", ".": None})
_SPACES = re.compile(r"\s+")
_FIELDS = {f.value: f for f in Field}
_IGNORE = {"", "-"}


def normalise_header(text: str) -> str:
    """The form headers are compared in: case, spacing, dots and apostrophes ignored."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_APOSTROPHES)
    text = _SPACES.sub(" ", text).strip()
    while text[-1:] in (":", "*"):
        text = text[:-1].rstrip()
    return text.replace("ё", "е")


@cache
def synonyms() -> dict[str, Field]:
    """Normalised header text -> field, from the packaged data file (read once)."""
    data = tomllib.loads(
        files("rollcall.ingest").joinpath("header_synonyms.toml").read_text("utf-8"))
    table: dict[str, Field] = {}
    for name, texts in data.items():
        target = _FIELDS[name]  # KeyError here is a typo in the data file
        for text in texts:
            key = normalise_header(text)
            if table.get(key, target) is not target:
                raise ValueError(f"header synonym {text!r} listed for {table[key]} and {name}")
            table[key] = target
    return table


@dataclass(frozen=True)
class HeaderMap:
    """For each column: its field (None = kept in `raw` only) and its key in `raw`."""

    file: str
    headers: tuple[str, ...]
    fields: tuple[Field | None, ...]
    raw_keys: tuple[str, ...]  # header text, or "column N" under an empty header
    unused_mapping: tuple[str, ...] = ()  # mapping entries that matched no header

    def column_of(self, target: Field) -> int | None:
        try:
            return self.fields.index(target)
        except ValueError:
            return None


def load_mapping(path: Path) -> dict[str, str]:
    """Read a mapping file: `[columns]` with `"header text" = "field"` ("" or "-" = ignore)."""
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as e:
        raise ImportFileError(f"cannot read the mapping file ({e.strerror or e})",
                              file=name) from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ImportFileError(f"not a valid TOML mapping file ({e})", file=name) from e
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise ImportFileError(
            'no [columns] table; write lines like "Прізвище" = "surname" under [columns]',
            file=name)
    mapping: dict[str, str] = {}
    for header, target in columns.items():
        if not isinstance(target, str):
            raise ImportFileError(
                f"entry {header!r}: the field must be a quoted name such as \"surname\"",
                file=name, field=header)
        mapping[header] = _check_target(header, target, name)
    return mapping


def _check_target(header: str, target: str, file: str) -> str:
    target = target.strip()
    if target in _IGNORE or target in _FIELDS:
        return target
    known = ", ".join(_FIELDS)
    raise ImportFileError(
        f"entry {header!r} = {target!r}: unknown field; use one of {known}, or \"-\" to "
        "ignore the column", file=file, field=header)


def map_headers(info: TableInfo, mapping: dict[str, str] | None = None) -> HeaderMap:
    """Decide each column's field, or raise ImportFileError saying what is ambiguous."""
    file = info.file
    explicit: dict[str, str] = {}
    for header, target in (mapping or {}).items():
        explicit[normalise_header(header)] = _check_target(header, target, file)
    builtin = synonyms()

    seen_text: dict[str, int] = {}
    taken: dict[Field, int] = {}
    fields: list[Field | None] = []
    raw_keys: list[str] = []
    used: set[str] = set()
    for i, header in enumerate(info.headers):
        if not header:
            fields.append(None)
            raw_keys.append(f"column {i + 1}")
            continue
        if header in seen_text:
            raise ImportFileError(
                f"columns {seen_text[header] + 1} and {i + 1} have the same header "
                f"{header!r}; rename one of them", file=file)
        seen_text[header] = i
        raw_keys.append(header)
        key = normalise_header(header)
        if key in explicit:
            used.add(key)
            target = explicit[key]
            found = None if target in _IGNORE else _FIELDS[target]
        else:
            found = builtin.get(key)
        if found is not None and found in taken:
            j = taken[found]
            raise ImportFileError(
                f"columns {j + 1} {info.headers[j]!r} and {i + 1} {header!r} both map to "
                f"{found}; say which one to use in a --mapping file", file=file)
        if found is not None:
            taken[found] = i
        fields.append(found)

    if Field.SURNAME not in taken and Field.FULL_NAME not in taken:
        seen = ", ".join(repr(h) for h in info.headers if h) or "none"
        raise ImportFileError(
            "missing required column: surname (or a full-name column such as ПІБ). "
            f"Headers seen: {seen}. To say which column holds what, write a mapping file "
            'such as\n[columns]\n"Your surname header" = "surname"\n"Your name header" = '
            '"given_name"\nand pass it with --mapping FILE', file=file)
    unused = tuple(h for h in (mapping or {}) if normalise_header(h) not in used)
    return HeaderMap(file, tuple(info.headers), tuple(fields), tuple(raw_keys), unused)
