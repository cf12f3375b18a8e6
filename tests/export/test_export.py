"""Exports: every record with its provenance, spreadsheet formulas neutralised."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from rollcall.export import (
    PERSON_COLUMNS,
    RECORD_COLUMNS,
    neutralise,
    person_rows,
    record_rows,
    write_table,
)
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import Role

LIST = (
    "Номер картки,Прізвище,Ім'я,Дата народження,Військова частина,Особа для повідомлення\n"
    "ОБ-1,Коваленко,Андрій,12.03.1994,=HYPERLINK(\"http://x.invalid\"),мати\n"
    "ОБ-2,Шевчук,Іван,1990,+380 99 500 0000,батько\n"
    "ОБ-3,Бондар,Петро,03.1991,@SUM(A1),\n"
)


@pytest.fixture
def imported(db, operator, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    import_list(db, operator, path, title="Own register", origin="own_bureau")
    return db


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_left_alone():
    assert neutralise("Коваленко") == "Коваленко"
    assert neutralise(1994) == 1994


def export(db, actor, what, fmt):
    out = io.BytesIO()
    with db.session() as s:
        rows = record_rows(s, actor) if what == "records" else person_rows(s, actor)
        columns = RECORD_COLUMNS if what == "records" else PERSON_COLUMNS
        count = write_table(rows, columns, fmt, out)
    return count, out.getvalue()


def test_records_csv_has_provenance_and_no_live_formulas(imported, operator):
    count, data = export(imported, operator, "records", "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert count == 3
    assert [(r["source"], r["source_key"], r["row_number"]) for r in rows] == [
        ("Own register", "ОБ-1", "2"), ("Own register", "ОБ-2", "3"), ("Own register", "ОБ-3", "4")
    ]
    assert rows[0]["unit"] == "'=HYPERLINK(\"http://x.invalid\")"
    assert rows[1]["unit"] == "'+380 99 500 0000"
    assert rows[2]["unit"] == "'@SUM(A1)"
    assert rows[0]["birth_date"] == "1994-03-12" and rows[2]["birth_date"] == "1991-03"
    assert all(r["person_id"] for r in rows)


def test_records_xlsx_holds_text_not_formulas(imported, operator):
    _, data = export(imported, operator, "records", "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    unit = header.index("unit")
    cells = [row[unit] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[0].value.startswith("'=")


def test_jsonl_keeps_values_exactly(imported, operator):
    _, data = export(imported, operator, "records", "jsonl")
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert rows[0]["unit"] == "=HYPERLINK(\"http://x.invalid\")"


def test_family_contacts_are_left_out_for_roles_without_access(imported):
    analyst = Actor("ana", "api", frozenset({Role.ANALYST}), user_id=7)
    _, data = export(imported, analyst, "records", "jsonl")
    rows = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert {r["person_to_inform"] for r in rows} == {None}


def test_persons_export_counts_records(imported, operator):
    count, data = export(imported, operator, "persons", "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert count == 3
    assert {r["records"] for r in rows} == {"1"}
    assert rows[0]["surname"] == "Коваленко"
