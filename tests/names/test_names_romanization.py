"""Ukrainian romanisation by the Cabinet of Ministers' table of 27 January 2010 (No. 55)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rollcall.names import romanize

#: Every example of the resolution's table, in its order.
RESOLUTION_EXAMPLES = [
    ("Алушта", "Alushta"), ("Андрій", "Andrii"),
    ("Борщагівка", "Borshchahivka"), ("Борисенко", "Borysenko"),
    ("Вінниця", "Vinnytsia"), ("Володимир", "Volodymyr"),
    ("Гадяч", "Hadiach"), ("Богдан", "Bohdan"), ("Згурський", "Zghurskyi"),
    ("Ґалаґан", "Galagan"), ("Ґорґани", "Gorgany"),
    ("Донецьк", "Donetsk"), ("Дмитро", "Dmytro"),
    ("Рівне", "Rivne"), ("Олег", "Oleh"), ("Есмань", "Esman"),
    ("Єнакієве", "Yenakiieve"), ("Гаєвич", "Haievych"), ("Короп'є", "Koropie"),
    ("Житомир", "Zhytomyr"), ("Жанна", "Zhanna"), ("Жежелів", "Zhezheliv"),
    ("Закарпаття", "Zakarpattia"), ("Казимирчук", "Kazymyrchuk"),
    ("Медвин", "Medvyn"), ("Михайленко", "Mykhailenko"),
    ("Іванків", "Ivankiv"), ("Іващенко", "Ivashchenko"),
    ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"), ("Мар'їне", "Marine"),
    ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"), ("Олексій", "Oleksii"),
    ("Київ", "Kyiv"), ("Коваленко", "Kovalenko"),
    ("Лебедин", "Lebedyn"), ("Леонід", "Leonid"),
    ("Миколаїв", "Mykolaiv"), ("Маринич", "Marynych"),
    ("Ніжин", "Nizhyn"), ("Наталія", "Nataliia"),
    ("Одеса", "Odesa"), ("Онищенко", "Onyshchenko"),
    ("Полтава", "Poltava"), ("Петро", "Petro"),
    ("Решетилівка", "Reshetylivka"), ("Рибчинський", "Rybchynskyi"),
    ("Суми", "Sumy"), ("Соломія", "Solomiia"),
    ("Тернопіль", "Ternopil"), ("Троць", "Trots"),
    ("Ужгород", "Uzhhorod"), ("Уляна", "Uliana"),
    ("Фастів", "Fastiv"), ("Філіпчук", "Filipchuk"),
    ("Харків", "Kharkiv"), ("Христина", "Khrystyna"),
    ("Біла Церква", "Bila Tserkva"), ("Стеценко", "Stetsenko"),
    ("Чернівці", "Chernivtsi"), ("Шевченко", "Shevchenko"),
    ("Шостка", "Shostka"), ("Кишеньки", "Kyshenky"),
    ("Щербухи", "Shcherbukhy"), ("Гоща", "Hoshcha"), ("Гаращенко", "Harashchenko"),
    ("Юрій", "Yurii"), ("Корюківка", "Koriukivka"),
    ("Яготин", "Yahotyn"), ("Ярошенко", "Yaroshenko"), ("Костянтин", "Kostiantyn"),
    ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"),
    ("Розгон", "Rozghon"), ("Згорани", "Zghorany"),
]  # fmt: skip


@pytest.mark.parametrize(("ukrainian", "latin"), RESOLUTION_EXAMPLES)
def test_every_example_of_the_resolution(ukrainian, latin):
    assert romanize(ukrainian) == latin


def test_the_table_has_every_example():
    assert len(RESOLUTION_EXAMPLES) == 76


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        ("Вишгород", "Vyshhorod"),  # also in the 1996 table the resolution replaced
        ("Наєнко", "Naienko"),
        ("Знам’янка", "Znamianka"),  # typographic apostrophe
        ("Знамʼянка", "Znamianka"),  # modifier letter apostrophe, the Ukrainian standard
        ("Мар`їне", "Marine"),  # backtick, as typed on some keyboards
    ],
)
def test_more_words_and_apostrophe_variants(ukrainian, latin):
    assert romanize(ukrainian) == latin


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        ("ЗГУРСЬКИЙ Андрій", "ZGHURSKYI Andrii"),  # translitua alone gives "ZGhURSKYI"
        ("ЩЕРБАК", "SHCHERBAK"),
        ("Щербак", "Shcherbak"),
        ("ЄВГЕН Юрійович", "YEVHEN Yuriiovych"),
        ("Юрій-Ярослав", "Yurii-Yaroslav"),  # each part of a hyphenated name starts a word
        ("коваленко", "kovalenko"),
        ("Ю.", "Yu."),
        ("Щ.", "Shch."),
    ],
)
def test_case_pattern_is_kept(ukrainian, latin):
    assert romanize(ukrainian) == latin


def test_non_letters_and_latin_pass_through():
    assert romanize("Шевченко Т. Г., 1814, No. 5 (Kyiv)") == "Shevchenko T. H., 1814, No. 5 (Kyiv)"


def test_an_apostrophe_outside_a_word_is_kept_as_a_plain_one():
    assert romanize("’Суми’ 'Ромни'") == "'Sumy' 'Romny'"


def test_russian_letters_get_the_nearest_ukrainian_reading():
    assert romanize("Рыбкин Эдуард Семёнович") == "Rybkyn Eduard Semionovych"


UKRAINIAN = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"


@given(st.text(alphabet=UKRAINIAN + " -'’ʼ", max_size=40))
def test_ukrainian_text_romanizes_to_ascii(text):
    assert romanize(text).isascii()


@given(st.text(alphabet=UKRAINIAN.lower(), min_size=2, max_size=20))
def test_a_word_in_capitals_stays_in_capitals(word):
    """(One capital letter alone is an initial: "Х." is "Kh.")"""
    assert romanize(word.upper()) == romanize(word).upper()
