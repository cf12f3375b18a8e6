"""A small registry for the merge, split and decision tests: three lists that describe
the same made-up people in different scripts, each row imported as its own person."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from rollcall.db import Database
from rollcall.models import Person, SourceRecord
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import Origin

OWN = """Прізвище,Ім'я,По батькові,Дата народження,Категорія,Статус,Місце утримання,Дата статусу
Тарасенко,Остап,Ілліч,1991,військовополонений,утримується,СІЗО-2 Таганрог,01.05.2023
Гнатюк,Марта,Степанівна,05.1988,цивільна,,,
"""
ADVERSARY = """Прізвище,Ім'я,По батькові,Дата народження,Статус,Дата статусу
Тарасенко,Остап,Ильич,14.02.1991,освобожден,20.09.2023
Гнатюк,Марта,Степановна,1988,содержится,01.06.2023
"""
ICRC = """Surname,Given name,Date of birth
Tarasenko,Ostap,1991-02
"""


def import_three_lists(db: Database, actor: Actor, folder: Path) -> dict[str, int]:
    """Import the lists; returns source ids by list name."""
    ids = {}
    for name, text, origin in (("own", OWN, Origin.OWN_BUREAU),
                               ("adversary", ADVERSARY, Origin.ADVERSARY_BUREAU),
                               ("icrc", ICRC, Origin.ICRC)):
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        ids[name] = import_list(db, actor, path, title=f"List {name}", origin=origin).source_id
    return ids


def records_of(db: Database, person_id: int) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(SourceRecord.id).where(SourceRecord.person_id == person_id)
                              .order_by(SourceRecord.id)))


def live_person_count(db: Database) -> int:
    with db.session() as s:
        return len(s.scalars(select(Person.id).where(Person.merged_into_id.is_(None))).all())
