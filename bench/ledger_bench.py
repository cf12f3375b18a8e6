"""Benchmark: the transparency log at N entries (default 1,000,000), on SQLite and
PostgreSQL, next to bare `hashlib.sha256` over the same leaf bytes in the same run.

    .venv/bin/python bench/ledger_bench.py --entries 1000000

Measures, per database:
- append: one seal of N pending change entries (read the rows, build each leaf's canonical
  JSON, hash, store leaves and subtree hashes, check consistency, sign a checkpoint);
- the physical floor: SHA-256 of the same leaf bytes (0x00 || entry) with hashlib alone;
- verify: `rollcall ledger verify --log-only` of the N-entry log (every leaf re-derived
  from its change row, the tree recomputed, every checkpoint checked);
- an inclusion proof at that size from stored hashes, and its verification;
- sealing one more entry on top of the N-entry log, and the no-op check when nothing waits.

The entries are list-import entries (`record:imported`: a source record, its person and
two events, ~1.3 KB of canonical JSON each), written with the bare driver into an empty
Rollcall schema beforehand (not timed). Pass `--rows-import M` to also time the full
verify, rows included, after a real `import_list` of an M-row synthetic list (SQLite).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_bench_ledger"
ORIGIN = "bench.rollcall.localhost/ledger"

SURNAMES = ["Коваленко", "Шевчук", "Бондаренко", "Ткаченко", "Кравчук", "Олійник", "Мельник"]
GIVEN = ["Олександр", "Андрій", "Сергій", "Віталій", "Ігор", "Дмитро", "Назар"]
PATRONYMICS = ["Петрович", "Іванович", "Олегович", "Григорійович", "Васильович"]


def import_state(n: int, rng: random.Random) -> dict:
    """One list row's change state, shaped as `services.import_rows` writes it."""
    surname, given, patronymic = rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(PATRONYMICS)
    birth = f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    record = {
        "id": n, "source_id": 1, "row_number": n + 1, "source_key": f"ОБ-{n:07d}",
        "person_id": n, "surname": surname, "given_name": given, "patronymic": patronymic,
        "name_script": "cyrl", "sex": "m", "birth_date": birth, "place_of_birth": "Дніпро",
        "service_number": f"ХХ-{rng.randint(100000, 999999)}", "rank": "солдат",
        "unit": f"в/ч А{rng.randint(1000, 9999)}", "power_depended_on": None,
        "father_name": None, "mother_maiden_name": None, "person_to_inform": None,
        "capture_date": "2024-10", "capture_place": "Куп'янськ", "category": "pow",
        "stated_status": "утримується", "status_date": "2024-11-01", "health_notes": None,
        "site_named": "ВК-19 Керч", "death_date": None, "death_place": None,
        "death_cause": None, "burial_place": None, "notes": None, "refused_fields": [],
        "raw": {"Номер картки": f"ОБ-{n:07d}", "Прізвище": surname, "Ім'я": given,
                "По батькові": patronymic, "Дата народження": birth,
                "Місце утримання": "ВК-19 Керч", "Статус": "утримується"},
    }
    person = {
        "id": n, "surname": surname, "given_name": given, "patronymic": patronymic,
        "name_script": "cyrl", "sex": "m", "birth_date": birth, "category": "pow",
        "custody_status": "held", "legal_status": "pow", "status_as_of": "2024-11-01",
        "search_key": f"{surname} {given} {patronymic}".lower(),
        "created_at": "2026-11-22T04:46:50.718352Z",
    }
    events = [
        {"id": 2 * n, "person_id": n, "source_id": 1, "source_record_id": n,
         "type": "captured", "date": "2024-10", "place": "Куп'янськ", "site_id": None,
         "site_named": None, "details": {}},
        {"id": 2 * n + 1, "person_id": n, "source_id": 1, "source_record_id": n,
         "type": "held", "date": "2024-11-01", "place": None, "site_id": 8,
         "site_named": "ВК-19 Керч", "details": {}},
    ]
    return {"record": record, "person": person, "events": events}


def change_rows(count: int, sqlite: bool):
    """Change rows in stored form, in batches (as `services.import_rows` builds them)."""
    from rollcall.services.changes import canonical_json_prepared

    rng = random.Random(5)
    at = dt.datetime(2026, 11, 22, 4, 46, 50, 718352, tzinfo=dt.UTC)
    stored_at = at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at
    batch = []
    for n in range(1, count + 1):
        state = canonical_json_prepared(import_state(n, rng))
        batch.append((stored_at, "bench", "cli", "record:imported", "source_record", str(n),
                      "{}", state))
        if len(batch) == 10_000:
            yield batch
            batch = []
    if batch:
        yield batch


def fresh_database(kind: str, work: Path):
    from sqlalchemy import create_engine, text

    from rollcall.db import open_database

    if kind == "sqlite":
        path = work / "ledger_bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = open_database(f"sqlite:///{path}")
    else:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS rollcall_bench_ledger WITH (FORCE)"))
        admin.dispose()
        db = open_database(PG_BENCH)
    db.seal_after_commit = False
    return db


def load_changes(db, count: int) -> float:
    from rollcall.bulk import insert_rows
    from rollcall.models import Change
    from rollcall.services.import_rows import CHANGE_COLUMNS

    started = time.perf_counter()
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.begin() as conn:
        for batch in change_rows(count, sqlite):
            insert_rows(conn, Change.__table__, CHANGE_COLUMNS, batch)
    return time.perf_counter() - started


def sha256_floor(db) -> tuple[float, int]:
    """Seconds hashlib.sha256 alone takes over the same leaf bytes (built untimed)."""
    from sqlalchemy import select

    from rollcall.ledger.entries import stored_entry_bytes, stored_entry_columns
    from rollcall.models import Change

    table = Change.__table__
    columns = stored_entry_columns(table, db.engine.dialect.name)
    hashing = 0.0
    total = 0
    last = 0
    sha256 = hashlib.sha256
    with db.engine.connect() as conn:
        while True:
            rows = conn.execute(select(*columns).where(table.c.id > last)
                                .order_by(table.c.id).limit(20_000)).all()
            if not rows:
                break
            data = [b"\x00" + stored_entry_bytes(*row) for row in rows]
            total += sum(len(d) for d in data)
            started = time.perf_counter()
            for item in data:
                sha256(item).digest()
            hashing += time.perf_counter() - started
            last = rows[-1][0]
    return hashing, total


def timed(fn, repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) / repeat


def run(kind: str, count: int, work: Path) -> dict[str, float]:
    from sqlalchemy import select

    from rollcall.ledger import log
    from rollcall.ledger.keys import NoteSigner
    from rollcall.ledger.merkle import verify_inclusion
    from rollcall.ledger.verify import verify
    from rollcall.models import LedgerLeaf
    from rollcall.services.actor import local_operator
    from rollcall.services.sites import add_site

    db = fresh_database(kind, work)
    signer = NoteSigner.generate(ORIGIN)
    result: dict[str, float] = {"load_s": load_changes(db, count)}
    print(f"[{kind}] {count} change rows loaded in {result['load_s']:.1f} s", file=sys.stderr)

    result["floor_s"], result["bytes"] = sha256_floor(db)
    result["append_s"] = timed(lambda: log.seal(db.engine, signer, ORIGIN, wait=True))
    print(f"[{kind}] sealed in {result['append_s']:.1f} s", file=sys.stderr)

    report = verify(db.engine, [signer.verifier], ORIGIN, rows=False)
    assert report.ok and report.leaves == count, [str(p) for p in report.problems[:3]]
    result["verify_s"] = report.seconds["log"]
    print(f"[{kind}] verified in {result['verify_s']:.1f} s", file=sys.stderr)

    rng = random.Random(9)
    with db.engine.connect() as conn:
        size, _note = log.latest_checkpoint(conn)
        root = log.root_at(conn, size)
        indexes = [rng.randrange(size) for _ in range(1000)]
        started = time.perf_counter()
        proofs = [log.inclusion_proof(conn, i, size) for i in indexes]
        result["proof_ms"] = (time.perf_counter() - started) / len(indexes) * 1e3
        result["proof_len"] = sum(len(p) for p in proofs) / len(proofs)
        stored = dict(conn.execute(
            select(LedgerLeaf.leaf_index, LedgerLeaf.leaf_hash)
            .where(LedgerLeaf.leaf_index.in_(indexes))).all())
        started = time.perf_counter()
        for index, proof in zip(indexes, proofs, strict=True):
            assert verify_inclusion(index, size, bytes(stored[index]), proof, root)
        result["proof_verify_ms"] = (time.perf_counter() - started) / len(indexes) * 1e3
        result["check_ms"] = timed(lambda: log.has_pending(conn), repeat=200) * 1e3

    operator = local_operator("bench")
    writes = seals = 0.0
    for _ in range(21):
        started = time.perf_counter()
        with db.session() as session:
            add_site(session, operator, name_en="Bench site")
        wrote = time.perf_counter()
        log.seal(db.engine, signer, ORIGIN, wait=True)
        if _:  # the first round warms up
            writes += wrote - started
            seals += time.perf_counter() - wrote
    result["write_ms"], result["seal_one_ms"] = writes / 20 * 1e3, seals / 20 * 1e3
    db.seal_after_commit = True
    with db.engine.connect() as conn:
        result["db_mib"] = _database_mib(conn, kind, work)
    db.dispose()
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _database_mib(conn, kind: str, work: Path) -> float:
    from sqlalchemy import text

    if kind == "sqlite":
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return (work / "ledger_bench.db").stat().st_size / 2**20
    return conn.execute(text("SELECT pg_database_size(current_database())")).scalar() / 2**20


def rows_verify(count: int, work: Path) -> dict[str, float]:
    """A real import of `count` synthetic rows (SQLite), sealed, then the full verify."""
    sys.path.insert(0, str(ROOT / "bench"))
    from import_bench import make_list

    from rollcall.ledger import log
    from rollcall.ledger.keys import NoteSigner
    from rollcall.ledger.verify import verify
    from rollcall.services.actor import local_operator
    from rollcall.services.imports import import_list

    path = make_list(count, work)
    db = fresh_database("sqlite", work)
    started = time.perf_counter()
    import_list(db, local_operator("bench"), path, title="bench", origin="own_bureau")
    imported = time.perf_counter() - started
    signer = NoteSigner.generate(ORIGIN)
    sealed = timed(lambda: log.seal(db.engine, signer, ORIGIN, wait=True))
    report = verify(db.engine, [signer.verifier], ORIGIN)
    assert report.ok, [str(p) for p in report.problems[:3]]
    db.dispose()
    return {"import_s": imported, "seal_s": sealed, "log_s": report.seconds["log"],
            "rows_s": report.seconds["rows"], "entries": report.leaves,
            "rows": sum(report.rows_checked.values())}


def table(count: int, results: dict[str, dict[str, float]]) -> str:
    lines = [
        "| database | append (one seal) | sha256 floor, same bytes | append / floor | "
        "verify (log) | inclusion proof | proof check | seal 1 more (the write itself) | "
        "no-op check | database size |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, r in results.items():
        lines.append(
            f"| {kind} | {count / r['append_s']:,.0f} entries/s ({r['append_s']:.1f} s) | "
            f"{count / r['floor_s']:,.0f} entries/s ({r['floor_s']:.2f} s, "
            f"{r['bytes'] / count:,.0f} B/entry) | {r['append_s'] / r['floor_s']:.0f}x | "
            f"{r['verify_s']:.1f} s ({count / r['verify_s']:,.0f} entries/s) | "
            f"{r['proof_ms']:.2f} ms ({r['proof_len']:.0f} hashes) | "
            f"{r['proof_verify_ms']:.3f} ms | {r['seal_one_ms']:.1f} ms ({r['write_ms']:.1f} ms) | "
            f"{r['check_ms']:.2f} ms | {r['db_mib']:,.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rows-import", type=int, default=0,
                        help="also time the full verify after a real import of this many rows")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.chdir(args.work)
    results = {kind: run(kind, args.entries, args.work) for kind in args.databases.split(",")}
    print(f"Command: `.venv/bin/python bench/ledger_bench.py --entries {args.entries}"
          + (f" --rows-import {args.rows_import}" if args.rows_import else "") + "`  ")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}\n")
    print(table(args.entries, results))
    print("\npeak RSS of the benchmark process: "
          f"{max(r['rss_mib'] for r in results.values()):,.0f} MiB")
    if args.rows_import:
        r = rows_verify(args.rows_import, args.work)
        print(f"\nFull verify after a real import of {args.rows_import:,} rows (SQLite): "
              f"import {r['import_s']:.1f} s, seal {r['seal_s']:.1f} s, verify log "
              f"{r['log_s']:.1f} s + rows {r['rows_s']:.1f} s ({r['entries']:,} entries, "
              f"{r['rows']:,.0f} rows compared); peak RSS now "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
