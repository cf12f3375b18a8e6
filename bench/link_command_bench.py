"""Benchmark: the whole `rollcall link --full` on a registry of `rollcall synth` lists
(SQLite or PostgreSQL), next to the plain Splink baseline of `linkage_bench.py` measured in
the same run.

The registry is the one `linkage_bench.py synth --work DIR` builds (DIR/registry.db, every
list imported with `rollcall import`). Each run links a fresh copy: SQLite copies the file,
PostgreSQL creates a database from a template holding the same lists (build it once with
`--build-postgres`). The command runs in its own process; its wall time, peak RSS
(`wait4`), stage times (from its progress lines) and the load average are reported, then
the persons it made are scored against the ground truth: pairwise precision and recall of
the final persons (every pair of records one person holds).

    .venv/bin/python bench/link_command_bench.py --work /tmp/b1_1m
    .venv/bin/python bench/link_command_bench.py --work /tmp/b1_1m \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_bench_e [--build-postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linkage_bench import ROOT, measure

STAGE = re.compile(r"^link: (\w+) \((\d+) s\)$")


def fresh_postgres(template_url: str) -> str:
    """A new database copied from the template (which must have no open connections)."""
    template = make_url(template_url)
    run = template.set(database=f"{template.database}_run")
    admin = create_engine(template.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{run.database}"'))
        conn.execute(text(f'CREATE DATABASE "{run.database}" TEMPLATE "{template.database}"'))
    admin.dispose()
    return run.render_as_string(hide_password=False)


def build_postgres(work: Path, url: str) -> None:
    """Import the synthetic lists into a PostgreSQL database, as into the SQLite one."""
    from rollcall.db import open_database
    from rollcall.services.actor import local_operator
    from rollcall.services.imports import import_list
    from rollcall.synth.lists import LISTS

    db = open_database(url)
    try:
        for spec in LISTS:
            import_list(db, local_operator(), work / "lists" / spec.file, title=spec.title,
                        origin=spec.origin)
    finally:
        db.dispose()


def run_link(url: str) -> dict[str, Any]:
    """`rollcall link --full` in a child process: seconds, peak RSS, stage start times."""
    env = {**os.environ, "ROLLCALL_DATABASE_URL": url}
    load_before = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rollcall", "--as", "linker", "link", "--full"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    stages: dict[str, float] = {}
    assert proc.stderr is not None and proc.stdout is not None
    err_lines = []
    for line in proc.stderr:
        err_lines.append(line)
        match = STAGE.match(line.strip())
        if match:
            stages.setdefault(match.group(1), time.perf_counter() - started)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status:
        raise SystemExit(f"rollcall link failed:\n{''.join(err_lines)[-3000:]}")
    order = ["reading", "features", "merging", "done"]
    at = [stages.get(s, 0.0) for s in order]
    return {
        "seconds": seconds, "max_rss_mb": round(usage.ru_maxrss / 1024),
        "stages": stages, "startup": at[0], "reading": at[1] - at[0], "engine": at[2] - at[1],
        "apply": at[3] - at[2], "commit_and_seal": seconds - at[3],
        "load_before": load_before, "load_after": os.getloadavg(),
        "summary": out.strip(), "warnings": [ln for ln in err_lines if "seal" in ln],
    }


def score(url: str, work: Path) -> dict[str, Any]:
    """Pairwise precision / recall of the persons in the database against truth.csv."""
    from rollcall.linkage import evaluate
    from rollcall.linkage.records import is_latin

    with (work / "truth.csv").open(encoding="utf-8", newline="") as f:
        truth_rows = {(r["list"], int(r["row_number"])): r["person_id"] for r in csv.DictReader(f)}
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT r.id, r.person_id, s.file_name, r.row_number, r.surname "
            "FROM source_records r JOIN sources s ON s.id = r.source_id")).all()
    engine.dispose()
    clusters = {r[0]: r[1] for r in rows}
    truth = {r[0]: truth_rows[(Path(r[2]).name, r[3])] for r in rows
             if (Path(r[2]).name, r[3]) in truth_rows}
    latin = {r[0]: is_latin(r[4]) for r in rows}
    return {k: {"precision": v.precision, "recall": v.recall, "f1": v.f1}
            for k, v in evaluate(clusters, truth, latin).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--postgres", help="URL of a PostgreSQL template registry")
    parser.add_argument("--build-postgres", action="store_true")
    parser.add_argument("--skip-plain", action="store_true")
    args = parser.parse_args()
    # The keys of the registry linkage_bench.py built (see its synth_data): without them
    # the command cannot seal, and its time would leave the seal out.
    os.environ.setdefault("ROLLCALL_DATA_DIR", str(args.work / "data"))
    if args.postgres:
        if args.build_postgres:
            build_postgres(args.work, args.postgres)
        url, name = fresh_postgres(args.postgres), "PostgreSQL"
    else:
        copy = args.work / "command.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(args.work / "registry.db", copy)
        url, name = f"sqlite:///{copy}", "SQLite"
    result = run_link(url)
    if any("not sealed" in warning for warning in result["warnings"]):
        raise SystemExit("the command could not seal its entries (another key than the "
                         f"registry's?), so its time leaves the seal out: {result['warnings']}")
    result["scores"] = score(url, args.work)
    if not args.skip_plain:
        plain = measure("plain-synth", str(args.work / "records.parquet"),
                        str(args.work / "truth.json"))
        plain["load_after"] = os.getloadavg()
        result["plain"] = plain
    print(json.dumps(result, indent=1, default=str))
    s, c = result["scores"]["all"], result["scores"]["cross_script"]
    print(f"\n| {name} | {result['seconds']:.1f} | {result['reading']:.0f} | "
          f"{result['engine']:.0f} | {result['apply']:.0f} | {result['commit_and_seal']:.0f} | "
          f"{result['max_rss_mb']:,} | {s['precision']:.4f} / {s['recall']:.4f} | "
          f"{c['precision']:.4f} / {c['recall']:.4f} | "
          f"{result['load_before'][0]:.1f}-{result['load_after'][0]:.1f} |")
    if "plain" in result:
        p = result["plain"]
        print(f"plain Splink: {p['seconds']:.1f} s, {p['max_rss_mb']:,} MB, "
              f"P {p['scores']['all']['precision']:.4f} R {p['scores']['all']['recall']:.4f}; "
              f"ratio command / plain {result['seconds'] / p['seconds']:.2f}")


if __name__ == "__main__":
    main()
