"""Places of detention: fictional combinations of a kind, a number and a real town.

Each site has one name per language and a few aliases; the lists name a site only by one of
these, so an importer can resolve every "place of detention" cell against sites.csv.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from rollcall.synth.names import read_data

SITE_TYPES = ("colony", "pretrial_detention", "temporary", "filtration", "hospital", "transit")
LANGS = ("uk", "ru", "en")

#: Per type: (uk, ru, en) main name; aliases (uk, ru, en); highest number; zone weights.
_TEMPLATES: dict[str, tuple[tuple[str, str, str], tuple[str, str, str], int]] = {
    "colony": (
        ("ВК-{n} {uk}", "ИК-{n} {ru}", "Penal colony No. {n}, {en}"),
        ("Виправна колонія №{n} ({uk})", "ИК №{n} г. {ru}", "IK-{n} {en}"),
        40,
    ),
    "pretrial_detention": (
        ("СІЗО-{n} {uk}", "СИЗО-{n} {ru}", "Pre-trial detention centre No. {n}, {en}"),
        ("Слідчий ізолятор №{n} ({uk})", "СИЗО №{n} г. {ru}", "SIZO-{n} {en}"),
        9,
    ),
    "temporary": (
        (
            "Тимчасове місце утримання №{n}, {uk}",
            "Временное место содержания №{n}, {ru}",
            "Temporary detention site No. {n}, {en}",
        ),
        ("ТМУ-{n} {uk}", "ВМС-{n} {ru}", "TDS-{n} {en}"),
        6,
    ),
    "filtration": (
        ("Фільтраційний пункт №{n}, {uk}", "Фильтрационный пункт №{n}, {ru}",
         "Filtration point No. {n}, {en}"),
        ("ФП-{n} {uk}", "ФП-{n} г. {ru}", "Filtration camp {n}, {en}"),
        4,
    ),
    "hospital": (
        ("Лікарня №{n}, {uk}", "Больница №{n}, {ru}", "Hospital No. {n}, {en}"),
        ("Лікарня №{n} м. {uk}", "Больница №{n} г. {ru}", "{en} Hospital No. {n}"),
        12,
    ),
    "transit": (
        ("Пересильний пункт №{n}, {uk}", "Пересыльный пункт №{n}, {ru}",
         "Transit point No. {n}, {en}"),
        ("ПП-{n} {uk}", "ПП-{n} г. {ru}", "Transit No. {n} {en}"),
        3,
    ),
}  # fmt: skip

#: Which towns each kind of site is placed in: weights for zones border/inner/occupied.
_ZONES: dict[str, dict[str, float]] = {
    "colony": {"inner": 70, "border": 10, "occupied": 20},
    "pretrial_detention": {"border": 40, "inner": 40, "occupied": 20},
    "temporary": {"occupied": 70, "border": 30},
    "filtration": {"occupied": 85, "border": 15},
    "hospital": {"border": 40, "occupied": 40, "inner": 20},
    "transit": {"border": 60, "occupied": 40},
}
_TYPE_WEIGHTS = (30, 25, 12, 10, 10, 13)


class Town(NamedTuple):
    uk: str
    ru: str
    en: str
    region: str
    zone: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Site:
    """A place of detention; `names[lang]` is the main name first, then the aliases."""

    key: str
    type: str
    names: dict[str, tuple[str, ...]]
    region: str
    country: str
    lat: float
    lon: float
    weight: float

    def csv_row(self) -> list[str]:
        aliases = [a for lang in LANGS for a in self.names[lang][1:]]
        return [
            self.key,
            self.names["uk"][0],
            self.names["ru"][0],
            self.names["en"][0],
            "|".join(dict.fromkeys(aliases)),
            self.type,
            self.region,
            self.country,
            f"{self.lat:.4f}",
            f"{self.lon:.4f}",
        ]


SITES_HEADER = ["site_key", "name_uk", "name_ru", "name_en", "aliases", "type", "region",
                "country", "lat", "lon"]  # fmt: skip


@cache
def towns() -> tuple[Town, ...]:
    return tuple(
        Town(r["uk"], r["ru"], r["en"], r["region"], r["zone"], float(r["lat"]), float(r["lon"]))
        for r in read_data("site_towns.csv")
    )


def site_count(persons: int) -> int:
    """About one site per 500 persons, at least 8 and at most 300."""
    return max(8, min(300, persons // 500))


def make_sites(rng: random.Random, count: int) -> list[Site]:
    """Draw `count` sites with distinct names; every type occurs at least once."""
    all_towns = towns()
    sites: list[Site] = []
    taken: set[str] = set()  # membership only, never iterated
    while len(sites) < count:
        index = len(sites)
        kind = (
            SITE_TYPES[index]
            if index < len(SITE_TYPES)
            else rng.choices(SITE_TYPES, weights=_TYPE_WEIGHTS)[0]
        )
        zones = _ZONES[kind]
        zone = rng.choices(list(zones), weights=list(zones.values()))[0]
        town = rng.choice([t for t in all_towns if t.zone == zone])
        main, alias, top = _TEMPLATES[kind]
        number = rng.randint(1, top + len(sites) // 20)
        fields = {"n": number, "uk": town.uk, "ru": town.ru, "en": town.en}
        names = {
            lang: tuple(dict.fromkeys((main[i].format(**fields), alias[i].format(**fields))))
            for i, lang in enumerate(LANGS)
        }
        spelled = [n for lang in LANGS for n in names[lang]]
        if any(n in taken for n in spelled):
            continue  # same kind, number and town drawn twice: draw again
        taken.update(spelled)
        sites.append(
            Site(
                key=f"S{index + 1:03d}",
                type=kind,
                names=names,
                region=town.region,
                country="UA" if zone == "occupied" else "RU",
                lat=town.lat + rng.uniform(-0.05, 0.05),
                lon=town.lon + rng.uniform(-0.05, 0.05),
                weight=min(rng.paretovariate(1.2), 40.0),
            )
        )
    return sites
