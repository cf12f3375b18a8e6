"""Small worlds for the custody and selective-presentation tests, built by hand through the
services. Persons come from one imported list of made-up names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.services import custody, linkage, registry, sites, testimonies, visits
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import EventType, Monitor, Origin, SiteType

STEMS = ("Бор", "Вер", "Гол", "Дуб", "Жур", "Зел", "Кар", "Лис", "Мор", "Нив", "Пас")
ENDINGS = ("енко", "чук", "ак")
#: Made-up surnames, one per person, in import order.
SURNAMES = tuple(stem + ending for ending in ENDINGS for stem in STEMS)


def d(text: str) -> PartialDate:
    return PartialDate.fromisoformat(text)


def import_persons(db: Database, actor: Actor, folder: Path, count: int,
                   health: dict[int, str] | None = None) -> tuple[int, list[int]]:
    """(source id, person ids in order) of `count` made-up persons; `health` gives some
    rows a health note (by 0-based index)."""
    assert count <= len(SURNAMES)
    health = health or {}
    lines = ["Прізвище,Ім'я,Дата народження,Стан здоров'я"] + [
        f"{SURNAMES[i]},Тест,1990,{health.get(i, '')}" for i in range(count)]
    path = folder / "persons.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_list(db, actor, path, title="Тестовий список", origin=Origin.OWN_BUREAU,
                         received=PartialDate(2023, 1))
    assert report.accepted == count
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
    return report.source_id, [ids[SURNAMES[i]] for i in range(count)]


def add_sites(db: Database, actor: Actor, keys: str) -> dict[str, int]:
    with db.session() as s:
        return {k: sites.add_site(s, actor, key=f"site-{k.lower()}", name_en=f"Site {k}",
                                  type=SiteType.COLONY).id for k in keys}


@dataclass
class CustodyWorld:
    source: int
    site: dict[str, int]
    person: dict[int, int]  # p1..p8 -> id (p8 merged into p7)


def build_custody_world(db: Database, actor: Actor, folder: Path) -> CustodyWorld:
    """Stays worked out by hand ([ = day included, ) = day excluded):
        p1 held A 2023-01-05, transferred B 2023-03-10, held B 2023-05, released 2023-08-01:
           A [2023-01-05, 2023-03-10)  B [2023-03-10, 2023-08-01)
        p2 held A (undated), transferred C 2023-02:  A [beginning, 2023-02-01)  C [2023-02-01..
        p3 held B 2023-01-10 and 2023-04-01, released (undated):  B [2023-01-10, 2023-04-01]
        p4 captured 2022-04 (no site), held A 2023-01, released 2023-06-01, captured at C
           2023-09-01:  A [2023-01-01, 2023-06-01)  C [2023-09-01..
        p5 held A 2023-01-01; recorded B 2023-02-01 to 2023-04-30: B wins on those days
        p6 recorded C 2023-01-01 to 2023-03-01 and 2023-03-01 to 2023-06-01 (one stay)
        p7 held C 2023-01-01; p8 recorded A from 2023-01-01 (open); p8 merged into p7, whose
           recorded A then wins over C every day.
    """
    source, ids = import_persons(db, actor, folder, 8)
    person = dict(enumerate(ids, start=1))
    site = add_sites(db, actor, "ABC")
    E = EventType
    with db.session() as s:
        def event(n: int, kind: EventType, date: str | None, at: str | None = None) -> None:
            registry.record_event(s, actor, person[n], source, kind,
                                  date=d(date) if date else None,
                                  site_id=site[at] if at else None)

        event(1, E.HELD, "2023-01-05", "A")
        event(1, E.TRANSFERRED, "2023-03-10", "B")
        event(1, E.HELD, "2023-05", "B")
        event(1, E.RELEASED, "2023-08-01")
        event(2, E.HELD, None, "A")
        event(2, E.TRANSFERRED, "2023-02", "C")
        event(3, E.HELD, "2023-01-10", "B")
        event(3, E.HELD, "2023-04-01", "B")
        event(3, E.RELEASED, None)
        event(4, E.CAPTURED, "2022-04")
        event(4, E.HELD, "2023-01", "A")
        event(4, E.RELEASED, "2023-06-01")
        event(4, E.CAPTURED, "2023-09-01", "C")
        event(5, E.HELD, "2023-01-01", "A")
        event(7, E.HELD, "2023-01-01", "C")
        custody.record_custody(s, actor, person_id=person[5], site=site["B"],
                               start=dt.date(2023, 2, 1), end=dt.date(2023, 4, 30))
        custody.record_custody(s, actor, person_id=person[6], site="site-c",
                               start=dt.date(2023, 1, 1), end=dt.date(2023, 3, 1))
        custody.record_custody(s, actor, person_id=person[6], site=site["C"],
                               start=dt.date(2023, 3, 1), end=dt.date(2023, 6, 1))
        custody.record_custody(s, actor, person_id=person[8], site=site["A"],
                               start=dt.date(2023, 1, 1))
    with db.session() as s:
        assert linkage.merge_persons(s, actor, [person[7], person[8]]).id == person[7]
    return CustodyWorld(source=source, site=site, person=person)


@dataclass
class SelectiveWorld:
    source: int
    site: dict[str, int]
    person: dict[str, int]  # s1..s12, s4b (merged into s4), x1, f1..f10, r1, t1..t3
    visit: dict[str, int]   # V1 selective, V2 fair, V3 tiny roster, V4 one presented


VISIT_DAY = dt.date(2023, 6, 15)


def build_selective_world(db: Database, actor: Actor, folder: Path) -> SelectiveWorld:
    """Counts worked out by hand.

    Site S, visit V1 on 2023-06-15. Held at S from 2023-01-10: s1..s10 (roster 10; s11
    released 2023-05-01 and s12 captured there 2023-07-01 are not on it; r1 is held at S
    by events but a recorded period puts r1 at F from 2023-06-01 to 2023-07-01).
    Reports (6, all for s5..s10):
        s5  hospitalised at site H 2023-06-20 (after the visit: the stay at S ends that day,
            included, so the report counts for S)
        s6  hospitalised 2023-04 (no site: the stay goes on)
        s7  testimony: beaten at S in 2023-03 (victim the witness)
        s8  testimony: beaten at S, undated
        s9  victim (by id) of an act at S in s7's testimony, 2023-02 to 2023-04
        s10 victim of an act at S from 2023-05 in s8's testimony
    Not reports: s1 beaten at F (another site); s2 hospitalised 2022-11, before the stay;
    s3 a health note on the list ("поранення", free text); s4 an act at S whose victim is
    someone not in the registry.
    V1 presented s1, s2, s3, s4b (a duplicate of s4, merged into s4 after the visit) and x1
    (held at C: not on the roster):
        a = 0 (presented with a report)   b = 4
        c = 6 (not presented, report)     d = 0
        one-sided Fisher p = P(X <= 0) = C(6,0) C(4,4) / C(10,4) = 1/210 = 0.00476.
    Site F, visit V2 on 2023-06-15. Held at F from 2023-02-01: f1..f10, and r1 by the
    recorded period (roster 11). f1..f4 hospitalised 2023-03-01 (4 reports). Presented:
    f1, f2, f5, f6, f7: a = 2, b = 3, c = 2, d = 4;
        p = P(X <= 2) = (C(4,0)C(7,5) + C(4,1)C(7,4) + C(4,2)C(7,3)) / C(11,5)
          = (21 + 140 + 210) / 462 = 371/462 = 0.803; smallest possible p 21/462 = 0.045.
    Benjamini-Hochberg over V1 and V2: q1 = 2 x 0.00476 = 0.00952 (flagged), q2 = 0.803.
    Site T, visit V3 on 2023-06-15: held t1..t3, presented t1: roster too small.
    Visit V4 to F on 2023-06-20 presented f5 only: smallest possible p = 7/11 = 0.636,
    too few to tell.
    """
    names = ([f"s{i}" for i in range(1, 13)] + ["s4b", "x1"]
             + [f"f{i}" for i in range(1, 11)] + ["r1", "t1", "t2", "t3"])
    source, ids = import_persons(db, actor, folder, len(names),
                                 health={names.index("s3"): "поранення"})
    person = dict(zip(names, ids, strict=True))
    site = add_sites(db, actor, "SFTHC")
    E = EventType
    with db.session() as s:
        def event(who: str, kind: EventType, date: str, at: str | None = None) -> None:
            registry.record_event(s, actor, person[who], source, kind, date=d(date),
                                  site_id=site[at] if at else None)

        for n in range(1, 12):
            event(f"s{n}", E.HELD, "2023-01-10", "S")
        event("s4b", E.HELD, "2023-01-10", "S")
        event("s11", E.RELEASED, "2023-05-01")
        event("s12", E.CAPTURED, "2023-07-01", "S")
        event("s2", E.CAPTURED, "2022-10")
        event("s2", E.HOSPITALISED, "2022-11")
        event("s5", E.HOSPITALISED, "2023-06-20", "H")
        event("s6", E.HOSPITALISED, "2023-04")
        event("s7", E.RELEASED, "2023-09-01")
        event("s8", E.RELEASED, "2023-09-01")
        event("x1", E.HELD, "2023-01-10", "C")
        for n in range(1, 11):
            event(f"f{n}", E.HELD, "2023-02-01", "F")
        for n in range(1, 5):
            event(f"f{n}", E.HOSPITALISED, "2023-03-01")
        event("r1", E.HELD, "2023-01-10", "S")
        for n in range(1, 4):
            event(f"t{n}", E.HELD, "2023-01-01", "T")
        custody.record_custody(s, actor, person_id=person["r1"], site=site["F"],
                               start=dt.date(2023, 6, 1), end=dt.date(2023, 7, 1))

        def testimony(witness: str, *acts: testimonies.ActInput) -> None:
            testimonies.record_testimony(
                s, actor, interviewer="Інтерв'юер", interviewed_on=dt.date(2023, 10, 1),
                language="uk", witness_person_id=person[witness], acts=acts)

        act = testimonies.ActInput
        testimony("s7", act("beating", site=site["S"], period_start=d("2023-03")),
                  act("beating", site=site["S"], period_start=d("2023-02"),
                      period_end=d("2023-04"), victim_person_id=person["s9"]))
        testimony("s8", act("beating", site=site["S"]),
                  act("beating", site=site["S"], period_start=d("2023-05"),
                      victim_person_id=person["s10"]))
        testimony("s1", act("beating", site=site["F"], period_start=d("2023-03")))
        testimony("s4", act("beating", site=site["S"], period_start=d("2023-03"),
                            victim_is_witness=False))

        def visit(at: str, day: dt.date, *who: str) -> int:
            return visits.record_visit(s, actor, site=site[at], monitor=Monitor.ICRC,
                                       date=day, person_ids=[person[w] for w in who]).id

        visit_ids = {
            "V1": visit("S", VISIT_DAY, "s1", "s2", "s3", "s4b", "x1"),
            "V2": visit("F", VISIT_DAY, "f1", "f2", "f5", "f6", "f7"),
            "V3": visit("T", VISIT_DAY, "t1"),
            "V4": visit("F", dt.date(2023, 6, 20), "f5"),
        }
    with db.session() as s:
        linkage.merge_persons(s, actor, [person["s4"], person["s4b"]])
    return SelectiveWorld(source=source, site=site, person=person, visit=visit_ids)
