"""XLSX lists: openpyxl in read-only mode, cached formula values, cells as text.

A formula's computed value is what the registrar saw, so it is used (with a warning); a
formula with no stored value (a workbook written by a program that never calculated it)
cannot be read and rejects its row. Finding that out needs the workbook opened twice - once
for values, once for formulas - so the second pass runs only if the sheet has formulas.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from rollcall.errors import ImportFileError
from rollcall.ingest.fields import MAX_CELL_CHARS
from rollcall.ingest.readers import (
    RawRow,
    Table,
    TableInfo,
    fit_row,
    flag_long_cells,
    header_texts,
    not_a_list,
    sha256_of,
    to_text,
)

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_BATCH = 500  # rows read per warnings-filter switch (the switch is process-wide and slow)


def open_xlsx(
    path: Path, name: str, sheet: str | None, stack: ExitStack, digest: bool = True
) -> Table:
    """Open the workbook (closed by `stack`), read the header of the first or named sheet."""
    try:
        with zipfile.ZipFile(path) as z:
            members = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise not_a_list("a damaged zip archive", name) from e
    if "xl/workbook.xml" not in members:
        raise not_a_list(_zip_kind(members), name)
    def load(data_only: bool) -> Any:
        f = stack.enter_context(path.open("rb"))  # a file object: openpyxl then ignores
        try:  # the extension, and it is closed by the stack
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # style and extension notices
                wb = load_workbook(f, read_only=True, data_only=data_only)
        except Exception as e:
            raise not_a_list(f"a workbook openpyxl cannot read: {type(e).__name__}", name) from e
        stack.callback(wb.close)
        return wb

    values_wb = load(True)
    if sheet is None:
        if not values_wb.worksheets:
            raise ImportFileError("the workbook has no worksheet", file=name)
        ws = values_wb.worksheets[0]
    elif sheet in values_wb.sheetnames:
        ws = values_wb[sheet]
    else:
        listed = ", ".join(repr(s) for s in values_wb.sheetnames)
        raise ImportFileError(f"no sheet named {sheet!r} (sheets: {listed})", file=name)
    ws.reset_dimensions()  # dimensions written by some tools are wrong; trust the rows
    formulas_ws = None
    if _has_formulas(path, getattr(ws, "_worksheet_path", None)):
        formulas_ws = load(False)[ws.title]
        formulas_ws.reset_dimensions()
    values = ws.iter_rows(values_only=True)
    formulas = formulas_ws.iter_rows() if formulas_ws is not None else None
    row_number = 0
    try:
        for record in values:
            row_number += 1
            if formulas is not None:
                next(formulas, None)
            if any(to_text(v) for v in record):
                break
        else:
            raise ImportFileError(f"the sheet {ws.title!r} is empty", file=name)
    except ImportFileError:
        raise
    except Exception as e:
        raise not_a_list(f"a workbook openpyxl cannot read: {type(e).__name__}", name) from e
    headers = header_texts(list(record))
    info = TableInfo(name, "xlsx", None, None, headers, sha256_of(path) if digest else "")
    return Table(info, lambda: _xlsx_rows(values, formulas, len(headers), row_number, name))


def _zip_kind(members: set[str]) -> str:
    if "xl/workbook.bin" in members:
        return "an Excel binary workbook (.xlsb); save it as .xlsx or CSV"
    if "word/document.xml" in members:
        return "a Word document"
    if "ppt/presentation.xml" in members:
        return "a PowerPoint presentation"
    if "content.xml" in members:
        return "an OpenDocument file; save it as .xlsx or CSV"
    return "a zip archive"


def _has_formulas(path: Path, member: str | None) -> bool:
    """Whether the sheet XML holds any <f> element (then a second, formula pass is needed)."""
    if not member:
        return True
    with zipfile.ZipFile(path) as z, z.open(member.lstrip("/")) as f:
        tail = b""
        while chunk := f.read(1024 * 1024):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _records(
    values: Iterator[tuple[Any, ...]], formulas: Iterator[tuple[Any, ...]] | None,
    row_number: int, name: str,
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(values, formula cells) per sheet row, pulled in batches with openpyxl's notices
    about unsupported features silenced (they are about formatting, not the data)."""
    while True:
        batch: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
        error = None
        try:  # a workbook damaged mid-sheet fails here, deep inside openpyxl
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _ in range(_BATCH):
                    record = next(values, None)
                    if record is None:
                        break
                    batch.append((record, next(formulas, ()) if formulas is not None else ()))
        except Exception as e:
            error = e
        yield from batch  # the rows before the damage are good
        row_number += len(batch)
        if error is not None:
            raise ImportFileError(
                f"the workbook cannot be read past here ({type(error).__name__})",
                file=name, row=row_number + 1) from error
        if len(batch) < _BATCH:
            return


def _xlsx_rows(
    values: Iterator[tuple[Any, ...]],
    formulas: Iterator[tuple[Any, ...]] | None,
    ncols: int,
    row_number: int,
    name: str,
) -> Iterator[RawRow]:
    for record, formula_cells in _records(values, formulas, row_number, name):
        row_number += 1
        cells: list[Any] = [v if v is None or type(v) is str else to_text(v) for v in record]
        if not any(c and not c.isspace() for c in cells):
            continue
        problems: list[tuple[int | None, str]] = []
        notes: list[tuple[int | None, str]] = []
        for i, fc in enumerate(formula_cells[:ncols]):
            if getattr(fc, "data_type", None) == "f" and i < len(cells):
                formula = _shorten(str(getattr(fc.value, "text", fc.value)))
                if cells[i] is None:
                    problems.append((i, f"cell holds a formula ({formula}) with no computed "
                                        "value; paste values instead"))
                else:
                    notes.append((i, f"value computed by formula {formula} used"))
        if len(cells) != ncols:
            fit_row(cells, ncols, problems)
        if any(c is not None and len(c) > MAX_CELL_CHARS for c in cells):
            flag_long_cells(cells, problems)
        yield RawRow(row_number, cells, problems, notes)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
