"""A small registry for the indicator tests, built by hand through the services, with
every figure the tests expect worked out on paper from the tables below.

Sources: S1 own bureau's list (received 2023-01), S2 an ICRC list, S3 a media report
(events only), S4 interview records (testimonies), S5 an exchange announcement.
Sites: A (colony), B (pre-trial detention), C (temporary).

Persons (category; events; status now, last known site):
    p1   pow    captured 2022-03 @A                          held      A
    p2   pow    captured 2022-05 @A, transferred 2023-02 @B  held      B
    p3   civ    captured 2023-04 @C                          held      C
    p4   pow    captured 2022-03 @A, released 2023-08-20     released  A
    p5   pow    captured 2022-04 @B, exchanged 2024-01-03    released  B   (E1, alive)
    p6   pow    captured 2022-06 @A, died 2023-01 @A (S3)    dead      A   in custody
    p7   pow    captured 2022-03 @B, released 2022-12-01,
                charged 2023-02 (S3), died 2023-06 (S3)      dead      B   not in custody
    p8   civ    died 2024-02                                 dead      -   not in custody
    p9   pow    captured 2023 @B, body repatriated 2024-01-03  dead    B   in custody (E1)
    p10  missing  no event                                   missing
    p11  pow    no event                                     unknown
    p12  pow    captured 2022-09 @C, escaped 2023-05         escaped   C
    p13  pow    (S2) the same man as p1: merged into p1
    p14  civ    (S2) captured 2023 @C                        held      C
    r1   pow    captured 2022-04 @C, released 2023-09-01     released  C
    r2   pow    captured 2022-04 @B, released 2023-09-01     released  B
    r3   pow    captured 2022-05 @A, released 2023-09-01     released  A
    r5   pow    the same man as r3: merged into r3 (after his testimony T8)
    r6   civ    captured 2022-07 @B, released 2023-09-01,
                a recorded custody period @A 2022-07-01..2022-08-01  released  B
    a1   pow    captured 2023-03, handed to the adversary 2024-02-08 (E2; S2 names him)
                                                             released  -
Everyone but p13 and p14 is on S1. civ = civilian detainee.

Testimonies (witness; consent to statistics; day; source; acts, victim the witness unless
said):
    T1  p4  yes  2023-10-02  S4  beating @A; electric shock @A to p1 (not the witness)
    T2  p5  yes  2024-03-01  -   beating @B; stress position @B
    T3  r1  yes  2023-11-05  S4  beating @A; sleep deprivation @A
    T4  r1  yes  2024-02-01  S4  beating @C
    T5  r2  NO   2023-10-10  S4  electric shock @B
    T6  r3  yes  2023-12-01  S4  none
    T7  p12 yes  2023-10-02  S4  beating @C          (escaped, not released)
    T8  r5  yes  2024-01-15  S4  electric shock @B   (r5 merged into r3 afterwards)
    T9  r6  yes  2024-04-01  S4  none
    T10 nobody linked, yes, 2023-10-02, S4, beating

Visits and access: a visit to A on 2023-03-01 with interviews in private, nothing
refused (full access); ICRC partial access to B from 2022-09; nothing at C.

Incidents (type; site; dates; victims; status; sources):
    I1 torture           A  2023-03     3  verified   T1, media S3
    I2 killing           -  2023-05     2  credible   T3, document S1
    I3 torture           B  2023-04-10  6  reported   media S3
    I4 death in custody  A  2023-01     1  reported   (p6 linked)
    I5 torture           -  undated     4  reported
    I6 killing           -  2023-06     7  retracted

Exchanges: E1 2024-01-03 (S5): p5 alive and p9's body (identification pending) to our
side, and 2 bodies no list names; E2 2024-02-08 (S5): a1 alive to the adversary, named by
S2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.services import (
    custody,
    exchanges,
    incident_status,
    incidents,
    linkage,
    registry,
    sites,
    sources,
    visits,
)
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.testimonies import ActInput, record_testimony
from rollcall.vocabulary import (
    AccessLevel,
    EventType,
    ExchangeDirection,
    ExchangeKind,
    IdentificationStatus,
    IncidentStatus,
    IncidentType,
    Monitor,
    Origin,
    SiteType,
)

POW, CIV, MISSING = "військовополонений", "цивільний", "зниклий безвісти"
#: (name, surname, category) of the own bureau's list, S1.
OWN_LIST = [
    ("p1", "Гайовий", POW), ("p2", "Деркач", POW), ("p3", "Жук", CIV), ("p4", "Зінченко", POW),
    ("p5", "Іваненко", POW), ("p6", "Карпенко", POW), ("p7", "Лозовий", POW),
    ("p8", "Мазур", CIV), ("p9", "Нестеренко", POW), ("p10", "Онищенко", MISSING),
    ("p11", "Пилипчук", POW), ("p12", "Романюк", POW), ("r1", "Сидоренко", POW),
    ("r2", "Тимошенко", POW), ("r3", "Удовенко", POW), ("r5", "Удовенко-Дубль", POW),
    ("r6", "Федоренко", CIV), ("a1", "Хоменко", POW),
]
#: The ICRC's list, S2: p13 is p1 again.
ICRC_LIST = [("p13", "Гайовий-Дубль", POW), ("p14", "Цимбал", CIV)]

E = EventType
Y = YM = YMD = PartialDate
#: (person, event, date, site, source): source "S1" unless given.
EVENTS: list[tuple[str, EventType, PartialDate, str | None, str]] = [
    ("p1", E.CAPTURED, YM(2022, 3), "A", "S1"),
    ("p2", E.CAPTURED, YM(2022, 5), "A", "S1"), ("p2", E.TRANSFERRED, YM(2023, 2), "B", "S1"),
    ("p3", E.CAPTURED, YM(2023, 4), "C", "S1"),
    ("p4", E.CAPTURED, YM(2022, 3), "A", "S1"), ("p4", E.RELEASED, YMD(2023, 8, 20), None, "S1"),
    ("p5", E.CAPTURED, YM(2022, 4), "B", "S1"),
    ("p6", E.CAPTURED, YM(2022, 6), "A", "S1"), ("p6", E.DIED, YM(2023, 1), "A", "S3"),
    ("p7", E.CAPTURED, YM(2022, 3), "B", "S1"), ("p7", E.RELEASED, YMD(2022, 12, 1), None, "S1"),
    ("p7", E.CHARGED, YM(2023, 2), None, "S3"), ("p7", E.DIED, YM(2023, 6), None, "S3"),
    ("p8", E.DIED, YM(2024, 2), None, "S1"),
    ("p9", E.CAPTURED, Y(2023), "B", "S1"),
    ("p12", E.CAPTURED, YM(2022, 9), "C", "S1"), ("p12", E.ESCAPED, YM(2023, 5), None, "S1"),
    ("p14", E.CAPTURED, Y(2023), "C", "S2"),
    ("r1", E.CAPTURED, YM(2022, 4), "C", "S1"), ("r1", E.RELEASED, YMD(2023, 9, 1), None, "S1"),
    ("r2", E.CAPTURED, YM(2022, 4), "B", "S1"), ("r2", E.RELEASED, YMD(2023, 9, 1), None, "S1"),
    ("r3", E.CAPTURED, YM(2022, 5), "A", "S1"), ("r3", E.RELEASED, YMD(2023, 9, 1), None, "S1"),
    ("r6", E.CAPTURED, YM(2022, 7), "B", "S1"), ("r6", E.RELEASED, YMD(2023, 9, 1), None, "S1"),
    ("a1", E.CAPTURED, YM(2023, 3), None, "S1"),
]


@dataclass
class World:
    person: dict[str, int]
    site: dict[str, int]
    source: dict[str, int]
    exchange: dict[str, int]


def _import(db: Database, actor: Actor, folder: Path, rows: list[tuple[str, str, str]],
            title: str, origin: Origin) -> int:
    path = folder / f"{origin.value}.csv"
    path.write_text("Прізвище,Ім'я,Дата народження,Категорія\n" + "".join(
        f"{surname},Вигаданий,1990,{category}\n" for _, surname, category in rows),
        encoding="utf-8")
    report = import_list(db, actor, path, title=title, origin=origin,
                         received=PartialDate(2023, 1))
    assert report.accepted == len(rows)
    return report.source_id


def _testimonies(s: Session, actor: Actor, w: World) -> list[int]:
    p, site, src = w.person, w.site, w.source

    def act(method: str, at: str, victim: str | None = None) -> ActInput:
        return ActInput(method=method, site=site[at],
                        victim_person_id=p[victim] if victim else None,
                        victim_is_witness=False if victim else None)

    given = [  # (witness, consent, day, source, acts)
        ("p4", True, dt.date(2023, 10, 2), "S4",
         [act("beating", "A"), act("electric_shock", "A", victim="p1")]),
        ("p5", True, dt.date(2024, 3, 1), None,
         [act("beating", "B"), act("stress_position", "B")]),
        ("r1", True, dt.date(2023, 11, 5), "S4",
         [act("beating", "A"), act("sleep_deprivation", "A")]),
        ("r1", True, dt.date(2024, 2, 1), "S4", [act("beating", "C")]),
        ("r2", False, dt.date(2023, 10, 10), "S4", [act("electric_shock", "B")]),
        ("r3", True, dt.date(2023, 12, 1), "S4", []),
        ("p12", True, dt.date(2023, 10, 2), "S4", [act("beating", "C")]),
        ("r5", True, dt.date(2024, 1, 15), "S4", [act("electric_shock", "B")]),
        ("r6", True, dt.date(2024, 4, 1), "S4", []),
        (None, True, dt.date(2023, 10, 2), "S4", [act("beating", "A")]),
    ]
    return [record_testimony(s, actor, interviewer="Інтервʼюер", interviewed_on=day,
                             language="uk", witness_person_id=p[witness] if witness else None,
                             consent_statistics=consent,
                             source_id=src[source] if source else None, acts=acts).id
            for witness, consent, day, source, acts in given]


def _incidents(s: Session, actor: Actor, w: World, testimony: list[int]) -> None:
    T, K, D = IncidentType.TORTURE, IncidentType.KILLING, IncidentType.DEATH_IN_CUSTODY

    def incident(kind: IncidentType, count: int, site: str | None, when: PartialDate | None,
                 persons: tuple[str, ...] = ()) -> int:
        return incidents.record_incident(
            s, actor, type=kind, title=f"Вигаданий випадок {kind.value}",
            victim_count=count, site=w.site[site] if site else None, date_from=when,
            person_ids=[w.person[n] for n in persons]).id

    i1 = incident(T, 3, "A", YM(2023, 3), ("p1", "p4"))
    i2 = incident(K, 2, None, YM(2023, 5))
    i3 = incident(T, 6, "B", YMD(2023, 4, 10))
    incident(D, 1, "A", YM(2023, 1), ("p6",))
    incident(T, 4, None, None)
    i6 = incident(K, 7, None, YM(2023, 6))
    add = incidents.add_source
    add(s, actor, i1, kind="testimony", testimony_id=testimony[0])
    add(s, actor, i1, kind="media", source_id=w.source["S3"], origin="Вигадане видання")
    add(s, actor, i2, kind="testimony", testimony_id=testimony[2])
    add(s, actor, i2, kind="document", source_id=w.source["S1"])
    add(s, actor, i3, kind="media", source_id=w.source["S3"], origin="Вигадане видання")
    move = incident_status.move_status
    move(s, actor, i1, IncidentStatus.CREDIBLE)
    move(s, actor, i1, IncidentStatus.VERIFIED, reason="Перевірено")
    move(s, actor, i2, IncidentStatus.CREDIBLE)
    move(s, actor, i6, IncidentStatus.RETRACTED, reason="Особа жива")


def build_world(db: Database, actor: Actor, folder: Path) -> World:
    s1 = _import(db, actor, folder, OWN_LIST, "Список власного бюро", Origin.OWN_BUREAU)
    s2 = _import(db, actor, folder, ICRC_LIST, "Список МКЧХ", Origin.ICRC)
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
        person = {name: ids[surname] for name, surname, _ in OWN_LIST + ICRC_LIST}
        source = {"S1": s1, "S2": s2}
        for key, title, origin in (("S3", "Вигадане повідомлення ЗМІ", Origin.MEDIA),
                                   ("S4", "Записи інтервʼю", Origin.TESTIMONY),
                                   ("S5", "Заява про обмін", Origin.OTHER)):
            source[key] = sources.register_source(s, actor, title=title, origin=origin).id
        site = {key: sites.add_site(s, actor, key=f"site-{key.lower()}", name_en=f"Site {key}",
                                    name_uk=f"Місце {key}", type=kind).id
                for key, kind in (("A", SiteType.COLONY), ("B", SiteType.PRETRIAL_DETENTION),
                                  ("C", SiteType.TEMPORARY))}
        world = World(person=person, site=site, source=source, exchange={})
        for name, kind, date, at, src in EVENTS:
            registry.record_event(s, actor, person[name], source[src], kind, date=date,
                                  site_id=site[at] if at else None)
        custody.record_custody(s, actor, person_id=person["r6"], site=site["A"],
                               start=dt.date(2022, 7, 1), end=dt.date(2022, 8, 1))
        visits.record_visit(s, actor, site=site["A"], monitor=Monitor.ICRC,
                            date=dt.date(2023, 3, 1), private_interviews=True)
        sites.record_access(s, actor, site["B"], "ICRC", AccessLevel.PARTIAL,
                            start=PartialDate(2022, 9))
        e1 = exchanges.record_exchange(s, actor, date=dt.date(2024, 1, 3), mediator="ICRC",
                                       unnamed_bodies_to_own_side=2, source_id=source["S5"]).id
        e2 = exchanges.record_exchange(s, actor, date=dt.date(2024, 2, 8),
                                       source_id=source["S5"]).id
        world.exchange = {"E1": e1, "E2": e2}
        exchanges.attach_persons(s, actor, e1, [person["p5"]],
                                 direction=ExchangeDirection.TO_OWN_SIDE)
        exchanges.attach_persons(s, actor, e1, [person["p9"]],
                                 direction=ExchangeDirection.TO_OWN_SIDE, kind=ExchangeKind.BODY,
                                 identification=IdentificationStatus.PENDING)
        exchanges.attach_persons(s, actor, e2, [person["a1"]],
                                 direction=ExchangeDirection.TO_ADVERSARY, source_id=source["S2"])
        _incidents(s, actor, world, _testimonies(s, actor, world))
    with db.session() as s:
        linkage.merge_persons(s, actor, [person["p1"], person["p13"]])
        linkage.merge_persons(s, actor, [person["r3"], person["r5"]])
    return world

