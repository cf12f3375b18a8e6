"""A list is streamed: memory stays flat however many rows it has."""

from __future__ import annotations

import tracemalloc

import pytest
from ingest_support import TODAY

from rollcall.ingest.headers import map_headers
from rollcall.ingest.readers import open_table
from rollcall.ingest.rows import parse_row

ROWS = 200_000
HEADER = ("Номер картки;Прізвище;Ім'я;По батькові;Дата народження;Стать;Військове звання;"
          "Військова частина;Дата полону;Категорія;Статус;Дата статусу;Місце утримання\n")


def _write(path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for i in range(rows):
            f.write(f"UA-{i:07d};Шевченко{i % 997};Тарас;Григорович;{1 + i % 28:02d}.03.19"
                    f"{60 + i % 40};ч;солдат;А{1000 + i % 500};2022-04-{1 + i % 28:02d};"
                    f"військовополонений;утримується;2023-05-01;СІЗО-{i % 9}\n")


def _parse_traced(path) -> tuple[int, int, int, int]:
    """(rows, rejected, peak while opening, peak while streaming the rows)."""
    tracemalloc.start()
    try:
        count = rejected = 0
        with open_table(path) as table:
            header_map = map_headers(table.info)
            _, opening_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()  # opening reads a 1 MB sample to detect the encoding
            for raw in table.rows():
                row = parse_row(raw, header_map, today=TODAY)
                count += 1
                rejected += bool(row.problems)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, rejected, opening_peak, peak


@pytest.mark.slow  # ~40 s: tracemalloc slows every allocation down
def test_200k_rows_parse_in_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    _write(path, ROWS)
    size = path.stat().st_size
    count, rejected, opening_peak, peak = _parse_traced(path)
    assert (count, rejected) == (ROWS, 0)
    assert size > 30_000_000
    assert opening_peak < 8_000_000, f"opening took {opening_peak:,} bytes"
    assert peak < size / 20, f"peak {peak:,} bytes while reading a {size:,}-byte file"


def test_memory_does_not_grow_with_rows(tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _write(small, 5_000)
    _write(large, 25_000)
    *_, small_peak = _parse_traced(small)
    count, _, _, large_peak = _parse_traced(large)
    assert count == 25_000
    assert large_peak < small_peak * 1.25 + 100_000, (small_peak, large_peak)
    assert large_peak < large.stat().st_size / 2
