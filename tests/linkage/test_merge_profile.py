"""Which record's names a merged person shows, and the rest of its profile: pure rules,
no database."""

from rollcall.dates import PartialDate
from rollcall.services.person_profile import RecordFacts, profile_of
from rollcall.vocabulary import Category, Script


def facts(record_id, surname, given=None, patronymic=None, *, origin="icrc", script="cyrl",
          birth=None, sex=None, category=None):
    return RecordFacts(record_id, origin, surname, given, patronymic, script, sex,
                       PartialDate.fromisoformat(birth) if birth else None, category)


def test_the_own_bureau_record_gives_the_names_whatever_its_age():
    profile = profile_of([
        facts(1, "Tarasenko", "Ostap", origin="icrc", script="latn"),
        facts(2, "Тарасенко", "Остап", "Ілліч", origin="own_bureau"),
    ])
    assert (profile.surname, profile.patronymic, profile.name_script) == (
        "Тарасенко", "Ілліч", Script.CYRILLIC)


def test_ukrainian_cyrillic_before_russian_before_latin_then_the_fuller_name():
    russian = facts(1, "Тарасенко", "Остап", "Ильич", origin="adversary_bureau")
    latin = facts(2, "Tarasenko", "Ostap", "Illich", script="latn")
    ukrainian = facts(3, "Тарасенко", "Остап", "Ілліч", origin="family")
    assert profile_of([russian, latin, ukrainian]).patronymic == "Ілліч"
    assert profile_of([russian, latin]).patronymic == "Ильич"
    short = facts(4, "Тарасенко", "Остап", origin="family")
    neutral = facts(5, "Тарасенко", "Остап", "Петрович", origin="family")
    assert profile_of([short, neutral]).patronymic == "Петрович"


def test_the_most_precise_birth_date_wins_and_the_search_key_holds_every_spelling():
    profile = profile_of([
        facts(1, "Тарасенко", "Остап", origin="own_bureau", birth="1991"),
        facts(2, "Tarasenko", "Ostap", script="latn", birth="1991-02-14", sex="m",
              category="pow"),
        facts(3, "Тарасенко", "Остап", birth="1991-02"),
    ])
    assert profile.birth_date == PartialDate(1991, 2, 14)
    assert profile.sex == "m" and profile.category is Category.POW
    assert profile.search_key == "тарасенко остап tarasenko ostap"


def test_stored_iso_dates_are_compared_the_same_way():
    profile = profile_of([
        RecordFacts(1, "icrc", "Гнатюк", None, None, "cyrl", None, "1988", None),
        RecordFacts(2, "icrc", "Гнатюк", None, None, "cyrl", None, "1988-05", "unknown"),
    ])
    assert profile.birth_date == "1988-05" and profile.category is Category.UNKNOWN
