"""The shared scene of the synthetic monitoring data: true stays at sites with their hidden
condition, and the records and truth being drawn (see `rollcall.synth.monitoring`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rollcall.synth import vocab
from rollcall.synth.persons import Person
from rollcall.synth.world import World

HEALTHY, ILL, ILL_TREATED = "healthy", "ill", "ill_treated"
DAY = dt.timedelta(days=1)


@dataclass(slots=True)
class Stay:
    """One person's stay at one site: [start, end), end None while still there."""

    person: int  # index into the persons list
    site: int  # index into World.sites
    start: dt.date
    end: dt.date | None
    condition: str = HEALTHY

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlap(self, other: Stay) -> tuple[dt.date, dt.date] | None:
        """The days both were there, as (first, last), or None."""
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        last = (min(ends) if ends else vocab.HORIZON + dt.timedelta(days=1)) - DAY
        return (start, last) if start <= last else None



@dataclass
class Scene:
    """What every part of the monitoring data is drawn against."""

    world: World
    persons: list[Person]
    stays: list[Stay]
    stays_of: list[list[int]]  # person index -> indexes into stays
    #: filled by the parts as they are drawn; written to monitoring.json
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)
    #: per visit (in order): indexes of the stays truly there that day, and of those shown
    visit_rosters: list[tuple[list[int], list[int]]] = field(default_factory=list)
    #: stays whose ill-treatment or illness some testimony tells
    reported_stays: set[int] = field(default_factory=set)

    def site_key(self, site: int) -> str:
        return self.world.sites[site].key


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


__all__ = ["DAY", "HEALTHY", "ILL", "ILL_TREATED", "Scene", "Stay", "iso"]
