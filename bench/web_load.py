"""Load test of the staff pages: 50 simulated staff (bench/web_locust.py) for 60 s against
`rollcall serve --workers N` over the 1,000,000-person PostgreSQL registry of
bench/web_registry.py, on loopback only. Prints p50/p95/p99 and errors per page type,
next to a static file (the stylesheet) served by the same server in the same run.

    .venv/bin/python bench/web_registry.py            # once: builds the registry
    .venv/bin/python bench/web_load.py --workers 2    # the run (about 1.5 minutes)

Bounded: the load stops after --seconds, the server is stopped when the run ends.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/rollcall_test_browser_load"
FLOOR = "static file (floor)"
TARGET_P95_MS = 300


def sample(url: str, work: Path) -> Path:
    """Names, person ids, sources and tracing requests to ask for, drawn from the registry."""
    import psycopg

    rng = random.Random(11)
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        top = conn.execute("SELECT max(id) FROM persons").fetchone()[0]
        ids = rng.sample(range(1, top + 1), 2000)
        names = conn.execute("SELECT surname, given_name FROM persons WHERE id = ANY(%s) "
                             "AND given_name IS NOT NULL", (ids[:500],)).fetchall()
        sources = [r[0] for r in conn.execute(
            "SELECT id FROM sources WHERE file_sha256 IS NOT NULL")]
        requests = [r[0] for r in conn.execute("SELECT id FROM tracing_requests LIMIT 500")]
    login = json.loads((work / "login.txt").read_text(encoding="utf-8"))
    path = work / "load-sample.json"
    path.write_text(json.dumps({
        "password": login["password"], "person_ids": ids, "names": names,
        "source_ids": sources, "request_ids": requests}, ensure_ascii=False), encoding="utf-8")
    return path


def open_sessions(base: str, password: str) -> dict[str, str]:
    """One session per staff role, opened through the login form as a browser would."""
    import re

    import httpx

    sessions = {}
    for username in ("registrar", "investigator", "liaison", "analyst"):
        with httpx.Client(base_url=base, timeout=60) as client:
            form = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
            answer = client.post("/login", data={
                "username": username, "password": password, "next": "/persons",
                "csrf_token": token.group(1) if token else ""})
            if answer.status_code != 303:
                raise SystemExit(f"login as {username} failed: {answer.status_code}")
            sessions[username] = client.cookies["rollcall_session"]
    return sessions


def probe_paths(data: dict, i: int) -> dict[str, str]:
    """One page of each type, the i-th sample of each."""
    surname, given = data["names"][i % len(data["names"])]
    return {
        "static file (floor)": "/static/style.css",
        "person page": f"/persons/{data['person_ids'][i]}",
        "persons: name search": f"/persons?q={surname} {given}",
        "persons: list and filter": f"/persons?status=held&page={1 + i % 5}",
        "sources": "/sources",
        "source and its report": f"/sources/{data['source_ids'][i % len(data['source_ids'])]}",
        "tracing search": f"/tracing?q={surname} {given}",
        "tracing requests": "/tracing/requests",
        "tracing request with candidates":
            f"/tracing/requests/{data['request_ids'][i % len(data['request_ids'])]}",
        "testimonies": "/testimonies", "incidents": "/incidents", "sites": "/sites",
    }


def warm_up(base: str, data: dict, workers: int) -> None:
    """A few requests of each kind before the clock starts, so every worker process has
    loaded what it loads once (the name tables of the tracing search, the templates)."""
    import httpx

    cookies = {"rollcall_session": data["sessions"]["liaison"]}
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client:
        for i in range(3 * workers):
            for path in probe_paths(data, i).values():
                client.get(path)


def one_at_a_time(base: str, data: dict, rounds: int = 7) -> dict[str, float]:
    """Each page type asked `rounds` times (other samples each time), one request at a
    time: the median in ms, what a page costs without waiting for others."""
    import statistics

    import httpx

    times: dict[str, list[float]] = {}
    cookies = {"rollcall_session": data["sessions"]["liaison"]}
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client:
        for i in range(10, 10 + rounds):
            for name, path in probe_paths(data, i).items():
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, work: Path, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ROLLCALL_DATABASE_URL": url, "ROLLCALL_DATA_DIR": str(work / "data"),
           "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [str(BIN / "rollcall"), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
        stderr=open(work / "server.log", "wb"))  # noqa: SIM115
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s; see server.log")


def run_locust(port: int, users: int, seconds: int, sample_file: Path, work: Path) -> Path:
    prefix = work / "load"
    env = {**os.environ, "ROLLCALL_LOAD_SAMPLE": str(sample_file)}
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "web_locust.py"), "--headless",
         "--users", str(users), "--spawn-rate", "10", "--run-time", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "WARNING"],
        env=env, check=False, timeout=seconds + 120)
    return Path(f"{prefix}_stats.csv")


def table(stats: Path, alone: dict[str, float]) -> tuple[str, list[str]]:
    rows = list(csv.DictReader(stats.open(encoding="utf-8")))
    floor = next(r for r in rows if r["Name"] == FLOOR)
    lines = ["| page type | alone (median) | requests | errors | p50 | p95 | p99 "
             "| p95 / floor p95 |", "|---|---|---|---|---|---|---|---|"]
    missed = []
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        p95 = float(r["95%"])
        ratio = p95 / max(float(floor["95%"]), 1.0)
        single = f"{alone[r['Name']]:.0f} ms" if r["Name"] in alone else ""
        lines.append(f"| {r['Name']} | {single} | {int(r['Request Count']):,} | "
                     f"{r['Failure Count']} | "
                     f"{r['50%']} ms | {r['95%']} ms | {r['99%']} ms | {ratio:.1f} |")
        if r["Name"] not in ("Aggregated", "login") and (
                p95 >= TARGET_P95_MS or int(r["Failure Count"])):
            missed.append(r["Name"])
    return "\n".join(lines), missed


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return (f"{os.cpu_count()} cores ({model}), {memory} GiB RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "web")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    sample_file = sample(args.url, args.work)
    port = free_port()
    server = start_server(args.url, args.work, args.workers, port)
    try:
        data = json.loads(sample_file.read_text(encoding="utf-8"))
        data["sessions"] = open_sessions(f"http://127.0.0.1:{port}", data["password"])
        sample_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        warm_up(f"http://127.0.0.1:{port}", data, args.workers)
        alone = one_at_a_time(f"http://127.0.0.1:{port}", data)
        before = os.getloadavg()
        started = time.time()
        stats = run_locust(port, args.users, args.seconds, sample_file, args.work)
        after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(30)
    text, missed = table(stats, alone)
    print(f"Machine: {machine()}; load average {before[0]:.1f} before, {after[0]:.1f} after")
    print(f"Run: {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC, "
          f"{args.users} users, {args.seconds} s, {args.workers} uvicorn workers")
    print(text)
    print("missed the target (p95 >= 300 ms or errors): " + (", ".join(missed) or "none"))


if __name__ == "__main__":
    main()
