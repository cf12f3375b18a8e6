"""A small made-up registry for the tracing tests, imported through the import service
(so the import's hook files it in the tracing index)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import SourceRecord
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import Origin

OWN = """Прізвище,Ім'я,По батькові,Дата народження,Військова частина,Статус,Дата статусу
Коваленко,Олександр,Петрович,11.02.1995,в/ч А2363,утримується,01.10.2025
Коваленко,Олексій,Петрович,1995,,утримується,01.10.2025
Коваленко,Олександр,Іванович,03.04.1971,,утримується,01.10.2025
Ковальчук,Олександр,Петрович,1995,,звільнений,01.06.2025
Шевчук,Андрій,Олегович,07.07.1990,38 ОМБр,утримується,01.10.2025
"""
ICRC = """Last name,First name,Father's name,Date of birth,Unit,Status,Status date
Kovalenko,Oleksandr,,1995-02-11,MU A2363,held,2025-09-01
Shevchuk,Andrii,Olehovych,1990-07-07,,held,2025-09-01
"""
MEDIA = """Name,Year of birth,Status,Date reported
Андрей Шевчук,1990,captured,2025-05-01
"""


@dataclass
class Lists:
    own: int
    icrc: int
    media: int

    def record(self, db: Database, source_id: int, row: int) -> tuple[int, int]:
        """(record id, person id) of a row (row numbers count the header as 1)."""
        with db.session() as s:
            found = s.execute(select(SourceRecord.id, SourceRecord.person_id).where(
                SourceRecord.source_id == source_id, SourceRecord.row_number == row)).one()
            return found[0], found[1]


def import_lists(db: Database, actor: Actor, folder: Path) -> Lists:
    ids = []
    for name, text, origin, received in (
        ("own.csv", OWN, Origin.OWN_BUREAU, PartialDate(2025, 10, 2)),
        ("icrc.csv", ICRC, Origin.ICRC, PartialDate(2025, 9, 5)),
        ("media.csv", MEDIA, Origin.MEDIA, PartialDate(2025, 5, 2)),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        report = import_list(db, actor, path, title=name, origin=origin, received=received)
        assert report.rejected == 0, report.issues
        ids.append(report.source_id)
    return Lists(*ids)
