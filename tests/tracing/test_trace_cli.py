"""`rollcall trace` and `rollcall tracing reindex` as an operator uses them."""

from __future__ import annotations

import json

from tracing_support import import_lists
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings


def test_trace_prints_ranked_persons_and_json(db, db_url, operator, tmp_path, monkeypatch):
    lists = import_lists(db, operator, tmp_path)
    own_person = lists.record(db, lists.own, 2)[1]
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()
    text = runner.invoke(app, ["trace", "Александр Коваленко 1995", "--limit", "3"],
                         catch_exceptions=False)
    assert text.exit_code == 0, text.output
    lines = [line for line in text.output.splitlines() if line.strip()[:2].rstrip(".").isdigit()]
    assert len(lines) == 3
    assert "Коваленко Олександр Петрович" in lines[0] or "Kovalenko Oleksandr" in lines[0]
    assert "surname, given_name, birth_year" in lines[0]
    as_json = runner.invoke(app, ["trace", "Kovalenko Oleksandr 11.02.1995", "--json"],
                            catch_exceptions=False)
    found = json.loads(as_json.output)["candidates"]
    assert found[0]["person_id"] in (own_person, lists.record(db, lists.icrc, 2)[1])
    assert "birth_date" in found[0]["reasons"] and found[0]["birth_date"] == "1995-02-11"


def test_reindex_rebuilds_the_index(db, db_url, operator, tmp_path, monkeypatch):
    import_lists(db, operator, tmp_path)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    answer = CliRunner().invoke(app, ["tracing", "reindex"], catch_exceptions=False)
    assert answer.exit_code == 0 and answer.output.startswith("8 records indexed")
