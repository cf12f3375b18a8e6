"""Custody through the API and the CLI: stays of custody_world.build_custody_world,
access rules, overlaps refused with nothing written."""

from __future__ import annotations

import json

import pytest
from custody_world import build_custody_world
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.models import CustodyPeriod
from webtest_support import api_token


@pytest.fixture
def world(db, operator, tmp_path):
    return build_custody_world(db, operator, tmp_path)


def _periods(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(CustodyPeriod))


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_api_reads_and_records(db, operator, world, app_client, users):
    p1 = world.person[1]
    assert app_client.get(f"/api/persons/{p1}/custody").status_code == 401
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    body = app_client.get(f"/api/persons/{p1}/custody").json()
    assert body["person_id"] == p1 and body["recorded"] == []
    assert body["stays"] == [
        {"kind": "events", "site": {"id": world.site["A"], "name": "Site A"},
         "start": "2023-01-05", "end": "2023-03-10", "end_included": False},
        {"kind": "events", "site": {"id": world.site["B"], "name": "Site B"},
         "start": "2023-03-10", "end": "2023-08-01", "end_included": False},
    ]
    merged = app_client.get(f"/api/persons/{world.person[8]}/custody").json()
    assert merged["person_id"] == world.person[7]
    assert merged["recorded"][0]["person_id"] == world.person[8]
    assert merged["recorded"][0]["site"]["name"] == "Site A"
    assert app_client.get("/api/persons/999999/custody").status_code == 404

    period = {"person_id": p1, "site": "site-c", "start": "2023-08-01", "end": "2023-09-01"}
    before = _periods(db)
    assert app_client.post("/api/custody", json=period).status_code == 403
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    created = app_client.post("/api/custody", json=period)
    assert created.status_code == 201, created.text
    assert created.json()["site"] == {"id": world.site["C"], "name": "Site C"}
    assert created.json()["end"] == "2023-09-01"

    clash = app_client.post("/api/custody", json={**period, "site": "site-a",
                                                  "start": "2023-08-15", "end": None})
    assert clash.status_code == 409
    assert f"site {world.site['C']} (site-c)" in clash.json()["detail"]
    backwards = app_client.post("/api/custody", json={**period, "end": "2023-07-01"})
    assert backwards.status_code == 422
    assert app_client.post("/api/custody", json={**period, "site": "site-z"}).status_code == 404
    assert _periods(db) == before + 1


def test_cli_adds_and_shows(db, db_url, world, monkeypatch):
    p3 = world.person[3]
    shown = _cli(monkeypatch, db_url, "custody", "show", str(p3))
    assert shown.exit_code == 0, shown.output
    assert (f"site {world.site['B']}: Site B, 2023-01-10 to 2023-04-01 (included) "
            "[from events]") in shown.output

    added = _cli(monkeypatch, db_url, "custody", "add", str(p3), "site-a", "--from",
                 "2023-05-01")
    assert added.exit_code == 0 and "recorded" in added.output, added.output
    again = json.loads(_cli(monkeypatch, db_url, "custody", "show", str(p3), "--json").output)
    assert [(s["kind"], s["site_name"], s["start"], s["end"]) for s in again["stays"]] == [
        ("events", "Site B", "2023-01-10", "2023-04-01"),
        ("recorded", "Site A", "2023-05-01", None),
    ]
    assert again["recorded"][0]["start"] == "2023-05-01"

    from rollcall.cli import main
    before = _periods(db)
    for args in (["custody", "add", str(p3), "site-b", "--from", "2023-06-01"],  # overlap
                 ["custody", "add", str(p3), "site-b", "--from", "01.06.2023"],
                 ["custody", "show", "999999"]):
        monkeypatch.setattr("sys.argv", ["rollcall", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        assert exit_.value.code == 2, args
    assert _periods(db) == before
