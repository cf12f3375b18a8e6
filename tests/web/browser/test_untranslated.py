"""No untranslated text on any page, in Ukrainian or English, for any role.

Every page (each GET route of the app, its path parameters filled with a record of the
kind, so a new page cannot be left out; `browser_support.page_paths`) is fetched as a
user of each staff role in each language, the public pages logged out in each, and a
few error pages. Two detectors, since each alone misses what the other sees:

1. A recording gettext. The catalogs are wrapped so that every message a page asks to
   translate and the language's catalog lacks (or holds empty) is recorded with the
   page. It sees a message marked for translation but never translated, including
   messages built at run time (`_(variable)`), whatever text they turn into.
2. The rendered text. The page's visible text (text nodes and the attributes people read:
   `placeholder`, `title`, `alt`, `aria-label`, `value` of buttons) is compared with the
   other language: on a Ukrainian page, any English message of the catalog whose
   translation differs, and any run of two or more lowercase Latin words (English prose:
   an unmarked string, a vocabulary code shown raw, an English reason from a lower
   layer); on an English page, any Ukrainian translation of a message. It sees text that
   never went through gettext at all.

Not checked, on purpose: `<code>` (codes and rules as typed), `<script>`/`<style>`,
elements whose `lang` names the other language (a label given in both languages, the
technical detail of an error, which services write in English) and elements marked
`translate="no"` (a list's headers and cells as the file wrote them). Data (names, titles,
places typed by people) is the registry's and is shown as written; the test registry's
data is Ukrainian or Latin names, which the detectors do not mistake for prose.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import add_monitoring, add_staff, page_paths, sample_ids

from review_support import add_review_pairs
from rollcall.app import create_app
from rollcall.db import Database
from rollcall.services.actor import Actor
from rollcall.web import i18n
from rollcall.web.i18n import catalog
from webtest_support import build_registry, csrf_of, log_in

LANGUAGES = ("uk", "en")
STAFF = ("admin", "registrar", "investigator", "analyst", "liaison")
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
SKIPPED = {"code", "script", "style"}
LATIN_PROSE = re.compile(r"\b[a-z]{2,}(?:[ ,;:]+[a-z]{2,})+\b")
PUBLIC = ("/login", "/family")  # walked logged out; a logged-in visitor is not their reader
ERRORS = ("/persons/999999", "/persons?born_from=yesterday", "/sources/new")


class Recording(gettext.GNUTranslations):
    """A catalog that writes down each message it does not have."""

    misses: list[str]

    def gettext(self, message: str) -> str:
        if not self._catalog.get(message):  # type: ignore[attr-defined]
            self.misses.append(message)
        return super().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not self._catalog.get((singular, 0)):  # type: ignore[attr-defined]
            self.misses.append(singular)
        return super().ngettext(singular, plural, n)


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Recording]]:
    compiled = i18n.translations()
    wrapped = {}
    for language, translations in compiled.items():
        recorder = Recording()
        recorder.__dict__.update(translations.__dict__)
        recorder.misses = []
        wrapped[language] = recorder
    monkeypatch.setattr(i18n, "translations", lambda: wrapped)
    yield wrapped


class VisibleText(HTMLParser):
    """Text a reader sees or hears, skipping code, scripts and other-language parts."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.html_lang: str | None = None

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        lang = values.get("lang")
        skip = (tag in SKIPPED or (lang is not None and lang != self.language)
                or values.get("translate") == "no")
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self.stack.append((tag, skip))
        if skip or self._skipping():
            return
        self.texts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)
        if tag in ("button", "input") and values.get("type") in ("submit", "button", "reset"):
            self.texts.extend(v for k, v in attrs if k == "value" and v)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipping():
            self.texts.append(" ".join(data.split()))


def foreign_messages() -> dict[str, set[str]]:
    """For each language, the other language's texts of messages whose translations
    differ (long enough not to be a word the data could hold)."""
    uk, en = catalog("uk"), catalog("en")
    english, ukrainian = set(), set()
    for message in uk:
        if not message.id or isinstance(message.id, tuple):
            continue
        other = en.get(message.id)
        if message.string and message.string != message.id:
            english.add(other.string if other and other.string else message.id)
            ukrainian.add(message.string)
    return {"uk": {t for t in english if len(t) >= 12 and " " in t},
            "en": {t for t in ukrainian if len(t) >= 12 and " " in t}}


def untranslated(html: str, language: str, foreign: set[str]) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    found = [] if parser.html_lang == language else [f"<html lang={parser.html_lang}>"]
    for text in parser.texts:
        found += [f"{text!r}: {t!r}" for t in foreign if t in text]
        if language == "uk":
            found += [f"{text!r}: {m!r}" for m in LATIN_PROSE.findall(text)]
    return found


def test_the_detectors_see_what_they_should(recording):
    """Each detector on a page made to fail it."""
    foreign = foreign_messages()
    page = ('<html lang="uk"><p>Особи</p><p>The request could not be understood.</p>'
            '<p>kept verbatim only</p><code>electric_shock rule</code>'
            '<p lang="en">service detail text</p><button value="Send it now">x</button>'
            '<input type="submit" value="go back home"></html>')
    found = untranslated(page, "uk", foreign["uk"])
    assert len([f for f in found if "could not be understood" in f]) >= 1
    assert any("kept verbatim only" in f for f in found)
    assert any("go back home" in f for f in found)
    assert not any("electric_shock" in f or "service detail" in f for f in found)
    english = untranslated('<html lang="en"><p>Запит не вдалося зрозуміти.</p></html>', "en",
                           foreign["en"])
    assert english, "a Ukrainian message on an English page"
    translator = i18n.translator("uk")
    translator.gettext("Persons")
    translator.gettext("A message nobody translated")
    assert recording["uk"].misses == ["A message nobody translated"]


def _set_language(client, language: str) -> None:
    csrf = csrf_of(client.get("/persons").text)
    answer = client.post("/language", data={"csrf_token": csrf, "language": language,
                                            "next": "/persons"}, follow_redirects=False)
    assert answer.status_code == 303


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the text is the same on both
def test_no_page_has_untranslated_text(db: Database, operator: Actor, tmp_path: Path,
                                      recording):
    from webtest_support import TestClient

    people = build_registry(db, operator, tmp_path)
    add_staff(db, operator)
    pairs = add_review_pairs(db, people)
    ids = sample_ids(people, pairs, add_monitoring(db, operator, people))
    app = create_app(db)
    paths = page_paths(app, ids)
    foreign = foreign_messages()
    problems: dict[str, list[str]] = {}
    seen = 0

    def check(client, label: str, path: str, language: str) -> None:
        nonlocal seen
        for recorder in recording.values():
            recorder.misses.clear()
        answer = client.get(path)
        if answer.status_code == 403 and path not in ERRORS:
            return
        seen += 1
        found = untranslated(answer.text, language, foreign[language])
        found += [f"not in the catalog: {m!r}" for m in recording[language].misses]
        if found:
            problems[f"{label} {language} {path} ({answer.status_code})"] = found

    for language in LANGUAGES:
        with TestClient(app, base_url="http://testserver") as client:
            for path in PUBLIC:
                check(client, "public", f"{path}?lang={language}", language)
        for username in STAFF:
            with TestClient(app, base_url="http://testserver") as client:
                log_in(client, username)
                _set_language(client, language)
                for path in (*[p for p in paths if p not in PUBLIC], *ERRORS):
                    check(client, username, path, language)
    assert seen > 250  # every role's pages, both languages
    assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())


def test_every_linkage_level_and_import_reason_has_a_translation():
    """The texts that lower layers write in English and the pages translate when they
    show them: the review evidence's comparison levels and the import report's reasons."""
    from rollcall.linkage.settings import comparisons
    from rollcall.web.import_reasons import REASONS

    labels = {level["label_for_charts"] for c in comparisons()
              for level in c.get_comparison("duckdb").as_dict()["comparison_levels"]}
    assert len(labels) > 30
    for language in LANGUAGES:
        po = catalog(language)
        missing = [m for m in (*labels, *REASONS) if not (po.get(m) and po.get(m).string)]
        assert missing == [], language
