"""Writers for CSV, JSON Lines and XLSX, all streaming.

Cells a spreadsheet would execute (starting with `=`, `+`, `-`, `@`, a tab or a carriage
return: OWASP "CSV injection") are neutralised with a leading apostrophe in CSV and XLSX.
JSON Lines is not opened by spreadsheets and keeps every value exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook

FORMATS = ("csv", "jsonl", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_table(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: BinaryIO
) -> int:
    """Write rows to a binary stream; return how many were written."""
    if fmt == "csv":
        return _write_csv(rows, columns, out)
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "xlsx":
        return _write_xlsx(rows, columns, out)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


class _TextSink:
    """Lets the csv module write UTF-8 straight into a binary stream."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


def _write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: BinaryIO) -> int:
    writer = csv.writer(_TextSink(out), lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(["" if row[c] is None else neutralise(row[c]) for c in columns])
        count += 1
    return count


def _write_jsonl(rows: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def _write_xlsx(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: BinaryIO) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    sheet.append(list(columns))
    count = 0
    for row in rows:
        sheet.append([neutralise(row[c]) for c in columns])
        count += 1
    workbook.save(out)
    return count
