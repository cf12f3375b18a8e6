"""The access report and visits through the CLI and the API: same figures, access rules."""

from __future__ import annotations

import json

from monitoring_world import build_world
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.models import Visit
from webtest_support import api_token


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_cli_prints_the_report_and_its_json(db, db_url, operator, tmp_path, monkeypatch):
    world = build_world(db, operator, tmp_path)
    text = _cli(monkeypatch, db_url, "access-report")
    assert text.exit_code == 0, text.output
    assert "sites: 6; never visited 2, partial access only 2, full access 2" in text.output
    assert "persons held: 9 (1 with no known site)" in text.output
    assert "at sites never visited: 3" in text.output
    assert "never seen by a monitor: 5" in text.output
    assert f"site {world.site['A']}: Site A (colony): 2 held, 0 visits, last -" in text.output
    assert "none answered whether they saw a monitor" in text.output

    capped = _cli(monkeypatch, db_url, "access-report", "--json", "--limit", "1",
                  "--as-of", "2023-02-15")
    assert capped.exit_code == 0, capped.output
    report = json.loads(capped.output)
    assert report["as_of"] == "2023-02-15"
    assert report["sites_never_visited"]["total"] == 3
    assert [s["id"] for s in report["sites_never_visited"]["items"]] == [world.site["A"]]
    assert report["persons_never_seen"]["total"] == 8


def test_cli_records_a_visit_and_refuses_an_unknown_site(db, db_url, operator, tmp_path,
                                                          monkeypatch):
    world = build_world(db, operator, tmp_path)
    ok = _cli(monkeypatch, db_url, "visit", "add", "--site", "site-b", "--monitor", "ohchr",
              "--date", "2023-10-02", "--person", str(world.person[3]),
              "--private-interviews")
    assert ok.exit_code == 0 and "recorded" in ok.output
    report = json.loads(_cli(monkeypatch, db_url, "access-report", "--json").output)
    assert report["sites_never_visited"]["total"] == 1  # only A now
    assert report["persons_never_seen"]["total"] == 4  # p3 was seen

    from rollcall.cli import main
    monkeypatch.setattr("sys.argv", ["rollcall", "visit", "add", "--site", "site-z",
                                     "--monitor", "icrc", "--date", "2023-10-02"])
    try:
        main()
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("an unknown site was accepted")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 4


def test_api_access_rules_and_figures(db, operator, tmp_path, app_client, users):
    world = build_world(db, operator, tmp_path)
    assert app_client.get("/api/access-report").status_code == 401
    assert app_client.get("/api/visits").status_code == 401

    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    answer = app_client.get("/api/access-report")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["sites_total"], report["persons_held"]) == (6, 9)
    assert report["persons_at_partial_only"]["total"] == 3
    assert sorted(p["id"] for p in report["persons_at_never_visited"]["items"]) == sorted(
        world.person[n] for n in (1, 2, 3))
    assert report["not_computed"] == []
    assert report["testimony_share"]["witnesses"] == 0
    listed = app_client.get("/api/visits", params={"site_id": world.site["C"]}).json()
    assert listed["total"] == 1
    assert listed["items"][0]["person_ids"] == sorted([world.person[4], world.person[11]])

    visit = {"site": "site-a", "monitor": "icrc", "date": "2023-10-02",
             "person_ids": [world.person[1]], "private_interviews": True}
    refused = app_client.post("/api/visits", json=visit)
    assert refused.status_code == 403
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 3

    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    unknown = app_client.post("/api/visits", json={**visit, "site": "site-z"})
    assert unknown.status_code == 404
    assert "site-z" in unknown.json()["detail"]
    created = app_client.post("/api/visits", json=visit)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["site"] == {"id": world.site["A"], "name": "Site A"}
    assert body["person_ids"] == [world.person[1]] and body["monitor"] == "icrc"
    after = app_client.get("/api/access-report").json()
    assert after["sites_never_visited"]["total"] == 1
    assert after["persons_never_seen"]["total"] == 4
    bad_day = app_client.post("/api/visits", json={**visit, "date": "2023-10"})
    assert bad_day.status_code == 422
