"""`rollcall import` as a registrar uses it: the summary, the full report, clean errors."""

import csv
import os
import subprocess
import sys

from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings

LIST = (
    "Прізвище,Ім'я,Дата народження\n"
    "Коваленко,Андрій,12.03.1994\n"
    ",Іван,1990\n"
    "Шевчук,Петро,31.02.1990\n"
)


def test_summary_report_file_and_second_run(tmp_path, monkeypatch, db, db_url):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    report = tmp_path / "report.csv"
    runner = CliRunner()
    args = ["import", str(path), "--source", "Family reports", "--origin", "family"]
    first = runner.invoke(app, [*args, "--report", str(report)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "encoding utf-8" in first.output
    assert "accepted 1, rejected 2" in first.output
    with report.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert [(r["file"], r["row"], r["level"]) for r in lines] == [
        ("list.csv", "3", "rejected"), ("list.csv", "4", "rejected")
    ]
    assert lines[1]["field"] == "Дата народження"
    second = runner.invoke(app, args, catch_exceptions=False)
    assert second.exit_code == 0 and "already imported" in second.output


def test_a_user_mistake_is_one_clean_line_not_a_traceback(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("Прізвище\nКоваленко\n".encode("utf-16"))
    env = {**os.environ, "ROLLCALL_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "rollcall", "import", str(path), "--source", "x",
         "--origin", "other"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "utf16.csv" in result.stderr and "UTF-16" in result.stderr
    assert "Traceback" not in result.stderr
