"""Reading a tracing query: name tokens in any order, a date of birth, a unit."""

import datetime as dt

from rollcall.dates import PartialDate
from rollcall.tracing import parse_query
from rollcall.tracing.keys import entries, fallback_lookups, precise_lookups, record_keys
from rollcall.tracing.query import unit_numbers

TODAY = dt.date(2026, 1, 1)


def test_names_year_and_unit_are_told_apart():
    q = parse_query("Александр Коваленко 1995 в/ч А2363", today=TODAY)
    assert [t.text for t in q.names] == ["Александр", "Коваленко"]
    assert q.birth_date == PartialDate(1995)
    assert q.unit_numbers == {"2363"}


def test_a_full_date_in_either_form_wins_over_a_year():
    assert parse_query("Kovalenko 1995 11.02.1995", today=TODAY).birth_date == PartialDate(
        1995, 2, 11)
    assert parse_query("Kovalenko 1995-02", today=TODAY).birth_date == PartialDate(1995, 2)


def test_every_token_gets_every_kind_of_key():
    q = parse_query("Олександр Петрович", today=TODAY)
    given = q.names[0]
    assert given.given == given_of_russian("Александр")
    assert q.names[1].patronymic  # "Петрович" may be a patronymic ...
    assert q.names[1].surname  # ... or a surname


def given_of_russian(text: str) -> str:
    return parse_query(text, today=TODAY).names[0].given


def test_unit_words_and_punctuation_are_not_names():
    q = parse_query("Шевчук, Андрій (38 ОМБр)", today=TODAY)
    assert [t.text for t in q.names] == ["Шевчук", "Андрій"]
    assert q.unit_numbers == {"38"}


def test_unit_numbers_agree_across_languages():
    assert unit_numbers("в/ч А2363") == unit_numbers("MU A2363") == {"2363"}
    assert unit_numbers("38 ОМБр") == unit_numbers("38th Marine Brigade") == {"38"}


def test_a_query_is_looked_up_under_the_keys_a_record_is_filed_under():
    filed = entries(record_keys("Коваленко", "Олександр", "Петрович"))
    query = parse_query("Александр Коваленко", today=TODAY).names
    assert set(precise_lookups(query)) & filed  # surname + given, in any order
    typo = parse_query("Олександр Коваленкл", today=TODAY).names
    assert set(fallback_lookups(typo)) & filed  # the surname's first letters


def test_a_name_without_patronymic_is_filed_both_ways_round():
    # Media lists write "Александр Москаль"; the import reads the first word as the
    # surname. The Ukrainian query only meets the record read the other way round.
    filed = entries(record_keys("Александр", "Москаль", None))
    query = parse_query("Москаль Олександр", today=TODAY).names
    assert set(precise_lookups(query)) & filed
    assert not set(precise_lookups(query)) & entries(
        record_keys("Александр", "Москаль", "Иванович"))
