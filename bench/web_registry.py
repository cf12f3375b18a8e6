"""The registry behind the page load test (bench/web_load.py): 1,000,000 persons in
PostgreSQL, built through the services as a bureau would (not bulk SQL), so every table a
page reads is as the application writes it: the sites, the own bureau's list of 1,000,000
synthetic rows imported by `services.imports.import_list` (records, persons, events,
rejected rows, the tracing index, change entries), a second small list from the other
side, staff accounts, and family tracing requests.

    .venv/bin/python bench/web_registry.py --url postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_test_browser_load

Prints what it built and the seconds each part took. The staff password is printed and
written to `--work`/login.txt; the load script reads it from there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import make_list  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from rollcall.dates import PartialDate  # noqa: E402
from rollcall.db import open_database  # noqa: E402
from rollcall.models import Person, Site, TracingRequest  # noqa: E402
from rollcall.services import accounts, tracing  # noqa: E402
from rollcall.services.actor import local_operator  # noqa: E402
from rollcall.services.imports import import_list  # noqa: E402
from rollcall.services.sites import import_sites  # noqa: E402
from rollcall.vocabulary import Origin, Role  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_test_browser_load"
STAFF = (Role.REGISTRAR, Role.INVESTIGATOR, Role.ANALYST, Role.LIAISON)
OTHER_SIDE_ROWS = 20_000
REQUESTS = 2_000


def create_database(url: str, rebuild: bool) -> bool:
    """Create the database if it does not exist (drop it first with `rebuild`); False
    when it exists already and is kept. Building again over a kept one completes it: the
    accounts get a new password, a list already imported is recognised by its SHA-256."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("rollcall_test_browser_"):
        raise SystemExit("bench: the load registry's database name must start with "
                         "rollcall_test_browser_")
    admin = url.rsplit("/", 1)[0].replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and not rebuild:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def other_side_list(work: Path, rows: int) -> Path:
    """The first `rows` rows of the synthetic adversary list: records of persons the own
    list holds too, spelt the other side's way."""
    target = work / f"adversary_{rows}.csv"
    if not target.exists():
        # Byte for byte: the synthetic adversary list is in Windows-1251, as such lists are.
        source = work / "synth" / "lists" / "adversary_bureau.csv"
        with source.open("rb") as src, target.open("wb") as dst:
            for number, line in enumerate(src):
                dst.write(line)
                if number == rows:
                    break
    return target


def build(url: str, work: Path, persons: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    actor = local_operator("bench")
    started = time.perf_counter()
    own = make_list(persons, work)
    timings["synthetic list"] = time.perf_counter() - started
    db = open_database(url)
    password = secrets.token_urlsafe(12)
    started = time.perf_counter()
    with db.session() as session:
        known = {u.username for u in accounts.list_users(session)}
        for role in STAFF:
            if role.value in known:
                accounts.set_password(session, actor, role.value, password)
            else:
                accounts.add_user(session, actor, role.value, password, [role],
                                  display_name=f"Load {role.value}", language="uk")
        if not session.scalar(select(func.count()).select_from(Site)):
            import_sites(session, actor, work / "synth" / "sites.csv")
    (work / "login.txt").write_text(json.dumps({"password": password}), encoding="utf-8")
    timings["accounts and sites"] = time.perf_counter() - started
    for name, path, origin in (
            ("own list", own, Origin.OWN_BUREAU),
            ("other side's list", other_side_list(work, OTHER_SIDE_ROWS), Origin.ADVERSARY_BUREAU)):
        started = time.perf_counter()
        report = import_list(db, actor, path, title=f"Synthetic {name}", origin=origin,
                             received=PartialDate(2024, 11))
        timings[name] = time.perf_counter() - started
        print(f"  {name}: {report.accepted:,} accepted, {report.rejected:,} rejected, "
              f"{timings[name]:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    rng = random.Random(5)
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(TracingRequest)):
            sample = []  # added by an earlier run  # type: ignore[assignment]
        else:
            sample = session.execute(select(Person.surname, Person.given_name)
                                     .where(Person.id % 500 == 0).limit(REQUESTS)).all()
        for surname, given in sample:
            tracing.submit_request(session, actor, tracing.RequestForm(
                surname=surname or "Невідомий", given_name=given or "Невідомий",
                requester_name="Синтетична родина", requester_relation="мати",
                requester_contact=f"+380 67 {rng.randrange(10**7):07d}"))
    timings["tracing requests"] = time.perf_counter() - started
    started = time.perf_counter()
    with db.engine.connect() as conn:
        # As autovacuum would after a while; without it the planner reads a million-row
        # list as a few hundred rows and picks slow plans.
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.perf_counter() - started
    with db.session() as session:
        count = session.scalar(select(func.count()).select_from(Person)) or 0
    print(f"  persons: {count:,}; staff password in {work / 'login.txt'}", file=sys.stderr)
    db.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "web")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="drop and build again")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    # The keys that seal contacts and sign the log must be those the load's server reads
    # (web_load.py serves with this data folder), not ./rollcall-data of the working dir.
    os.environ["ROLLCALL_DATA_DIR"] = str(args.work / "data")
    if not create_database(args.url, args.rebuild):
        print("registry exists: completing it (each part is skipped when present; "
              "--rebuild starts again)", file=sys.stderr)
    timings = build(args.url, args.work, args.persons)
    print(json.dumps({k: round(v, 1) for k, v in timings.items()}))


if __name__ == "__main__":
    main()
