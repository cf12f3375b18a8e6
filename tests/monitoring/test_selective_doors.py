"""Selective presentation through the API, the CLI and the pages: the figures of
custody_world.build_selective_world, access rules, plain words in both languages."""

from __future__ import annotations

import json

import pytest
from custody_world import build_selective_world
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from webtest_support import api_token, log_in


@pytest.fixture
def world(db, operator, tmp_path):
    return build_selective_world(db, operator, tmp_path)


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_api_report_and_one_visit(db, operator, world, app_client, users):
    assert app_client.get("/api/selective-presentation").status_code == 401
    assert app_client.get(f"/api/visits/{world.visit['V1']}/presentation").status_code == 401
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"

    report = app_client.get("/api/selective-presentation").json()
    assert (report["visits"], report["testable"], report["flagged"], report["too_few"]) == (
        4, 2, 1, 2)
    assert report["alpha"] == 0.05 and report["listed"] == 4
    by_id = {item["visit_id"]: item for item in report["items"]}
    v1 = by_id[world.visit["V1"]]
    assert v1["table"] == {"presented_with_report": 0, "presented_without": 4,
                           "not_presented_with_report": 6, "not_presented_without": 0}
    assert v1["verdict"] == "selective" and v1["q_value"] == pytest.approx(2 / 210)
    assert v1["presented_not_on_roster"] == 1 and v1["site"]["name"] == "Site S"
    assert v1["verdict_text"].startswith("Selective presentation likely")
    assert by_id[world.visit["V3"]]["reason"] == "roster_too_small"
    assert by_id[world.visit["V3"]]["p_value"] is None

    flagged = app_client.get("/api/selective-presentation",
                             params={"flagged": "true", "limit": 0}).json()
    assert (flagged["listed"], flagged["items"], flagged["flagged"]) == (1, [], 1)
    fair = app_client.get("/api/selective-presentation",
                          params={"site_id": world.site["F"], "date_to": "2023-06-15"}).json()
    assert [i["visit_id"] for i in fair["items"]] == [world.visit["V2"]]
    assert fair["items"][0]["verdict"] == "not_flagged"
    assert app_client.get("/api/selective-presentation",
                          params={"monitor": "nobody"}).status_code == 422

    detail = app_client.get(f"/api/visits/{world.visit['V1']}/presentation").json()
    assert detail["q_value"] == pytest.approx(1 / 210)
    assert [p["id"] for p in detail["presented_not_on_roster_persons"]] == [world.person["x1"]]
    assert len(detail["not_presented_persons"]) == 6
    assert "report" not in json.dumps(detail["not_presented_persons"])
    assert app_client.get("/api/visits/999999/presentation").status_code == 404


def test_cli_report_and_one_visit(db, db_url, world, monkeypatch):
    text = _cli(monkeypatch, db_url, "selective-presentation")
    assert text.exit_code == 0, text.output
    assert "visits 4: 1 flagged, 1 not flagged, 2 too few to tell (alpha 0.05" in text.output
    assert "Selective presentation likely: 0 of the 4 presented" in text.output
    assert "Too few to tell: the registry places fewer than 5 persons" in text.output

    flagged = _cli(monkeypatch, db_url, "selective-presentation", "--flagged", "--json")
    assert flagged.exit_code == 0, flagged.output
    body = json.loads(flagged.output)
    assert [i["visit_id"] for i in body["items"]] == [world.visit["V1"]]
    assert body["items"][0]["verdict"] == "selective"

    site = _cli(monkeypatch, db_url, "selective-presentation", "--site", str(world.site["T"]))
    assert "visits 1: 0 flagged, 0 not flagged, 1 too few to tell" in site.output

    one = _cli(monkeypatch, db_url, "visit", "presentation", str(world.visit["V1"]))
    assert one.exit_code == 0, one.output
    assert "roster 10 (6 with a report); presented 5, of whom 1 not on the roster" in one.output
    assert "presented: 0 with a report, 4 without; not presented: 6 with, 0 without" in one.output
    assert f"presented, not on the roster: {world.person['x1']} " in one.output

    as_json = json.loads(_cli(monkeypatch, db_url, "visit", "presentation",
                              str(world.visit["V2"]), "--json").output)
    assert as_json["presentation"]["verdict"] == "not_flagged"

    from rollcall.cli import main
    for args in (["visit", "presentation", "999999"],
                 ["selective-presentation", "--from", "15.06.2023"]):
        monkeypatch.setattr("sys.argv", ["rollcall", *args])
        with pytest.raises(SystemExit) as exit_:
            main()
        assert exit_.value.code == 2


def test_pages_in_both_languages(db, world, app_client, users):
    log_in(app_client, "analyst")  # English
    listing = app_client.get("/visits")
    assert listing.status_code == 200, listing.text
    assert "1 of 4 visits flagged, 2 too few to tell." in listing.text
    assert f'href="/visits/{world.visit["V1"]}"' in listing.text
    assert "selective presentation likely" in listing.text

    page = app_client.get(f"/visits/{world.visit['V1']}")
    assert page.status_code == 200, page.text
    assert "Selective presentation likely." in page.text
    assert ("0 of the 4 persons presented had a report of ill-health or ill-treatment, "
            "against 6 of the 6 not presented") in page.text
    assert "Presented, but not placed there by the registry" in page.text
    assert f'href="/persons/{world.person["x1"]}"' in page.text
    assert "-100 percentage points" in page.text

    tiny = app_client.get(f"/visits/{world.visit['V3']}")
    assert "Too few to tell:" in tiny.text and "fewer than 5 persons" in tiny.text

    flagged = app_client.get("/selective-presentation")
    assert flagged.status_code == 200
    assert f'href="/visits/{world.visit["V1"]}"' in flagged.text
    assert f'href="/visits/{world.visit["V2"]}"' not in flagged.text
    none = app_client.get("/selective-presentation", params={"site": world.site["F"]})
    assert "No visit is flagged." in none.text
    assert app_client.get("/visits", params={"from": "not a day"}).status_code == 422
    assert app_client.get("/visits/999999").status_code == 404

    app_client.cookies.clear()
    log_in(app_client, "registrar")  # Ukrainian
    page = app_client.get(f"/visits/{world.visit['V1']}")
    assert "Імовірне вибіркове представлення." in page.text
    assert "Розмови без свідків" in page.text
