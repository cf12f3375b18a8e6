"""Row validation: dates, coded values, refusals, name splitting, derived events."""

from __future__ import annotations

import unicodedata

import pytest
from ingest_support import TODAY, parse_file

from rollcall.dates import PartialDate
from rollcall.ingest.headers import map_headers
from rollcall.ingest.namesplit import name_script, split_full_name
from rollcall.ingest.readers import RawRow, TableInfo
from rollcall.ingest.rows import EventDraft, RowProblem, parse_row
from rollcall.vocabulary import EventType


def problems(row):
    return [(p.field, p.reason) for p in row.problems]


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso"), [
    ("1994-03-09", "1994-03-09"), ("1994-03", "1994-03"), ("1994", "1994"),
    ("09.03.1994", "1994-03-09"), ("9.3.1994", "1994-03-09"), ("09/03/1994", "1994-03-09"),
    ("09-03-1994", "1994-03-09"), ("03.1994", "1994-03"), ("3/1994", "1994-03"),
    ("??.05.1990", "1990-05"), ("00.05.1990", "1990-05"), ("xx.xx.1990", "1990"),
    ("XX.05.1990", "1990-05"), ("хх.хх.1990", "1990"), ("??.??.1990", "1990"),
    ("1994-03-09 00:00:00", "1994-03-09"), ("1994-03-09T12:30", "1994-03-09"),
    ("1990 р.", "1990"), ("12.03.1990 г.", "1990-03-12"), ("1990 г.р.", "1990"),
    (" 1994-03-09 ", "1994-03-09"), ("00.00.1990", "1990"), ("1994-00-00", "1994"),
    ("1994-03-00", "1994-03"), ("12-1994", "1994-12"), ("2025-06-01", "2025-06-01"),
])
def test_date_forms(parse_one, text, iso):
    row = parse_one({"Прізвище": "Шевченко", "Дата народження": text})
    assert problems(row) == []
    assert row.values["birth_date"] == PartialDate.fromisoformat(iso)
    assert row.warnings == []


@pytest.mark.parametrize(("text", "year"), [("09.03.94", 1994), ("01.02.25", 2025),
                                            ("01.02.26", 1926), ("1.2.05", 2005)])
def test_two_digit_years_pivot_on_today_and_warn(parse_one, text, year):
    row = parse_one({"Прізвище": "Шевченко", "Дата полону": text})
    assert problems(row) == []
    assert row.values["capture_date"].year == year
    assert [(w.field, w.reason) for w in row.warnings] == [
        ("Дата полону", f"two-digit year in '{text}' read as {year}")]


@pytest.mark.parametrize(("text", "reason"), [
    ("31.02.1994", "unparseable date '31.02.1994': no such day or month"),
    ("13.13.1994", "unparseable date '13.13.1994': no such day or month"),
    ("вчора", "unparseable date 'вчора' (write e.g. 1994-03-12"),
    ("12.03.19??", "unparseable date '12.03.19??'"),
    ("35000", "unparseable date '35000'"),
    ("²³.03.1994", "unparseable date '²³.03.1994'"),
    ("١٢.03.1994", "unparseable date '١٢.03.1994'"),
    ("2025-06-02", "date is in the future: '2025-06-02'"),
    ("2026", "date is in the future: '2026'"),
    ("1899-12-31", "year before 1900 in date '1899-12-31'"),
])
def test_bad_dates_are_problems_naming_the_column(parse_one, text, reason):
    row = parse_one({"Прізвище": "Шевченко", "Дата народження": text})
    assert len(row.problems) == 1
    assert row.problems[0].field == "Дата народження"
    assert row.problems[0].reason.startswith(reason)
    assert "birth_date" not in row.values


def test_a_partial_date_this_month_is_not_in_the_future(parse_one):
    row = parse_one({"Прізвище": "Шевченко", "Дата статусу": "06.2025"})
    assert problems(row) == [] and row.values["status_date"] == PartialDate(2025, 6)


# --- coded values ----------------------------------------------------------------------


@pytest.mark.parametrize(("word", "code"), [
    ("військовополонений", "pow"), ("Военнопленный", "pow"), ("POW", "pow"),
    ("prisoner of war", "pow"), ("цивільний заручник", "civilian_detainee"),
    ("Цивільна  особа", "civilian_detainee"), ("задержанный", "civilian_detainee"),
    ("гражданское лицо", "civilian_detainee"), ("civilian detainee", "civilian_detainee"),
    ("інтернований", "civilian_internee"), ("интернированный", "civilian_internee"),
    ("civilian internee", "civilian_internee"), ("зниклий безвісти", "missing"),
    ("пропал без вести", "missing"), ("Missing", "missing"), ("civilian_internee",
                                                              "civilian_internee"),
    ("unknown", "unknown"),
])
def test_category_words(parse_one, word, code):
    row = parse_one({"Прізвище": "Шевченко", "Категорія": word})
    assert problems(row) == [] and row.values["category"] == code


def test_unknown_category_lists_the_codes(parse_one):
    row = parse_one({"Прізвище": "Шевченко", "Категорія": "турист"})
    assert problems(row) == [("Категорія", "unknown category 'турист' (expected one of pow, "
                              "civilian_internee, civilian_detainee, missing, unknown, or a word "
                              "such as військовополонений, civilian internee)")]


@pytest.mark.parametrize(("word", "code"), [
    ("ч", "m"), ("Чол", "m"), ("чоловіча", "m"), ("м", "m"), ("муж", "m"), ("мужской", "m"),
    ("male", "m"), ("M", "m"), ("ж", "f"), ("жін.", "f"), ("жіноча", "f"), ("жен", "f"),
    ("женский", "f"), ("Female", "f"), ("F", "f"),
])
def test_sex_words(parse_one, word, code):
    row = parse_one({"Прізвище": "Шевченко", "Стать": word})
    assert problems(row) == [] and row.values["sex"] == code


def test_unknown_sex_is_a_problem(parse_one):
    row = parse_one({"Прізвище": "Шевченко", "Стать": "?"})
    assert problems(row)[0][0] == "Стать"
    assert problems(row)[0][1].startswith("unknown sex '?'")


@pytest.mark.parametrize("word", ["refused", "Відмовився", "отказался"])
def test_refusal_in_art17_fields_is_recorded(parse_one, word):
    row = parse_one({"Прізвище": "Шевченко", "Дата народження": word,
                     "Особистий номер": word, "Військове звання": word})
    assert problems(row) == []
    assert row.values["birth_date"] == row.values["service_number"] == "refused"
    assert row.values["rank"] == "refused"


def test_refusal_is_not_a_capture_date_and_not_rewritten_in_names(parse_one):
    row = parse_one({"Прізвище": "Відмовився", "Дата полону": "відмовився"})
    assert row.values["surname"] == "Відмовився"
    assert problems(row) == [("Дата полону", "'відмовився' is not a date")]


def test_text_is_trimmed_nfc_normalised_and_raw_kept_verbatim(parse_one):
    decomposed = unicodedata.normalize("NFD", "Андрій")
    assert decomposed != "Андрій"
    row = parse_one({"Прізвище": "  Шевченко ", "Ім'я": decomposed, "Примітки": "  ",
                     "Група крові": "II+"})
    assert row.values["surname"] == "Шевченко"
    assert row.values["given_name"] == "Андрій"
    assert row.raw == {"Прізвище": "  Шевченко ", "Ім'я": decomposed, "Група крові": "II+"}
    assert "notes" not in row.values


@pytest.mark.parametrize("cells", [{"Прізвище": " ", "Ім'я": "Тарас"}, {"ПІБ": " , Тарас"}])
def test_no_surname_is_a_problem(parse_one, cells):
    row = parse_one(cells)
    assert problems(row) == [("surname", "no surname")]
    assert "surname" not in row.values


def test_messages_quote_at_most_40_characters(parse_one):
    value = "н" * 39 + "ABCDEFGH"
    row = parse_one({"Прізвище": "Шевченко", "Категорія": value})
    reason = row.problems[0].reason
    assert "н" * 39 + "A…" in reason and "B" not in reason


# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(("full", "parts"), [
    ("Шевченко Тарас Григорович", ("Шевченко", "Тарас", "Григорович")),
    ("Шевченко Тарас", ("Шевченко", "Тарас", None)),
    ("Шевченко", ("Шевченко", None, None)),
    ("Иванова Мария Петровна", ("Иванова", "Мария", "Петровна")),
    ("Коваленко Ірина Олексіївна", ("Коваленко", "Ірина", "Олексіївна")),
    ("Тарас Григорович Шевченко", ("Шевченко", "Тарас", "Григорович")),
    ("Алієв Рашад Гасан огли", ("Алієв", "Рашад", "Гасан огли")),
    ("Шевченко-Квітка Анна Марія", ("Шевченко-Квітка", "Анна Марія", None)),
    ("Шевченко, Тарас Григорович", ("Шевченко", "Тарас", "Григорович")),
    ("Smith, John Paul", ("Smith", "John Paul", None)),
    ("Shevchenko, Taras Hryhorovych", ("Shevchenko", "Taras", "Hryhorovych")),
    ("John Smith", ("Smith", "John", None)),
    ("SHEVCHENKO Taras", ("SHEVCHENKO", "Taras", None)),
    ("Taras SHEVCHENKO", ("SHEVCHENKO", "Taras", None)),
    ("ШЕВЧЕНКО Тарас Григорович", ("ШЕВЧЕНКО", "Тарас", "Григорович")),
    ("Shevchenko Taras Hryhorovych", ("Shevchenko", "Taras", "Hryhorovych")),
    ("Taras Hryhorovych Shevchenko", ("Shevchenko", "Taras", "Hryhorovych")),
    ("Smith J.", ("Smith", "J.", None)),
    ("Шевченко Т.Г.", ("Шевченко", "Т.Г.", None)),
])
def test_full_name_splitting(full, parts):
    assert split_full_name(full) == parts


def test_full_name_fills_only_when_surname_is_empty(parse_one):
    row = parse_one({"ПІБ": "Шевченко Тарас Григорович", "Прізвище": "", "Ім'я": "Тарас"})
    assert (row.values["surname"], row.values["given_name"], row.values["patronymic"]) == (
        "Шевченко", "Тарас", "Григорович")
    row = parse_one({"ПІБ": "Коваленко Іван", "Прізвище": "Шевченко"})
    assert row.values["surname"] == "Шевченко" and "given_name" not in row.values
    assert "full_name" not in row.values


@pytest.mark.parametrize(("name", "script"), [
    ("Шевченко", "cyrl"), ("Shevchenko", "latn"), ("Шевчeнко", "mixed"), ("Łukasz", "latn"),
    ("123", None),
])
def test_name_script(name, script):
    assert name_script(name) == script


def test_name_script_across_parts(parse_one):
    assert parse_one({"Прізвище": "Шевченко", "Ім'я": "Taras"}).values["name_script"] == "mixed"
    assert parse_one({"Прізвище": "Шевченко", "Ім'я": "Тарас"}).values["name_script"] == "cyrl"


# --- events ----------------------------------------------------------------------------


def events(row):
    return [(e.type.value, e.date and e.date.isoformat(), e.place, e.site_named, e.details)
            for e in row.events]


def test_capture_and_held_from_status(parse_one):
    row = parse_one({"Прізвище": "Ш", "Дата полону": "2022-04-01", "Місце полону": "Маріуполь",
                     "Статус": "Утримується", "Дата статусу": "2023-05-01",
                     "Місце утримання": "СІЗО-2"})
    assert events(row) == [("captured", "2022-04-01", "Маріуполь", None, {}),
                           ("held", "2023-05-01", None, "СІЗО-2", {})]


@pytest.mark.parametrize(("status", "event"), [
    ("звільнений", "released"), ("Освобождена", "released"), ("released", "released"),
    ("обміняний", "exchanged"), ("обменян", "exchanged"), ("exchanged", "exchanged"),
    ("репатрійований", "repatriated"), ("repatriated", "repatriated"),
    ("втік", "escaped"), ("бежал", "escaped"), ("escaped", "escaped"),
    ("госпіталізований", "hospitalised"), ("hospitalised", "hospitalised"),
    ("засуджений", "sentenced"), ("осужден", "sentenced"), ("sentenced", "sentenced"),
    ("під слідством", "charged"), ("обвинувачений", "charged"), ("charged", "charged"),
    ("содержится", "held"), ("in custody", "held"), ("held", "held"),
    ("captured", "captured"),
])
def test_status_words(parse_one, status, event):
    row = parse_one({"Прізвище": "Ш", "Статус": status, "Дата статусу": "2023"})
    assert [(e.type.value, e.date) for e in row.events] == [(event, PartialDate(2023))]
    assert row.warnings == []


@pytest.mark.parametrize("status", ["помер", "загинув", "умер", "погиб", "died", "deceased",
                                    "Dead", "Померла"])
def test_died_status_with_art120_details(parse_one, status):
    row = parse_one({"Прізвище": "Ш", "Статус": status, "Дата статусу": "2023-06",
                     "Місце смерті": "Оленівка", "Причина смерті": "вибух",
                     "Місце поховання": "кладовище №3"})
    assert events(row) == [("died", "2023-06", "Оленівка", None,
                            {"cause": "вибух", "burial_place": "кладовище №3"})]


def test_death_date_without_status_still_yields_died(parse_one):
    row = parse_one({"Прізвище": "Ш", "Дата смерті": "29.07.2022", "Статус": ""})
    assert events(row) == [("died", "2022-07-29", None, None, {})]


def test_death_date_wins_over_status_date(parse_one):
    row = parse_one({"Прізвище": "Ш", "Статус": "помер", "Дата статусу": "2023",
                     "Дата смерті": "2022-07-29"})
    assert events(row) == [("died", "2022-07-29", None, None, {})]


def test_site_without_status_yields_held(parse_one):
    row = parse_one({"Прізвище": "Ш", "Місце утримання": "ВК-10", "Станом на": "2024-01"})
    assert events(row) == [("held", "2024-01", None, "ВК-10", {})]


def test_unknown_status_is_kept_with_a_warning(parse_one):
    row = parse_one({"Прізвище": "Ш", "Статус": "уточнюється"})
    assert row.events == [] and problems(row) == []
    assert row.values["stated_status"] == "уточнюється"
    assert [(w.field, w.reason) for w in row.warnings] == [
        ("Статус", "status 'уточнюється' not recognised; kept as text, no event derived")]


def test_captured_status_is_not_doubled(parse_one):
    row = parse_one({"Прізвище": "Ш", "Статус": "captured", "Дата полону": "2022-03"})
    assert events(row) == [("captured", "2022-03", None, None, {})]


def test_no_event_columns_no_events(parse_one):
    assert parse_one({"Прізвище": "Ш", "Ім'я": "Т"}).events == []


# --- reader problems and the whole path ------------------------------------------------


def test_reader_problems_and_warnings_become_row_problems():
    info = TableInfo("x.xlsx", "xlsx", None, None, ["Прізвище", "Рік", "Примітки"], "0" * 64)
    hm = map_headers(info)
    raw = RawRow(7, ["Шевченко", "1994", "bad\udcff"], [(2, "bytes not valid in utf-8"),
                                                         (None, "4 cells but only 3 columns")],
                 [(1, "value computed by formula =1990+4 used")])
    row = parse_row(raw, hm, today=TODAY)
    assert row.row_number == 7
    assert problems(row) == [("Примітки", "bytes not valid in utf-8"),
                             (None, "4 cells but only 3 columns")]
    assert row.warnings == [RowProblem("Рік", "value computed by formula =1990+4 used")]
    assert row.raw["Примітки"] == "bad\ufffd"
    assert "notes" not in row.values


def test_a_whole_file(write_csv):
    path = write_csv("Номер картки;ПІБ;Дата народження;Статус\n"
                     "A-1;Шевченко Тарас Григорович;09.03.1994;утримується\n"
                     "A-2;;1990;\n")
    first, second = parse_file(path)
    assert first.source_key == "A-1" and first.problems == []
    assert first.events == [EventDraft(EventType.HELD, None, None, None, {})]
    assert (second.row_number, problems(second)) == (3, [("surname", "no surname")])
