"""Builders for the lists the ingest tests read: every file is written in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from ingest_support import parse_file, patch_zip

from rollcall.ingest.rows import ParsedRow


@pytest.fixture
def write_bytes(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write text as a CSV file in an encoding (lines joined with \\r\\n like Excel)."""

    def write(text: str, *, encoding: str = "utf-8", name: str = "list.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write rows with openpyxl; `patch` replaces text in the first sheet's XML afterwards
    (openpyxl cannot store a formula's computed value, Excel and LibreOffice do)."""

    def write(rows: Iterable[Iterable[Any]], *, name: str = "list.xlsx",
              patch: dict[str, str] | None = None, sheets: dict[str, list[list[Any]]] | None = None
              ) -> Path:
        path = tmp_path / name
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Список"
        for row in rows:
            ws.append(list(row))
        for title, extra in (sheets or {}).items():
            other = wb.create_sheet(title)
            for row in extra:
                other.append(row)
        wb.save(path)
        if patch:
            patch_zip(path, "xl/worksheets/sheet1.xml", patch)
        return path

    return write


@pytest.fixture
def parse_one(write_csv: Callable[..., Path]) -> Callable[..., ParsedRow]:
    """Parse a single data row given as {header: value} (a ;-separated UTF-8 list)."""

    def parse(cells: dict[str, str], mapping: dict[str, str] | None = None) -> ParsedRow:
        header = ";".join(cells)
        row = ";".join(f'"{v}"' for v in cells.values())
        rows = parse_file(write_csv(f"{header}\n{row}\n"), mapping)
        assert len(rows) == 1
        return rows[0]

    return parse
