"""Exporting the registry: persons or source records as CSV, JSON Lines or XLSX."""

from rollcall.export.tables import PERSON_COLUMNS, RECORD_COLUMNS, person_rows, record_rows
from rollcall.export.writers import FORMATS, neutralise, write_table

__all__ = [
    "FORMATS",
    "PERSON_COLUMNS",
    "RECORD_COLUMNS",
    "neutralise",
    "person_rows",
    "record_rows",
    "write_table",
]
