"""The synthetic registry of the monitoring benchmark (bench/monitoring_bench.py), built
fast with bulk SQL (sqlite3 `executemany`, psycopg `COPY`), not through the services that
check and log each write: the bench measures the analyses, not the writes
(bench/import_bench.py measures those).

What it holds, drawn person by person from one seed, so that every rule the analyses read
is exercised:
- persons: 65% held, 25% released, 3% dead, 1% merged into another person (a survivor's
  merged id is sometimes the one a visit lists or a custody period was recorded under);
- events: a capture naming a site for most (1% undated), transfers, releases (3% undated:
  the stay then ends "after its last event"), deaths, charges, `seen_by_monitor`, and
  `hospitalised` for 4% of the held (most naming a hospital site, and half of those
  transferred back; the rest naming no site); site sizes skewed (a few large colonies,
  many small places);
- access periods for a fifth of the sites;
- visits at three sites in five, each presenting 20-200 persons the events place at that
  site; the charged and the hospitalised are shown one time in five (so some visits are
  selective);
- testimonies of released persons (some two, some with no witness linked) with 1-3 coded
  acts each: most at the site the witness stayed at, dated within (or around) the stay,
  a fifth undated, 30% naming another victim (a person held at that site). The witness
  link is sealed as Rollcall seals it (`services.witnesses`: the analyses open them);
  the plain-SQL baselines read the same links in clear from `bench_witness_links`, a
  table of this bench's own: what a registry without sealing would join;
- custody periods recorded by hand (1 per 100 persons): some at another site than the
  events say, some closed, some overlapping a second period of the same person.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from rollcall.db import open_database  # noqa: E402
from rollcall.models import Person, Site, Source, Visit  # noqa: E402

#: Bumped whenever the registry drawn from a seed changes (SQLite cache files carry it).
VERSION = 3
START = dt.date(2022, 3, 1)
DAYS = (dt.date(2025, 6, 30) - START).days
BATCH = 50_000
NOW = dt.datetime(2025, 12, 31, 12, 0, tzinfo=dt.UTC)
SITE_TYPES = ("colony", "pretrial_detention", "temporary", "filtration", "hospital", "transit")
METHODS = ("beating", "electric_shock", "stress_position", "sleep_deprivation",
           "threat_against_family", "humiliation", "deprivation_of_food_or_water")
SURNAMES = ("Бондар", "Коваль", "Шевчук", "Мельник", "Кравець", "Ткаченко", "Олійник",
            "Савченко", "Руденко", "Лисенко")
GIVEN = ("Андрій", "Олег", "Іван", "Петро", "Сергій", "Микола", "Тарас", "Юрій")


class Writer:
    """Bulk rows into one table with the bare driver: `executemany` on SQLite, `COPY` on
    PostgreSQL. Values come in the form the database stores (dates as ISO text where the
    models keep partial dates, booleans, JSON as text)."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(url.replace("+psycopg", ""))
        else:
            import sqlite3

            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.conn.execute("PRAGMA synchronous=OFF")

    def rows(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        names = ", ".join(f'"{c}"' for c in columns)
        if self.postgres:
            with self.conn.cursor() as cur, cur.copy(
                    f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            iterator = iter(rows)
            while chunk := list(itertools.islice(iterator, BATCH)):
                self.conn.executemany(statement, [tuple(self._sqlite(v) for v in r)
                                                  for r in chunk])
                count += len(chunk)
        self.conn.commit()
        return count

    @staticmethod
    def _sqlite(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        return value

    def create_links_table(self, links: list[tuple[int, int]]) -> None:
        """The witness links in clear, in a table of the bench's own (see the docstring)."""
        self.conn.execute(f"CREATE TABLE {LINKS_TABLE} (testimony_id INTEGER PRIMARY KEY, "
                          "person_id INTEGER NOT NULL)")
        self.rows(LINKS_TABLE, ("testimony_id", "person_id"), links)

    def finish(self, tables: tuple[str, ...] = (
            "persons", "events", "sites", "visits", "testimonies", "acts", "access_periods",
            "custody_periods", "sources")) -> None:
        """Sequences past the ids written (PostgreSQL), statistics, and close."""
        if self.postgres:
            self.conn.autocommit = True
            for table in tables:
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))")
            self.conn.execute("VACUUM ANALYZE")
        else:
            self.conn.execute("ANALYZE")
            self.conn.commit()
        self.conn.close()


def _day(rng: random.Random, after: dt.date | None = None, span: int = DAYS) -> dt.date:
    base = after or START
    return base + dt.timedelta(days=rng.randrange(1, max(2, span)))


def _partial(day: dt.date, rng: random.Random) -> str:
    """Most lists give the day; one in ten only the month."""
    return day.isoformat()[:7] if rng.random() < 0.1 else day.isoformat()


class World:
    """The synthetic registry, drawn person by person from one seed."""

    def __init__(self, persons: int, sites: int, visits: int, seed: int) -> None:
        self.n, self.n_sites, self.n_visits = persons, sites, visits
        self.rng = random.Random(seed)
        # Site sizes follow a power law: a few large colonies, many small places.
        weights = [1 / (i ** 0.8) for i in range(1, sites + 1)]
        self.cum = list(itertools.accumulate(weights))
        self.members: dict[int, list[int]] = {s: [] for s in range(1, sites + 1)}
        #: Shown to monitors one time in five: the charged and the hospitalised.
        self.hidden: set[int] = set()
        #: Released persons: (id, their last site, its first day, release day or None).
        self.released: list[tuple[int, int | None, dt.date, dt.date | None]] = []
        #: A survivor's id -> the id merged into it.
        self.alias: dict[int, int] = {}

    def site(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1]) + 1

    def people(self) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """(persons, their events) in chunks of BATCH persons, drawn person by person."""
        rng = self.rng
        event_id = itertools.count(1)
        persons: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []

        def event(pid: int, kind: str, date: dt.date | None, site: int | None) -> None:
            stored = None if date is None else _partial(date, rng)
            events.append((next(event_id), pid, 1, kind, stored, site, "{}", NOW))

        for pid in range(1, self.n + 1):
            roll = rng.random()
            merged_into = pid - 1 if roll < 0.01 and pid > 1 else None
            if merged_into is not None:
                self.alias[merged_into] = pid
            status, legal = "unknown", "pow"
            if merged_into is None and roll < 0.94:
                captured = _day(rng, span=DAYS - 200)
                site = self.site() if rng.random() < 0.93 else None
                event(pid, "captured", None if rng.random() < 0.01 else captured, site)
                last_site, since = site, captured
                if rng.random() < 0.4:
                    last_site, since = self.site(), _day(rng, captured, 300)
                    event(pid, "transferred", since, last_site)
                if roll < 0.66:
                    status = "held"
                    if rng.random() < 0.04:
                        self.hidden.add(pid)
                        taken = _day(rng, since, 200)
                        hospital = self.site() if rng.random() < 0.6 else None
                        event(pid, "hospitalised", taken, hospital)
                        if hospital is not None and rng.random() < 0.5:
                            event(pid, "transferred", _day(rng, taken, 40), last_site)
                        elif hospital is not None:
                            last_site = hospital
                    if last_site is not None:
                        self.members[last_site].append(pid)
                    if rng.random() < 0.05:
                        legal = "status_denied"
                        self.hidden.add(pid)
                        event(pid, "charged", _day(rng, captured, 200), None)
                    if rng.random() < 0.02:
                        event(pid, "seen_by_monitor", _day(rng, captured, 400), None)
                elif roll < 0.91:
                    status = "released"
                    left = _day(rng, since, 400)
                    undated = rng.random() < 0.03
                    self.released.append((pid, last_site, since, None if undated else left))
                    event(pid, "released", None if undated else left, None)
                else:
                    status = "dead"
                    event(pid, "died", _day(rng, captured, 400), None)
            elif merged_into is None:
                status = "missing"  # reported missing by a family: no event at all
            persons.append((pid, rng.choice(SURNAMES), rng.choice(GIVEN), None, "cyrl", "m",
                            str(1960 + pid % 45), "pow", status, legal, None, "", NOW, NOW,
                            merged_into))
            if len(persons) == BATCH or pid == self.n:
                yield persons, events
                persons, events = [], []

    def access_periods(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for pid, site in enumerate(rng.sample(range(1, self.n_sites + 1),
                                              self.n_sites // 5), start=1):
            level = rng.choice(("none", "none", "partial", "partial", "full"))
            yield (pid, site, "icrc", level, _partial(_day(rng), rng), None, 1, None)

    def visits(self) -> tuple[list[tuple[Any, ...]], Iterator[tuple[int, int]]]:
        """Visits at three sites in five (larger sites more often), each presenting 20-200
        persons placed there (sometimes under a merged id); the charged and the
        hospitalised are shown one time in five."""
        rng = self.rng
        visited = sorted(rng.sample(range(1, self.n_sites + 1), self.n_sites * 3 // 5))
        weights = list(itertools.accumulate(1 / (s ** 0.5) for s in visited))
        rows = []
        for vid in range(1, self.n_visits + 1):
            site = visited[bisect.bisect_left(weights, rng.random() * weights[-1])]
            refused = "punishment cells" if rng.random() < 0.2 else None
            rows.append((vid, site, rng.choice(("icrc", "ohchr", "ombudsperson")),
                         _day(rng), rng.random() < 0.5, refused, 1, None, NOW))

        def presented() -> Iterator[tuple[int, int]]:
            for vid, site, *_ in rows:
                pool = self.members[site]
                shown = set()
                for pid in rng.sample(pool, min(len(pool), rng.randint(20, 200))):
                    if pid in self.hidden and rng.random() < 0.8:
                        continue
                    if pid in self.alias and rng.random() < 0.3:
                        pid = self.alias[pid]
                    shown.add(pid)
                for pid in sorted(shown):
                    yield (vid, pid)

        return rows, presented()

    def testimonies(self, count: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng = self.rng
        witnesses = rng.sample(self.released, min(count, len(self.released)))
        rows, acts = [], []
        tid = 0
        for pid, stayed_at, since, until in witnesses:
            for _ in range(2 if rng.random() < 0.1 else 1):
                tid += 1
                witness = None if rng.random() < 0.03 else pid
                saw = rng.choices((False, True, None), (60, 25, 15))[0]
                rows.append((tid, f"W-{tid:06d}", witness, "Інтервʼюер", _day(rng), "uk",
                             rng.random() < 0.9, False, False, False, saw, None, NOW, None))
                for _ in range(rng.randint(1, 3)):
                    site = stayed_at if stayed_at and rng.random() < 0.75 else self.site()
                    start = end = None
                    if rng.random() < 0.8:
                        span = ((until or since + dt.timedelta(days=200)) - since).days + 60
                        first = since + dt.timedelta(days=rng.randrange(-30, max(span, 1)))
                        start = _partial(first, rng)
                        if rng.random() < 0.5:
                            end = _partial(first + dt.timedelta(days=rng.randrange(60)), rng)
                    victim = None
                    if self.members[site] and rng.random() < 0.3:
                        victim = rng.choice(self.members[site])
                    acts.append((len(acts) + 1, tid, rng.choice(METHODS), site, start, end,
                                 victim, victim is None))
        return rows, acts

    def custody_periods(self, count: int) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        sites = [s for s, members in self.members.items() if members]
        cid = 0
        while cid < count:
            site = rng.choice(sites)
            pid = rng.choice(self.members[site])
            if pid in self.alias and rng.random() < 0.3:
                pid = self.alias[pid]  # recorded under the id later merged away
            if rng.random() < 0.15:
                site = rng.choice(sites)
            start = _day(rng, span=DAYS - 300)
            end = start + dt.timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.3 \
                else None
            cid += 1
            yield (cid, pid, site, start, end, 1, NOW)
            if rng.random() < 0.05:
                cid += 1
                later = start + dt.timedelta(days=rng.randrange(0, 40))
                yield (cid, pid, site, later, later + dt.timedelta(days=rng.randrange(200)),
                       1, NOW)


PERSON_COLUMNS = ("id", "surname", "given_name", "patronymic", "name_script", "sex",
                  "birth_date", "category", "custody_status", "legal_status", "status_as_of",
                  "search_key", "created_at", "updated_at", "merged_into_id")
EVENT_COLUMNS = ("id", "person_id", "source_id", "type", "date", "site_id", "details",
                 "recorded_at")
ACCESS_COLUMNS = ("id", "site_id", "monitor", "level", "start", "end", "source_id", "notes")
VISIT_COLUMNS = ("id", "site_id", "monitor", "date", "private_interviews", "premises_refused",
                 "source_id", "notes", "recorded_at")
TESTIMONY_COLUMNS = (
    "id", "pseudonym", "witness", "interviewer", "interviewed_on", "language",
    "consent_statistics", "consent_public_report", "consent_prosecution", "consent_icrc",
    "saw_monitor", "family_contact", "recorded_at", "witness_index")
#: The bench's own table of the witness links in clear, for the plain-SQL baselines.
LINKS_TABLE = "bench_witness_links"
ACT_COLUMNS = ("id", "testimony_id", "method", "site_id", "period_start", "period_end",
               "victim_person_id", "victim_is_witness")
CUSTODY_COLUMNS = ("id", "person_id", "site_id", "start", "end", "source_id", "recorded_at")
TABLES = {"persons": PERSON_COLUMNS, "events": EVENT_COLUMNS,
          "access_periods": ACCESS_COLUMNS, "visits": VISIT_COLUMNS,
          "visit_persons": ("visit_id", "person_id"), "testimonies": TESTIMONY_COLUMNS,
          "acts": ACT_COLUMNS, "custody_periods": CUSTODY_COLUMNS}


def build(url: str, persons: int, sites: int, visits: int, seed: int) -> dict[str, float]:
    """Create the schema (migrations) and load the synthetic registry; returns seconds per
    table."""
    db = open_database(url)
    with db.session() as s:
        s.add(Source(id=1, title="Synthetic monitoring benchmark", origin="own_bureau",
                     imported_by="bench"))
        for i in range(1, sites + 1):
            s.add(Site(id=i, key=f"site-{i}", name_en=f"Site {i}",
                       type=SITE_TYPES[i % len(SITE_TYPES)], region=f"Region {i % 20}",
                       country="RU"))
    db.dispose()
    world = World(persons, sites, visits, seed)
    out = Writer(url)
    timings: dict[str, float] = {}

    def timed(name: str, table: str, columns: tuple[str, ...],
              rows: Iterable[tuple[Any, ...]]) -> None:
        started = time.perf_counter()
        written = out.rows(table, columns, rows)
        timings[name] = time.perf_counter() - started
        print(f"  {name}: {written:,} rows, {timings[name]:.1f} s", file=sys.stderr)

    loaded = {"persons": 0.0, "events": 0.0}
    for persons_chunk, events_chunk in world.people():
        for table, columns, chunk in (("persons", PERSON_COLUMNS, persons_chunk),
                                      ("events", EVENT_COLUMNS, events_chunk)):
            started = time.perf_counter()
            out.rows(table, columns, chunk)
            loaded[table] += time.perf_counter() - started
    timings.update(loaded)
    print(f"  persons and events: {loaded}", file=sys.stderr)
    timed("access_periods", "access_periods", ACCESS_COLUMNS, world.access_periods())
    visit_rows, presented = world.visits()
    timed("visits", "visits", VISIT_COLUMNS, visit_rows)
    timed("visit_persons", "visit_persons", ("visit_id", "person_id"), presented)
    testimonies, acts = world.testimonies(max(1, persons // 200))
    links = [(row[0], row[2]) for row in testimonies if row[2] is not None]
    out.create_links_table(links)
    timed("testimonies", "testimonies", TESTIMONY_COLUMNS, seal_witnesses(url, testimonies))
    timed("acts", "acts", ACT_COLUMNS, acts)
    timed("custody_periods", "custody_periods", CUSTODY_COLUMNS,
          world.custody_periods(max(1, persons // 100)))
    started = time.perf_counter()
    out.finish()
    timings["analyze"] = time.perf_counter() - started
    return timings


def seal_witnesses(url: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The testimony rows with their witness link sealed and indexed, as the testimonies
    service stores them (under the master key the analyses will use)."""
    from rollcall.security.fields import current_sealer
    from rollcall.security.keyring import keyring
    from rollcall.services.witnesses import TABLE, WITNESS, witness_index

    db = open_database(url)
    ring = keyring()
    with db.session() as s:
        sealer = current_sealer(s, ring)
        sealed = [(*row[:2], sealer.seal(TABLE, WITNESS, row[0], str(row[2])), *row[3:-1],
                   witness_index(s, ring, row[2])) if row[2] is not None else row
                  for row in rows]
    db.dispose()
    return sealed


def check_columns(table: str, columns: tuple[str, ...]) -> None:
    """Stop early, naming the column, if the schema gained a required column this bench
    does not fill (the models move while the bench stays)."""
    from rollcall.models import Base

    missing = [c.name for c in Base.metadata.tables[table].columns
               if not c.nullable and c.name not in columns and c.server_default is None
               and not (c.primary_key and c.autoincrement is True)]
    if missing:
        raise SystemExit(f"bench: table {table} needs columns {missing}; update the bench")


def present(url: str) -> dict[str, int] | None:
    """Row counts of an existing registry, None if it has no schema yet."""
    db = open_database(url, migrate_schema=False)
    try:
        with db.session() as s:
            return {"persons": s.scalar(select(func.count()).select_from(Person)) or 0,
                    "sites": s.scalar(select(func.count()).select_from(Site)) or 0,
                    "visits": s.scalar(select(func.count()).select_from(Visit)) or 0}
    except DBAPIError:  # no tables yet: build
        return None
    finally:
        db.dispose()
