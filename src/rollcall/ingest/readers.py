"""Open a list as received (CSV or XLSX) and stream its rows as text cells.

Format and encoding are decided from the bytes, never from the file name: bureaus send
`.csv` files that are really Excel workbooks, and Windows-1251 files named `.txt`. Rows
are yielded one at a time so a million-row list is read in bounded memory; a damaged
cell rejects its row (a `RawRow` problem), never the whole import.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rollcall.errors import ImportFileError
from rollcall.ingest.fields import MAX_CELL_CHARS

#: Bytes looked at to recognise the format; the encoding sample is larger.
HEAD_BYTES = 64 * 1024
SAMPLE_BYTES = 1024 * 1024
#: Largest CSV field the csv module will buffer (characters). A bigger one means a broken
#: file (typically an unclosed quote swallowing the rest), so the import stops there.
CSV_FIELD_LIMIT = 32 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")

_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_MIXED_WORD = re.compile("[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old Excel 97-2003 (.xls) or Word (.doc) file; save it as .xlsx or CSV"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SAVE_AS = "save the file as UTF-8 or Windows-1251"


@dataclass(frozen=True)
class TableInfo:
    """What was recognised about a list: reported back to the registrar and stored."""

    file: str
    format: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    sha256: str


@dataclass(slots=True)
class RawRow:
    """One data row as text. `problems` reject the row; `warnings` only annotate it."""

    row_number: int
    cells: list[str | None]
    problems: list[tuple[int | None, str]]
    warnings: list[tuple[int | None, str]] = field(default_factory=list)


class Table:
    """An open list: `info` is known at once, `rows()` streams the data rows (once)."""

    def __init__(self, info: TableInfo, rows: Callable[[], Iterator[RawRow]]) -> None:
        self.info = info
        self._rows: Callable[[], Iterator[RawRow]] | None = rows

    def rows(self) -> Iterator[RawRow]:
        if self._rows is None:
            raise RuntimeError("Table.rows() streams the file once; open the table again")
        rows, self._rows = self._rows, None
        return rows()


@contextmanager
def open_table(
    path: Path, *, sheet: str | None = None, digest: bool = True
) -> Iterator[Table]:
    """Recognise `path` as CSV or XLSX, read its header and yield a `Table`.

    `digest=False` leaves `info.sha256` empty, for a second reader of a file whose digest
    is known already (hashing reads the whole file)."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as f:
            sample = f.read(SAMPLE_BYTES)
            whole = len(f.read(1)) == 0
    except OSError as e:
        raise ImportFileError(f"cannot read the file ({e.strerror or e})", file=name) from e
    with ExitStack() as stack:
        if _is_zip(sample):
            from rollcall.ingest.xlsx import open_xlsx  # openpyxl loads only when needed

            table = open_xlsx(path, name, sheet, stack, digest)
        else:
            if sheet is not None:
                raise ImportFileError("--sheet applies only to XLSX workbooks", file=name)
            table = _open_csv(path, name, sample, whole, stack, digest)
        yield table


def sha256_of(path: Path) -> str:
    """Digest of the file's bytes, read in chunks (lists can be gigabytes)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# --- format and encoding -------------------------------------------------------------


def _is_zip(sample: bytes) -> bool:
    return sample.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"))


def not_a_list(what: str, name: str) -> ImportFileError:
    return ImportFileError(f"not a CSV or XLSX file ({what})", file=name)


def _detect_encoding(sample: bytes, whole: bool, name: str) -> str:
    """utf-8-sig, utf-8 or cp1251 - or an error saying what the bytes look like."""
    head = sample[:HEAD_BYTES]
    for bom, label in _BOMS:
        if head.startswith(bom):
            raise ImportFileError(f"encoding looks like {label}; {_SAVE_AS}", file=name)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise not_a_list(what, name)
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise ImportFileError(f"encoding looks like UTF-16; {_SAVE_AS}", file=name)
        raise not_a_list("binary data", name)
    try:  # final=False unless the sample is the whole file: never cut a sequence in two
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(sample, whole)
    bad = len(_SURROGATE.findall(text))
    good = len(_NON_ASCII.findall(text)) - bad
    if good > 0 and bad * 20 <= good:  # UTF-8 with a few stray bytes: reject those rows
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1251", "utf_8"]).best()
    if best is not None and best.encoding == "cp1251":
        decoded = sample.decode("cp1251", "replace")
        cyrillic = len(_CYRILLIC.findall(decoded))
        # Latin-1 text also decodes as cp1251, but its "Cyrillic" letters sit inside
        # Latin words ("Mьller"); real Cyrillic text has whole Cyrillic words.
        if cyrillic and len(_MIXED_WORD.findall(decoded)) * 5 < cyrillic:
            return "cp1251"
        raise ImportFileError(
            f"encoding looks like a Western (Latin-1) code page; {_SAVE_AS}", file=name)
    raise ImportFileError(
        f"encoding not recognised (neither UTF-8 nor Windows-1251); {_SAVE_AS}", file=name)


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NULs (the high byte of ASCII) on one side only, and text."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if min(even, odd) * 10 > max(even, odd):
        return False
    codec = "utf-16-le" if odd > even else "utf-16-be"
    text = codecs.getincrementaldecoder(codec)("replace").decode(head, False)
    texty = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return texty >= 0.95 * len(text)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that occurs most often, outside quotes, in the header record."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in counts:
                counts[ch] += 1
            elif ch in "\r\n":
                break
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: earlier in DELIMITERS
    return best if counts[best] else ","


# --- CSV -----------------------------------------------------------------------------


def _open_csv(
    path: Path, name: str, sample: bytes, whole: bool, stack: ExitStack, digest: bool
) -> Table:
    if whole and not sample.removeprefix(codecs.BOM_UTF8).strip():
        raise ImportFileError("the file is empty", file=name)
    encoding = _detect_encoding(sample, whole, name)
    text = codecs.getincrementaldecoder(encoding)("surrogateescape").decode(
        sample[:HEAD_BYTES], whole and len(sample) <= HEAD_BYTES)
    lead = text.lstrip()
    if lead.startswith("<"):
        raise not_a_list("an HTML or XML document - a web page saved with an .xls name?", name)
    if "\n" not in text and "\r" not in text and len(sample) > HEAD_BYTES:
        raise not_a_list("no line break in the first 64 KB: not a table", name)
    delimiter = _sniff_delimiter(lead)
    csv.field_size_limit(CSV_FIELD_LIMIT)  # process-wide; the csv module has no per-reader limit
    f = stack.enter_context(
        path.open("r", encoding=encoding, errors="surrogateescape", newline=""))
    reader = csv.reader(f, delimiter=delimiter, strict=False)
    row_number = 0
    try:
        for record in reader:
            row_number += 1
            if any(cell.strip() for cell in record):
                break
        else:
            raise ImportFileError("the file is empty", file=name)
    except csv.Error as e:
        raise ImportFileError(f"the header cannot be read ({e})", file=name,
                              row=row_number + 1) from e
    headers = header_texts(record)
    info = TableInfo(name, "csv", encoding, delimiter, headers,
                     sha256_of(path) if digest else "")
    return Table(info, lambda: _csv_rows(reader, name, len(headers), row_number, encoding))


def header_texts(cells: list[Any]) -> list[str]:
    """Stripped header texts, trailing empty ones dropped, undecodable bytes shown as �."""
    headers = [_SURROGATE.sub("\ufffd", to_text(c) or "").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _csv_rows(
    reader: Any, name: str, ncols: int, row_number: int, encoding: str
) -> Iterator[RawRow]:
    bad_bytes = f"bytes not valid in {encoding}"
    surrogate = _SURROGATE.search
    limit = MAX_CELL_CHARS
    try:
        for cells in reader:
            row_number += 1
            joined = "\x1f".join(cells)  # one string to test the whole row at C speed
            if not joined or joined.isspace():  # \x1f counts as whitespace
                continue
            problems: list[tuple[int | None, str]] = []
            if len(cells) != ncols:
                fit_row(cells, ncols, problems)
            if not joined.isascii():
                try:  # cheaper than a regex search; fails only on undecodable bytes
                    joined.encode("utf-8")
                except UnicodeEncodeError:
                    problems.extend(
                        (i, bad_bytes) for i, c in enumerate(cells) if c and surrogate(c))
            if len(joined) > limit:
                flag_long_cells(cells, problems)
            yield RawRow(row_number, cells, problems)  # type: ignore[arg-type]
    except csv.Error as e:
        raise ImportFileError(f"the file cannot be read past here ({e})",
                              file=name, row=row_number + 1) from e


def fit_row(cells: list[Any], ncols: int, problems: list[tuple[int | None, str]]) -> None:
    """Pad a short row with None; flag a long one unless its extra cells are empty."""
    n = len(cells)
    if n < ncols:
        cells.extend([None] * (ncols - n))
        return
    used = n
    while used > ncols and (cells[used - 1] is None or not str(cells[used - 1]).strip()):
        used -= 1
    if used > ncols:
        problems.append((None, f"{used} cells but only {ncols} columns"))
    del cells[ncols:]


def flag_long_cells(cells: list[Any], problems: list[tuple[int | None, str]]) -> None:
    for i, c in enumerate(cells):
        if c is not None and len(c) > MAX_CELL_CHARS:
            problems.append(
                (i, f"cell is too long ({len(c):,} characters; the limit is {MAX_CELL_CHARS:,})"))


def to_text(value: Any) -> str | None:
    """An XLSX value as the text a registrar sees (dates ISO, 7.0 as 7)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
