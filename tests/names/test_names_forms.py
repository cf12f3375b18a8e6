"""Russian and Ukrainian forms of first names and patronymics, both ways, both sexes."""

import pytest

from rollcall.names import NameKind, russian_forms, to_russian, to_ukrainian

P = NameKind.PATRONYMIC

GIVEN_NAMES = [  # Ukrainian, Russian
    ("Андрій", "Андрей"), ("Микола", "Николай"), ("Олексій", "Алексей"),
    ("Наталія", "Наталья"), ("Сергій", "Сергей"), ("Олександр", "Александр"),
    ("Олена", "Елена"), ("Ольга", "Ольга"), ("Ірина", "Ирина"), ("Євген", "Евгений"),
    ("Павло", "Павел"), ("Михайло", "Михаил"), ("Юрій", "Юрий"), ("Ганна", "Анна"),
    ("Тетяна", "Татьяна"), ("Катерина", "Екатерина"), ("Надія", "Надежда"),
    ("Олександра", "Александра"), ("Ігор", "Игорь"), ("Василь", "Василий"),
]  # fmt: skip

PATRONYMICS = [  # Ukrainian, Russian; male and female
    ("Миколайович", "Николаевич"), ("Миколаївна", "Николаевна"),
    ("Олексійович", "Алексеевич"), ("Олексіївна", "Алексеевна"),
    ("Андрійович", "Андреевич"), ("Андріївна", "Андреевна"),
    ("Юрійович", "Юрьевич"), ("Юріївна", "Юрьевна"),
    ("Олександрович", "Александрович"), ("Олександрівна", "Александровна"),
    ("Петрович", "Петрович"), ("Петрівна", "Петровна"),
    ("Ігорович", "Игоревич"), ("Ігорівна", "Игоревна"),
    ("Васильович", "Васильевич"), ("Василівна", "Васильевна"),
    ("Михайлович", "Михайлович"), ("Михайлівна", "Михайловна"),
    ("Ілліч", "Ильич"), ("Якович", "Яковлевич"),
]  # fmt: skip


@pytest.mark.parametrize(("uk", "ru"), GIVEN_NAMES)
def test_given_name_ukrainian_to_russian(uk, ru):
    assert to_russian(uk) == ru


@pytest.mark.parametrize(("uk", "ru"), GIVEN_NAMES)
def test_given_name_russian_to_ukrainian(uk, ru):
    assert to_ukrainian(ru) == uk


@pytest.mark.parametrize(("uk", "ru"), PATRONYMICS)
def test_patronymic_ukrainian_to_russian(uk, ru):
    assert to_russian(uk, P) == ru


@pytest.mark.parametrize(("uk", "ru"), PATRONYMICS)
def test_patronymic_russian_to_ukrainian(uk, ru):
    assert to_ukrainian(ru, P) == uk


def test_case_follows_the_input():
    assert to_russian("АНДРІЙ") == "АНДРЕЙ"
    assert to_ukrainian("николаевич", P) == "миколайович"


def test_unknown_names_come_back_unchanged():
    assert to_ukrainian("Зоремир") == "Зоремир"
    assert to_russian("Зоремир") == "Зоремир"


def test_a_ukrainian_name_is_not_read_as_russian():
    # "Олег" and "Петрович" are spelt alike in both languages.
    assert to_ukrainian("Олег") == "Олег"
    assert to_ukrainian("Петрович", P) == "Петрович"


def test_names_translator_fills_in_names_outside_our_table():
    assert to_russian("Тимофій") == "Тимофей"
    assert to_ukrainian("Тимофей") == "Тимофій"
    assert to_ukrainian("Кондрат") == "Кіндрат"


def test_all_russian_forms_best_first():
    forms = russian_forms("Дар'я")
    assert forms[0] in ("Дарья", "Дария") and "Дарья" in forms
