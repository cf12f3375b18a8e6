"""Every message the pages and the API mark for translation has a Ukrainian translation,
and every vocabulary code has a label."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import rollcall
from rollcall.web import labels
from rollcall.web.i18n import LOCALE_DIR, catalog, translator

PACKAGE = Path(rollcall.__file__).parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extracted() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for folder in ("web", "api", "stats"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE / folder, METHODS, keywords=KEYWORDS
        ):
            found.add(message)
    return found


def test_extraction_finds_the_messages():
    messages = extracted()
    assert "Persons" in messages and "Skip to content" in messages
    assert "prisoner of war" in messages  # N_ in labels.py
    assert ("%(num)s result", "%(num)s results") in messages


@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_message_is_translated(language):
    po = catalog(language)
    missing = []
    for message in extracted():
        entry = po.get(message[0] if isinstance(message, tuple) else message)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)
                   ) if entry else ("",)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message)
    assert missing == [], f"untranslated in {language}: {missing}"


def test_catalogs_of_several_files_merge_and_refuse_conflicts(tmp_path, monkeypatch):
    for language, word in (("uk", "Показники"), ("en", "Indicators")):
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_bytes(
            (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").read_bytes())
        (folder / "extra.po").write_text(
            f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n\n'
            f'msgid "Indicators"\nmsgstr "{word}"\n', encoding="utf-8")
    monkeypatch.setattr("rollcall.web.i18n.LOCALE_DIR", tmp_path)
    assert catalog("uk").get("Indicators").string == "Показники"
    assert catalog("uk").get("Persons").string == "Особи"
    (tmp_path / "uk" / "LC_MESSAGES" / "clash.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n\nmsgid "Persons"\nmsgstr "Люди"\n',
        encoding="utf-8")
    with pytest.raises(ValueError, match=r"clash\.po"):
        catalog("uk")


def test_ukrainian_plurals_have_three_forms():
    t = translator("uk")
    assert t.ngettext("%(num)s result", "%(num)s results", 1) == "1 результат"
    assert t.ngettext("%(num)s result", "%(num)s results", 3) == "3 результати"
    assert t.ngettext("%(num)s result", "%(num)s results", 11) == "11 результатів"
    assert translator("en").ngettext("%(num)s result", "%(num)s results", 2) == "2 results"


def test_every_vocabulary_code_has_a_label():
    for enum, table in labels.VOCABULARY.items():
        assert set(table) == {str(m.value) for m in enum}, enum.__name__
    assert set(labels.FIELDS) >= {
        "surname", "given_name", "birth_date", "person_to_inform", "death_date"}
