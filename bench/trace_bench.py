"""Benchmark: the tracing search's recall@10 and latency on a registry built from
`rollcall synth` lists, on SQLite or PostgreSQL.

Queries come from the ground truth: a person with records on two or more lists; one of
them with a date of birth (list B) gives the query - its spelling of the name, tokens in a
random order, and its year of birth - and the search must rank another record of the same
person (from another list) among the first 10 persons. Persons none of whose records gives
a date of birth are measured apart, names only. Without linkage every record is its own
person, so the query's own record is among the results too and takes one of the 10 places.

Latency: one session per query, as a request would have; the first `--warmup` queries
(not counted) fill the caches. Build the registry first:

    rollcall synth --persons 540000 --out /tmp/s
    ROLLCALL_DATABASE_URL=sqlite:////tmp/t.db rollcall import /tmp/s/lists/own_bureau.csv ...
    .venv/bin/python bench/trace_bench.py --synth /tmp/s --url sqlite:////tmp/t.db [--reindex]

Prints a Markdown table; `--write` appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rollcall.db import open_database  # noqa: E402
from rollcall.models import Source, SourceRecord, TraceKey, TraceName  # noqa: E402
from rollcall.services.actor import local_operator  # noqa: E402
from rollcall.tracing import rebuild_index, refresh_index, trace  # noqa: E402

TOP = 10


def load_truth(synth: Path) -> dict[str, list[tuple[str, int]]]:
    """Person -> [(list file, row number)]."""
    persons: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with (synth / "truth.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            persons[row["person_id"]].append((row["list"], int(row["row_number"])))
    return persons


Query = tuple[str, int, set[int]]  # text, the query's own record, the person's others


def build_queries(db, synth: Path, count: int, seed: int) -> tuple[list[Query], list[Query]]:
    """Queries with a year of birth (the asking list gives one), and names-only queries
    (no list of the person gives a date of birth that could be asked with)."""
    rng = random.Random(seed)
    truth = load_truth(synth)
    multi = sorted(pid for pid, rows in truth.items() if len({r[0] for r in rows}) >= 2)
    rng.shuffle(multi)
    dated: list[Query] = []
    undated: list[Query] = []
    with db.session() as s:
        sources = {name: sid for sid, name in s.execute(select(Source.id, Source.file_name))}
        for pid in multi:
            if len(dated) >= count:
                break
            records = {}
            for list_file, row_number in truth[pid]:
                records[list_file, row_number] = s.scalars(select(SourceRecord).where(
                    SourceRecord.source_id == sources[list_file],
                    SourceRecord.row_number == row_number)).one()
            with_date = [key for key, r in records.items() if r.birth_date is not None]
            asked = rng.choice(with_date or list(records))
            record = records[asked]
            words = [w for w in (record.surname, record.given_name, record.patronymic) if w]
            rng.shuffle(words)
            if record.birth_date is not None:
                words.append(str(record.birth_date.year))
            others = {r.id for key, r in records.items() if key[0] != asked[0]}
            (dated if with_date else undated).append((" ".join(words), record.id, others))
    return dated, undated


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(db, queries: list[Query], warmup: int) -> dict[str, float]:
    actor = local_operator("bench")
    for text, _, _ in queries[:warmup]:
        with db.session() as s:
            trace(s, actor, text, limit=TOP)
    found = 0
    latencies = []
    considered = []
    for text, _, others in queries[warmup:]:
        started = time.perf_counter()
        with db.session() as s:
            result = trace(s, actor, text, limit=TOP)
            shown = {c.person.id for c in result.candidates}
            if shown:
                hit_records = set(s.scalars(select(SourceRecord.id).where(
                    SourceRecord.person_id.in_(shown), SourceRecord.id.in_(others))))
            else:
                hit_records = set()
        latencies.append((time.perf_counter() - started) * 1000)
        considered.append(result.records_considered)
        found += bool(hit_records)
    measured = len(queries) - warmup
    return {
        "queries": measured, "recall": found / measured,
        "p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99), "max": max(latencies),
        "mean_candidates": statistics.mean(considered), "max_candidates": max(considered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synth", type=Path, required=True, help="rollcall synth folder")
    parser.add_argument("--url", required=True, help="database URL of the imported registry")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index first")
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()

    db = open_database(args.url)
    # Searches write nothing: no ledger sealing after their sessions (rollcall.ledger).
    db.seal_after_commit = False
    backend = db.engine.dialect.name
    index_seconds = None
    with db.session() as s:
        started = time.perf_counter()
        indexed = rebuild_index(s) if args.reindex else refresh_index(s)
        if args.reindex or indexed:
            index_seconds = time.perf_counter() - started
    if backend == "postgresql" and (args.reindex or indexed):
        # What autovacuum does soon after a bulk load: statistics for the planner, and the
        # visibility map that lets the lookups read the index alone. Not counted in the
        # index build time.
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM ANALYZE trace_keys, trace_names")
            conn.exec_driver_sql("ANALYZE")  # the import's tables too, had autovacuum not
    with db.session() as s:
        records = s.scalar(select(func.count(SourceRecord.id)))
        names = s.scalar(select(func.count()).select_from(TraceName))
        keys = s.scalar(select(func.count()).select_from(TraceKey))
    queries, names_only = build_queries(db, args.synth, args.queries + args.warmup, args.seed)
    result = run(db, queries, args.warmup)
    undated = run(db, names_only, 0) if names_only else None

    line = (f"| {'SQLite' if backend == 'sqlite' else 'PostgreSQL'} | {records:,} | "
            f"{keys:,} | {result['queries']:,} | {result['recall']:.4f} | "
            f"{result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | "
            f"{result['max']:.1f} | {result['mean_candidates']:.0f} / "
            f"{result['max_candidates']} | "
            f"{f'{index_seconds:.0f} s ({indexed:,} records)' if index_seconds else '-'} |")
    header = ("| database | records | index entries | queries | recall@10 | p50 ms | p95 ms | "
              "p99 ms | max ms | candidates mean / max | index build |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|")
    text = (f"### Tracing search, {dt.date.today().isoformat()}\n\n"
            f"Command: `.venv/bin/python bench/trace_bench.py --synth {args.synth} --url "
            f"{args.url.split('@')[-1]} --queries {args.queries}"
            f"{' --reindex' if args.reindex else ''}`  \n"
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.platform()}; shared with other agents\n\n"
            f"{header}\n{line}\n")
    if undated:
        text += (f"\nNames only (no list of the person gives a date of birth; met while "
                 f"drawing the queries above, not counted in them): {undated['queries']} "
                 f"queries, recall@10 {undated['recall']:.4f}, p95 {undated['p95']:.1f} "
                 "ms.\n")
    print(text)
    print(f"(trace_names rows: {names:,})")
    if args.write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    db.dispose()


if __name__ == "__main__":
    main()
