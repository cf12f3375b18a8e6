"""Name parts, their Russian forms, patronymics and the three romanisations."""

from __future__ import annotations

import pytest

from rollcall.synth.names import (
    name_tables,
    read_data,
    ru_patronymic,
    ru_surname,
    uk_female_surname,
    uk_patronymic,
)
from rollcall.synth.translit import UKRAINIAN_ONLY, kmu, ru_latin, uk_latin_old


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # The examples in the table of KMU resolution No. 55 (2010).
        ("Алушта", "Alushta"),
        ("Згурський", "Zghurskyi"),
        ("Юрій", "Yurii"),
        ("Їжакевич", "Yizhakevych"),
        ("Короп'є", "Koropie"),
        ("Знам'янка", "Znamianka"),
        ("Розгон", "Rozghon"),
        ("Щербухи", "Shcherbukhy"),
        ("Єнакієве", "Yenakiieve"),
        ("Гайдай", "Haidai"),
        ("Яготин", "Yahotyn"),
        ("Феодосія", "Feodosiia"),
        # and a few more of the same table
        ("Борщагівка", "Borshchahivka"),
        ("Андрій", "Andrii"),
        ("Олександр", "Oleksandr"),
        ("Євген", "Yevhen"),
        ("Щербак", "Shcherbak"),
        ("Кам'янець-Подільський", "Kamianets-Podilskyi"),
        ("Часів Яр", "Chasiv Yar"),
        ("ЩЕРБАК", "SHCHERBAK"),
    ],
)
def test_kmu_romanisation(cyrillic: str, latin: str) -> None:
    assert kmu(cyrillic) == latin


def test_old_passport_and_russian_romanisations_differ_as_in_real_lists() -> None:
    assert uk_latin_old("Андрій") == "Andriy"
    assert uk_latin_old("Юрій") == "Yuriy"
    assert uk_latin_old("Ковальський") == "Kovalskiy"
    assert ru_latin("Андрей") == "Andrey"
    assert ru_latin("Николай") == "Nikolay"
    assert ru_latin("Евтушенко") == "Yevtushenko"


@pytest.mark.parametrize(
    ("father", "male", "female"),
    [
        ("Петро", "Петрович", "Петрівна"),
        ("Андрій", "Андрійович", "Андріївна"),
        ("Олександр", "Олександрович", "Олександрівна"),
        ("Микола", "Миколайович", "Миколаївна"),
        ("Василь", "Васильович", "Василівна"),
        ("Ілля", "Ілліч", "Іллівна"),
    ],
)
def test_ukrainian_patronymics(father: str, male: str, female: str) -> None:
    assert (uk_patronymic(father, False), uk_patronymic(father, True)) == (male, female)


@pytest.mark.parametrize(
    ("father", "male", "female"),
    [
        ("Петр", "Петрович", "Петровна"),
        ("Андрей", "Андреевич", "Андреевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Михаил", "Михайлович", "Михайловна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ],
)
def test_russian_patronymics(father: str, male: str, female: str) -> None:
    assert (ru_patronymic(father, False), ru_patronymic(father, True)) == (male, female)


@pytest.mark.parametrize(
    ("uk", "ru"),
    [
        ("Ковальчук", "Ковальчук"),
        ("Гриценко", "Гриценко"),
        ("Мельничук", "Мельничук"),
        ("Згурський", "Згурский"),
        ("Лук'яненко", "Лукьяненко"),
        ("Матвієнко", "Матвиенко"),
        ("Євтушенко", "Евтушенко"),
    ],
)
def test_russian_spelling_of_surnames(uk: str, ru: str) -> None:
    assert ru_surname(uk) == ru


def test_surname_table_overrides_where_letters_are_not_enough() -> None:
    by_uk = {s.uk[0]: s for s in name_tables().surnames}
    assert by_uk["Білоус"].ru == ("Белоус", "Белоус")
    assert by_uk["Ковальський"].ru == ("Ковальский", "Ковальская")
    assert by_uk["Ковальський"].uk == ("Ковальський", "Ковальська")
    assert by_uk["Іванов"].ru[1] == "Иванова"


def test_female_surnames() -> None:
    assert uk_female_surname("Шевченко") == "Шевченко"
    assert uk_female_surname("Савицький") == "Савицька"
    assert uk_female_surname("Білий") == "Біла"
    assert uk_female_surname("Петрів") == "Петрів"


def test_tables_are_large_common_and_free_of_ukrainian_letters_in_russian_forms() -> None:
    tables = name_tables()
    uk_surnames = [r["uk"] for r in read_data("surnames.csv")]
    assert len(uk_surnames) >= 300
    assert len(set(uk_surnames)) == len(uk_surnames)
    assert len(tables.male) >= 40 and len(tables.female) >= 20
    russian = [s.ru[i] for s in tables.surnames for i in (0, 1)]
    russian += [g.ru for g in tables.male + tables.female]
    russian += [g.patr_ru[i] for g in tables.male for i in (0, 1)]
    bad = [name for name in russian if set(name) & set(UKRAINIAN_ONLY + "'")]
    assert bad == []
    for name in russian:
        name.encode("cp1251")
    given = {g.uk: g for g in tables.male + tables.female}
    assert given["Олександр"].ru == "Александр"
    assert given["Микола"].ru == "Николай"
    assert given["Наталія"].ru == "Наталья"
    assert "Andriy" in given["Андрій"].passport
    assert "Andrey" in given["Андрій"].ru_lat


def test_place_data_has_russian_forms_a_cp1251_list_can_hold() -> None:
    for file in ("places.csv", "site_towns.csv"):
        for row in read_data(file):
            assert not set(row["ru"]) & set(UKRAINIAN_ONLY + "'"), row
            row["ru"].encode("cp1251")
            assert row["uk"] and row["ru"]
    assert kmu("Маріуполь") == "Mariupol"
    assert kmu("Запоріжжя") == "Zaporizhzhia"
