"""A small registry of linked persons across four sources (three origins), built by hand
through the services: lists imported, records of one person merged as identity
resolution would, events and recorded custody periods giving each person a status and a
place. Every name is made up.

Sources: own-1 and own-2 (own_bureau: two releases of one list), adversary
(adversary_bureau), icrc (icrc).

Dead persons, counted by origin pattern (own, adversary, icrc), DEAD_BY_ORIGIN:
    111: 3   110: 5   101: 4   100: 7   011: 2   010: 6   001: 5      (32 persons)
  of those on own_bureau, every third is on both own-1 and own-2, every fifth on own-2
  only, the rest on own-1 only; the i-th dead person (0-based, in the order of the table)
  died at a site in North when i is even, in South when odd, except dead person 1, whose
  death names no site and whose last stay is at a South site (so: South).
Held persons (HELD): 6, held at sites in North and South, and one more whose events place
  him in North but whose recorded custody period (later) places him in East; he is on
  the adversary list only.
Released persons: 2, on every list: never counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.services import custody, linkage, registry, sites
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import EventType, Origin, SiteType

STEMS = ("Бор", "Вер", "Гол", "Дуб", "Жур", "Зел", "Кар", "Лис", "Мор", "Нив", "Пас")
ENDINGS = ("енко", "чук", "ак", "ук")
ORIGINS = ("own_bureau", "adversary_bureau", "icrc")
DEAD_BY_ORIGIN = {(1, 1, 1): 3, (1, 1, 0): 5, (1, 0, 1): 4, (1, 0, 0): 7, (0, 1, 1): 2,
                  (0, 1, 0): 6, (0, 0, 1): 5}
#: (own, adversary, icrc), region of the site where held.
HELD = [((1, 1, 0), "North"), ((1, 0, 1), "North"), ((0, 1, 1), "South"),
        ((1, 1, 1), "South"), ((1, 0, 0), "North"), ((0, 1, 0), "South")]
EAST_HELD = (0, 1, 0)


@dataclass
class MseWorld:
    source: dict[str, int]
    site: dict[str, int]
    dead: list[int] = field(default_factory=list)
    #: Per dead person, the sources (own-1, own-2, adversary, icrc) they are on.
    dead_sources: list[tuple[str, ...]] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    east: int = 0


def _name(i: int) -> str:
    return STEMS[i % len(STEMS)] + ENDINGS[i // len(STEMS)]


def _sources_of(pattern: tuple[int, ...], i: int) -> tuple[str, ...]:
    own: tuple[str, ...] = ()
    if pattern[0]:
        own = ("own-1", "own-2") if i % 3 == 0 else ("own-2",) if i % 5 == 0 else ("own-1",)
    rest = tuple(name for bit, name in zip(pattern[1:], ("adversary", "icrc"), strict=True)
                 if bit)
    return own + rest


def build_mse_world(db: Database, actor: Actor, folder: Path) -> MseWorld:
    dead_patterns = [p for p, count in DEAD_BY_ORIGIN.items() for _ in range(count)]
    people: list[tuple[str, tuple[str, ...]]] = []
    for i, pattern in enumerate(dead_patterns):
        people.append(("dead", _sources_of(pattern, i)))
    for pattern, _ in HELD:
        people.append(("held", _sources_of(pattern, 1)))
    people.append(("east", _sources_of(EAST_HELD, 1)))
    people += [("released", ("own-1", "own-2", "adversary", "icrc"))] * 2
    assert len(people) <= len(STEMS) * len(ENDINGS)

    source: dict[str, int] = {}
    origin_of = {"own-1": Origin.OWN_BUREAU, "own-2": Origin.OWN_BUREAU,
                 "adversary": Origin.ADVERSARY_BUREAU, "icrc": Origin.ICRC}
    for key, origin in origin_of.items():
        rows = [f"{_name(i)},Тест,1990" for i, (_, on) in enumerate(people) if key in on]
        path = folder / f"{key}.csv"
        path.write_text("Прізвище,Ім'я,Дата народження\n" + "\n".join(rows) + "\n",
                        encoding="utf-8")
        report = import_list(db, actor, path, title=f"List {key}", origin=origin,
                             received=PartialDate(2023, 1))
        assert report.accepted == len(rows)
        source[key] = report.source_id

    with db.session() as s:
        site = {region: sites.add_site(s, actor, key=f"site-{region.lower()}",
                                       name_en=f"Colony {region}", type=SiteType.COLONY,
                                       region=region).id
                for region in ("North", "South", "East")}
    world = MseWorld(source=source, site=site)
    with db.session() as s:
        ids: dict[str, list[int]] = {}
        for person_id, surname in s.execute(select(Person.id, Person.surname)).all():
            ids.setdefault(surname, []).append(person_id)
    with db.session() as s:
        survivors = [linkage.merge_persons(s, actor, ids[_name(i)]).id
                     for i in range(len(people))]
    with db.session() as s:
        for i, (survivor, (kind, on)) in enumerate(zip(survivors, people, strict=True)):
            _events(s, actor, world, survivor, kind, i, len(world.dead))
            if kind == "dead":
                world.dead.append(survivor)
                world.dead_sources.append(on)
            elif kind == "held":
                world.held.append(survivor)
            elif kind == "east":
                world.east = survivor
    return world


def _events(s: Session, actor: Actor, world: MseWorld, person: int, kind: str, i: int,
            dead_index: int) -> None:
    E = EventType
    first = world.source["adversary"]

    def event(kind_: EventType, date: str, region: str | None = None) -> None:
        registry.record_event(s, actor, person, first, kind_,
                              date=PartialDate.fromisoformat(date),
                              site_id=world.site[region] if region else None)

    if kind == "dead":
        if dead_index == 1:
            event(E.HELD, "2023-02-01", "South")
            event(E.DIED, "2023-05-01")
        else:
            event(E.HELD, "2023-02-01", "North")
            event(E.DIED, "2023-05-01", "North" if dead_index % 2 == 0 else "South")
    elif kind == "held":
        region = HELD[i - sum(DEAD_BY_ORIGIN.values())][1]
        event(E.CAPTURED, "2022-09-01")
        event(E.HELD, "2023-01-10", region)
    elif kind == "east":
        event(E.HELD, "2023-01-10", "North")
        custody.record_custody(s, actor, person_id=person,
                               site=world.site["East"], start=dt.date(2023, 3, 1))
    else:
        event(E.HELD, "2023-01-10", "North")
        event(E.RELEASED, "2023-04-01")
