"""A killed import leaves no half-imported source; running it again completes it once."""

import os
import signal
import subprocess
import sys

from sqlalchemy import func, select

from rollcall.models import Change, Person, Source, SourceRecord

ROWS = 60_000


def big_list(path):
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Номер картки,Прізвище,Ім'я,По батькові,Дата народження,Військова частина\n")
        for n in range(ROWS):
            handle.write(f"ОБ-{n:06d},Прізвище{n % 997},Ім'я{n % 89},По{n % 13},"
                         f"{1 + n % 28:02d}.{1 + n % 12:02d}.19{60 + n % 40},в/ч А{n % 5000}\n")


def run_import(path, db_url, batch_rows):
    env = {**os.environ, "ROLLCALL_DATABASE_URL": db_url,
           "ROLLCALL_IMPORT_BATCH_ROWS": str(batch_rows)}
    command = [sys.executable, "-m", "rollcall", "--as", "kill-test", "import", str(path),
               "--source", "Big list", "--origin", "own_bureau"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def stored(db):
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Source)),
            s.scalar(select(func.count()).select_from(SourceRecord)),
            s.scalar(select(func.count()).select_from(Person)),
            s.scalar(select(func.count()).where(Change.action == "record:imported")),
        )


def test_killed_import_leaves_nothing_and_rerun_completes_without_duplicates(db, db_url, tmp_path):
    path = tmp_path / "big.csv"
    big_list(path)

    process = run_import(path, db_url, batch_rows=500)
    line = process.stderr.readline()  # the first batch is written when this appears
    assert "rows read" in line, line
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert stored(db) == (0, 0, 0, 0)

    process = run_import(path, db_url, batch_rows=2000)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert f"accepted {ROWS}, rejected 0" in out
    assert stored(db) == (1, ROWS, ROWS, ROWS)
    with db.session() as s:
        distinct_rows = s.scalar(select(func.count(func.distinct(SourceRecord.row_number))))
        assert distinct_rows == ROWS
