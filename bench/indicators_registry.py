"""What the indicators benchmark (bench/indicators_bench.py) adds to the monitoring
benchmark's registry (bench/monitoring_registry.py, 1,000,000 persons), with bulk SQL, not
through the services: the figures the indicators read and that registry leaves empty.

- persons: the status date of the released and the dead (from their release or death
  event, as the services derive it); categories (10% civilian detainees, 5% civilian
  internees, the missing "missing", the rest POWs); one released person in fifty dies
  after the release (a death event in June 2027, after every release: not in custody);
- sources of five more origins, cited by two events in five and by nine testimonies in
  ten;
- 60 exchanges (September 2022 - June 2025, 0-19 unnamed bodies each) handing over three
  released persons in five alive and one dead person in five as a body, and a tenth of the
  missing to the adversary (rows of `exchange_persons` only: the events the services
  would add change no figure the benchmark reads);
- 3,000 incidents of every type and status at random sites and dates, a third with 1-3
  linked victims, each citing the media source or a testimony.

Marked by a source titled LAYER: added once.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from typing import Any

from monitoring_registry import NOW, Writer, _day, _partial
from sqlalchemy import func, select, text

from rollcall.db import open_database
from rollcall.models import Person, Source, Testimony
from rollcall.vocabulary import IncidentStatus, IncidentType

LAYER = "Indicators benchmark layer"
#: (id, origin) of the sources added; 1 is the monitoring registry's own.
SOURCES = ((2, "adversary_bureau"), (3, "icrc"), (4, "media"), (5, "testimony"), (6, "other"),
           (7, "own_bureau"))
EXCHANGES = 60
INCIDENTS = 3000

CUSTODY = "'captured', 'held', 'transferred', 'hospitalised', 'seen_by_monitor', " \
          "'charged', 'sentenced'"
UPDATES = [
    ("status dates of the released",
     "UPDATE persons SET status_as_of = (SELECT max(e.date) FROM events e WHERE "
     "e.person_id = persons.id AND e.type = 'released') WHERE custody_status = 'released'"),
    ("status dates of the dead",
     "UPDATE persons SET status_as_of = (SELECT min(e.date) FROM events e WHERE "
     "e.person_id = persons.id AND e.type = 'died') WHERE custody_status = 'dead'"),
    ("categories",
     "UPDATE persons SET category = CASE WHEN custody_status = 'missing' THEN 'missing' "
     "WHEN id % 20 IN (0, 1) THEN 'civilian_detainee' WHEN id % 20 = 2 THEN "
     "'civilian_internee' ELSE 'pow' END"),
    ("deaths after release",
     "INSERT INTO events (person_id, source_id, type, date, details, recorded_at) "
     "SELECT id, 1, 'died', '2027-06', '{}', :now FROM persons "
     "WHERE custody_status = 'released' AND id % 50 = 0"),
    ("their status", "UPDATE persons SET custody_status = 'dead', status_as_of = '2027-06' "
     "WHERE custody_status = 'released' AND id % 50 = 0"),
    ("events cite other sources",
     "UPDATE events SET source_id = CASE WHEN id % 5 = 1 THEN 2 ELSE 3 END "
     "WHERE id % 5 IN (1, 2)"),
    ("testimonies cite a source", "UPDATE testimonies SET source_id = 5 WHERE id % 10 <> 0"),
    ("persons handed over alive",
     f"INSERT INTO exchange_persons (exchange_id, person_id, direction, kind, "
     f"identification, source_id, recorded_at) SELECT 1 + id % {EXCHANGES}, id, "
     "'to_own_side', 'alive', NULL, 6, :now FROM persons WHERE custody_status = "
     "'released' AND id % 5 IN (0, 1, 2)"),
    ("bodies handed over",
     f"INSERT INTO exchange_persons (exchange_id, person_id, direction, kind, "
     f"identification, source_id, recorded_at) SELECT 1 + id % {EXCHANGES}, id, "
     "'to_own_side', 'body', CASE id % 3 WHEN 0 THEN 'unidentified' WHEN 1 THEN 'pending' "
     "ELSE 'identified' END, 6, :now FROM persons WHERE custody_status = 'dead' AND "
     "id % 5 = 0"),
    ("persons handed to the adversary",
     f"INSERT INTO exchange_persons (exchange_id, person_id, direction, kind, "
     f"identification, source_id, recorded_at) SELECT 1 + id % {EXCHANGES}, id, "
     "'to_adversary', 'alive', NULL, 2, :now FROM persons WHERE custody_status = "
     "'missing' AND id % 10 = 0"),
]


def present(url: str) -> bool:
    db = open_database(url, migrate_schema=False)
    try:
        with db.session() as s:
            return s.scalar(select(Source.id).where(Source.title == LAYER)) is not None
    finally:
        db.dispose()


def _exchanges(rng: random.Random) -> list[tuple[Any, ...]]:
    first = dt.date(2022, 9, 1)
    step = (dt.date(2025, 6, 30) - first).days // EXCHANGES
    return [(i, first + dt.timedelta(days=(i - 1) * step), "ICRC", "icrc",
             rng.randrange(20), 0, 4, NOW) for i in range(1, EXCHANGES + 1)]


def _incidents(rng: random.Random, sites: int, persons: int, testimonies: list[int]
               ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    types, statuses = list(IncidentType), list(IncidentStatus)
    incidents, victims, sources = [], [], []
    for i in range(1, INCIDENTS + 1):
        start = _day(rng)
        dated = rng.random() < 0.95
        incidents.append((
            i, rng.choice(types).value, f"Incident {i}",
            rng.randrange(1, sites + 1) if rng.random() < 0.7 else None,
            _partial(start, rng) if dated else None,
            (start + dt.timedelta(days=rng.randrange(30))).isoformat()
            if dated and rng.random() < 0.3 else None,
            rng.randint(1, 10), rng.choices(statuses, (60, 25, 12, 3))[0].value, "bench",
            NOW, NOW))
        if rng.random() < 1 / 3:
            for person in rng.sample(range(1, persons + 1), rng.randint(1, 3)):
                victims.append((i, person, "bench", NOW))
        if rng.random() < 0.5 and testimonies:
            sources.append((len(sources) + 1, i, "testimony", rng.choice(testimonies), None,
                            "bench", NOW))
        else:
            sources.append((len(sources) + 1, i, "media", None, 4, "bench", NOW))
    return incidents, victims, sources


def add_layer(url: str, seed: int) -> dict[str, float]:
    """Add the layer (see the module docstring); seconds per step. A layer left half-made
    by a failed run is made again: every step replaces what it writes."""
    rng = random.Random(seed * 1000 + 6)
    timings: dict[str, float] = {}

    def step(name: str, statement: str) -> None:
        started = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(text(statement), {"now": NOW} if ":now" in statement else {})
        timings[name] = time.perf_counter() - started
        print(f"  {name}: {timings[name]:.1f} s", file=sys.stderr)

    db = open_database(url)  # migrated: the indicators' index (0015) comes with it
    db.seal_after_commit = False
    try:
        for table in ("incident_sources", "incident_victims", "incidents", "exchange_persons",
                      "exchanges"):
            step(f"empty {table}", f"DELETE FROM {table}")
        with db.session() as s:
            known = set(s.scalars(select(Source.id)))
            for source_id, origin in SOURCES:
                if source_id not in known:
                    s.add(Source(id=source_id, title=f"Benchmark source {source_id}",
                                 origin=origin, imported_by="bench"))
            sites = s.scalar(text("SELECT count(*) FROM sites"))
            persons = s.scalar(select(func.max(Person.id))) or 0
            testimonies = list(s.scalars(select(Testimony.id)))
        for name, statement in UPDATES[:7]:
            step(name, statement)
        out = Writer(url)
        out.rows("exchanges", ("id", "date", "mediator", "mediator_code",
                               "unnamed_bodies_to_own_side", "unnamed_bodies_to_adversary",
                               "source_id", "recorded_at"), _exchanges(rng))
        for name, statement in UPDATES[7:]:
            step(name, statement)
        started = time.perf_counter()
        incidents, victims, sources = _incidents(rng, int(sites or 0), persons, testimonies)
        out.rows("incidents", ("id", "type", "title", "site_id", "date_from", "date_to",
                               "victim_count", "status", "recorded_by", "recorded_at",
                               "updated_at"), incidents)
        out.rows("incident_victims", ("incident_id", "person_id", "added_by", "added_at"),
                 victims)
        out.rows("incident_sources", ("id", "incident_id", "kind", "testimony_id",
                                      "source_id", "added_by", "added_at"), sources)
        timings["incidents"] = time.perf_counter() - started
        out.finish(("exchanges", "incidents", "incident_sources"))
        with db.session() as s:  # the mark that the layer is complete
            s.add(Source(id=len(SOURCES) + 2, title=LAYER, origin="other",
                         imported_by="bench"))
    finally:
        db.dispose()
    return timings


__all__ = ["LAYER", "add_layer", "present"]
