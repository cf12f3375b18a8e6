"""The fixed scenery every synthetic person is drawn against: sites, units, towns, the
calendar of exchanges. Built once per run from the run's seeded generator.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

from rollcall.synth import vocab
from rollcall.synth.names import NameTables, name_tables, read_data
from rollcall.synth.sites import Site, make_sites, site_count
from rollcall.synth.translit import kmu


class Picker:
    """Draw an index with given weights: one random() and a bisect, cheaper than choices()."""

    __slots__ = ("_cum", "_total")

    def __init__(self, weights: list[float] | tuple[float, ...]) -> None:
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]
        if self._total <= 0:
            raise ValueError("a picker needs a positive weight")

    def __call__(self, rng: random.Random) -> int:
        return bisect_right(self._cum, rng.random() * self._total)


class Place(NamedTuple):
    """A Ukrainian town (or front-line village) as a place of birth or of capture."""

    uk: str
    ru: str
    en: str
    capture_from: dt.date | None
    capture_to: dt.date | None
    capture_weight: float


class Unit(NamedTuple):
    """A fictional unit: military unit number (в/ч А1234) and brigade (53 ОМБр)."""

    number: str
    brigade: int
    kind: int


def _places() -> tuple[list[Place], list[float]]:
    places: list[Place] = []
    birth: list[float] = []
    for r in read_data("places.csv"):
        start = dt.date.fromisoformat(r["capture_from"]) if r["capture_from"] else None
        end = dt.date.fromisoformat(r["capture_to"]) if r["capture_to"] else None
        places.append(Place(r["uk"], r["ru"], kmu(r["uk"]), start, end, float(r["capture_weight"])))
        birth.append(float(r["birth_weight"]))
    return places, birth


def _units(rng: random.Random, count: int) -> list[Unit]:
    numbers = rng.sample(range(1000, 10000), count)
    brigades = rng.sample(range(1, 250), count)
    kind = Picker([k.weight for k in vocab.BRIGADE_KINDS])
    return [Unit(str(n), b, kind(rng)) for n, b in zip(numbers, brigades, strict=True)]


def _exchange_days(rng: random.Random) -> list[dt.date]:
    """Exchange days: irregular, a few weeks apart, as they were."""
    days: list[dt.date] = []
    day = dt.date(2022, 4, 1)
    while day <= vocab.HORIZON - dt.timedelta(days=5):
        days.append(day)
        day += dt.timedelta(days=rng.randint(10, 45))
    return days


@dataclass
class World:
    """Everything shared by all persons of one run."""

    names: NameTables
    sites: list[Site]
    places: list[Place]
    units: list[Unit]
    exchanges: list[dt.date]
    pick_surname: Picker
    pick_male: Picker
    pick_father: Picker
    pick_female: Picker
    pick_birth_place: Picker
    pick_unit: Picker
    #: Site indexes by role, with pickers weighted by site size.
    entry_sites: list[int]
    pick_entry: Picker
    long_sites: list[int]
    pick_long: Picker
    colonies: list[int]
    pick_colony: Picker
    hospitals: list[int]
    pick_hospital: Picker
    _capture_pickers: dict[int, tuple[list[int], Picker]] = field(default_factory=dict)

    def capture_place(self, rng: random.Random, day: dt.date) -> int:
        """A place where fighting (or occupation) was going on that day."""
        ordinal = day.toordinal()
        cached = self._capture_pickers.get(ordinal)
        if cached is None:
            active = [
                i
                for i, p in enumerate(self.places)
                if p.capture_weight
                and p.capture_from
                and p.capture_to
                and p.capture_from <= day <= p.capture_to
            ]
            if not active:
                active = [i for i, p in enumerate(self.places) if p.capture_weight]
            cached = (active, Picker([self.places[i].capture_weight for i in active]))
            self._capture_pickers[ordinal] = cached
        active, picker = cached
        return active[picker(rng)]


def _role(sites: list[Site], kinds: tuple[str, ...]) -> tuple[list[int], Picker]:
    chosen = [i for i, s in enumerate(sites) if s.type in kinds]
    return chosen, Picker([sites[i].weight for i in chosen])


def build_world(rng: random.Random, persons: int) -> World:
    """Draw the scenery for a run of `persons` persons."""
    names = name_tables()
    sites = make_sites(rng, site_count(persons))
    places, birth = _places()
    units = _units(rng, 160)
    unit_weights = [rng.paretovariate(1.5) for _ in units]
    entry, pick_entry = _role(sites, ("filtration", "temporary", "transit"))
    long, pick_long = _role(sites, ("pretrial_detention", "colony"))
    colonies, pick_colony = _role(sites, ("colony",))
    hospitals, pick_hospital = _role(sites, ("hospital",))
    return World(
        names=names,
        sites=sites,
        places=places,
        units=units,
        exchanges=_exchange_days(rng),
        pick_surname=Picker(names.surname_weights),
        pick_male=Picker(names.male_weights),
        pick_father=Picker(names.father_weights),
        pick_female=Picker(names.female_weights),
        pick_birth_place=Picker(birth),
        pick_unit=Picker(unit_weights),
        entry_sites=entry,
        pick_entry=pick_entry,
        long_sites=long,
        pick_long=pick_long,
        colonies=colonies,
        pick_colony=pick_colony,
        hospitals=hospitals,
        pick_hospital=pick_hospital,
    )
