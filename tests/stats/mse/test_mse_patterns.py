"""Capture patterns in: pairs, linked persons' memberships, CSV tables; and what is
refused, naming the file, row and column."""

from __future__ import annotations

import numpy as np
import pytest

from rollcall.errors import ImportFileError, InvalidValue
from rollcall.stats.mse import CapturePatterns


def write(tmp_path, text: str, name: str = "patterns.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pairs_memberships_and_csv_agree(tmp_path):
    pairs = CapturePatterns.from_pairs(["a", "b", "c"], [((1, 1, 0), 2), ((0, 0, 1), 3),
                                                         ((1, 1, 0), 1), ((0, 1, 0), 0)])
    members = CapturePatterns.from_memberships(
        ["a", "b", "c"], [{"a", "b"}] * 3 + [{"c"}] * 3)
    table = CapturePatterns.from_csv(write(
        tmp_path, "\ufeffa;b;c;Count\n1;1;0;3\n0;0;1;3\n\n0;1;0;0\n"))
    assert pairs == members == table
    assert pairs.documented == 6 and pairs.list_totals() == {"a": 3, "b": 3, "c": 3}
    assert pairs.overlap("a", "b") == 3 and pairs.overlap("a", "c") == 0


def test_table_has_every_observable_pattern_with_its_zeros():
    patterns = CapturePatterns.from_pairs(["a", "b"], [((1, 0), 4), ((0, 1), 2)])
    cells, y = patterns.table()
    assert cells.tolist() == [[1, 1], [1, 0], [0, 1]]
    assert y.tolist() == [0, 4, 2]
    observed, counts = patterns.observed()
    assert observed.tolist() == [[1, 0], [0, 1]] and counts.tolist() == [4, 2]
    assert np.issubdtype(counts.dtype, np.integer)


def test_the_unobservable_pattern_and_bad_pairs_are_refused():
    with pytest.raises(InvalidValue, match="all-zero"):
        CapturePatterns.from_pairs(["a", "b"], [((0, 0), 5)])
    with pytest.raises(InvalidValue, match="0 or 1"):
        CapturePatterns.from_pairs(["a", "b"], [((2, 0), 5)])
    with pytest.raises(InvalidValue, match="negative"):
        CapturePatterns.from_pairs(["a", "b"], [((1, 0), -1)])
    with pytest.raises(InvalidValue, match="differ"):
        CapturePatterns.from_pairs(["a", "a"], [((1, 0), 1)])
    with pytest.raises(InvalidValue, match="unknown list 'z'"):
        CapturePatterns.from_memberships(["a", "b"], [{"z"}])


@pytest.mark.parametrize(("text", "where", "why"), [
    ("a,b,n\n1,0,3\n", "patterns.csv, row 1", "exactly one 'count' column"),
    ("a,b,count\n1,0,3\n1,x,2\n", "patterns.csv, row 3, field 'b'", "must be 0 or 1"),
    ("a,b,count\n1,2,3\n", "patterns.csv, row 2, field 'b'", "must be 0 or 1"),
    ("a,b,count\n1,0,-3\n", "patterns.csv, row 2, field 'count'", "must not be negative"),
    ("a,b,count\n1,0,2.5\n", "patterns.csv, row 2, field 'count'", "whole number"),
    ("a,count\n1,3\n", "patterns.csv, row 1", "at least two list columns"),
    ("a,b,count\n0,0,3\n", "patterns.csv, row 2", "no list"),
    ("a,b,count\n1,0\n", "patterns.csv, row 2", "has 2 cells"),
    ("a,b,count\n", "patterns.csv", "no rows"),
    ("", "patterns.csv", "is empty"),
    ("a,a,count\n1,0,1\n", "patterns.csv, row 1", "same name"),
])
def test_bad_csv_names_the_file_row_and_column(tmp_path, text, where, why):
    with pytest.raises(ImportFileError) as caught:
        CapturePatterns.from_csv(write(tmp_path, text))
    assert caught.value.message.startswith(where + ":"), caught.value.message
    assert why in caught.value.message


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("a,b,count\n1,0,3\n".encode("utf-16"))
    with pytest.raises(ImportFileError, match=r"legacy\.csv: cannot be read as UTF-8"):
        CapturePatterns.from_csv(path)
