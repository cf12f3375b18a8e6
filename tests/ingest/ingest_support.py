"""Helpers shared by the ingest tests (a module name no other test package uses)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from rollcall.ingest.headers import map_headers
from rollcall.ingest.readers import RawRow, TableInfo, open_table
from rollcall.ingest.rows import ParsedRow, parse_row

TODAY = dt.date(2025, 6, 1)


def patch_zip(path: Path, member: str, patch: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                text = data.decode("utf-8")
                for old, new in patch.items():
                    assert old in text, f"{old!r} not in {member}"
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            z.writestr(info, data)


def read_rows(path: Path, **kwargs: Any) -> tuple[TableInfo, list[RawRow]]:
    with open_table(path, **kwargs) as table:
        return table.info, list(table.rows())


def parse_file(path: Path, mapping: dict[str, str] | None = None) -> list[ParsedRow]:
    with open_table(path) as table:
        header_map = map_headers(table.info, mapping)
        return [parse_row(raw, header_map, today=TODAY) for raw in table.rows()]
