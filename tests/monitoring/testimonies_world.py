"""A small registry for the testimony tests, built through the services: four persons
(the fourth merged into the third afterwards), two sites, and makers for testimonies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Act, Change, Person, Testimony
from rollcall.services import linkage, sites
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.testimonies import ActInput
from rollcall.vocabulary import Origin, SiteType

SURNAMES = ("Вітрук", "Жовтань", "Зеленюк", "Дубняк")
NARRATIVE = "Вигадана розповідь свідка: нас вивели з машини й били на прийманні."


@dataclass
class World:
    person: dict[int, int]   # 1..4 -> id; 4 is merged into 3
    site_a: int
    site_b: int


def build(db: Database, actor: Actor, folder: Path) -> World:
    path = folder / "people.csv"
    path.write_text("Прізвище,Ім'я,Дата народження\n" + "".join(
        f"{s},Тест,1991\n" for s in SURNAMES), encoding="utf-8")
    report = import_list(db, actor, path, title="Тестовий список", origin=Origin.OWN_BUREAU,
                         received=PartialDate(2024, 1))
    assert report.accepted == len(SURNAMES)
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
        person = {n: ids[name] for n, name in enumerate(SURNAMES, start=1)}
        site_a = sites.add_site(s, actor, key="site-a", name_en="Site A", name_uk="Місце А",
                                type=SiteType.COLONY).id
        site_b = sites.add_site(s, actor, key="site-b", name_en="Site B", name_uk="Місце Б",
                                type=SiteType.TEMPORARY).id
    with db.session() as s:
        assert linkage.merge_persons(s, actor, [person[3], person[4]]).id == person[3]
    return World(person=person, site_a=site_a, site_b=site_b)


def counts(db: Database) -> tuple[int, int, int]:
    """(testimonies, acts, change entries): a refused write must leave all three alone."""
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                     for t in (Testimony, Act, Change))


def beating(site: int | str | None = None, **changes: object) -> ActInput:
    values: dict[str, object] = {"method": "beating", "site": site,
                                 "period_start": PartialDate(2022, 4),
                                 "period_end": PartialDate(2022, 5), "stage": "admission"}
    values.update(changes)
    return ActInput(**values)  # type: ignore[arg-type]


DAY = dt.date(2024, 3, 2)
