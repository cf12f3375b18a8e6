"""Ukrainian and English for the pages (Babel/gettext).

The catalogs are committed as `.po` only and compiled in memory at start-up, so there is no
build step and no stale `.mo`. Each language's folder may hold several `.po` files (one per
area of the application: `messages.po`, `stats.po`, ...); they are read as one catalog, and a
message translated differently in two of them stops the start. Translations are handed to
each render as functions, never installed globally: requests for different languages run at
the same time.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

from rollcall.services.accounts import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "uk"
LANG_COOKIE = "lang"


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def catalog(language: str) -> Catalog:
    """All `.po` files of one language merged: `messages.po` first, then the others by name."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    paths = sorted(folder.glob("*.po"), key=lambda p: (p.name != "messages.po", p.name))
    merged: Catalog | None = None
    for path in paths:
        with path.open("rb") as handle:
            part = read_po(handle, locale=language)
        if merged is None:
            merged = part
            continue
        for message in part:
            if not message.id:
                continue
            known = merged.get(message.id)
            if known is not None and known.string != message.string:
                raise ValueError(
                    f"{path.name}: {message.id!r} is translated differently in another "
                    f"catalog of {language!r}")
            if known is None:
                merged[message.id] = message
    if merged is None:
        raise FileNotFoundError(f"no catalog in {folder}")
    return merged


@cache
def translations() -> dict[str, gettext.GNUTranslations]:
    """Every catalog, compiled once per process."""
    loaded: dict[str, gettext.GNUTranslations] = {}
    for language in LANGUAGES:
        buffer = BytesIO()
        write_mo(buffer, catalog(language))
        buffer.seek(0)
        loaded[language] = gettext.GNUTranslations(buffer)
    return loaded


@dataclass(frozen=True)
class Translator:
    language: str
    catalog: gettext.GNUTranslations

    def gettext(self, message: str, **values: object) -> str:
        text = self.catalog.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self.catalog.ngettext(singular, plural, n)
        return text % {"num": n, **values}


def translator(language: str) -> Translator:
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return Translator(language, translations()[language])


def choose_language(request: Request) -> str:
    """A logged-in user's saved choice; before login `?lang=`, then the `lang` cookie."""
    login = getattr(request.state, "login", None)
    if login is not None:
        return str(login.language)
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGUAGES:
            return str(value)
    return DEFAULT_LANGUAGE
