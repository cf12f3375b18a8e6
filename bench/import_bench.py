"""Benchmark: `rollcall import` of N synthetic rows into SQLite and PostgreSQL, next to the
raw bulk-load speed of the same rows with the bare driver (sqlite3 `executemany`, psycopg
`COPY`) measured in the same run.

Each measurement runs in its own process, so its peak memory (max RSS) is its own.

    .venv/bin/python bench/import_bench.py --rows 1000000

Prints a Markdown table; `--write` appends it to docs/benchmarks.md.

`--compare-src DIR` also times Rollcall's import by another version of the code (its `src`
folder, e.g. `git archive <commit> src | tar -x -C DIR`) on the same list in the same run,
alternating the two versions `--repeat` times and keeping each one's best: the cost of a
change, such as sealing the person to inform, on a shared machine. `--pg-db` names the
PostgreSQL database the run may drop and create (and `<name>_same`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/"
PG_NAME = "rollcall_bench"
PG_BENCH = PG_SERVER + PG_NAME


def make_list(rows: int, work: Path) -> Path:
    """The own bureau's list from the synthetic generator, cut to exactly `rows` rows."""
    target = work / f"own_bureau_{rows}.csv"
    if target.exists():
        return target
    from rollcall.synth import generate

    persons = int(rows / 0.68) + 1000
    generate(persons, 1, work / "synth")
    source = work / "synth" / "lists" / "own_bureau.csv"
    with source.open(encoding="utf-8", newline="") as src, target.open(
        "w", encoding="utf-8", newline=""
    ) as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        written = 0
        for row in reader:
            writer.writerow(row)
            written += 1
            if written == rows:
                break
    if written < rows:
        raise SystemExit(f"the synthetic list has only {written} rows")
    return target


def _reset_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')


def raw_sqlite(path: Path, work: Path) -> int:
    import sqlite3

    db = work / "raw.db"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        conn.execute(f"CREATE TABLE raw (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" for _ in header)
        names = ", ".join(f"c{i}" for i in range(len(header)))
        conn.executemany(f"INSERT INTO raw ({names}) VALUES ({marks})", reader)
    conn.commit()
    count = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
    conn.close()
    return int(count)


def raw_postgres(path: Path, work: Path) -> int:
    import psycopg

    _reset_postgres()
    with psycopg.connect(PG_BENCH.replace("postgresql://", "postgresql://", 1)) as conn:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
            conn.execute(f"CREATE TABLE raw (id BIGSERIAL PRIMARY KEY, {columns})")
            names = ", ".join(f"c{i}" for i in range(len(header)))
            with conn.cursor().copy(f"COPY raw ({names}) FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
        count = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
    return int(count)


TABLES = ("persons", "source_records", "events", "changes")


def same_rows_sqlite(work: Path) -> int:
    """The rows Rollcall wrote (persons, records, events, change log), loaded again into an
    empty Rollcall schema with the bare driver: the cost of the writes alone."""
    import sqlite3

    from rollcall.db import open_database

    target = work / "same_rows.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    open_database(f"sqlite:///{target}").dispose()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(f"ATTACH DATABASE '{work / 'rollcall.db'}' AS done")
    moved = 0
    for table in TABLES:
        cursor = conn.execute(f"SELECT * FROM done.{table}")
        marks = ", ".join("?" for _ in cursor.description)
        while batch := cursor.fetchmany(20000):
            conn.executemany(f"INSERT INTO main.{table} VALUES ({marks})", batch)
            if table == "source_records":
                moved += len(batch)
    conn.commit()
    conn.close()
    return moved


def same_rows_postgres(work: Path) -> int:
    """As `same_rows_sqlite`, with COPY out of the imported database and COPY into a fresh
    one."""
    import psycopg

    from rollcall.db import open_database

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}_same" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}_same"')
    target = PG_BENCH + "_same"
    open_database(target).dispose()
    moved = 0
    with psycopg.connect(PG_BENCH) as source, psycopg.connect(target) as dest:
        dest.execute("SET session_replication_role = replica")  # no FK checks, as raw
        for table in TABLES:
            with source.cursor().copy(f"COPY {table} TO STDOUT") as out, \
                    dest.cursor().copy(f"COPY {table} FROM STDIN") as into:
                for block in out:
                    into.write(block)
        moved = dest.execute("SELECT count(*) FROM source_records").fetchone()[0]
    return int(moved)


def rollcall_import(path: Path, work: Path, url: str) -> int:
    from rollcall.db import open_database
    from rollcall.services.actor import local_operator
    from rollcall.services.imports import import_list

    db = open_database(url)
    report = import_list(db, local_operator("bench"), path, title="bench", origin="own_bureau")
    db.dispose()
    return report.accepted + report.rejected


def child(kind: str, path: Path, work: Path) -> None:
    start = time.perf_counter()
    if kind == "raw-sqlite":
        rows = raw_sqlite(path, work)
    elif kind == "raw-postgres":
        rows = raw_postgres(path, work)
    elif kind == "rollcall-sqlite":
        db = work / "rollcall.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        rows = rollcall_import(path, work, f"sqlite:///{db}")
    elif kind == "rollcall-postgres":
        _reset_postgres()
        rows = rollcall_import(path, work, PG_BENCH)
    elif kind == "same-rows-sqlite":
        rows = same_rows_sqlite(work)
    elif kind == "same-rows-postgres":
        rows = same_rows_postgres(work)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds = time.perf_counter() - start
    # The import's worker process is a child: its peak adds to the importer's (an upper
    # bound of the two together, since their peaks need not coincide).
    peak_kib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"kind": kind, "rows": rows, "seconds": seconds, "peak_mib": peak_kib / 1024}))


def measure(kind: str, path: Path, work: Path, src: Path | None = None) -> dict[str, float]:
    """One measurement in its own process; with `src`, Rollcall imported from there."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--list", str(path), "--work", str(work),
         "--pg-db", PG_NAME], check=True, capture_output=True, text=True, env=env,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(path: Path, work: Path, src: Path, repeat: int) -> list[str]:
    """Rollcall's import by this code and by the code in `src`, alternated `repeat` times
    per database; the best time of each. Markdown lines."""
    lines = [
        "", f"Compared with the code in `{src}`, alternating, best of {repeat} each:", "",
        "| database | this code | that code | this / that time |", "|---|---|---|---|",
    ]
    for name, suffix in (("SQLite", "sqlite"), ("PostgreSQL", "postgres")):
        best: dict[str, dict[str, float]] = {}
        for _ in range(repeat):
            for label, where in (("that", src), ("this", None)):
                got = measure(f"rollcall-{suffix}", path, work, where)
                if label not in best or got["seconds"] < best[label]["seconds"]:
                    best[label] = got
        this, that = best["this"], best["that"]
        lines.append(
            f"| {name} | {this['rows'] / this['seconds']:,.0f} rows/s ({this['seconds']:.1f} s) "
            f"| {that['rows'] / that['seconds']:,.0f} rows/s ({that['seconds']:.1f} s) "
            f"| {this['seconds'] / that['seconds']:.2f} |")
    return lines


def main() -> None:
    global PG_NAME, PG_BENCH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    parser.add_argument("--compare-src", type=Path, help="another version's src folder")
    parser.add_argument("--repeat", type=int, default=2, help="runs per version to compare")
    parser.add_argument("--pg-db", default=PG_NAME, help="PostgreSQL database to (re)create")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    PG_NAME, PG_BENCH = args.pg_db, PG_SERVER + args.pg_db
    args.work.mkdir(parents=True, exist_ok=True)
    if args.child:
        child(args.child, args.list, args.work)
        return

    path = make_list(args.rows, args.work)
    results = {kind: measure(kind, path, args.work) for kind in
               ("raw-sqlite", "rollcall-sqlite", "same-rows-sqlite",
                "raw-postgres", "rollcall-postgres", "same-rows-postgres")}
    lines = [
        f"### Import of {args.rows:,} rows — {dt.date.today().isoformat()}",
        "",
        f"Command: `.venv/bin/python {' '.join(['bench/import_bench.py', *sys.argv[1:]])}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        "",
        "Baseline A: the CSV rows bulk-loaded as text by the bare driver (sqlite3 "
        "`executemany`, psycopg `COPY`). Baseline B: the database rows Rollcall wrote "
        "(persons, records, events, change log) loaded again into an empty schema by the bare "
        "driver.",
        "",
        "| database | rollcall import | A: raw CSV rows | ratio to A | B: same DB rows "
        "| ratio to B | rollcall peak RSS (importer + worker) | A peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, suffix in (("SQLite", "sqlite"), ("PostgreSQL", "postgres")):
        raw, ours, same = (results[f"raw-{suffix}"], results[f"rollcall-{suffix}"],
                           results[f"same-rows-{suffix}"])
        rate = {key: r["rows"] / r["seconds"] for key, r in
                (("raw", raw), ("ours", ours), ("same", same))}
        lines.append(
            f"| {name} | {rate['ours']:,.0f} rows/s ({ours['seconds']:.1f} s) "
            f"| {rate['raw']:,.0f} rows/s ({raw['seconds']:.1f} s) "
            f"| {rate['ours'] / rate['raw']:.1%} "
            f"| {rate['same']:,.0f} rows/s ({same['seconds']:.1f} s) "
            f"| {rate['ours'] / rate['same']:.0%} "
            f"| {ours['peak_mib']:.0f} MiB | {raw['peak_mib']:.0f} MiB |"
        )
    if args.compare_src is not None:
        lines += compare(path, args.work, args.compare_src.resolve(), args.repeat)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
