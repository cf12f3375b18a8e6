"""Importing lists through the service: what is kept, what is reported, what is refused."""

import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from rollcall.errors import ImportFileError
from rollcall.models import Change, Event, ImportIssue, Person, Source, SourceRecord
from rollcall.services.imports import import_list
from rollcall.vocabulary import CustodyStatus, EventType

HEADER = (
    "Номер картки,Прізвище,Ім'я,По батькові,Дата народження,Статус,Місце утримання,Дата полону\n"
)
GOOD = [
    "ОБ-1,Коваленко,Олександр,Петрович,11.02.1995,утримується,СІЗО-2 Таганрог,01.04.2022\n",
    "ОБ-2,Шевчук,Андрій,Іванович,1990,обміняний,,03.2022\n",
]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def counts(db):
    with db.session() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Source, SourceRecord, Person, Event, Change, ImportIssue)
        }


def test_accepted_rows_keep_raw_cells_source_key_and_row_number(db, operator, tmp_path):
    path = write(tmp_path, "list.csv", HEADER + "".join(GOOD))
    report = import_list(db, operator, path, title="Own register", origin="own_bureau")
    assert (report.accepted, report.rejected, report.encoding) == (2, 0, "utf-8")
    with db.session() as s:
        records = s.scalars(select(SourceRecord).order_by(SourceRecord.row_number)).all()
        assert [(r.row_number, r.source_key) for r in records] == [(2, "ОБ-1"), (3, "ОБ-2")]
        assert records[0].raw["Прізвище"] == "Коваленко"
        assert records[0].birth_date.isoformat() == "1995-02-11"
        assert records[1].birth_date.precision == "year"
        assert len({r.person_id for r in records}) == 2
        first = s.get(Person, records[0].person_id)
        assert first.custody_status is CustodyStatus.HELD
        second = s.get(Person, records[1].person_id)
        assert second.custody_status is CustodyStatus.RELEASED
        kinds = s.scalars(select(Event.type).where(Event.person_id == first.id)).all()
        assert sorted(kinds) == [EventType.CAPTURED, EventType.HELD]


def test_every_imported_row_has_a_change_entry_with_its_full_state(db, operator, tmp_path):
    path = write(tmp_path, "list.csv", HEADER + "".join(GOOD))
    import_list(db, operator, path, title="Own register", origin="own_bureau")
    with db.session() as s:
        entries = s.scalars(select(Change).where(Change.action == "record:imported")).all()
        assert len(entries) == 2
        state = json.loads(entries[0].state)
        assert state["record"]["source_key"] == "ОБ-1"
        assert state["person"]["surname"] == "Коваленко"
        assert {e["type"] for e in state["events"]} == {"captured", "held"}
        assert entries[0].actor == "test-operator"
        assert s.scalar(select(func.count()).where(Change.action == "source:imported")) == 1


def test_the_same_file_again_is_a_no_op_that_says_so(db, operator, tmp_path):
    path = write(tmp_path, "list.csv", HEADER + "".join(GOOD))
    first = import_list(db, operator, path, title="Own register", origin="own_bureau")
    before = counts(db)
    again = import_list(db, operator, path, title="Another title", origin="icrc")
    assert again.already_imported and again.source_id == first.source_id
    assert counts(db) == before


def test_bad_rows_are_reported_and_good_rows_kept(db, operator, tmp_path):
    bad = [
        "ОБ-3,,Андрій,,1990,,,\n",                  # no surname
        "ОБ-4,Мельник,Іван,,31.02.1990,,,\n",        # impossible date
        "ОБ-5,Бондар,Петро,,вчора,,,\n",             # not a date
    ]
    path = write(tmp_path, "list.csv", HEADER + GOOD[0] + "".join(bad) + GOOD[1])
    report = import_list(db, operator, path, title="Own register", origin="own_bureau")
    assert (report.accepted, report.rejected) == (2, 3)
    with db.session() as s:
        issues = s.scalars(select(ImportIssue).order_by(ImportIssue.row_number)).all()
        assert [(i.row_number, i.level) for i in issues] == [
            (3, "rejected"), (4, "rejected"), (5, "rejected")
        ]
        assert issues[1].field == "Дата народження" and "31.02.1990" in issues[1].reason
        keys = s.scalars(select(SourceRecord.source_key).order_by(SourceRecord.row_number)).all()
        assert keys == ["ОБ-1", "ОБ-2"]
        source = s.scalar(select(Source))
        assert (source.rows_accepted, source.rows_rejected) == (2, 3)


def test_a_refused_art17_answer_is_kept_as_refused(db, operator, tmp_path):
    path = write(tmp_path, "list.csv", "Прізвище,Ім'я,Дата народження,Військове звання\n"
                                       "Коваленко,Андрій,відмовився,відмовився\n")
    report = import_list(db, operator, path, title="Own register", origin="own_bureau")
    assert report.accepted == 1
    with db.session() as s:
        record = s.scalar(select(SourceRecord))
        assert record.birth_date is None and record.rank == "refused"
        assert record.refused_fields == ["birth_date", "rank"]


def test_windows_1251_is_detected_and_reported(db, operator, tmp_path):
    text = "Фамилия;Имя;Отчество;Дата рождения\nКоваленко;Андрей;Николаевич;12.03.1994\n"
    path = write(tmp_path, "adversary.csv", text, encoding="cp1251")
    report = import_list(db, operator, path, title="Their list", origin="adversary_bureau")
    assert report.encoding == "cp1251" and report.accepted == 1
    with db.session() as s:
        assert s.scalar(select(SourceRecord.given_name)) == "Андрей"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("utf16.csv", ("Прізвище,Ім'я\nКоваленко,Андрій\n").encode("utf-16"), "UTF-16"),
        ("empty.csv", b"", "empty"),
        ("nosurname.csv", "Ім'я,Дата народження\nАндрій,1990\n".encode(), "surname"),
        ("twice.csv", "Прізвище,Ім'я,Прізвище\nА,Б,В\n".encode(), "Прізвище"),
        ("synonyms.csv", "Прізвище,surname\nА,Б\n".encode(), "surname"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not a CSV or XLSX"),
    ],
)
def test_unreadable_files_are_refused_whole_and_leave_nothing(
    db, operator, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts(db)
    with pytest.raises(ImportFileError, match=message) as caught:
        import_list(db, operator, path, title="Broken", origin="other")
    assert name in str(caught.value)
    assert counts(db) == before


def test_xlsx_formula_without_value_rejects_only_its_row(db, operator, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Прізвище", "Ім'я", "Дата народження"])
    sheet.append(["Коваленко", "Андрій", "12.03.1994"])
    sheet.append(["=HYPERLINK(\"http://example.invalid\",\"x\")", "Іван", "1990"])
    sheet.append(["Шевчук", "Петро", "1991"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    report = import_list(db, operator, path, title="Workbook", origin="icrc")
    assert (report.format, report.accepted, report.rejected) == ("xlsx", 2, 1)
    assert "formula" in report.issues[0]["reason"] and report.issues[0]["row_number"] == 3


def test_a_ten_megabyte_cell_rejects_its_row_only(db, operator, tmp_path):
    huge = "Ж" * (10 * 1024 * 1024)
    path = write(tmp_path, "huge.csv", HEADER + GOOD[0] + f"ОБ-9,{huge},Іван,,,,,\n" + GOOD[1])
    report = import_list(db, operator, path, title="Huge", origin="other")
    assert (report.accepted, report.rejected) == (2, 1)
    assert report.issues[0]["row_number"] == 3 and report.issues[0]["field"] == "Прізвище"
    assert len(report.issues[0]["reason"]) < 300


def test_a_large_import_refreshes_postgresqls_statistics(db, operator, tmp_path, monkeypatch,
                                                         backend):
    """After a list of ANALYZE_AFTER_ROWS rows or more the planner knows the tables' new
    sizes at once (here the threshold is lowered to the test list's two rows): the row
    estimate PostgreSQL keeps is the imported count, not the empty table's."""
    from sqlalchemy import text

    def estimate() -> float:
        with db.engine.connect() as conn:
            return conn.execute(text(
                "SELECT reltuples FROM pg_class WHERE relname = 'source_records'")).scalar()

    small = import_list(db, operator, write(tmp_path, "a.csv", HEADER + GOOD[0]), title="a",
                        origin="own_bureau")
    assert small.accepted == 1
    if backend == "postgresql":
        assert estimate() != 1  # one row is below the threshold: nothing analysed
    monkeypatch.setattr("rollcall.services.imports.ANALYZE_AFTER_ROWS", 2)
    report = import_list(db, operator, write(tmp_path, "b.csv", HEADER + "".join(GOOD)),
                         title="b", origin="own_bureau")
    assert report.accepted == 2
    if backend == "postgresql":
        assert estimate() == 3
