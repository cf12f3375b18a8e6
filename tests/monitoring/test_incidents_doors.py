"""Incidents through the API, the CLI and the pages: same figures, access rules, refusals
that change nothing, and the headline in both languages."""

from __future__ import annotations

import json

from incidents_world import add_testimony, build_incidents
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.models import Change, Incident, IncidentStatusChange
from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, api_token, log_in


def _investigator(db, operator, language="uk"):
    with db.session() as s:
        accounts.add_user(s, operator, "investigator", PASSWORD, [Role.INVESTIGATOR],
                          display_name="Слідча Тестова", language=language)


def _snapshot(db):
    with db.session() as s:
        return ([(i.id, i.status) for i in s.scalars(select(Incident).order_by(Incident.id))],
                s.scalar(select(func.count()).select_from(IncidentStatusChange)),
                s.scalar(select(func.count()).select_from(Change)))


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


# ---- API -------------------------------------------------------------------------------

def test_api_reads_and_access_rules(db, operator, tmp_path, app_client, users):
    world = build_incidents(db, operator, tmp_path)
    assert app_client.get("/api/incidents").status_code == 401
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    counts = app_client.get("/api/incidents/counts").json()
    assert counts["headline"] == "15 victims in 5 incidents, 2 incidents verified"
    assert counts["by_status"]["retracted"] == {"incidents": 1, "victims": 7,
                                                "persons_linked": 1}
    assert counts["corroboration_rule"].startswith("independent_sources >= 2")
    at_a = app_client.get("/api/incidents/counts", params={"site_id": world.site["a"]}).json()
    assert at_a["total"] == {"incidents": 2, "victims": 8, "persons_linked": 3}

    listed = app_client.get("/api/incidents", params={"type": "killing",
                                                      "date_from": "2023-05"}).json()
    assert [i["id"] for i in listed["items"]] == [world.incident[6], world.incident[2]]
    assert app_client.get("/api/incidents", params={"date_from": "05.2023"}).status_code == 422

    detail = app_client.get(f"/api/incidents/{world.incident[1]}").json()
    assert detail["status"] == "verified" and detail["victims_withheld"] is True
    assert detail["victims"] is None and detail["victims_linked"] == 2
    assert [s["group"] for s in detail["source_list"]] == [1, 2]
    assert detail["source_list"][0]["testimony"] == {"id": world.testimony[1],
                                                     "name": "T-0001"}
    assert [(h["from_status"], h["to_status"]) for h in detail["history"]] == [
        (None, "reported"), ("reported", "credible"), ("credible", "verified")]
    assert detail["history"][2]["reason"] == "Місце і час збігаються з двома свідченнями"
    assert detail["corroboration"]["met"] is True

    before = _snapshot(db)
    refused = app_client.post(f"/api/incidents/{world.incident[3]}/status",
                              json={"status": "retracted", "reason": "x"})
    assert refused.status_code == 403
    assert _snapshot(db) == before
    assert app_client.get("/api/incidents/999999").status_code == 404


def test_api_records_grades_and_refuses_a_verification_without_reason(
        db, operator, tmp_path, app_client, users):
    world = build_incidents(db, operator, tmp_path)
    _investigator(db, operator)
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'investigator')}"
    created = app_client.post("/api/incidents", json={
        "type": "torture", "title": "Побиття в ізоляторі", "site": "site-b",
        "date_from": "2023-07", "victim_count": 2, "person_ids": [world.person[7]]})
    assert created.status_code == 201, created.text
    body = created.json()
    new = body["id"]
    assert body["status"] == "reported" and body["victims"] == [
        {"id": world.person[7], "name": "Рибак Вигаданий"}]

    other = add_testimony(db, "T-0009", world.person[11])
    assert app_client.post(f"/api/incidents/{new}/sources", json={
        "kind": "testimony", "testimony_id": world.testimony[1]}).status_code == 201
    not_yet = app_client.post(f"/api/incidents/{new}/status", json={"status": "credible"})
    assert not_yet.status_code == 422
    assert "independent_sources >= 2 (have 1)" in not_yet.json()["detail"]
    app_client.post(f"/api/incidents/{new}/sources", json={"kind": "testimony",
                                                            "testimony_id": other})
    assert app_client.post(f"/api/incidents/{new}/status",
                           json={"status": "credible"}).json()["status"] == "credible"

    before = _snapshot(db)
    for payload in ({"status": "verified"}, {"status": "verified", "reason": "  "}):
        refused = app_client.post(f"/api/incidents/{new}/status", json=payload)
        assert refused.status_code == 422
        assert refused.json()["detail"] == (
            f"reason: verifying incident {new} needs the investigator's reason")
    assert _snapshot(db) == before

    verified = app_client.post(f"/api/incidents/{new}/status",
                               json={"status": "verified", "reason": "Два свідки"}).json()
    assert verified["status"] == "verified"
    assert verified["history"][-1]["changed_by"] == "investigator"
    patched = app_client.patch(f"/api/incidents/{new}", json={"victim_count": 4,
                                                              "place": "ізолятор"}).json()
    assert (patched["victim_count"], patched["place"]) == (4, "ізолятор")
    assert app_client.patch(f"/api/incidents/{new}", json={"title": None}).status_code == 422
    linked = app_client.post(f"/api/incidents/{new}/victims",
                             json={"person_ids": [world.person[12]]}).json()
    assert linked["victims_linked"] == 2
    counts = app_client.get("/api/incidents/counts").json()
    assert counts["headline"] == "19 victims in 6 incidents, 3 incidents verified"


# ---- CLI -------------------------------------------------------------------------------

def test_cli_records_cites_grades_and_counts(db, db_url, operator, tmp_path, monkeypatch):
    world = build_incidents(db, operator, tmp_path)
    added = _cli(monkeypatch, db_url, "incident", "add", "--type", "killing", "--title",
                 "Страта на блокпосту", "--from", "2023-08-02", "--victims", "2",
                 "--person", str(world.person[7]))
    assert added.exit_code == 0, added.output
    new = int(added.output.split()[1])
    for args in (("--kind", "document", "--reference", "Акт огляду", "--origin", "Поліція"),
                 ("--kind", "media", "--reference", "https://news.example/x",
                  "--origin", "Вигадане видання")):
        cited = _cli(monkeypatch, db_url, "incident", "source", str(new), *args)
        assert cited.exit_code == 0, cited.output
    assert "corroboration rule met" in cited.output
    assert "1 victim(s) linked" in _cli(monkeypatch, db_url, "incident", "victim", str(new),
                                        str(world.person[12]), str(world.person[7])).output
    moved = _cli(monkeypatch, db_url, "incident", "status", str(new), "credible")
    assert moved.exit_code == 0 and "reported -> credible" in moved.output

    from rollcall.cli import main
    before = _snapshot(db)
    monkeypatch.setattr("sys.argv", ["rollcall", "incident", "status", str(new), "verified"])
    try:
        main()
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("a verification without a reason was accepted")
    assert _snapshot(db) == before

    counts = json.loads(_cli(monkeypatch, db_url, "incident", "counts", "--json").output)
    assert counts["headline"] == "17 victims in 6 incidents, 2 incidents verified"
    assert counts["by_status"]["credible"] == {"incidents": 2, "victims": 4,
                                               "persons_linked": 3}
    shown = _cli(monkeypatch, db_url, "incident", "show", str(new))
    assert "victims: 2 (2 identified)" in shown.output
    assert "corroboration rule met: independent_sources >= 2 (have 2)" in shown.output
    as_json = json.loads(_cli(monkeypatch, db_url, "incident", "show", str(new),
                              "--json").output)
    assert [h["to"] for h in as_json["history"]] == ["reported", "credible"]
    listed = _cli(monkeypatch, db_url, "incident", "list", "--status", "credible").output
    assert "2 incident(s)" in listed
    media = as_json["sources"][1]["id"]
    withdrawn = _cli(monkeypatch, db_url, "incident", "withdraw-source", str(new), str(media),
                     "--reason", "Передрук без перевірки")
    assert f"source {media} withdrawn; incident {new} is reported" in withdrawn.output
    monkeypatch.setenv("ROLLCALL_CORROBORATION_RULE", "documents>=2")
    assert "corroboration rule: documents >= 2" in _cli(monkeypatch, db_url, "incident",
                                                        "rule").output


# ---- pages -----------------------------------------------------------------------------

def test_list_page_headline_in_both_languages(db, operator, tmp_path, app_client, users):
    build_incidents(db, operator, tmp_path)
    _investigator(db, operator, language="uk")
    log_in(app_client, "investigator")
    page = app_client.get("/incidents")
    assert page.status_code == 200
    assert "15 потерпілих у 5 інцидентах, 2 інциденти верифіковано" in page.text
    assert 'href="/incidents/new"' in page.text
    filtered = app_client.get("/incidents", params={"status": "verified"})
    assert filtered.text.count('<a href="/incidents/') == 3  # new + two verified
    app_client.cookies.clear()
    log_in(app_client, "analyst")  # English
    english = app_client.get("/incidents")
    assert "15 victims in 5 incidents, 2 incidents verified" in english.text
    assert 'href="/incidents/new"' not in english.text
    assert app_client.get("/incidents", params={"type": "massacre"}).status_code == 422


def test_detail_page_moves_status_and_refuses_a_verification_without_reason(
        db, operator, tmp_path, app_client, users):
    world = build_incidents(db, operator, tmp_path)
    _investigator(db, operator, language="en")
    csrf = log_in(app_client, "investigator")
    target = world.incident[2]  # credible
    page = app_client.get(f"/incidents/{target}")
    assert page.status_code == 200
    # An English reader sees the victim's name in Latin (KMU 2010).
    assert "Rybak" not in page.text and "Melnychuk Vyhadanyi" in page.text
    assert "The corroboration rule is met." in page.text

    before = _snapshot(db)
    refused = app_client.post(f"/incidents/{target}/status", data={
        "csrf_token": csrf, "status": "verified", "reason": ""}, follow_redirects=False)
    assert refused.status_code == 422
    assert f"reason: verifying incident {target} needs the investigator" in refused.text
    assert _snapshot(db) == before
    stale = app_client.post(f"/incidents/{target}/status", data={
        "csrf_token": "stale", "status": "verified", "reason": "x"}, follow_redirects=False)
    assert stale.status_code == 403

    moved = app_client.post(f"/incidents/{target}/status", data={
        "csrf_token": csrf, "status": "verified", "reason": "Документ і свідок"},
        follow_redirects=False)
    assert moved.status_code == 303
    after = app_client.get(f"/incidents/{target}").text
    assert "Документ і свідок" in after and "<td>investigator</td>" in after

    cited = app_client.post(f"/incidents/{world.incident[5]}/sources", data={
        "csrf_token": csrf, "kind": "media", "reference": "https://x.example/1", "origin": "",
        "testimony_id": "", "source_id": "", "repeats": ""}, follow_redirects=False)
    assert cited.status_code == 422 and "needs its publisher" in cited.text
    assert 'value="https://x.example/1"' in cited.text  # what was typed comes back


def test_create_form_records_an_incident(db, operator, tmp_path, app_client, users):
    world = build_incidents(db, operator, tmp_path)
    _investigator(db, operator)
    csrf = log_in(app_client, "investigator")
    assert app_client.get("/incidents/new").status_code == 200
    form = {"csrf_token": csrf, "type": "unfair_trial", "title": "Вирок без захисника",
            "summary": "", "site": "site-a", "place": "", "date_from": "03.2023",
            "date_to": "", "victim_count": "1", "perpetrator": "", "person_ids": ""}
    bad = app_client.post("/incidents/new", data={**form, "date_to": "01.2023"},
                          follow_redirects=False)
    assert bad.status_code == 422 and "ends before" in bad.text
    done = app_client.post("/incidents/new", data={
        **form, "person_ids": f"{world.person[1]}, {world.person[2]}"},
        follow_redirects=False)
    assert done.status_code == 303, done.text
    page = app_client.get(done.headers["location"]).text
    assert "Вирок без захисника" in page and "Яворенко Вигаданий" in page
    edit = done.headers["location"] + "/edit"
    assert 'value="Вирок без захисника"' in app_client.get(edit).text
    too_few = app_client.post(edit, data={**form, "victim_count": "1"}, follow_redirects=False)
    assert too_few.status_code == 422 and "2 persons are linked as victims" in too_few.text
    fixed = app_client.post(edit, data={**form, "victim_count": "6", "place": "суд"},
                            follow_redirects=False)
    assert fixed.status_code == 303
    assert app_client.post("/incidents/999999/edit", data=form).status_code == 404

    app_client.cookies.clear()
    log_in(app_client, "analyst")
    assert app_client.get("/incidents/new").status_code == 403
    shown = app_client.get(done.headers["location"]).text
    assert "Яворенко" not in shown and "2 persons are linked" in shown
    assert "<dd>6 (2 identified in the registry)</dd>" in shown
    assert "csrf_token" in shown and f'action="{done.headers["location"]}/status"' not in shown

