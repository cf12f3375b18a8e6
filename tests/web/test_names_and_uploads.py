"""Names in the reader's script, dates in the reader's format, and the registrar's list
upload (the same import as `rollcall import`, its report on the source page)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from rollcall.models import Change, Source
from rollcall.web.scripts import in_script, spellings
from webtest_support import OWN_LIST, log_in


def test_a_name_is_shown_in_the_readers_script():
    assert in_script("Коваленко Петро Іванович", "en") == "Kovalenko Petro Ivanovych"
    assert in_script("Коваленко Петро Іванович", "uk") == "Коваленко Петро Іванович"
    assert in_script("Mykolaienko Ivan", "uk") == "Mykolaienko Ivan"  # no guessed Cyrillic
    assert in_script("Mykolaienko Ivan", "uk", cyrillic=["Миколаєнко Іван"]) == "Миколаєнко Іван"


def test_spellings_list_each_form_once_with_where_it_is_from():
    found = spellings("Kovalenko Petro", "Коваленко Петро",
                      [("КОВАЛЕНКО Петро", "own", 2), ("Коваленко Петр", "theirs", 3)])
    assert [(s.text, s.source, s.row, s.romanised) for s in found] == [
        ("КОВАЛЕНКО Петро", "own", 2, False), ("Коваленко Петр", "theirs", 3, False),
        ("Kovalenko Petr", None, None, True)]


def test_person_page_shows_latin_to_english_readers_and_every_spelling(users, people, app_client):
    log_in(app_client, "analyst")  # English
    page = app_client.get(f"/persons/{people.kovalenko}").text
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert heading == "Kovalenko Petro Ivanovych"
    details = re.search(r'<details class="spellings">(.*?)</details>', page, re.S).group(1)
    assert "Коваленко Петро Іванович" in details and "Коваленко Петр Иванович" in details
    assert "Список іншої сторони, row 2" in details and "KMU 2010" in details
    listing = app_client.get("/persons?q=Коваленко").text
    assert "Kovalenko Petro Ivanovych" in listing and "Коваленко Петро" not in listing


def test_person_page_shows_cyrillic_to_ukrainian_readers(users, people, app_client):
    log_in(app_client, "registrar")  # Ukrainian
    page = app_client.get(f"/persons/{people.kovalenko}").text
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) == "Коваленко Петро Іванович"
    assert "Kovalenko Petro Ivanovych" in page  # one click away, in the details
    assert "12.03.1994" in page


BAD_ROWS = OWN_LIST.replace("Коваленко,Петро", "Гончар,Остап").replace(
    "Шевчук,Андрій", "Лях,Богдан")


def _upload(client, csrf, content: bytes, **fields):
    data = {"csrf_token": csrf, "title": "Список з браузера", "origin": "own_bureau",
            "received": "03.2024", **fields}
    return client.post("/sources/new", data=data, follow_redirects=False,
                       files={"file": ("список.csv", content, "text/csv")})


def test_a_registrar_uploads_a_list_and_sees_its_report(db, users, app_client):
    csrf = log_in(app_client, "registrar")
    form = app_client.get("/sources/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    answer = _upload(app_client, csrf, BAD_ROWS.encode("utf-8"))
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    source_id = int(re.match(r"/sources/(\d+)#report", location).group(1))
    page = app_client.get(f"/sources/{source_id}").text
    assert "Список з браузера" in page and "список.csv" in page and "03.2024" in page
    assert "Рядків відхилено" in page
    issues = re.search(r'<h3 id="issues">.*', page, re.S).group(0)
    assert re.search(r'<th scope="row" class="num">5</th>', issues)  # the row without a surname
    with db.session() as s:
        source = s.get(Source, source_id)
        assert (source.rows_accepted, source.rows_rejected) == (4, 1)
        assert s.scalar(select(func.count()).select_from(Change).where(
            Change.action == "source:imported", Change.entity_id == str(source_id))) == 1
    again = _upload(app_client, csrf, BAD_ROWS.encode("utf-8"), title="Ще раз")
    assert again.headers["location"] == f"/sources/{source_id}?again=1#report"
    assert "нічого не імпортовано двічі" in app_client.get(f"/sources/{source_id}?again=1").text


def test_an_upload_missing_its_title_or_file_says_which(users, app_client):
    csrf = log_in(app_client, "registrar")
    answer = app_client.post("/sources/new", data={"csrf_token": csrf, "title": " "},
                             files={"file": ("", b"", "text/csv")})
    assert answer.status_code == 400
    assert 'href="#file"' in answer.text and 'href="#title"' in answer.text
    broken = _upload(app_client, csrf, b"\x00\x01\x02 not a list")
    assert broken.status_code in (400, 422) and 'role="alert"' in broken.text


def test_only_importers_see_the_upload(users, app_client):
    log_in(app_client, "analyst")
    assert app_client.get("/sources/new").status_code == 403
    assert 'href="/sources/new"' not in app_client.get("/sources").text


def test_the_readers_reasons_are_shown_in_the_readers_language():
    """Reasons as the ingest layer writes them, each matched by a message of
    web.import_reasons and so shown in Ukrainian; an unknown text is shown as stored."""
    import datetime as dt

    from rollcall.ingest.readers import fit_row, flag_long_cells
    from rollcall.ingest.values import parse_category, parse_date, parse_sex
    from rollcall.web.i18n import translator
    from rollcall.web.import_reasons import translate_reason

    today = dt.date(2025, 1, 1)
    reasons = [parse_date(text, today)[1] for text in ("31.02.1990", "вчора", "12.03.1850",
                                                       "01.01.2099")]
    reasons.append(parse_date("12.03.94", today)[2])  # a warning
    reasons += [parse_category("пірат")[1], parse_sex("x")[1], "no surname"]
    problems: list = []
    fit_row(["a", "b", "c"], 2, problems)
    flag_long_cells(["x" * 5000], problems)
    reasons += [reason for _, reason in problems]
    uk = translator("uk").gettext
    for reason in reasons:
        shown = translate_reason(reason, uk)
        assert shown != reason, reason
    assert translate_reason("anything else", uk) == "anything else"


def test_counts_stop_at_a_limit_and_say_more_than(db, users, people, app_client,
                                                  monkeypatch):
    """A page counts a long list's rows no further than COUNT_LIMIT and says "more
    than"; the API still counts them all."""
    monkeypatch.setattr("rollcall.web.pages.sources.COUNT_LIMIT", 2)
    monkeypatch.setattr("rollcall.web.pages.persons.COUNT_LIMIT", 2)
    log_in(app_client, "registrar")
    listing = app_client.get("/persons").text
    assert "понад 2 результатів" in listing and 'rel="next"' in listing
    assert ">Остання<" not in listing
    source = app_client.get(f"/sources/{people.own_source}").text
    assert re.search(r"Записи</th><td class=\"num\">понад 2<", source)
    with db.session() as s:
        from rollcall.services import queries
        from rollcall.services.actor import local_operator

        detail = queries.get_source(s, local_operator("t"), people.own_source)
        assert detail.counts.records == 4 and not detail.counts.more
