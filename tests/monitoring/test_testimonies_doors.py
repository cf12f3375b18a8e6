"""Testimonies through the API, the pages and the CLI: who sees what, and bad input
refused with nothing written."""

from __future__ import annotations

import json
import re

import pytest
from testimonies_world import NARRATIVE, build, counts
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, api_token, log_in


@pytest.fixture
def investigator(db, operator, users):
    with db.session() as s:
        accounts.add_user(s, operator, "investigator", PASSWORD, [Role.INVESTIGATOR],
                          display_name="Investigator", language="en")


def _body(world, **changes):
    body = {
        "interviewer": "Слідча Тестова", "interviewed_on": "2024-03-02", "language": "uk",
        "place": "Київ", "witness_person_id": world.person[1], "consent_statistics": True,
        "consent_prosecution": True, "saw_monitor": False, "narrative": NARRATIVE,
        "acts": [
            {"method": "beating", "site": "site-a", "period_start": "2022-04",
             "period_end": "2022-05", "stage": "admission"},
            {"method": "electric_shock", "site": world.site_b, "stage": "interrogation",
             "monitor_seen": False},
            {"method": "threat_family", "victim_person_id": world.person[2]},
        ],
    }
    body.update(changes)
    return body


def _bearer(client, db, operator, username):
    client.headers["Authorization"] = f"Bearer {api_token(db, operator, username)}"


def test_api_records_for_investigators_and_shows_analysts_no_identity(
        db, operator, tmp_path, app_client, investigator):
    world = build(db, operator, tmp_path)
    for path in ("/api/testimonies", "/api/methods", "/api/testimonies/1"):
        assert app_client.get(path).status_code == 401

    _bearer(app_client, db, operator, "analyst")
    methods = app_client.get("/api/methods", params={"q": "СТРУМ"}).json()
    assert [(m["code"], m["en"], m["group"]["code"]) for m in methods] == [
        ("electric_shock", "Electric shock", "physical")]
    assert len(app_client.get("/api/methods").json()) == 21
    before = counts(db)
    assert app_client.post("/api/testimonies", json=_body(world)).status_code == 403
    assert counts(db) == before

    _bearer(app_client, db, operator, "investigator")
    created = app_client.post("/api/testimonies", json=_body(world))
    assert created.status_code == 201, created.text
    body = created.json()
    tid = body["id"]
    assert (body["pseudonym"], body["identity_shown"], body["witness_person_id"],
            body["narrative"]) == (f"W-{tid:06d}", True, world.person[1], NARRATIVE)
    assert [(a["method"], a["site"], a["victim_is_witness"], a["victim_person_id"])
            for a in body["acts"]] == [
        ("beating", {"id": world.site_a, "name": "Місце А"}, True, None),
        ("electric_shock", {"id": world.site_b, "name": "Місце Б"}, True, None),
        ("threat_family", None, False, world.person[2])]
    assert body["acts"][0]["period_start"] == "2022-04"
    added = app_client.post(f"/api/testimonies/{tid}/acts",
                            json={"method": "mock_execution", "stage": "interrogation"})
    assert added.status_code == 201, added.text
    assert (added.json()["method"], added.json()["testimony_id"]) == ("mock_execution", tid)

    _bearer(app_client, db, operator, "analyst")
    seen = app_client.get(f"/api/testimonies/{tid}")
    assert seen.status_code == 200
    shown = seen.json()
    assert (shown["pseudonym"], shown["identity_shown"], shown["witness_person_id"],
            shown["narrative"], shown["witness_linked"]) == (
        f"W-{tid:06d}", False, None, None, True)
    assert NARRATIVE not in seen.text
    assert [a["victim_person_id"] for a in shown["acts"]] == [None, None, world.person[2],
                                                              None]
    listed = app_client.get("/api/testimonies", params={"method": "electric_shock"}).json()
    assert listed["total"] == 1 and listed["items"][0]["pseudonym"] == f"W-{tid:06d}"
    assert app_client.get("/api/testimonies", params={"method": "rape"}).json()["total"] == 0
    assert app_client.get("/api/testimonies", params={
        "interviewed_from": "2024-03-03"}).json()["total"] == 0
    assert app_client.get("/api/testimonies", params={"method": "flog"}).status_code == 422
    assert app_client.get("/api/testimonies/999").status_code == 404


@pytest.mark.parametrize(("change", "where"), [
    ({"acts": [{"method": "beating"}, {"method": "flogging"}]}, "acts[1].method"),
    ({"consent_stats": True}, "consent_stats"),
    ({"consent_icrc": "yes"}, "consent_icrc"),
    ({"acts": [{"method": "beating", "period_start": "2022-13"}]}, "acts[0].period_start"),
    ({"acts": [{"method": "beating", "site": "site-z"}]}, "acts[0].site"),
    ({"language": "ukrainian"}, "language"),
    ({"interviewed_on": "2024-03"}, "interviewed_on"),
])
def test_api_refuses_bad_input_naming_the_field_and_writes_nothing(
        db, operator, tmp_path, app_client, investigator, change, where):
    world = build(db, operator, tmp_path)
    _bearer(app_client, db, operator, "investigator")
    before = counts(db)
    answer = app_client.post("/api/testimonies", json=_body(world, **change))
    assert answer.status_code in (404, 422), answer.text
    problem = answer.json()
    located = problem["detail"] + json.dumps(problem.get("errors", []))
    assert where.split("[")[0] in located
    assert NARRATIVE not in answer.text
    assert counts(db) == before


def test_api_refuses_an_act_with_an_unknown_method(db, operator, tmp_path, app_client,
                                                   investigator):
    world = build(db, operator, tmp_path)
    _bearer(app_client, db, operator, "investigator")
    tid = app_client.post("/api/testimonies", json=_body(world, acts=[])).json()["id"]
    before = counts(db)
    refused = app_client.post(f"/api/testimonies/{tid}/acts", json={"method": "flogging"})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("act.method: 'flogging' is not a code")
    assert counts(db) == before


def _form(csrf, **values):
    data = {"csrf_token": csrf, "interviewer": "Слідча Тестова", "interviewed_on": "02.03.2024",
            "language": "uk", "narrative": NARRATIVE, "consent_statistics": "yes",
            "act-0-method": "beating", "act-0-site": "site-a", "act-0-period_start": "04.2022",
            "act-0-stage": "admission", "act-0-victim": "witness",
            "act-1-method": "", "act-1-victim": "witness"}
    data.update(values)
    return data


def test_the_investigators_form_keeps_what_was_typed_when_refused(
        db, operator, tmp_path, app_client, investigator):
    world = build(db, operator, tmp_path)
    csrf = log_in(app_client, "investigator")
    blank = app_client.get("/testimonies/new")
    assert blank.status_code == 200
    assert blank.text.count('<fieldset class="act">') == 5
    assert ('<option value="Electric shock" lang="uk">Катування електричним струмом</option>'
            in blank.text)
    assert '<option value="site-a">Site A</option>' in blank.text  # site suggestions
    before = counts(db)

    unknown = app_client.post("/testimonies/new", data=_form(
        csrf, **{"act-0-method": "flogging", "place": "Ірпінь"}))
    assert unknown.status_code == 400
    assert "no method of the vocabulary matches" in unknown.text
    assert 'value="Ірпінь"' in unknown.text and NARRATIVE in unknown.text
    bad_date = app_client.post("/testimonies/new", data=_form(
        csrf, **{"act-1-method": "rape", "act-1-period_end": "31.02.2023",
                 "act-1-victim": "person"}))
    assert bad_date.status_code == 400
    assert 'href="#act-1-period_end">Until (act 2)</a>: not a date' in bad_date.text
    assert "give the person&#39;s number" in bad_date.text
    assert 'name="act-1-method" list="methods"' in bad_date.text
    assert 'value="Rape"' in bad_date.text  # the code typed comes back as its label
    assert counts(db) == before

    made = app_client.post("/testimonies/new", data=_form(
        csrf, witness_person_id=str(world.person[1]),
        **{"act-1-method": "electric_shock", "act-1-site": str(world.site_b),
           "act-1-victim": "person", "act-1-victim_person_id": str(world.person[2]),
           "act-1-monitor_seen": "no"}), follow_redirects=False)
    assert made.status_code == 303, made.text
    assert re.fullmatch(r"/testimonies/\d+", made.headers["location"])
    assert counts(db)[:2] == (before[0] + 1, before[1] + 2)
    page = app_client.get(made.headers["location"])
    assert page.status_code == 200
    assert "Electric shock" in page.text and f'href="/sites/{world.site_b}"' in page.text
    assert NARRATIVE in page.text and f'href="/persons/{world.person[1]}"' in page.text
    assert "on admission" in page.text

    tid = made.headers["location"].rsplit("/", 1)[1]
    refused = app_client.post(f"/testimonies/{tid}/acts", data={
        "csrf_token": csrf, "act-0-method": "", "act-0-perpetrator": "підрозділ Х"})
    assert refused.status_code == 400 and "choose a method" in refused.text
    assert 'value="підрозділ Х"' in refused.text
    added = app_client.post(f"/testimonies/{tid}/acts", data={
        "csrf_token": csrf, "act-0-method": "rape", "act-0-victim": "other"},
        follow_redirects=False)
    assert added.status_code == 303
    assert counts(db)[1] == before[1] + 3


def test_pages_show_analysts_the_pseudonym_and_acts_but_not_the_witness(
        db, operator, tmp_path, app_client, investigator):
    world = build(db, operator, tmp_path)
    _bearer(app_client, db, operator, "investigator")
    tid = app_client.post("/api/testimonies", json=_body(world)).json()["id"]
    del app_client.headers["Authorization"]

    log_in(app_client, "analyst")
    listed = app_client.get("/testimonies")
    assert listed.status_code == 200
    assert f"W-{tid:06d}" in listed.text and "Record a testimony" not in listed.text
    assert "Beating; Electric shock; Threat against family" in listed.text
    assert f"W-{tid:06d}" in app_client.get("/testimonies?method=beating").text
    assert f"W-{tid:06d}" not in app_client.get("/testimonies?method=rape").text
    detail = app_client.get(f"/testimonies/{tid}")
    assert detail.status_code == 200
    assert NARRATIVE not in detail.text and "withheld" in detail.text
    assert f'href="/persons/{world.person[1]}"' not in detail.text
    assert f'href="/persons/{world.person[2]}"' in detail.text  # another victim
    assert "Add an act" not in detail.text
    assert app_client.get("/testimonies/new").status_code == 403

    log_in(app_client, "registrar")  # Ukrainian
    ukrainian = app_client.get(f"/testimonies/{tid}")
    assert "Побиття" in ukrainian.text and "під час приймання" in ukrainian.text
    assert "02.03.2024" in ukrainian.text


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_cli_lists_methods_adds_lists_and_shows_testimonies(db, db_url, operator, tmp_path,
                                                           monkeypatch):
    world = build(db, operator, tmp_path)
    found = _cli(monkeypatch, db_url, "methods", "струм")
    assert found.exit_code == 0
    assert found.output.strip() == ("electric_shock: Electric shock / Катування електричним "
                                    "струмом (physical)")

    path = tmp_path / "interview.json"
    path.write_text(json.dumps(_body(world), ensure_ascii=False), encoding="utf-8")
    added = _cli(monkeypatch, db_url, "testimony", "add", str(path))
    assert added.exit_code == 0, added.output
    assert re.search(r"testimony (\d+) recorded as W-0+\1 with 3 act\(s\)", added.output)
    tid = int(added.output.split()[1])

    listed = _cli(monkeypatch, db_url, "testimony", "list", "--method", "beating")
    assert (f"testimony {tid}: W-{tid:06d}, 2024-03-02, Слідча Тестова, 3 act(s): beating, "
            "electric_shock, threat_family") in listed.output
    shown = _cli(monkeypatch, db_url, "testimony", "show", str(tid))
    assert "witness: withheld (--identity shows it)" in shown.output
    assert NARRATIVE not in shown.output
    assert f"victim: person {world.person[2]}" in shown.output
    revealed = _cli(monkeypatch, db_url, "testimony", "show", str(tid), "--identity",
                    "--json")
    data = json.loads(revealed.output)
    assert (data["narrative"], data["witness_person_id"]) == (NARRATIVE, world.person[1])

    before = counts(db)
    path.write_text(json.dumps(_body(world, acts=[{"method": "flogging"}])), "utf-8")
    from rollcall.cli import main
    monkeypatch.setattr("sys.argv", ["rollcall", "testimony", "add", str(path)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert counts(db) == before
