"""Dates of captivity as linkage evidence: a report weighed against the capture date, the
end of captivity compared, the same list, and the name order of misspelt media names."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from rollcall.linkage import LinkRecord, prepared_features
from rollcall.linkage.settings import settings_creator


def _record(rid: int, *, source: int = 1, surname: str = "Коваленко", given: str = "Андрій",
            capture: str | None = None, status: str | None = None,
            status_date: str | None = None, death: str | None = None) -> LinkRecord:
    return LinkRecord(rid, source, surname, given, None, None, "1990", None, None, capture,
                      None, None, status, status_date, death)


def _day(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def _features(records: list[LinkRecord]) -> dict[int, dict]:
    return {row["unique_id"]: row for row in prepared_features(records).to_pylist()}


def test_a_status_date_is_a_day_held_or_the_day_captivity_ended():
    rows = _features([
        _record(1, status="утримується", status_date="2024-05-02"),
        _record(2, status="captured", status_date="2024-05-03"),  # a media report
        _record(3, status="обміняний", status_date="2025-11-09"),
        _record(4, status="deceased", status_date="2025-01-10"),
        _record(5, status="помер", status_date="2025-01-10", death="2025-01-08"),
        _record(6, status="дані уточнюються", status_date="2024-05-02"),
        _record(7, status="утримується", status_date="2024-05"),  # not a full date
    ])
    assert (rows[1]["held_day"], rows[1]["end_day"]) == (_day("2024-05-02"), None)
    assert (rows[2]["held_day"], rows[2]["end_day"]) == (_day("2024-05-03"), None)
    assert (rows[3]["held_day"], rows[3]["end_day"]) == (None, _day("2025-11-09"))
    assert rows[4]["end_day"] == _day("2025-01-10")
    assert rows[5]["end_day"] == _day("2025-01-08")  # the date of death, where given
    assert (rows[6]["held_day"], rows[6]["end_day"]) == (None, None)
    assert (rows[7]["held_day"], rows[7]["end_day"]) == (None, None)


def _level(comparison: str, left: LinkRecord, right: LinkRecord) -> str:
    """The label of the level the pair reaches in one comparison of the model."""
    features = prepared_features([left, right])
    spec = next(c for c in settings_creator().create_settings_dict("duckdb")["comparisons"]
                if c["output_column_name"] == comparison)
    whens = " ".join(f"WHEN {lv['sql_condition']} THEN {i}"
                     for i, lv in enumerate(spec["comparison_levels"])
                     if lv["sql_condition"] != "ELSE")
    con = duckdb.connect()
    con.register("f", features)
    sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in features.schema.names)
    index = con.execute(
        f"SELECT CASE {whens} ELSE {len(spec['comparison_levels']) - 1} END FROM "
        f"(SELECT {sides} FROM f l, f r WHERE l.unique_id = {left.record_id} "
        f"AND r.unique_id = {right.record_id})").fetchone()[0]
    return spec["comparison_levels"][index]["label_for_charts"]


CAPTURED = _record(1, capture="2024-05-01", status="утримується", status_date="2024-09-30")


@pytest.mark.parametrize(("reported", "level"), [
    ("2024-05-09", "reported within three weeks of the capture date"),
    ("2024-04-29", "reported within three weeks of the capture date"),  # a day or two off
    ("2024-07-01", "reported within three months of the capture date"),
    ("2025-02-01", "reported more than three months after the capture"),
    ("2024-03-01", "reported before the capture date or far from the end"),
])
def test_a_report_of_capture_is_weighed_against_the_capture_date(reported, level):
    media = _record(2, source=5, status="captured", status_date=reported)
    assert _level("reported_in_captivity", CAPTURED, media) == level
    assert _level("reported_in_captivity", media, CAPTURED) == level


def test_a_report_is_weighed_only_where_one_record_gives_no_capture_date():
    null = "no report to weigh against a capture date"
    other = _record(2, capture="2024-05-03", status="held", status_date="2024-05-09")
    assert _level("reported_in_captivity", CAPTURED, other) == null
    partial = _record(3, capture="2024-05", status="held", status_date="2024-05-09")
    assert _level("reported_in_captivity", CAPTURED, partial) == null
    no_date = _record(4, source=5, status="captured")
    assert _level("reported_in_captivity", CAPTURED, no_date) == null


@pytest.mark.parametrize(("other", "report", "level"), [
    (_record(1, capture="2023-02-01", status="помер", status_date="2024-01-10",
             death="2024-01-10"),
     _record(2, source=5, status="died", status_date="2024-02-20"),
     "end of captivity reported within two months of the other record's"),
    (_record(1, capture="2023-02-01", status="обміняний", status_date="2025-11-09"),
     _record(2, source=5, status="exchanged", status_date="2025-11-10"),
     "end of captivity reported within two months of the other record's"),
    (_record(1, capture="2023-02-01", status="обміняний", status_date="2024-01-10"),
     _record(2, source=5, status="exchanged", status_date="2025-11-10"),
     "reported before the capture date or far from the end"),
    (_record(1, capture="2023-02-01", status="утримується", status_date="2023-03-01"),
     _record(2, source=5, status="exchanged", status_date="2025-11-10"),
     "end of captivity reported, the other record gives none"),
    (_record(1, capture="2023-02-01", status="обміняний", status_date="2024-01-10"),
     _record(2, source=5, status="captured", status_date="2024-06-01"),
     "reported held after the other record's end of captivity"),
])
def test_a_reported_end_of_captivity_is_weighed_against_the_other_records(other, report, level):
    assert _level("reported_in_captivity", other, report) == level
    assert _level("reported_in_captivity", report, other) == level
    assert _level("end_of_captivity", other, report) == "end of captivity not comparable"


@pytest.mark.parametrize(("left", "right", "level"), [
    (_record(1, status="обміняний", status_date="2025-11-09"),
     _record(2, source=5, status="exchanged", status_date="2025-11-11"),
     "captivity ended within three days"),
    (_record(1, status="помер", status_date="2025-01-10", death="2025-01-10"),
     _record(2, source=5, status="died", status_date="2025-02-20"),
     "captivity ended within two months"),
    (_record(1, status="обміняний", status_date="2025-11-09"),
     _record(2, source=3, status="exchanged", status_date="2024-06-01"),
     "captivity ended on different dates"),
    (_record(1, capture="2023-02-01", status="помер", status_date="2024-01-10",
             death="2024-01-10"),
     _record(2, source=3, capture="2023-02-01", status="held", status_date="2025-10-01"),
     "held after the other record's end of captivity"),
    (_record(1, capture="2023-02-01", status="обміняний", status_date="2025-11-09"),
     _record(2, source=3, capture="2023-02-01", status="held", status_date="2023-03-01"),
     "held before the other record's end of captivity"),
    (_record(1, capture="2023-02-01", status="утримується", status_date="2023-03-01"),
     _record(2, source=3, capture="2023-02-01", status="held", status_date="2023-03-01"),
     "end of captivity not comparable"),
])
def test_the_end_of_captivity_is_compared(left, right, level):
    assert _level("end_of_captivity", left, right) == level
    assert _level("end_of_captivity", right, left) == level


def test_two_records_of_one_list_are_told_so():
    assert _level("same_list", _record(1), _record(2)) == "both records from one list"
    assert _level("same_list", _record(1), _record(2, source=2)) == \
        "records from different lists"


def test_a_misspelt_surname_after_the_given_name_is_turned_round():
    """A media row "Алексей Прмймак" is read with the given name as surname; the misspelt
    surname is seen nowhere else, so only the surname field's evidence can turn it."""
    people = [_record(i, surname=s, given="Алексей") for i, s in enumerate(
        ["Приймак", "Коваленко", "Шевчук", "Бондар", "Мельник", "Кравець", "Ткач", "Лисенко",
         "Гончар", "Руденко", "Савчук"], start=1)]
    typo = _record(20, source=5, surname="Алексей", given="Прмймак")
    rows = _features([*people, typo])
    assert rows[20]["gn"] == rows[1]["gn"]
    assert rows[20]["sn"] == "prmimak" != rows[1]["sn"]  # still misspelt
    lone = _features([*people[:3], typo])  # three uses as a given name are not enough
    assert lone[20]["gn"] != lone[1]["gn"]
