"""Reconciling a received list: known, new, and absent (held by that side on the list's
date by the registry's events, yet not on the list), on a small hand-built registry."""

from __future__ import annotations

import csv

from sqlalchemy import select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.models import Person
from rollcall.services import linkage
from rollcall.services.imports import import_list
from rollcall.services.reconcile import reconcile
from rollcall.vocabulary import EventType, Origin

OWN = """Прізвище,Ім'я,По батькові,Дата народження,Дата полону,Статус,Дата статусу
Коваленко,Олександр,Петрович,11.02.1995,03.03.2024,утримується,01.10.2025
Шевчук,Андрій,Олегович,07.07.1990,05.05.2024,утримується,01.09.2025
Ковальчук,Олександр,,1995,06.06.2023,звільнений,01.06.2025
Бондар,Сергій,,1979,15.11.2025,утримується,20.11.2025
"""
ICRC = """Last name,First name,Date of birth,Status,Status date
Shevchuk,Andrii,1990-07-07,held,2025-09-01
"""
THEIRS = """Фамилия,Имя,Отчество,Дата рождения,Статус
Коваленко,Александр,Петрович,1995,содержится
=Новенко,Петр,Иванович,1988,содержится
"""


def _import(db, operator, folder, name, text, origin, received):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return import_list(db, operator, path, title=name, origin=origin,
                       received=received).source_id


def _build(db, operator, folder):
    own = _import(db, operator, folder, "own.csv", OWN, Origin.OWN_BUREAU,
                  PartialDate(2025, 10, 2))
    icrc = _import(db, operator, folder, "icrc.csv", ICRC, Origin.ICRC, PartialDate(2025, 9, 5))
    theirs = _import(db, operator, folder, "theirs.csv", THEIRS, Origin.ADVERSARY_BUREAU,
                     PartialDate(2025, 11, 1))
    return own, icrc, theirs


def _person(db, surname):
    with db.session() as s:
        return s.scalars(select(Person.id).where(Person.surname == surname,
                                                 Person.merged_into_id.is_(None))).all()


def test_known_new_and_absent(db, operator, tmp_path):
    own, icrc, theirs = _build(db, operator, tmp_path)
    with db.session() as s:
        before = reconcile(s, operator, theirs)
        assert before.known == [] and len(before.new) == 2  # nothing linked yet
        assert before.absent_applies and before.as_of == PartialDate(2025, 11, 1)
        absent = {a.person.surname for a in before.absent}
        # Коваленко (own list) is absent too until his two records are linked; Shevchuk
        # (ICRC) is one more person believed held. Ковальчук was released, Бондар captured
        # after the list's date.
        assert absent == {"Коваленко", "Шевчук", "Shevchuk"}
    with db.session() as s:
        linkage.merge_persons(s, operator, [*_person(db, "Коваленко")])
        linkage.merge_persons(s, operator, [*_person(db, "Шевчук"), *_person(db, "Shevchuk")])
    with db.session() as s:
        after = reconcile(s, operator, theirs)
        assert [e.surname for e in after.known] == ["Коваленко"]
        assert after.known[0].other_sources == 1
        assert [e.surname for e in after.new] == ["=Новенко"]
        assert [a.person.surname for a in after.absent] == ["Шевчук"]
        basis = after.absent[0]
        assert basis.latest.type is EventType.HELD and basis.latest.date == PartialDate(2025, 9, 1)
        assert basis.latest.source_id == own
        assert basis.that_side is not None and basis.that_side.source_id == icrc


def test_a_list_of_our_own_has_no_absent(db, operator, tmp_path):
    own, _, _ = _build(db, operator, tmp_path)
    with db.session() as s:
        result = reconcile(s, operator, own)
        assert not result.absent_applies and result.absent == []
        assert len(result.known) + len(result.new) == 4


def test_the_cli_writes_a_neutralised_csv(db, db_url, operator, tmp_path, monkeypatch):
    _, _, theirs = _build(db, operator, tmp_path)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    out = tmp_path / "reconcile.csv"
    answer = CliRunner().invoke(app, ["reconcile", str(theirs), "--csv", str(out)],
                                catch_exceptions=False)
    assert answer.exit_code == 0, answer.output
    assert "known 0, new 2" in answer.output and "absent 3" in answer.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["group"] for r in rows) == ["absent", "absent", "absent", "new", "new"]
    assert "'=Новенко" in [r["surname"] for r in rows]
