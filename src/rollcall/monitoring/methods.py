"""The methods of ill-treatment acts are coded with: a controlled vocabulary kept as data
(DESIGN.md section 5), with stable codes and Ukrainian and English labels.

The built-in list is `data/methods.toml`. A mission extends it with a second file of the
same shape, named by the setting `methods_file`; that file may add groups and methods but
never repeat a code, because a code is stored in `acts.method` and hashed into the change
log: redefining one would silently change the meaning of every act already coded with it.
So a code can be neither removed (the built-in file is always read) nor renamed (a
duplicate is refused with the file and the code named).

Search folds case, accents and apostrophes, so "ПОБИТТЯ", "зав'язування" (typed with a
plain apostrophe) or "ELECTRIC" all find their method in the investigators' form.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from rollcall.config import get_settings
from rollcall.errors import InvalidValue, RollcallError

#: What a code may look like: lower-case ASCII words joined by underscores.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
BUILTIN_NAME = "built-in methods.toml"
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "_": " "})
#: Ukrainian alphabetical order (code points put і, ї, є, ґ after я).
_UK_ORDER = {ch: i for i, ch in enumerate("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")}
_GROUP_KEYS = frozenset({"code", "uk", "en"})
_METHOD_KEYS = frozenset({"code", "group", "uk", "en", "description"})


class MethodsFileError(RollcallError):
    """The vocabulary cannot be loaded: the operator must fix a file (names file and code,
    never anything else)."""

    title = "Methods vocabulary cannot be loaded"


@dataclass(frozen=True)
class Group:
    code: str
    uk: str
    en: str

    def label(self, language: str) -> str:
        return self.uk if language == "uk" else self.en


@dataclass(frozen=True)
class Method:
    code: str
    group: str
    uk: str
    en: str
    description: str
    #: The file it comes from: the built-in list or the mission's file.
    origin: str

    def label(self, language: str) -> str:
        return self.uk if language == "uk" else self.en


def fold(text: str) -> str:
    """Case, accents (й ~ и, ї ~ і, é ~ e), apostrophes and spacing folded for search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_APOSTROPHES).split())


def alphabetical(text: str) -> tuple[int, ...]:
    """A sort key in Ukrainian alphabetical order (Latin and the rest by code point)."""
    return tuple(_UK_ORDER.get(ch, 64 + ord(ch)) for ch in text.casefold())


@dataclass(frozen=True)
class Methods:
    """The loaded vocabulary, in file order (built-in first)."""

    groups: dict[str, Group]
    methods: dict[str, Method]

    def __iter__(self) -> Iterator[Method]:
        return iter(self.methods.values())

    def __len__(self) -> int:
        return len(self.methods)

    def __contains__(self, code: object) -> bool:
        return code in self.methods

    def get(self, code: str) -> Method | None:
        return self.methods.get(code)

    def require(self, code: object, field: str = "method") -> Method:
        """The method of `code`; a code not in the vocabulary is refused by name."""
        method = self.methods.get(code) if isinstance(code, str) else None
        if method is None:
            shown = repr(code[:64]) if isinstance(code, str) else type(code).__name__
            raise InvalidValue(f"{field}: {shown} is not a code of the methods vocabulary "
                               "(see `rollcall methods` or GET /api/methods)")
        return method

    def search(self, query: str) -> list[Method]:
        """Methods whose code, Ukrainian or English label contains the query (folded)."""
        wanted = fold(query)
        if not wanted:
            return list(self)
        return [m for m in self
                if any(wanted in fold(text) for text in (m.code, m.uk, m.en))]

    def find(self, text: str) -> list[Method]:
        """What a person typed in the form's method field: the method whose code or label
        (either language) it is, else every method whose code or label contains it."""
        wanted = fold(text)
        if not wanted:
            return []
        exact = [m for m in self if wanted in (fold(m.code), fold(m.uk), fold(m.en))]
        return exact or self.search(text)

    def grouped(self, language: str) -> list[tuple[Group, list[Method]]]:
        """Groups in file order, each with its methods sorted by label in `language`:
        what the form's select box shows."""
        by_group: dict[str, list[Method]] = {code: [] for code in self.groups}
        for method in self:
            by_group[method.group].append(method)
        return [(self.groups[code], sorted(items, key=lambda m: alphabetical(m.label(language))))
                for code, items in by_group.items() if items]


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MethodsFileError(f"{where}: {key!r} must be a non-empty text")
    return value.strip()


def _entries(data: dict[str, Any], table: str, name: str) -> list[dict[str, Any]]:
    entries = data.get(table, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MethodsFileError(f"{name}: [[{table}]] must be an array of tables")
    return entries


def _read(text: str, name: str, groups: dict[str, Group], methods: dict[str, Method]) -> None:
    """Add one file's groups and methods to the vocabulary read so far, refusing any code
    already defined."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise MethodsFileError(f"{name}: not valid TOML ({e})") from e
    unknown = sorted(set(data) - {"group", "method"})
    if unknown:
        raise MethodsFileError(f"{name}: unknown table(s) {', '.join(unknown)}; expected "
                               "[[group]] and [[method]]")
    for entry in _entries(data, "group", name):
        code = entry.get("code")
        where = f"{name}: group {code!r}"
        if not isinstance(code, str) or not CODE.match(code):
            raise MethodsFileError(f"{where}: a code is lower-case a-z, 0-9 and _, at most "
                                   "64 characters")
        if set(entry) - _GROUP_KEYS:
            raise MethodsFileError(f"{where}: unknown key(s) "
                                   f"{', '.join(sorted(set(entry) - _GROUP_KEYS))}")
        if code in groups:
            raise MethodsFileError(f"{where}: this group is already defined")
        groups[code] = Group(code, _text(entry, "uk", where), _text(entry, "en", where))
    for entry in _entries(data, "method", name):
        code = entry.get("code")
        where = f"{name}: method {code!r}"
        if not isinstance(code, str) or not CODE.match(code):
            raise MethodsFileError(f"{where}: a code is lower-case a-z, 0-9 and _, at most "
                                   "64 characters")
        if set(entry) - _METHOD_KEYS:
            raise MethodsFileError(f"{where}: unknown key(s) "
                                   f"{', '.join(sorted(set(entry) - _METHOD_KEYS))}")
        if code in methods:
            raise MethodsFileError(
                f"{where}: this code is already defined in {methods[code].origin}; a code "
                "can be neither redefined nor renamed: add a new code instead")
        group = _text(entry, "group", where)
        if group not in groups:
            raise MethodsFileError(f"{where}: unknown group {group!r}")
        methods[code] = Method(code, group, _text(entry, "uk", where),
                               _text(entry, "en", where),
                               _text(entry, "description", where, required=False), name)


def builtin_text() -> str:
    return files("rollcall.monitoring").joinpath("data", "methods.toml").read_text("utf-8")


@cache
def load(extra: Path | None = None) -> Methods:
    """The built-in vocabulary, with a mission's file merged over it (read once per path;
    restart to read a changed file)."""
    groups: dict[str, Group] = {}
    methods: dict[str, Method] = {}
    _read(builtin_text(), BUILTIN_NAME, groups, methods)
    if extra is not None:
        try:
            text = Path(extra).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise MethodsFileError(f"{extra}: cannot read the methods file ({e})") from e
        _read(text, str(extra), groups, methods)
    return Methods(groups, methods)


def vocabulary() -> Methods:
    """The vocabulary this deployment uses (setting `methods_file`)."""
    return load(get_settings().methods_file)
