"""Benchmark: the dashboard (issue 6 part 4) on a registry of 1,000,000 persons, on SQLite
or PostgreSQL, next to baselines measured in the same run.

The registry is the monitoring benchmark's (bench/monitoring_registry.py: 1M persons, 500
sites, 20,000 visits, 5,506 testimonies) with the indicators' layer on top
(bench/indicators_registry.py: status dates, categories, sources, exchanges, incidents).

Measured, each `--repeat` times in a fresh session (medians and first runs reported):
- the page: `GET /dashboard` through the app in-process (login, every indicator, the
  charts and tables rendered), for each scenario of filters;
- `compute_indicators` alone, for the same scenarios;
- baselines: `SELECT count(*) FROM persons` (one pass over the table: the floor), and for
  the whole registry a script of plain SQL statements written from the definitions
  (`PLAIN_SQL`, deaths in custody worked out in SQL rather than by the status rule in
  Python) giving the dashboard's figures. The run stops unless both give the same.

    .venv/bin/python bench/indicators_bench.py                 # SQLite, cached
    .venv/bin/python bench/indicators_bench.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_test_indicators_1m

Prints a Markdown section; `--write` appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import indicators_registry
from monitoring_bench import machine, measure, report
from monitoring_registry import ROOT, TABLES, VERSION, build, check_columns, present
from sqlalchemy import text

from rollcall.db import open_database
from rollcall.stats.indicators import ALL, Filters, compute_indicators

#: (name, query parameters of the page, the same as filters)
SCENARIOS: list[tuple[str, dict[str, str], Filters]] = [
    ("whole registry", {}, Filters()),
    ("2023, POWs", {"date_from": "2023", "date_to": "2023", "category": "pow"},
     Filters(period_from=dt.date(2023, 1, 1), period_to=dt.date(2023, 12, 31),
             category="pow")),  # type: ignore[arg-type]
    ("the largest site", {"site_id": "1"}, Filters(site_id=1)),
    ("one source (a fifth of the events)", {"source_id": "2"}, Filters(source_id=2)),
    ("whole registry, for publication", {"publication": "1"}, Filters()),
]

CUSTODY = ("'captured', 'held', 'transferred', 'hospitalised', 'seen_by_monitor', "
           "'charged', 'sentenced'")
LEAVING = "'released', 'exchanged', 'repatriated', 'escaped'"
DAY = (f"CASE WHEN e.date IS NULL THEN CASE WHEN e.type IN ({CUSTODY}) THEN '' "
       "ELSE '9999-99-99' END "
       "WHEN length(e.date) = 4 THEN e.date || '-01-01' "
       "WHEN length(e.date) = 7 THEN e.date || '-01' ELSE e.date END")

#: The dashboard's figures, from the definitions, in plain SQL. Deaths in custody: a dead
#: person with a custody fact and no release, exchange, repatriation or escape after
#: which a custody fact other than a charge or sentence (possible in absentia) follows
#: on a later day.
PLAIN_SQL = {
    "persons": "SELECT custody_status, count(*) FROM persons WHERE merged_into_id IS NULL "
               "GROUP BY custody_status",
    "deaths": f"""
        WITH dead AS (SELECT id FROM persons
                       WHERE merged_into_id IS NULL AND custody_status = 'dead'),
        facts AS (
          SELECT e.person_id,
                 MAX(CASE WHEN e.type IN ({CUSTODY}) THEN 1 ELSE 0 END) AS held,
                 MAX(CASE WHEN e.type IN ({LEAVING}) THEN {DAY} END) AS left_on,
                 MAX(CASE WHEN e.type IN ({CUSTODY}) AND e.type NOT IN ('charged',
                     'sentenced') THEN {DAY} END) AS back_on
            FROM events e JOIN dead d ON d.id = e.person_id
           GROUP BY e.person_id)
        SELECT (SELECT count(*) FROM dead),
               (SELECT count(*) FROM facts WHERE held = 1
                   AND (left_on IS NULL OR back_on > left_on))""",
    "sites": """
        WITH visited AS (
          SELECT site_id FROM visits WHERE date <= :today
          UNION SELECT site_id FROM access_periods WHERE level IN ('partial', 'full')
                AND (start IS NULL OR start <= :day)),
        full_access AS (
          SELECT site_id FROM visits WHERE date <= :today AND private_interviews = :yes
             AND (premises_refused IS NULL OR premises_refused = '')
          UNION SELECT site_id FROM access_periods WHERE level = 'full'
                AND (start IS NULL OR start <= :day))
        SELECT CASE WHEN id IN (SELECT site_id FROM full_access) THEN 'full_access'
                    WHEN id IN (SELECT site_id FROM visited) THEN 'partial_only'
                    ELSE 'never_visited' END, count(*)
          FROM sites GROUP BY 1""",
    "methods": """
        WITH named AS (
          SELECT COALESCE(p.merged_into_id, p.id) AS person_id, t.id AS testimony_id
            FROM testimonies t JOIN bench_witness_links l ON l.testimony_id = t.id
            JOIN persons p ON p.id = l.person_id
           WHERE t.consent_statistics = :yes),
        counted AS (SELECT n.* FROM named n JOIN persons s ON s.id = n.person_id
                     WHERE s.custody_status = 'released')
        SELECT 'witnesses', count(DISTINCT person_id) FROM counted
        UNION ALL
        SELECT 'any', count(DISTINCT c.person_id) FROM counted c
          JOIN acts a ON a.testimony_id = c.testimony_id WHERE a.victim_is_witness = :yes
        UNION ALL
        SELECT a.method, count(DISTINCT c.person_id) FROM counted c
          JOIN acts a ON a.testimony_id = c.testimony_id
         WHERE a.victim_is_witness = :yes GROUP BY a.method""",
    "incidents": "SELECT count(*), coalesce(sum(victim_count), 0) FROM incidents "
                 "WHERE status <> 'retracted'",
    "exchanges": "SELECT count(*), coalesce(sum(unnamed_bodies_to_own_side) + "
                 "sum(unnamed_bodies_to_adversary), 0) FROM exchanges",
    "handed": "SELECT ep.direction, ep.kind, count(DISTINCT COALESCE(p.merged_into_id, p.id)) "
              "FROM exchange_persons ep JOIN persons p ON p.id = ep.person_id "
              "GROUP BY ep.direction, ep.kind",
}


def plain_figures(session: Any) -> dict[str, Any]:
    today = dt.date.today()
    values = {"today": today, "day": today.isoformat(), "yes": True}
    rows = {name: session.execute(text(sql), values).all() for name, sql in PLAIN_SQL.items()}
    persons = {status: n for status, n in rows["persons"]}
    dead, in_custody = rows["deaths"][0]
    handed = sum(n for _, _, n in rows["handed"]) + rows["exchanges"][0][1]
    return {
        "persons": {**persons, "all": sum(persons.values())},
        "deaths": (in_custody, dead),
        "sites": dict(rows["sites"]),
        "methods": {m: n for m, n in rows["methods"] if n},
        "incidents": tuple(rows["incidents"][0]),
        "exchanges": rows["exchanges"][0][0],
        "handed": handed,
    }


def rollcall_figures(session: Any) -> dict[str, Any]:
    found = compute_indicators(session)

    def numbers(code: str) -> dict[str, int]:
        return {"/".join(c.key): c.numerator or 0 for c in found[code].cells}

    persons = {k: v for k, v in numbers("persons_by_status").items() if v}
    deaths = numbers("deaths_in_custody")
    methods = {k: v for k, v in numbers("ill_treatment_methods").items() if v and k != ALL}
    whole = found["ill_treatment_methods"].cell(ALL)
    methods.update({"witnesses": whole.denominator or 0, "any": whole.numerator or 0})
    return {
        "persons": persons,
        "deaths": (deaths["in_custody"], deaths["all"]),
        "sites": {k: v for k, v in numbers("sites_by_access").items() if k != ALL and v},
        "methods": methods,
        "incidents": (numbers("incidents")["all/all"], numbers("victims")["all/all"]),
        "exchanges": numbers("exchanges")["all"],
        "handed": numbers("persons_exchanged")["all/all"],
    }


def page_runner(url: str, params: dict[str, str]) -> Callable[[], float]:
    """Times `GET /dashboard` with these parameters through the app, logged in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from rollcall.app import create_app
    from rollcall.errors import NotFound
    from rollcall.services import accounts
    from rollcall.services.actor import local_operator
    from rollcall.vocabulary import Role
    sys.path.insert(0, str(ROOT / "tests"))
    from webtest_support import PASSWORD, log_in

    db = open_database(url, migrate_schema=False)
    db.seal_after_commit = False
    with db.session() as s:
        try:
            accounts.get_user(s, "bench-analyst")
        except NotFound:  # created once
            accounts.add_user(s, local_operator("bench"), "bench-analyst", PASSWORD,
                              [Role.ANALYST], language="en")
    client = TestClient(create_app(db), base_url="http://testserver")
    log_in(client, "bench-analyst")

    def run() -> float:
        started = time.perf_counter()
        answer = client.get("/dashboard", params=params)
        took = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"bench: the dashboard answered {answer.status_code}")
        return took

    return run


def seconds(times: list[float]) -> str:
    return (f"{statistics.median(times):.2f} s ("
            + ", ".join(f"{t:.2f}" for t in times) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file under --cache")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir(), "rollcall-indicators-bench"))
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("ROLLCALL_DATA_DIR", str(Path(tempfile.gettempdir(),
                                                        "rollcall-indicators-bench-data")))

    url = args.database_url
    if url is None:
        args.cache.mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(args.cache / (
            f"monitoring-v{VERSION}-{args.persons}-{args.sites}-{args.visits}-{args.seed}.db"))
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    for table, columns in TABLES.items():
        check_columns(table, columns)
    notes = []
    if present(url) != {"persons": args.persons, "sites": args.sites, "visits": args.visits}:
        started = time.perf_counter()
        build(url, args.persons, args.sites, args.visits, args.seed)
        notes.append(f"registry built in {time.perf_counter() - started:.0f} s")
    if not indicators_registry.present(url):
        started = time.perf_counter()
        indicators_registry.add_layer(url, args.seed)
        notes.append(f"indicators' layer added in {time.perf_counter() - started:.0f} s")
    open_database(url).dispose()  # migrations (the index of 0015) if not yet
    if args.build_only:
        return

    db = open_database(url, migrate_schema=False)
    with db.session() as s:
        sizes = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in (
            "persons", "events", "sites", "visits", "testimonies", "acts", "incidents",
            "exchanges", "exchange_persons")}
    db.dispose()

    _, mine = measure(url, rollcall_figures, 1)
    plain_t, plain = measure(url, plain_figures, args.repeat)
    if mine != plain:
        raise SystemExit(f"bench: the indicators and the plain SQL disagree:\n  rollcall "
                         f"{mine}\n  plain    {plain}")
    count_t, _ = measure(url, lambda s: s.scalar(text("SELECT count(*) FROM persons")),
                         args.repeat)
    rows = []
    for name, params, filters in SCENARIOS:
        run = page_runner(url, params)
        page_t = [run() for _ in range(args.repeat)]
        published = "publication" in params
        lib_t, _ = measure(url, lambda s, f=filters, p=published: compute_indicators(
            s, f, publication=p), args.repeat)
        rows.append((name, page_t, lib_t))
        print(f"{name}: page {seconds(page_t)}, library {seconds(lib_t)}", file=sys.stderr)

    plain_med = statistics.median(plain_t)
    header = ("| database | filters | `GET /dashboard`, median (runs) | "
              "`compute_indicators` alone | page / plain SQL of the whole registry |\n"
              "|---|---|---|---|---|")
    lines = [f"| {backend} | {name} | {seconds(page)} | {seconds(lib)} | "
             f"{statistics.median(page) / plain_med:.2f} |" for name, page, lib in rows]
    command = ("bench/indicators_bench.py" + (f" --database-url {url.split('@')[-1]}"
                                              if args.database_url else "")
               + f" --repeat {args.repeat}")
    text_out = (
        f"### Dashboard, {backend}, {dt.date.today().isoformat()}\n\n"
        f"Command: `.venv/bin/python {command}`  \n"
        f"Machine: {machine()}; {platform.platform()}; load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " at the end  \n"
        "Registry: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
        + (f" ({'; '.join(notes)})" if notes else "") + "\n\n"
        f"Baselines in the same run: the plain SQL of the dashboard's figures "
        f"{seconds(plain_t)}; `SELECT count(*) FROM persons` {seconds(count_t)}.\n\n"
        f"{header}\n" + "\n".join(lines) + "\n\n"
        f"Both sides agree on the whole registry's figures: {mine}\n")
    report(text_out, write=args.write)


if __name__ == "__main__":
    main()
