"""Header mapping: built-in uk/ru/en synonyms, mapping files, file-level ambiguities."""

from __future__ import annotations

import pytest

from rollcall.errors import ImportFileError
from rollcall.ingest.fields import Field
from rollcall.ingest.headers import load_mapping, map_headers, normalise_header, synonyms
from rollcall.ingest.readers import TableInfo


def info(*headers: str) -> TableInfo:
    return TableInfo("list.csv", "csv", "utf-8", ";", list(headers), "0" * 64)


@pytest.mark.parametrize(("header", "field"), [
    ("Номер картки", Field.SOURCE_KEY), ("№ п/п", Field.SOURCE_KEY), ("ICRC ref", Field.SOURCE_KEY),
    ("ID", Field.SOURCE_KEY), ("Прізвище", Field.SURNAME), ("Фамилия", Field.SURNAME),
    ("Last  Name", Field.SURNAME), ("Ім'я", Field.GIVEN_NAME), ("Ім’я:", Field.GIVEN_NAME),
    ("ІМʼЯ *", Field.GIVEN_NAME), ("Имя", Field.GIVEN_NAME), ("first name", Field.GIVEN_NAME),
    ("По батькові", Field.PATRONYMIC), ("Отчество", Field.PATRONYMIC),
    ("Father's name", Field.PATRONYMIC), ("father's first name", Field.FATHER_NAME),
    ("ПІБ", Field.FULL_NAME), ("П.І.Б.", Field.FULL_NAME), ("Ф.И.О.", Field.FULL_NAME),
    ("Name", Field.FULL_NAME), ("Стать", Field.SEX), ("Пол", Field.SEX),
    ("Дата народження", Field.BIRTH_DATE), ("DOB", Field.BIRTH_DATE),
    ("Год рождения", Field.BIRTH_DATE), ("Особистий номер", Field.SERVICE_NUMBER),
    ("Військове звання", Field.RANK), ("Підрозділ", Field.UNIT),
    ("Power on which dependent", Field.POWER_DEPENDED_ON),
    ("Дівоче прізвище матері", Field.MOTHER_MAIDEN_NAME), ("next of kin", Field.PERSON_TO_INFORM),
    ("Дата полону", Field.CAPTURE_DATE), ("Место пленения", Field.CAPTURE_PLACE),
    ("Категорія", Field.CATEGORY), ("Статус", Field.STATED_STATUS), ("Стан", Field.STATED_STATUS),
    ("Date reported", Field.STATUS_DATE), ("Стан здоров'я", Field.HEALTH_NOTES),
    ("Місце утримання", Field.SITE_NAMED), ("Дата смерті", Field.DEATH_DATE),
    ("Место смерти", Field.DEATH_PLACE), ("cause of death", Field.DEATH_CAUSE),
    ("grave", Field.BURIAL_PLACE), ("Примечание", Field.NOTES),
])
def test_builtin_synonyms(header, field):
    assert map_headers(info("ПІБ" if field is not Field.FULL_NAME else "Прізвище", header)
                       ).fields[1] is field


def test_every_field_has_synonyms_and_no_text_is_listed_twice():
    table = synonyms()  # raises ValueError if a text were under two fields
    assert set(table.values()) == set(Field)


def test_normalisation():
    assert normalise_header("  П.І.Б.: ") == "піб"
    assert normalise_header("Ім’я   ПО  батькові*") == "ім'я по батькові"
    assert normalise_header("Ёлка") == "елка"


def test_unmapped_and_empty_headers_are_kept_for_raw():
    hm = map_headers(info("Прізвище", "", "Група крові"))
    assert hm.fields == (Field.SURNAME, None, None)
    assert hm.raw_keys == ("Прізвище", "column 2", "Група крові")
    assert hm.column_of(Field.SURNAME) == 0 and hm.column_of(Field.RANK) is None


def test_surname_and_full_name_together_are_allowed():
    assert map_headers(info("ПІБ", "Прізвище")).fields == (Field.FULL_NAME, Field.SURNAME)


def test_missing_required_column_lists_headers_and_how_to_map():
    with pytest.raises(ImportFileError) as e:
        map_headers(info("Номер", "Дата народження", "Хто"))
    message = e.value.message
    assert "missing required column: surname (or a full-name column such as ПІБ)" in message
    assert "'Номер', 'Дата народження', 'Хто'" in message
    assert "[columns]" in message and "--mapping" in message


def test_the_same_header_twice_is_an_error():
    with pytest.raises(ImportFileError, match="columns 2 and 3 have the same header 'Примітка'"):
        map_headers(info("Прізвище", "Примітка", "Примітка"))


def test_two_headers_for_one_field_is_an_error():
    with pytest.raises(ImportFileError) as e:
        map_headers(info("№", "Прізвище", "Ім'я", "Дата", "surname"))
    assert ("columns 2 'Прізвище' and 5 'surname' both map to surname; say which one to use "
            "in a --mapping file") in e.value.message


def test_mapping_file_overrides_and_ignores(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"Хто" = "surname"\n"Прізвище" = "-"\n"Ім\'я" = ""\n'
                    '"Звідки" = "place_of_birth"\n"Немає такого" = "notes"\n', "utf-8")
    mapping = load_mapping(path)
    hm = map_headers(info("Хто", "Прізвище", "Ім'я", "Звідки"), mapping)
    assert hm.fields == (Field.SURNAME, None, None, Field.PLACE_OF_BIRTH)
    assert hm.unused_mapping == ("Немає такого",)


def test_mapping_resolves_two_candidate_columns(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"surname" = "-"\n', "utf-8")
    hm = map_headers(info("Прізвище", "surname"), load_mapping(path))
    assert hm.fields == (Field.SURNAME, None)


@pytest.mark.parametrize(("text", "said"), [
    ('[columns]\n"Хто" = "surnam"\n', "entry 'Хто' = 'surnam': unknown field"),
    ('[columns]\n"Хто" = 3\n', "must be a quoted name"),
    ('"Хто" = "surname"\n', "no [columns] table"),
    ("[columns\n", "not a valid TOML mapping file"),
])
def test_bad_mapping_files_name_the_file_and_entry(tmp_path, text, said):
    path = tmp_path / "map.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ImportFileError) as e:
        load_mapping(path)
    assert e.value.file == str(path)
    assert said in e.value.message


def test_a_mapping_dict_with_an_unknown_field_is_refused():
    with pytest.raises(ImportFileError, match="unknown field"):
        map_headers(info("Прізвище"), {"Прізвище": "family"})
