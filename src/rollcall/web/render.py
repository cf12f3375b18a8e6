"""Rendering pages: one Jinja2 environment, a per-request context carrying the
translation functions (never installed globally: requests in different languages run
concurrently) and the formatting rules (dd.mm.yyyy in Ukrainian, ISO in English)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.security.permissions import Permission, permissions_of
from rollcall.services.accounts import LANGUAGES
from rollcall.vocabulary import Role
from rollcall.web.i18n import LANG_COOKIE, choose_language, translator
from rollcall.web.import_reasons import translate_reason
from rollcall.web.labels import FIELDS, choices, label_msgid
from rollcall.web.scripts import in_script

TEMPLATES = Path(__file__).parent / "templates"
EMPTY = "—"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


#: Babel skeletons by precision: (day, month, year) in each language. Ukrainian readers
#: expect 12.03.1994; English ones get the month's name (12 Mar 1994), which no reader of
#: either day-month order misreads.
_SKELETONS = {"uk": ("yMd", "yMM", "y"), "en": ("yMMMd", "yMMM", "y")}
_LOCALES = {"uk": "uk", "en": "en_GB"}


def format_date(value: object, language: str) -> str:
    """Dates as a reader of the language expects (Babel's patterns for the locale),
    keeping a partial date's precision: "03.1994" / "Mar 1994" for a month, the year
    alone for a year."""
    if value is None:
        return ""
    language = language if language in _SKELETONS else "uk"
    locale = _LOCALES[language]
    day, month, year = _SKELETONS[language]
    if isinstance(value, PartialDate):
        first = dt.date(value.year, value.month or 1, value.day or 1)
        skeleton = day if value.day is not None else month if value.month is not None else year
        return format_skeleton(skeleton, first, locale=locale)
    if isinstance(value, dt.datetime):
        moment = value.astimezone(dt.UTC)
        return (format_skeleton(day, moment.date(), locale=locale)
                + moment.strftime(" %H:%M") + " UTC")
    if isinstance(value, dt.date):
        return format_skeleton(day, value, locale=locale)
    return str(value)


def url_with(request: Request, **changes: object) -> str:
    """This page's URL with some query parameters replaced (None or "" drops one)."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status: int = 200) -> HTMLResponse:
    language = choose_language(request)
    t = translator(language)
    login = getattr(request.state, "login", None)

    def label(value: object) -> str:
        return t.gettext(label_msgid(value)) if value is not None else ""

    def show(value: object) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, Enum):
            return label(value)
        if isinstance(value, PartialDate | dt.date):
            return format_date(value, language)
        return str(value)

    def site_name(site: Any) -> str:
        preferred = (site.name_en, site.name_uk) if language == "en" else (site.name_uk,)
        return next((n for n in preferred if n), site.display_name)

    granted = (
        permissions_of({Role(r) for r in login.roles if r in Role._value2member_map_})
        if login else frozenset()
    )

    def role_label(code: str) -> str:
        return label(Role(code)) if code in Role._value2member_map_ else code

    ctx: dict[str, Any] = {
        "request": request,
        "section": None,
        "lang": language,
        "languages": LANGUAGES,
        "_": t.gettext,
        "ngettext": t.ngettext,
        "label": label,
        "role_label": role_label,
        "site_name": site_name,
        "person_name": lambda person: in_script(person.display_name, language),
        "import_reason": lambda reason: translate_reason(reason, t.gettext),
        "more_than": lambda n, more: t.gettext("more than %(num)s", num=n) if more else n,
        "show": show,
        "field_label": lambda name: t.gettext(FIELDS.get(name, name)),
        "fdate": lambda value: format_date(value, language),
        "choices": lambda enum: [(code, t.gettext(msgid)) for code, msgid in choices(enum)],
        "url_with": lambda **changes: url_with(request, **changes),
        "login": login,
        "can": lambda permission: Permission(permission) in granted,
        "csrf_token": (login.csrf_token or "") if login else "",
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **(context or {}),
    }
    html = environment().get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status)
    chosen = request.query_params.get("lang")
    if login is None and chosen in LANGUAGES:
        response.set_cookie(LANG_COOKIE, str(chosen), max_age=365 * 24 * 3600, httponly=True,
                            samesite="lax", secure=get_settings().secure_cookies)
    return response
