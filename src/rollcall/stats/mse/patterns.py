"""Capture patterns: on which of k lists each documented person appears, counted by
pattern. The all-zero pattern (on no list) is the one no list can show, and the one
estimation is about; it is never part of the data.

Three ways in: pairs of (pattern, count); the memberships of linked persons (the set of
lists each person is on); a CSV table with one 0/1 column per list and a `count` column.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rollcall.errors import ImportFileError, InvalidValue

Pattern = tuple[int, ...]
COUNT_COLUMN = "count"


@dataclass(frozen=True)
class CapturePatterns:
    """List names and the number of persons seen with each 0/1 pattern over them.
    `cells` holds the patterns with a positive count, in a fixed order; a pattern not
    there was seen on nobody (an observed zero, which matters to the models)."""

    lists: tuple[str, ...]
    cells: tuple[tuple[Pattern, int], ...]

    @classmethod
    def from_pairs(cls, lists: Iterable[str],
                   pairs: Iterable[tuple[Iterable[int], int]]) -> CapturePatterns:
        """From (pattern, count) pairs; a pattern given twice is counted twice (a table
        of one row per person is a valid input). Refuses what is not a capture table."""
        names = tuple(str(name) for name in lists)
        if len(set(names)) != len(names):
            raise InvalidValue("list names must differ from one another")
        counts: dict[Pattern, int] = {}
        for raw_pattern, count in pairs:
            pattern = tuple(int(x) for x in raw_pattern)
            if len(pattern) != len(names):
                raise InvalidValue(f"pattern {pattern} does not have {len(names)} lists")
            if any(x not in (0, 1) for x in pattern):
                raise InvalidValue(f"pattern {pattern} must be 0 or 1 for each list")
            if count < 0:
                raise InvalidValue(f"pattern {pattern} has a negative count")
            if count and not any(pattern):
                raise InvalidValue("persons on no list cannot be counted: the all-zero "
                                   "pattern is what is estimated")
            if count:
                counts[pattern] = counts.get(pattern, 0) + int(count)
        return cls(names, tuple(sorted(counts.items(), reverse=True)))

    @classmethod
    def from_memberships(cls, lists: Iterable[str],
                         memberships: Iterable[Iterable[str]]) -> CapturePatterns:
        """From linked persons: for each person, the names of the lists they are on."""
        names = tuple(lists)
        position = {name: i for i, name in enumerate(names)}
        tally: dict[Pattern, int] = {}
        for member_of in memberships:
            bits = [0] * len(names)
            for name in member_of:
                if name not in position:
                    raise InvalidValue(f"unknown list {name!r}")
                bits[position[name]] = 1
            pattern = tuple(bits)
            tally[pattern] = tally.get(pattern, 0) + 1
        return cls.from_pairs(names, tally.items())

    @classmethod
    def from_csv(cls, path: str | Path) -> CapturePatterns:
        """One 0/1 column per list and a `count` column (any case), comma, semicolon or
        tab separated, UTF-8. Every error names the file, the row (as a spreadsheet
        numbers it, the header being row 1) and the column."""
        path = Path(path)
        name = path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"cannot be read as UTF-8 text ({exc.__class__.__name__})",
                                  file=name) from None
        lines = text.splitlines()
        if not lines or not lines[0].strip():
            raise ImportFileError("is empty; expected a header with the list names and "
                                  f"{COUNT_COLUMN!r}", file=name)
        delimiter = max(",;\t", key=lines[0].count)
        rows = list(csv.reader(lines, delimiter=delimiter))
        header = [cell.strip() for cell in rows[0]]
        lowered = [cell.lower() for cell in header]
        if lowered.count(COUNT_COLUMN) != 1:
            raise ImportFileError(f"needs exactly one {COUNT_COLUMN!r} column",
                                  file=name, row=1)
        count_at = lowered.index(COUNT_COLUMN)
        list_at = [i for i in range(len(header)) if i != count_at]
        names = [header[i] for i in list_at]
        for i, list_name in zip(list_at, names, strict=True):
            if not list_name:
                raise ImportFileError(f"column {i + 1} has no list name", file=name, row=1)
        if len(set(names)) != len(names):
            raise ImportFileError("two list columns have the same name", file=name, row=1)
        if len(names) < 2:
            raise ImportFileError("needs at least two list columns besides "
                                  f"{COUNT_COLUMN!r}: one list alone estimates nothing",
                                  file=name, row=1)
        pairs: list[tuple[Pattern, int]] = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ImportFileError(f"has {len(row)} cells, the header {len(header)}",
                                      file=name, row=number)
            pattern = tuple(_bit(row[i], name, number, header[i]) for i in list_at)
            count = _count(row[count_at], name, number, header[count_at])
            if count and not any(pattern):
                raise ImportFileError("counts persons on no list; that number is what is "
                                      "estimated and cannot be given",
                                      file=name, row=number)
            pairs.append((pattern, count))
        if not pairs:
            raise ImportFileError("has a header but no rows", file=name)
        return cls.from_pairs(names, pairs)

    @property
    def k(self) -> int:
        return len(self.lists)

    @property
    def documented(self) -> int:
        """Distinct persons on at least one list."""
        return sum(count for _, count in self.cells)

    def counts(self) -> Mapping[Pattern, int]:
        return dict(self.cells)

    def list_totals(self) -> dict[str, int]:
        """Persons on each list."""
        totals = dict.fromkeys(self.lists, 0)
        for pattern, count in self.cells:
            for name, bit in zip(self.lists, pattern, strict=True):
                totals[name] += bit * count
        return totals

    def overlap(self, first: str, second: str) -> int:
        """Persons on both lists."""
        i, j = self.lists.index(first), self.lists.index(second)
        return sum(count for pattern, count in self.cells if pattern[i] and pattern[j])

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """Every observable pattern (2^k - 1 rows of 0/1, the first list as the highest
        bit, all-ones first) and its count, zeros included: the incomplete table the
        log-linear models are fitted to."""
        patterns = np.array([p for p in itertools.product((1, 0), repeat=self.k)
                             if any(p)], dtype=np.int8)
        counts = self.counts()
        y = np.array([counts.get(tuple(int(x) for x in p), 0) for p in patterns],
                     dtype=float)
        return patterns, y

    def observed(self) -> tuple[np.ndarray, np.ndarray]:
        """Only the patterns seen on someone, and their counts."""
        patterns = np.array([p for p, _ in self.cells], dtype=np.int8).reshape(-1, self.k)
        return patterns, np.array([c for _, c in self.cells], dtype=np.int64)

    def to_dict(self) -> dict[str, object]:
        return {"lists": list(self.lists),
                "patterns": [{"pattern": "".join(map(str, p)), "count": c}
                             for p, c in self.cells]}


def _bit(text: str, file: str, row: int, column: str) -> int:
    value = text.strip()
    if value not in ("0", "1"):
        raise ImportFileError("must be 0 or 1", file=file, row=row, field=column)
    return int(value)


def _count(text: str, file: str, row: int, column: str) -> int:
    value = text.strip()
    try:
        count = int(value)
    except ValueError:
        raise ImportFileError("must be a whole number", file=file, row=row,
                              field=column) from None
    if count < 0:
        raise ImportFileError("must not be negative", file=file, row=row, field=column)
    return count
