"""Benchmark: the monitoring analyses on a registry of 1,000,000 persons, 500 sites and
20,000 visits, on SQLite or PostgreSQL, each next to plain SQL that computes the same
counts, measured in the same run (issue 4; target: under 30 s each).

- The access-gap report (`rollcall.monitoring.access_gap.access_report`, lists capped at
  100 as the page shows them) against one hand-written SQL statement giving its headline
  counts and the testimony share's numerator and denominator.
- The selective-presentation analysis (`rollcall.monitoring.selective
  .selective_presentation` over every visit: counts, Fisher tests, effect sizes, the
  multiple-testing correction) against a short script of plain SQL statements giving the
  counts behind its 2x2 tables for every visit (`SELECTIVE_SQL`).
The two sides must agree on every count of every visit, or the run stops.

The registry (bench/monitoring_registry.py) is built with bulk SQL from `--seed`. SQLite
files are cached under `--cache` and reused; a PostgreSQL database is reused when it
already holds the same numbers of rows (give a new database when the registry's VERSION
changes).

    .venv/bin/python bench/monitoring_bench.py                        # SQLite
    .venv/bin/python bench/monitoring_bench.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_bench_f2

Prints a Markdown table; `--write` appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from monitoring_registry import (
    ROOT,
    TABLES,
    VERSION,
    build,
    check_columns,
    present,
)
from sqlalchemy import text

from rollcall.db import open_database
from rollcall.monitoring.access_gap import access_report
from rollcall.monitoring.selective import selective_presentation
from rollcall.monitoring.selective_counts import VisitFilter

AS_OF = dt.date(2025, 12, 31)


# --- the baselines: plain SQL -----------------------------------------------------------

ACCESS_SQL = """
WITH
visited AS (
  SELECT site_id FROM visits WHERE date <= :as_of
  UNION SELECT site_id FROM access_periods
        WHERE level IN ('partial', 'full') AND (start IS NULL OR start <= :day)),
full_access AS (
  SELECT site_id FROM visits
   WHERE date <= :as_of AND private_interviews = :yes
     AND (premises_refused IS NULL OR premises_refused = '')
  UNION SELECT site_id FROM access_periods
        WHERE level = 'full' AND (start IS NULL OR start <= :day)),
site_class AS (
  SELECT s.id AS site_id,
         CASE WHEN s.id IN (SELECT site_id FROM full_access) THEN 'full'
              WHEN s.id IN (SELECT site_id FROM visited) THEN 'partial'
              ELSE 'never' END AS access
    FROM sites s),
held AS (
  SELECT id FROM persons WHERE merged_into_id IS NULL AND custody_status = 'held'),
latest AS (
  SELECT person_id, site_id FROM (
    SELECT e.person_id, e.site_id,
           ROW_NUMBER() OVER (PARTITION BY e.person_id
                              ORDER BY CASE WHEN e.date IS NULL THEN 1 ELSE 0 END,
                                       e.date DESC, e.id DESC) AS rn
      FROM events e JOIN held h ON h.id = e.person_id
     WHERE e.site_id IS NOT NULL AND (e.date IS NULL OR e.date <= :day)) ranked
   WHERE rn = 1),
seen AS (
  SELECT COALESCE(p.merged_into_id, p.id) AS person_id
    FROM visit_persons vp JOIN visits v ON v.id = vp.visit_id
    JOIN persons p ON p.id = vp.person_id
   WHERE v.date <= :as_of
  UNION SELECT person_id FROM events
         WHERE type = 'seen_by_monitor' AND (date IS NULL OR date <= :day)),
witness AS (
  SELECT COALESCE(p.merged_into_id, p.id) AS person_id,
         MAX(CASE WHEN t.consent_statistics = :yes THEN 1 ELSE 0 END) AS consented,
         MAX(CASE WHEN t.consent_statistics = :yes AND t.saw_monitor = :yes
                  THEN 1 ELSE 0 END) AS saw,
         MAX(CASE WHEN t.consent_statistics = :yes AND t.saw_monitor = :no
                  THEN 1 ELSE 0 END) AS said_no
    FROM testimonies t JOIN bench_witness_links bw ON bw.testimony_id = t.id
    JOIN persons p ON p.id = bw.person_id
   WHERE t.interviewed_on <= :as_of
   GROUP BY COALESCE(p.merged_into_id, p.id)),
share AS (
  SELECT SUM(CASE WHEN w.saw = 1 OR w.said_no = 1 THEN 1 ELSE 0 END) AS answered,
         SUM(CASE WHEN w.saw = 0 AND w.said_no = 1 THEN 1 ELSE 0 END) AS never_saw,
         COUNT(*) AS witnesses
    FROM witness w JOIN persons p ON p.id = w.person_id
   WHERE p.custody_status = 'released' AND w.consented = 1),
people AS (
  SELECT COUNT(*) AS held,
         SUM(CASE WHEN l.site_id IS NULL THEN 1 ELSE 0 END) AS without_site,
         SUM(CASE WHEN c.access = 'never' THEN 1 ELSE 0 END) AS at_never,
         SUM(CASE WHEN c.access = 'partial' THEN 1 ELSE 0 END) AS at_partial,
         {never_seen} AS never_seen
    FROM held h
    LEFT JOIN latest l ON l.person_id = h.id
    LEFT JOIN site_class c ON c.site_id = l.site_id{seen_join})
SELECT (SELECT COUNT(*) FROM site_class WHERE access = 'never') AS sites_never,
       (SELECT COUNT(*) FROM site_class WHERE access = 'partial') AS sites_partial,
       (SELECT COUNT(*) FROM site_class WHERE access = 'full') AS sites_full,
       people.held, people.without_site, people.at_never, people.at_partial,
       people.never_seen, share.witnesses, share.answered, share.never_saw
  FROM people, share
"""

ACCESS_FIGURES = ("sites_never", "sites_partial", "sites_full", "held", "without_site",
                  "at_never", "at_partial", "never_seen", "witnesses", "answered",
                  "never_saw")


#: How each database finds the never-seen fast (see access_gap.access_report): SQLite
#: indexes an IN list once but scans a LEFT JOINed union per person; PostgreSQL hash-joins.
NEVER_SEEN = {
    "sqlite": ("SUM(CASE WHEN h.id IN (SELECT person_id FROM seen) THEN 0 ELSE 1 END)", ""),
    "postgresql": ("SUM(CASE WHEN s.person_id IS NULL THEN 1 ELSE 0 END)",
                   "\n    LEFT JOIN seen s ON s.person_id = h.id"),
}


def access_baseline(session: Any) -> dict[str, int]:
    dialect = session.get_bind().dialect.name
    postgres = dialect == "postgresql"
    never_seen, seen_join = NEVER_SEEN[dialect]
    sql = ACCESS_SQL.replace("{never_seen}", never_seen).replace("{seen_join}", seen_join)
    row = session.execute(text(sql), {
        "as_of": AS_OF if postgres else AS_OF.isoformat(), "day": AS_OF.isoformat(),
        "yes": True, "no": False}).one()
    return {name: int(value or 0) for name, value in zip(ACCESS_FIGURES, row, strict=True)}


def access_rollcall(session: Any) -> dict[str, int]:
    r = access_report(session, AS_OF, limit=100)
    t = r.testimony_share
    values = (r.sites_never_visited.total, r.sites_partial_only.total, r.sites_full_access,
              r.persons_held, r.persons_held_without_site, r.persons_at_never_visited.total,
              r.persons_at_partial_only.total, r.persons_never_seen.total, t.witnesses,
              t.answered, t.never_saw)
    return dict(zip(ACCESS_FIGURES, values, strict=True))


# --- selective presentation ---------------------------------------------------------------

#: The counts behind each visit's 2x2 table, in plain SQL statements over temporary tables
#: (`bl_*`), written from the definitions (rollcall.monitoring.custody, .selective) rather
#: than from Rollcall's code, and in other words where that was possible:
#: - stays from events: runs of consecutive custody events naming one site (a running sum
#:   of "the site changed"), each ended by the next run's first day, or, when that run is
#:   an undated leaving, by its own last day included;
#: - recorded periods overlapping or sharing a day, of one person (merges resolved) at one
#:   site, read as one stay (a running maximum of the ends);
#: - a stay has a report when an act against the person at its site could touch it (an
#:   undated act always could) or a dated `hospitalised` event of the person could fall
#:   within it, its end day included; "could" by the partial date's first and last days;
#: - the roster of persons without a recorded period (the many) is counted by a sweep in
#:   SQL: cumulative counts of stays begun and ended per site and day, looked up for each
#:   visit's day; the persons with one (the few) are placed by a join, a stay from events
#:   set aside on a day a recorded period of the person covers, and counted distinct;
#: - the persons presented (merges resolved, distinct) are matched to the stays placing
#:   them at the site that day.
#: {day_*} turn a DATE column into ISO text; {yes} is the database's true. The CASTs give
#: the temporary tables' columns a type: without one SQLite compares by no affinity and
#: cannot use their indexes (an EXISTS per stay scanned every act: 470 s at 1M).
SELECTIVE_SQL = """
CREATE TEMP TABLE bl_markers AS
SELECT person_id, id,
       CAST(CASE WHEN type IN ({leaving}) THEN NULL ELSE site_id END AS INTEGER) AS site_id,
       CAST(CASE WHEN date IS NULL AND type IN ({leaving}) THEN '9999-99-99'
                 WHEN date IS NULL THEN ''
                 WHEN length(date) = 4 THEN date || '-01-01'
                 WHEN length(date) = 7 THEN date || '-01'
                 ELSE date END AS TEXT) AS day,
       CASE WHEN type IN ({leaving}) THEN 1 ELSE 0 END AS leaving
  FROM events
 WHERE (type IN ({custody}) AND site_id IS NOT NULL) OR type IN ({leaving});

CREATE TEMP TABLE bl_runs AS
SELECT person_id, site_id, day,
       SUM(changed) OVER (PARTITION BY person_id ORDER BY day, leaving, id
                          ROWS UNBOUNDED PRECEDING) AS run
  FROM (SELECT person_id, id, site_id, day, leaving,
               CASE WHEN prev IS NULL AND site_id IS NULL THEN 0
                    WHEN prev IS NULL OR site_id IS NULL THEN 1
                    WHEN prev <> site_id THEN 1 ELSE 0 END AS changed
          FROM (SELECT person_id, id, site_id, day, leaving,
                       LAG(site_id) OVER (PARTITION BY person_id
                                          ORDER BY day, leaving, id) AS prev
                  FROM bl_markers) lagged) flagged;

CREATE TEMP TABLE bl_run_days AS
SELECT person_id, run, MIN(site_id) AS site_id, MIN(day) AS first_day, MAX(day) AS last_day
  FROM bl_runs GROUP BY person_id, run;
CREATE INDEX bl_run_days_key ON bl_run_days (person_id, run);

CREATE TEMP TABLE bl_periods AS
SELECT CAST(COALESCE(p.merged_into_id, p.id) AS INTEGER) AS person_id, c.site_id, c.id,
       CAST({day_start} AS TEXT) AS start, CAST({day_end} AS TEXT) AS "end"
  FROM custody_periods c JOIN persons p ON p.id = c.person_id;
CREATE INDEX bl_periods_person ON bl_periods (person_id);

CREATE TEMP TABLE bl_recorded_stays AS
SELECT person_id, site_id, MIN(start) AS start,
       CASE WHEN MAX(COALESCE("end", '9999-12-31')) = '9999-12-31' THEN NULL
            ELSE MAX("end") END AS "end"
  FROM (SELECT person_id, site_id, start, "end",
               SUM(fresh) OVER (PARTITION BY person_id, site_id ORDER BY start, id
                                ROWS UNBOUNDED PRECEDING) AS grp
          FROM (SELECT person_id, site_id, id, start, "end",
                       CASE WHEN start <= MAX(COALESCE("end", '9999-12-31')) OVER (
                                   PARTITION BY person_id, site_id ORDER BY start, id
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                            THEN 0 ELSE 1 END AS fresh
                  FROM bl_periods) marked) grouped
 GROUP BY person_id, site_id, grp;

CREATE TEMP TABLE bl_recorded_persons AS SELECT DISTINCT person_id FROM bl_periods;
CREATE UNIQUE INDEX bl_recorded_persons_id ON bl_recorded_persons (person_id);

CREATE TEMP TABLE bl_victims AS
SELECT CAST(COALESCE(p.merged_into_id, p.id) AS INTEGER) AS person_id, a.site_id,
       CAST(CASE WHEN COALESCE(a.period_start, a.period_end) IS NULL THEN NULL
                 ELSE {first_day} END AS TEXT) AS first_day,
       CAST(CASE WHEN COALESCE(a.period_end, a.period_start) IS NULL THEN NULL
                 ELSE {last_day} END AS TEXT) AS last_day
  FROM acts a LEFT JOIN bench_witness_links bw ON bw.testimony_id = a.testimony_id
  JOIN persons p ON p.id = COALESCE(a.victim_person_id,
                                    CASE WHEN a.victim_is_witness = {yes}
                                         THEN bw.person_id END)
 WHERE a.site_id IS NOT NULL;
CREATE INDEX bl_victims_person ON bl_victims (person_id, site_id);

CREATE TEMP TABLE bl_hospital AS
SELECT person_id, CAST({hospital_first} AS TEXT) AS first_day,
       CAST({hospital_last} AS TEXT) AS last_day
  FROM events WHERE type = 'hospitalised' AND date IS NOT NULL;
CREATE INDEX bl_hospital_person ON bl_hospital (person_id);

CREATE TEMP TABLE bl_stays0 AS
SELECT CAST(r.person_id AS INTEGER) AS person_id, CAST(r.site_id AS INTEGER) AS site_id,
       CAST('events' AS TEXT) AS kind, CAST(r.first_day AS TEXT) AS start,
       CAST(CASE WHEN n.first_day = '9999-99-99' THEN r.last_day ELSE n.first_day END
            AS TEXT) AS "end",
       CASE WHEN n.first_day = '9999-99-99' THEN 1 ELSE 0 END AS end_included
  FROM bl_run_days r
  LEFT JOIN bl_run_days n ON n.person_id = r.person_id AND n.run = r.run + 1
 WHERE r.site_id IS NOT NULL
UNION ALL
SELECT person_id, site_id, 'recorded', start, "end", 1 FROM bl_recorded_stays;

CREATE TEMP TABLE bl_stays AS
SELECT s.person_id, s.site_id, s.kind, s.start, s."end", s.end_included,
       CASE WHEN s.person_id IN (SELECT person_id FROM bl_recorded_persons) THEN 1
            ELSE 0 END AS recorded_person,
       CASE WHEN EXISTS (
                SELECT 1 FROM bl_victims v
                 WHERE v.person_id = s.person_id AND v.site_id = s.site_id
                   AND (v.first_day IS NULL
                        OR ((s."end" IS NULL OR v.first_day <= s."end")
                            AND s.start <= v.last_day)))
              OR EXISTS (
                SELECT 1 FROM bl_hospital h
                 WHERE h.person_id = s.person_id
                   AND (s."end" IS NULL OR h.first_day <= s."end")
                   AND s.start <= h.last_day)
            THEN 1 ELSE 0 END AS report
  FROM bl_stays0 s;
CREATE INDEX bl_stays_person ON bl_stays (person_id, site_id);

CREATE TEMP TABLE bl_visits AS SELECT id, site_id, CAST({day_visit} AS TEXT) AS day
  FROM visits;

CREATE TEMP TABLE bl_edges AS
SELECT site_id, start AS day, 1 AS begun, report AS r_begun, 0 AS gone_on, 0 AS r_gone_on,
       0 AS gone_after, 0 AS r_gone_after
  FROM bl_stays WHERE recorded_person = 0
UNION ALL
SELECT site_id, "end", 0, 0, 1 - end_included, (1 - end_included) * report, end_included,
       end_included * report
  FROM bl_stays WHERE recorded_person = 0 AND "end" IS NOT NULL;

CREATE TEMP TABLE bl_sweep AS
SELECT site_id, day,
       SUM(SUM(begun)) OVER w AS begun, SUM(SUM(r_begun)) OVER w AS r_begun,
       SUM(SUM(gone_on)) OVER w AS gone_on, SUM(SUM(r_gone_on)) OVER w AS r_gone_on,
       SUM(SUM(gone_after)) OVER w AS gone_after, SUM(SUM(r_gone_after)) OVER w AS r_gone_after
  FROM bl_edges GROUP BY site_id, day
WINDOW w AS (PARTITION BY site_id ORDER BY day ROWS UNBOUNDED PRECEDING);
CREATE UNIQUE INDEX bl_sweep_day ON bl_sweep (site_id, day);

CREATE TEMP TABLE bl_swept AS
SELECT v.id,
       COALESCE(upto.begun, 0) - COALESCE(upto.gone_on, 0) - COALESCE(before.gone_after, 0)
         AS roster,
       COALESCE(upto.r_begun, 0) - COALESCE(upto.r_gone_on, 0)
         - COALESCE(before.r_gone_after, 0) AS reported
  FROM bl_visits v
  LEFT JOIN bl_sweep upto ON upto.site_id = v.site_id AND upto.day = (
       SELECT s.day FROM bl_sweep s WHERE s.site_id = v.site_id AND s.day <= v.day
        ORDER BY s.day DESC LIMIT 1)
  LEFT JOIN bl_sweep before ON before.site_id = v.site_id AND before.day = (
       SELECT s.day FROM bl_sweep s WHERE s.site_id = v.site_id AND s.day < v.day
        ORDER BY s.day DESC LIMIT 1);

CREATE TEMP TABLE bl_placed_few AS
SELECT v.id, COUNT(DISTINCT s.person_id) AS roster,
       COUNT(DISTINCT CASE WHEN s.report = 1 THEN s.person_id END) AS reported
  FROM bl_visits v
  JOIN bl_stays s ON s.site_id = v.site_id AND s.recorded_person = 1
   AND s.start <= v.day
   AND (s."end" IS NULL OR v.day < s."end" OR (s.end_included = 1 AND v.day <= s."end"))
 WHERE s.kind = 'recorded' OR NOT EXISTS (
       SELECT 1 FROM bl_periods c WHERE c.person_id = s.person_id
          AND c.start <= v.day AND (c."end" IS NULL OR v.day <= c."end"))
 GROUP BY v.id;

CREATE TEMP TABLE bl_presented AS
SELECT DISTINCT vp.visit_id, CAST(COALESCE(p.merged_into_id, p.id) AS INTEGER) AS person_id
  FROM visit_persons vp JOIN persons p ON p.id = vp.person_id;

CREATE TEMP TABLE bl_shown AS
SELECT visit_id, COUNT(*) AS presented, SUM(on_roster) AS on_roster,
       SUM(reported) AS reported
  FROM (SELECT pr.visit_id, pr.person_id,
               MAX(CASE WHEN s.person_id IS NULL THEN 0 ELSE 1 END) AS on_roster,
               MAX(COALESCE(s.report, 0)) AS reported
          FROM bl_presented pr JOIN bl_visits v ON v.id = pr.visit_id
          LEFT JOIN bl_stays s ON s.person_id = pr.person_id AND s.site_id = v.site_id
           AND s.start <= v.day
           AND (s."end" IS NULL OR v.day < s."end"
                OR (s.end_included = 1 AND v.day <= s."end"))
           AND (s.kind = 'recorded' OR s.recorded_person = 0 OR NOT EXISTS (
                SELECT 1 FROM bl_periods c WHERE c.person_id = s.person_id
                   AND c.start <= v.day AND (c."end" IS NULL OR v.day <= c."end")))
         GROUP BY pr.visit_id, pr.person_id) per_person
 GROUP BY visit_id;

SELECT v.id, w.roster + COALESCE(f.roster, 0), w.reported + COALESCE(f.reported, 0),
       COALESCE(sh.presented, 0), COALESCE(sh.on_roster, 0), COALESCE(sh.reported, 0)
  FROM bl_visits v JOIN bl_swept w ON w.id = v.id
  LEFT JOIN bl_placed_few f ON f.id = v.id
  LEFT JOIN bl_shown sh ON sh.visit_id = v.id
 ORDER BY v.id;
"""

BASELINE_TABLES = ("bl_markers", "bl_runs", "bl_run_days", "bl_periods", "bl_recorded_stays",
                   "bl_recorded_persons", "bl_victims", "bl_hospital", "bl_stays0", "bl_stays",
                   "bl_visits", "bl_edges", "bl_sweep", "bl_swept", "bl_placed_few",
                   "bl_presented", "bl_shown")
CUSTODY_TYPES = ("captured", "held", "transferred", "hospitalised", "seen_by_monitor",
                 "charged", "sentenced")
LEAVING_TYPES = ("released", "exchanged", "repatriated", "escaped", "died",
                 "body_repatriated")
SELECTIVE_FIGURES = ("roster", "roster_with_reports", "presented", "presented_on_roster",
                     "presented_with_reports")


def _first(column: str) -> str:
    """The first day a partial date (ISO text) can be."""
    return (f"CASE length({column}) WHEN 4 THEN {column} || '-01-01' "
            f"WHEN 7 THEN {column} || '-01' ELSE {column} END")


def _last(column: str) -> str:
    """A key no earlier than the last day a partial date can be and earlier than the next
    day it cannot: '2023-06' -> '2023-06-31' (as text, after every day of June)."""
    return (f"CASE length({column}) WHEN 4 THEN {column} || '-12-31' "
            f"WHEN 7 THEN {column} || '-31' ELSE {column} END")


def selective_sql(dialect: str) -> list[str]:
    """The baseline's statements for a database."""

    def day(column: str) -> str:
        return f"to_char({column}, 'YYYY-MM-DD')" if dialect == "postgresql" else column

    quoted = {name: ", ".join(f"'{t}'" for t in types)
              for name, types in (("custody", CUSTODY_TYPES), ("leaving", LEAVING_TYPES))}
    sql = SELECTIVE_SQL.format(
        **quoted, yes="TRUE" if dialect == "postgresql" else "1",
        day_start=day("c.start"), day_end=day('c."end"'), day_visit=day("date"),
        first_day=_first("COALESCE(a.period_start, a.period_end)"),
        last_day=_last("COALESCE(a.period_end, a.period_start)"),
        hospital_first=_first("date"), hospital_last=_last("date"))
    return [s.strip() for s in sql.split(";") if s.strip()]


def selective_baseline(session: Any) -> dict[int, tuple[int, ...]]:
    """Counts per visit id from the plain SQL (same work_mem and JIT settings as Rollcall's
    analysis on PostgreSQL); the temporary tables are dropped before returning."""
    dialect = session.get_bind().dialect.name
    postgres = dialect == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        session.execute(text("SET LOCAL jit = off"))
    *statements, final = selective_sql(dialect)
    try:
        for statement in statements:
            session.execute(text(statement))
            if postgres and statement.startswith("CREATE TEMP TABLE"):
                session.execute(text(f"ANALYZE {statement.split()[3]}"))
        rows = session.execute(text(final)).all()
    finally:
        for table in reversed(BASELINE_TABLES):
            session.execute(text(f"DROP TABLE IF EXISTS {table}"))
    return {int(r[0]): tuple(int(v) for v in r[1:]) for r in rows}


def selective_rollcall(session: Any) -> tuple[dict[int, tuple[int, ...]], Counter[str]]:
    """Rollcall's whole analysis over every visit: its counts per visit id, and how many
    visits got each verdict."""
    report = selective_presentation(session, VisitFilter())
    return ({i.visit_id: tuple(getattr(i, f) for f in SELECTIVE_FIGURES) for i in report.items},
            Counter(i.verdict for i in report.items))


def compare(mine: dict[int, tuple[int, ...]], theirs: dict[int, tuple[int, ...]]) -> list[str]:
    """The visits where the two sides differ, in words (at most 20)."""
    differ = sorted(v for v in set(mine) | set(theirs) if mine.get(v) != theirs.get(v))
    lines = [f"  visit {v}: Rollcall {mine.get(v)} baseline {theirs.get(v)}"
             for v in differ[:20]]
    if len(differ) > 20:
        lines.append(f"  ... {len(differ) - 20} more")
    return lines


# --- measuring -------------------------------------------------------------------------------

def measure(url: str, run: Callable[[Any], Any], repeat: int) -> tuple[list[float], Any]:
    """Seconds of each run, each in its own session (as a request would have), and the
    last result."""
    db = open_database(url, migrate_schema=False)
    db.seal_after_commit = False
    times, result = [], None
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            with db.session() as s:
                result = run(s)
            times.append(time.perf_counter() - started)
    finally:
        db.dispose()
    return times, result


def report(text_out: str, *, write: bool) -> None:
    """Print a section; with `write`, append it to docs/benchmarks.md too."""
    print(text_out)
    if write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text_out)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB RAM, "
            f"{platform.machine()}, Python {platform.python_version()}")


def seconds(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (first {times[0]:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file under --cache")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir(), "rollcall-monitoring-bench"),
                        help="folder of the cached SQLite registries")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--only", choices=("access", "selective"),
                        help="measure one analysis only")
    parser.add_argument("--rebuild", action="store_true", help="build even if cached")
    parser.add_argument("--build-only", action="store_true", help="build (or check), no timing")
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    # The sealed witness links of a cached registry open with the master key they were
    # sealed under: keep it beside the cache.
    args.cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ROLLCALL_MASTER_KEY_FILE", str(args.cache / "master.key"))

    url = args.database_url
    if url is None:
        args.cache.mkdir(parents=True, exist_ok=True)
        path = args.cache / (f"monitoring-v{VERSION}-{args.persons}-{args.sites}-"
                             f"{args.visits}-{args.seed}.db")
        if args.rebuild:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    for table, columns in TABLES.items():
        check_columns(table, columns)
    wanted = {"persons": args.persons, "sites": args.sites, "visits": args.visits}
    counts = present(url)
    build_note = "reused"
    if counts != wanted or args.rebuild:
        if counts and any(counts.values()):
            raise SystemExit(f"bench: {url.split('@')[-1]} holds other data ({counts}); "
                             "give an empty database or a new --cache")
        print(f"building {args.persons:,} persons in {backend} ...", file=sys.stderr)
        started = time.perf_counter()
        timings = build(url, args.persons, args.sites, args.visits, args.seed)
        build_note = (f"built in {time.perf_counter() - started:.0f} s ("
                      + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ")")
        print(build_note, file=sys.stderr)

    if args.build_only:
        return
    with_rows = open_database(url, migrate_schema=False)
    with with_rows.session() as s:
        sizes = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in (
            "persons", "events", "sites", "access_periods", "visits", "visit_persons",
            "testimonies", "acts", "custody_periods")}
    with_rows.dispose()

    rows, notes = [], []
    if args.only in (None, "access"):
        report_times, report = measure(url, access_rollcall, args.repeat)
        base_times, base = measure(url, access_baseline, args.repeat)
        if report != base:
            raise SystemExit(f"bench: the access report and the baseline disagree:\n"
                             f"  report   {report}\n  baseline {base}")
        rows.append(("access-gap report", report_times, base_times))
        notes.append(f"Access-gap figures (both agree): {json.dumps(report)}")
        print(notes[-1], file=sys.stderr)

    if args.only in (None, "selective"):
        sel_times, (sel, verdicts) = measure(url, selective_rollcall, args.repeat)
        sel_base_times, sel_base = measure(url, selective_baseline, args.repeat)
        differ = compare(sel, sel_base)
        if differ:
            raise SystemExit("bench: the selective analysis and its baseline disagree on "
                             "these visits (roster, with reports, presented, on roster, "
                             "on roster with reports):\n" + "\n".join(differ))
        rows.append(("selective presentation", sel_times, sel_base_times))
        totals = [sum(v[i] for v in sel.values()) for i in range(len(SELECTIVE_FIGURES))]
        notes.append(
            f"Selective presentation (both agree on all {len(sel):,} visits): sums over the "
            "visits: " + ", ".join(f"{name} {total:,}"
                                   for name, total in zip(SELECTIVE_FIGURES, totals,
                                                          strict=True))
            + "; verdicts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(verdicts.items())))
        print(notes[-1], file=sys.stderr)

    header = ("| database | analysis | Rollcall (median of "
              f"{args.repeat}) | plain SQL baseline | ratio |\n|---|---|---|---|---|")
    lines = [f"| {backend} | {name} | {seconds(mine)} | {seconds(theirs)} | "
             f"{statistics.median(mine) / statistics.median(theirs):.2f} |"
             for name, mine, theirs in rows]
    command = (f".venv/bin/python bench/monitoring_bench.py --persons {args.persons} "
               f"--sites {args.sites} --visits {args.visits} --seed {args.seed} "
               f"--repeat {args.repeat}"
               + (f" --only {args.only}" if args.only else "")
               + (f" --database-url {url.split('@')[-1]}" if args.database_url else ""))
    text_out = (f"### Monitoring analyses, {backend}, {dt.date.today().isoformat()}\n\n"
                f"Command: `{command}`  \n"
                f"Machine: {machine()}; {platform.platform()}; load average "
                + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " at the end  \n"
                "Registry: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
                + f" ({build_note})\n\n{header}\n" + "\n".join(lines) + "\n\n"
                + "\n\n".join(notes) + "\n")
    report(text_out, write=args.write)


if __name__ == "__main__":
    main()
