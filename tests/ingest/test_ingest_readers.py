"""Reading lists: format and encoding by content, delimiters, damaged rows, XLSX."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import zipfile

import openpyxl
import openpyxl.styles
import psutil
import pytest
from ingest_support import read_rows

from rollcall.errors import ImportFileError
from rollcall.ingest import readers
from rollcall.ingest.fields import MAX_CELL_CHARS
from rollcall.ingest.readers import open_table

LIST = "Прізвище,Ім'я,Дата народження\nШевченко,Тарас,09.03.1994\nКоваленко,Ірина,1990\n"


# --- encodings -------------------------------------------------------------------------


def test_utf8_is_detected_and_read(write_csv):
    info, rows = read_rows(write_csv(LIST))
    assert (info.format, info.encoding, info.delimiter) == ("csv", "utf-8", ",")
    assert info.headers == ["Прізвище", "Ім'я", "Дата народження"]
    assert [r.cells for r in rows] == [["Шевченко", "Тарас", "09.03.1994"],
                                       ["Коваленко", "Ірина", "1990"]]
    assert [r.row_number for r in rows] == [2, 3]
    assert all(r.problems == [] for r in rows)


def test_utf8_bom_is_reported_and_not_part_of_the_first_header(write_bytes):
    info, rows = read_rows(write_bytes("bom.csv", codecs.BOM_UTF8 + LIST.encode()))
    assert info.encoding == "utf-8-sig"
    assert info.headers[0] == "Прізвище"
    assert len(rows) == 2


def test_cp1251_is_detected_and_decoded(write_csv):
    info, rows = read_rows(write_csv(LIST.replace(",", ";"), encoding="cp1251"))
    assert info.encoding == "cp1251"
    assert info.headers[1] == "Ім'я"
    assert rows[1].cells[:2] == ["Коваленко", "Ірина"]


@pytest.mark.parametrize(("encoding", "label"), [
    ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_are_refused_with_advice(write_csv, encoding, label):
    with pytest.raises(ImportFileError) as e:
        read_rows(write_csv(LIST, encoding=encoding))
    assert f"encoding looks like {label}" in e.value.message
    assert "save the file as UTF-8" in e.value.message


@pytest.mark.parametrize(("text", "encoding", "said"), [
    ("Surname;Name;Town\n" + "Müller;Jürgen;Köln\nSchäfer;Björn;Düsseldorf\n" * 20,
     "latin-1", "not recognised"),
    ("Name;Dob\nSmith;1990\nMüller;1991\n", "cp1252", "Western (Latin-1)"),
    ("Фамилия;Имя\nИванов;Иван\n", "koi8_r", "not recognised"),
])
def test_other_code_pages_are_refused_with_advice(write_csv, text, encoding, said):
    with pytest.raises(ImportFileError) as e:
        read_rows(write_csv(text, encoding=encoding))
    assert said in e.value.message
    assert "save the file as UTF-8 or Windows-1251" in e.value.message


def test_a_stray_bad_byte_rejects_only_its_row(write_bytes):
    data = LIST.encode() + "Петренко".encode() + b",I\xffvan,1991\n"
    info, rows = read_rows(write_bytes("bad.csv", data))
    assert info.encoding == "utf-8"
    assert [r.problems for r in rows] == [[], [], [(1, "bytes not valid in utf-8")]]
    assert rows[2].cells[0] == "Петренко"


def test_a_bad_byte_beyond_the_encoding_sample_is_found(write_bytes):
    body = "Шевченко,Тарас,1994\n" * (readers.SAMPLE_BYTES // 30 + 100)
    data = ("Прізвище,Ім'я,Рік\n" + body).encode() + b"Bad,\x80\x81,1990\nLast,One,1990\n"
    assert len(data) > readers.SAMPLE_BYTES
    info, rows = read_rows(write_bytes("deep.csv", data))
    assert info.encoding == "utf-8"
    bad = [r for r in rows if r.problems]
    assert [(r.row_number, r.problems) for r in bad] == [
        (len(rows), [(1, "bytes not valid in utf-8")])]
    assert rows[-1].cells == ["Last", "One", "1990"]


# --- what is not a list ----------------------------------------------------------------


@pytest.mark.parametrize(("data", "what"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel 97-2003"),
    (b"\x00\x01\x02binary\x00data" * 10, "binary data"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
])
def test_files_that_are_not_lists_are_refused(write_bytes, data, what):
    with pytest.raises(ImportFileError) as e:
        read_rows(write_bytes("list.csv", data))
    assert "not a CSV or XLSX file" in e.value.message
    assert what in e.value.message


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photo.txt", "hello")
    with pytest.raises(ImportFileError, match=r"not a CSV or XLSX file \(a zip archive\)"):
        read_rows(path)


def test_a_word_document_is_named(tmp_path):
    path = tmp_path / "list.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="a Word document"):
        read_rows(path)


@pytest.mark.parametrize(
    "data", [b"", codecs.BOM_UTF8, b"  \r\n\r\n \t\n", codecs.BOM_UTF8 + b"\n"])
def test_an_empty_file_is_refused(write_bytes, data):
    with pytest.raises(ImportFileError, match="the file is empty"):
        read_rows(write_bytes("empty.csv", data))


def test_a_header_only_list_has_no_rows(write_csv):
    info, rows = read_rows(write_csv("Прізвище;Ім'я\n"))
    assert info.headers == ["Прізвище", "Ім'я"]
    assert rows == []


def test_format_is_decided_by_content_not_name(write_xlsx, write_csv, tmp_path):
    xlsx = write_xlsx([["Прізвище"], ["Шевченко"]], name="really-a-workbook.csv")
    assert read_rows(xlsx)[0].format == "xlsx"
    text = write_csv("Прізвище\nШевченко\n", name="really-text.xlsx")
    assert read_rows(text)[0].format == "csv"


def test_sha256_is_of_the_file_bytes(write_csv):
    path = write_csv(LIST)
    assert read_rows(path)[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_file_is_an_import_error(tmp_path):
    with pytest.raises(ImportFileError, match="cannot read the file"):
        read_rows(tmp_path / "nope.csv")


# --- CSV structure ---------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_sniffed_from_the_header(write_csv, delimiter):
    text = LIST.replace(",", delimiter)
    info, rows = read_rows(write_csv(text))
    assert info.delimiter == delimiter
    assert rows[0].cells == ["Шевченко", "Тарас", "09.03.1994"]


def test_delimiters_inside_quotes_do_not_count(write_csv):
    info, rows = read_rows(write_csv('"Прізвище, ім\'я; по батькові";Дата\n"А, Б; В";1990\n'))
    assert info.delimiter == ";"
    assert rows[0].cells == ["А, Б; В", "1990"]


def test_rows_are_numbered_like_a_spreadsheet_counting_records(write_csv):
    text = 'Прізвище,Примітки\nА,"два\nрядки"\n\n,\nБ,x\n'
    _, rows = read_rows(write_csv(text))
    assert [(r.row_number, r.cells) for r in rows] == [(2, ["А", "два\r\nрядки"]),
                                                       (5, ["Б", "x"])]


def test_short_rows_are_padded_and_long_rows_flagged(write_csv):
    text = "A,B,C\n1\n1,2,3,,\n1,2,3,4\n"
    _, rows = read_rows(write_csv(text))
    assert rows[0].cells == ["1", None, None] and rows[0].problems == []
    assert rows[1].cells == ["1", "2", "3"] and rows[1].problems == []
    assert rows[2].problems == [(None, "4 cells but only 3 columns")]


def test_a_10mb_cell_rejects_its_row_only(write_bytes):
    big = "x" * (10 * 1024 * 1024)
    data = f"Прізвище,Примітки\nА,коротко\nБ,{big}\nВ,ok\n".encode()
    _, rows = read_rows(write_bytes("big.csv", data))
    assert [r.problems for r in rows[::2]] == [[], []]
    assert rows[1].problems == [(1, f"cell is too long ({len(big):,} characters; "
                                    f"the limit is {MAX_CELL_CHARS:,})")]
    assert rows[2].cells == ["В", "ok"]


def test_a_cell_beyond_the_csv_limit_stops_the_import_at_its_row(write_csv, monkeypatch):
    monkeypatch.setattr(readers, "CSV_FIELD_LIMIT", 10_000)
    path = write_csv("Прізвище,Примітки\nА,b\nБ," + "x" * 20_000 + "\n")
    old = csv.field_size_limit()
    try:
        with pytest.raises(ImportFileError, match="field larger than field limit") as e:
            read_rows(path)
        assert e.value.row == 3
    finally:
        csv.field_size_limit(old)


def test_rows_stream_once(write_csv):
    with open_table(write_csv(LIST)) as table:
        assert len(list(table.rows())) == 2
        with pytest.raises(RuntimeError):
            table.rows()


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_values_become_text(write_xlsx):
    path = write_xlsx([
        ["Прізвище", "Дата народження", "Номер", "Зріст", "Примітки", None],
        ["Шевченко", dt.datetime(1994, 3, 9), 17, 1.82, None],
        ["Коваленко", dt.date(1990, 1, 2), 18.0, True, "  "],
        [None, None, None],
        ["Бондаренко", dt.datetime(1990, 1, 2, 14, 30), "0042", None, None, "зайве"],
    ])
    info, rows = read_rows(path)
    assert (info.format, info.encoding, info.delimiter) == ("xlsx", None, None)
    assert info.headers == ["Прізвище", "Дата народження", "Номер", "Зріст", "Примітки"]
    assert rows[0].cells == ["Шевченко", "1994-03-09", "17", "1.82", None]
    assert rows[1].cells == ["Коваленко", "1990-01-02", "18", "TRUE", "  "]
    assert [r.row_number for r in rows] == [2, 3, 5]
    assert rows[2].cells[1] == "1990-01-02 14:30:00"
    assert rows[2].problems == [(None, "6 cells but only 5 columns")]


def test_xlsx_empty_styled_cells_beyond_the_headers_are_not_extra(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Прізвище", "Ім'я"])
    ws.append(["Шевченко", "Тарас"])
    ws["E2"].font = openpyxl.styles.Font(bold=True)  # an empty cell that is still written
    ws["D3"] = "зайве"
    ws["A3"] = "Коваленко"
    wb.save(tmp_path / "styled.xlsx")
    _, rows = read_rows(tmp_path / "styled.xlsx")
    assert rows[0].cells == ["Шевченко", "Тарас"] and rows[0].problems == []
    assert rows[1].problems == [(None, "4 cells but only 2 columns")]


def test_xlsx_formula_with_cached_value_uses_it_and_without_is_a_problem(write_xlsx):
    path = write_xlsx(
        [["Прізвище", "Рік"], ["Шевченко", "=1990+4"], ["Коваленко", "=A9"]],
        patch={"<f>1990+4</f><v />": "<f>1990+4</f><v>1994</v>"})
    _, rows = read_rows(path)
    assert rows[0].cells == ["Шевченко", "1994"]
    assert rows[0].problems == []
    assert rows[0].warnings == [(1, "value computed by formula =1990+4 used")]
    assert rows[1].cells == ["Коваленко", None]
    assert rows[1].problems == [
        (1, "cell holds a formula (=A9) with no computed value; paste values instead")]


def test_xlsx_first_sheet_or_the_named_one(write_xlsx):
    path = write_xlsx([["Прізвище"], ["А"]], sheets={"Другий": [["ПІБ"], ["Б"], ["В"]]})
    assert read_rows(path)[0].headers == ["Прізвище"]
    info, rows = read_rows(path, sheet="Другий")
    assert info.headers == ["ПІБ"] and len(rows) == 2
    with pytest.raises(ImportFileError, match="no sheet named 'Третій'"):
        read_rows(path, sheet="Третій")


def test_xlsx_empty_sheet_is_refused(write_xlsx):
    with pytest.raises(ImportFileError, match="is empty"):
        read_rows(write_xlsx([]))


def test_xlsx_damaged_mid_sheet_stops_at_the_row(write_xlsx):
    path = write_xlsx([["Прізвище"], ["А"], ["Б"]],
                      patch={"</sheetData>": '<row r="4"><c r="A4" t="inlineStr"></sheetData>'})
    with open_table(path) as table:
        rows = table.rows()
        assert [next(rows).cells, next(rows).cells] == [["А"], ["Б"]]
        with pytest.raises(ImportFileError, match="cannot be read past here") as e:
            next(rows)
    assert e.value.row == 4


def test_xlsx_unsupported_extensions_do_not_stop_the_import(write_xlsx):
    ext = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://'
           'schemas.microsoft.com/office/spreadsheetml/2009/9/main"/></extLst></worksheet>')
    path = write_xlsx([["Прізвище"], *([f"П{i}"] for i in range(1200))],
                      patch={"</worksheet>": ext})
    _, rows = read_rows(path)  # pytest turns warnings into errors: none may escape
    assert [r.row_number for r in rows] == list(range(2, 1202))
    assert rows[-1].cells == ["П1199"]


def test_xlsx_long_cell_is_flagged(write_xlsx):
    path = write_xlsx([["Прізвище", "Примітки"], ["А", "я" * (MAX_CELL_CHARS + 1)]])
    _, rows = read_rows(path)
    assert rows[0].problems == [(1, f"cell is too long ({MAX_CELL_CHARS + 1:,} characters; "
                                    f"the limit is {MAX_CELL_CHARS:,})")]


def test_files_are_closed_after_reading(write_xlsx, write_csv):
    xlsx = write_xlsx([["Прізвище", "Рік"], ["А", "=1+1"]])
    text = write_csv(LIST)
    read_rows(xlsx)
    read_rows(text)
    with pytest.raises(ImportFileError):
        read_rows(write_csv("x\x00y", name="binary.csv"))
    open_now = {f.path for f in psutil.Process().open_files()}
    assert str(xlsx) not in open_now and str(text) not in open_now
