"""A small world built by hand through the services, with every figure of the access-gap
report worked out on paper (see the table in `build_world`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.services import linkage, registry, sites, visits
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import AccessLevel, EventType, Monitor, Origin, SiteType

SURNAMES = ("Альфа", "Браво", "Чарлі", "Дельта", "Ехо", "Фокстрот", "Гольф", "Готель",
            "Індія", "Джульєт", "Кіло")


@dataclass
class World:
    source: int
    site: dict[str, int]      # A..F -> id
    person: dict[int, int]    # 1..11 -> id


def build_world(db: Database, actor: Actor, folder: Path) -> World:
    """Sites:
        A  nothing recorded                          -> never visited
        B  access period `none` only                 -> never visited
        C  visit V2 without private interviews       -> partial only
        D  period `partial`; V3 private, premises refused -> partial only
        E  visit V1 with private interviews          -> full
        F  period `full` from 2022-10                -> full
    Persons (p11, shown in V2, is merged afterwards into p10, the lower id, which survives):
        p1 held A; p2 held E then transferred to A, shown in V1; p3 held B; p4 held C,
        shown in V2; p5 held D; p6 held E; p7 captured, no site; p8 held A then released;
        p9 held F, event seen_by_monitor; p10 held C; p11 shown in V2.
    """
    csv_path = folder / "world.csv"
    csv_path.write_text("Прізвище,Ім'я,Дата народження\n" + "".join(
        f"{s},Тест,1990\n" for s in SURNAMES), encoding="utf-8")
    report = import_list(db, actor, csv_path, title="Тестовий список", origin=Origin.OWN_BUREAU,
                         received=PartialDate(2023, 1))
    assert report.accepted == len(SURNAMES)
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
    person = {n: ids[name] for n, name in enumerate(SURNAMES, start=1)}
    src = report.source_id

    with db.session() as s:
        site = {key: sites.add_site(s, actor, key=f"site-{key.lower()}", name_en=f"Site {key}",
                                    type=SiteType.COLONY).id for key in "ABCDEF"}
        sites.record_access(s, actor, site["B"], "icrc", AccessLevel.NONE)
        sites.record_access(s, actor, site["D"], "icrc", AccessLevel.PARTIAL)
        sites.record_access(s, actor, site["F"], "icrc", AccessLevel.FULL,
                            start=PartialDate(2022, 10))

        def event(n: int, kind: EventType, date: PartialDate | None, at: str | None) -> None:
            registry.record_event(s, actor, person[n], src, kind, date=date,
                                  site_id=site[at] if at else None)

        event(1, EventType.HELD, PartialDate(2023, 1, 5), "A")
        event(2, EventType.HELD, PartialDate(2023, 1), "E")
        event(2, EventType.TRANSFERRED, PartialDate(2023, 6, 1), "A")
        event(3, EventType.HELD, PartialDate(2023, 1), "B")
        event(4, EventType.HELD, PartialDate(2023, 5), "C")
        event(5, EventType.HELD, None, "D")
        event(6, EventType.HELD, PartialDate(2023, 2, 1), "E")
        event(7, EventType.CAPTURED, PartialDate(2022, 4), None)
        event(8, EventType.HELD, PartialDate(2023, 1), "A")
        event(8, EventType.RELEASED, PartialDate(2023, 8), None)
        event(9, EventType.HELD, PartialDate(2023, 1), "F")
        event(9, EventType.SEEN_BY_MONITOR, PartialDate(2023, 7), None)
        event(10, EventType.HELD, PartialDate(2023, 1), "C")

        visits.record_visit(s, actor, site=site["E"], monitor=Monitor.ICRC,
                            date=dt.date(2023, 2, 10), person_ids=[person[2]],
                            private_interviews=True)
        visits.record_visit(s, actor, site="site-c", monitor=Monitor.ICRC,
                            date=dt.date(2023, 3, 1), person_ids=[person[4], person[11]])
        visits.record_visit(s, actor, site=site["D"], monitor=Monitor.OHCHR,
                            date=dt.date(2023, 4, 1), private_interviews=True,
                            premises_refused="punishment cells")
    with db.session() as s:
        assert linkage.merge_persons(s, actor, [person[10], person[11]]).id == person[10]
    return World(source=src, site=site, person=person)
