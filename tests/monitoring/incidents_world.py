"""A small world of incidents built by hand through the services, with every count worked
out on paper (see the table in `build_incidents`).

Testimonies are inserted through the ORM (`add_testimony`), their witness link sealed as
the service seals it: the incidents tests need only a pseudonym and a witness, not the
testimonies service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person, Testimony
from rollcall.security.keyring import keyring
from rollcall.services import incident_status, incidents, linkage, sites
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.witnesses import seal_witness
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType, Origin, SiteType

SURNAMES = ("Яворенко", "Ткачук", "Мельничук", "Остапенко", "Гнатюк", "Лисенко", "Рибак",
            "Савчук", "Дорошенко", "Кравець", "Марченко", "Павлюк")
K, D, T = IncidentType.KILLING, IncidentType.DEATH_IN_CUSTODY, IncidentType.TORTURE


@dataclass
class World:
    source: int
    site: dict[str, int]        # "a", "b" -> id
    person: dict[int, int]      # 1..12 -> id
    incident: dict[int, int]    # 1..6 -> id
    testimony: dict[int, int]   # 1..2 -> id


def add_persons(db: Database, actor: Actor, folder: Path) -> tuple[int, dict[int, int]]:
    path = folder / "incident-persons.csv"
    path.write_text("Прізвище,Ім'я,Дата народження\n" + "".join(
        f"{s},Вигаданий,1991\n" for s in SURNAMES), encoding="utf-8")
    report = import_list(db, actor, path, title="Список для інцидентів",
                         origin=Origin.OWN_BUREAU, received=PartialDate(2023, 1))
    assert report.accepted == len(SURNAMES)
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
    return report.source_id, {n: ids[name] for n, name in enumerate(SURNAMES, start=1)}


def add_testimony(db: Database, pseudonym: str, witness: int | None) -> int:
    with db.session() as s:
        row = Testimony(pseudonym=pseudonym, interviewer="Інтерв'юер Тестовий",
                        interviewed_on=dt.date(2023, 9, 1), language="uk")
        s.add(row)
        s.flush()
        seal_witness(s, keyring(), row, witness)
        return row.id


def build_incidents(db: Database, actor: Actor, folder: Path) -> World:
    """Incidents (victim_count; linked persons; status):
        I1 killing   site a, 2023-03     3; p1 p2        verified  (T1 + media)
        I2 killing   2023-05             2; p3 p8        credible  (T2 + document); p8 is
                                                         merged into p3 afterwards
        I3 torture   site a, 2023-04-10  5; p1 p4        reported
        I4 death     site b, 2022-11     1; p5           verified  (two documents)
        I5 torture   no dates            4; none         reported
        I6 killing   2023-06             7; p6           retracted
    Not retracted: 5 incidents, 15 victims, persons {p1..p5} = 5; verified: I1, I4 = 2
    incidents, 4 victims, persons {p1, p2, p5} = 3.
    """
    source, person = add_persons(db, actor, folder)
    testimony = {1: add_testimony(db, "T-0001", person[9]),
                 2: add_testimony(db, "T-0002", person[10])}
    with db.session() as s:
        site = {key: sites.add_site(s, actor, key=f"site-{key}", name_en=f"Site {key.upper()}",
                                    type=SiteType.COLONY).id for key in "ab"}

        def incident(kind: IncidentType, title: str, count: int, persons: list[int],
                     **extra: object) -> int:
            return incidents.record_incident(
                s, actor, type=kind, title=title, victim_count=count,
                person_ids=[person[n] for n in persons], **extra).id  # type: ignore[arg-type]

        ids = {
            1: incident(K, "Розстріл біля ферми", 3, [1, 2], site="site-a",
                        date_from=PartialDate(2023, 3)),
            2: incident(K, "Страта полонених", 2, [3, 8], date_from=PartialDate(2023, 5)),
            3: incident(T, "Катування під час допиту", 5, [1, 4], site=site["a"],
                        date_from=PartialDate(2023, 4, 10)),
            4: incident(D, "Смерть у колонії", 1, [5], site="site-b",
                        date_from=PartialDate(2022, 11)),
            5: incident(T, "Побиття при прийомі", 4, []),
            6: incident(K, "Повідомлення про вбивство", 7, [6], date_from=PartialDate(2023, 6)),
        }
        incidents.add_source(s, actor, ids[1], kind=IncidentSourceKind.TESTIMONY,
                             testimony_id=testimony[1])
        incidents.add_source(s, actor, ids[1], kind="media", origin="Вигадане видання",
                             reference="https://news.example/1")
        incident_status.move_status(s, actor, ids[1], IncidentStatus.CREDIBLE)
        incident_status.move_status(s, actor, ids[1], IncidentStatus.VERIFIED,
                              reason="Місце і час збігаються з двома свідченнями")
        incidents.add_source(s, actor, ids[2], kind="testimony", testimony_id=testimony[2])
        incidents.add_source(s, actor, ids[2], kind="document", source_id=source)
        incident_status.move_status(s, actor, ids[2], "credible")
        for n in (1, 2):
            incidents.add_source(s, actor, ids[4], kind="document", reference=f"Акт №{n}",
                                 origin=f"Установа {n}")
        incident_status.move_status(s, actor, ids[4], "credible")
        incident_status.move_status(s, actor, ids[4], "verified", reason="Акти перевірено")
        incident_status.move_status(s, actor, ids[6], "retracted", reason="Особа жива")
    with db.session() as s:
        linkage.merge_persons(s, actor, [person[3], person[8]])
    return World(source=source, site=site, person=person, incident=ids, testimony=testimony)
