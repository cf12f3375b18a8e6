"""Exchanges, prosecutions and family contact through the three doors: the CLI, the API
(access rules: registrars write, analysts read) and the pages (forms with CSRF, both
languages). The same figures as `exchange_world.build_exchanges`."""

from __future__ import annotations

import json

from exchange_world import EXCHANGE_LIST, build_exchanges
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.models import Exchange, ExchangePerson, FamilyContact, Person, Prosecution
from rollcall.vocabulary import CustodyStatus, LegalStatus
from webtest_support import api_token, build_registry, log_in


def _cli(monkeypatch, db_url, *args):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _count(db, table):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_cli_records_an_exchange_imports_its_list_and_counts(db, db_url, operator, tmp_path,
                                                            monkeypatch):
    reg = build_registry(db, operator, tmp_path)
    added = _cli(monkeypatch, db_url, "exchange", "add", "--date", "2024-01-03",
                 "--mediator-code", "uae", "--unnamed-bodies-to-own-side", "3",
                 "--source", str(reg.own_source))
    assert added.exit_code == 0 and "exchange 1 recorded" in added.output
    path = tmp_path / "exchange.csv"
    path.write_text(EXCHANGE_LIST, encoding="utf-8")
    imported = _cli(monkeypatch, db_url, "exchange", "import", "1", str(path), "--direction",
                    "to_own_side", "--origin", "adversary_bureau")
    assert imported.exit_code == 0, imported.output
    assert "rows accepted 3, rejected 2" in imported.output
    assert "matched existing persons 2, new persons 1" in imported.output
    assert "row 5, surname: no surname [rejected]" in imported.output
    assert "persons attached to exchange 1: 3" in imported.output
    attached = _cli(monkeypatch, db_url, "exchange", "attach", "1", str(reg.bondar),
                    "--direction", "to_own_side", "--kind", "body")
    assert "attached 1 person(s)" in attached.output
    identified = _cli(monkeypatch, db_url, "exchange", "identify", "1", str(reg.bondar),
                      "--status", "identified", "--date", "2024-03")
    assert identified.exit_code == 0 and "identified" in identified.output
    shown = _cli(monkeypatch, db_url, "exchange", "show", "1")
    assert "to_own_side, alive: 3" in shown.output
    assert "to_own_side, body: 1 (+3 unnamed)" in shown.output
    assert f"person {reg.bondar}: Бондар Сергій (dead, identified)" in shown.output
    listed = _cli(monkeypatch, db_url, "exchange", "list")
    assert "to own side 3 alive, 4 bodies" in listed.output

    case = _cli(monkeypatch, db_url, "prosecution", "add", str(reg.mykolaienko), "--source",
                str(reg.own_source), "--charges", "шпигунство", "--charged-on", "2023-06",
                "--concern", "no_interpreter", "--concern", "closed_hearing")
    assert case.exit_code == 0 and "prosecution 1 recorded" in case.output
    verdict = _cli(monkeypatch, db_url, "prosecution", "verdict", "1", "--verdict",
                   "convicted", "--verdict-on", "2023-12", "--sentence-months", "96")
    assert verdict.exit_code == 0, verdict.output
    cases = _cli(monkeypatch, db_url, "prosecution", "list", "--concern", "no_interpreter")
    assert "convicted 2023-12" in cases.output and "1 prosecution(s)" in cases.output
    contact = _cli(monkeypatch, db_url, "contact", "add", str(reg.mykolaienko), "--source",
                   str(reg.own_source), "--kind", "capture_card", "--date", "2023-07",
                   "--not-delivered")
    assert contact.exit_code == 0, contact.output
    assert "capture_card from_person, not delivered" in _cli(
        monkeypatch, db_url, "contact", "list", str(reg.mykolaienko)).output

    counts = json.loads(_cli(monkeypatch, db_url, "exchange", "counts", "--json").output)
    assert counts["to_own_side"]["alive"] == 3
    assert counts["to_own_side"]["bodies"] == {"unidentified": 3, "pending": 0,
                                               "identified": 1, "unnamed": 3}
    assert counts["contact"]["held"] == 1 and counts["contact"]["deprived"] == 1
    assert counts["prosecution"]["by_verdict"]["convicted"] == 1
    text = _cli(monkeypatch, db_url, "exchange", "counts").output
    assert "held: 1; deprived of contact with family: 1" in text


def test_cli_refuses_bad_input_in_one_line(db, db_url, operator, tmp_path, monkeypatch):
    build_registry(db, operator, tmp_path)
    from rollcall.cli import main

    for argv in (["exchange", "attach", "99", "1", "--direction", "to_own_side"],
                 ["exchange", "add", "--date", "2024-01"],
                 ["prosecution", "add", "1", "--source", "1", "--charges", "x",
                  "--charged-on", "2023-06", "--verdict", "convicted",
                  "--verdict-on", "2023-01"]):
        monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
        get_settings.cache_clear()
        monkeypatch.setattr("sys.argv", ["rollcall", *argv])
        try:
            main()
        except SystemExit as exit_:
            assert exit_.code == 2, argv
        else:
            raise AssertionError(f"accepted: {argv}")
    assert _count(db, Exchange) == 0 and _count(db, Prosecution) == 0


def test_api_reads_for_analysts_writes_for_registrars(db, operator, tmp_path, app_client,
                                                      users):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    assert app_client.get("/api/exchanges").status_code == 401
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    listed = app_client.get("/api/exchanges").json()
    assert listed["total"] == 2
    assert listed["items"][1]["to_own_side"] == {"alive": 1, "bodies": 1}
    detail = app_client.get(f"/api/exchanges/{world.first}").json()
    assert {(p["person"]["id"], p["kind"], p["identification"]) for p in detail["persons"]} == {
        (reg.kovalenko, "alive", None), (reg.bondar, "body", "pending")}
    counts = app_client.get("/api/exchange-counts").json()
    assert counts["contact"]["deprived"] == 1 and counts["prosecution"]["prosecutions"] == 2
    cases = app_client.get("/api/prosecutions", params={"concern": "coerced_confession"}).json()
    assert [c["person"]["id"] for c in cases["items"]] == [reg.kovalenko]
    assert cases["items"][0]["person"]["legal_status"] == "status_denied"
    mine = app_client.get(f"/api/persons/{reg.shevchuk}/family-contacts").json()
    assert [(c["kind"], c["delivered"]) for c in mine] == [("call", True)]
    for path, body in ((f"/api/exchanges/{world.first}/persons",
                        {"person_ids": [reg.shevchuk], "direction": "to_own_side"}),
                       ("/api/exchanges", {"date": "2024-05-01"}),
                       (f"/api/persons/{reg.shevchuk}/family-contacts",
                        {"source_id": reg.own_source, "kind": "letter"})):
        assert app_client.post(path, json=body).status_code == 403, path
    assert _count(db, Exchange) == 2 and _count(db, FamilyContact) == 2

    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    created = app_client.post("/api/exchanges", json={"date": "2024-05-01",
                                                      "mediator_code": "qatar",
                                                      "source_id": reg.own_source})
    assert created.status_code == 201, created.text
    exchange_id = created.json()["id"]
    attach = app_client.post(f"/api/exchanges/{exchange_id}/persons",
                             json={"person_ids": [reg.mykolaienko], "direction": "to_own_side"})
    assert attach.json() == {"attached": [reg.mykolaienko], "already": []}
    unknown = app_client.post(f"/api/exchanges/{exchange_id}/persons",
                              json={"person_ids": [999_999], "direction": "to_own_side"})
    assert unknown.status_code == 404 and "999999" in unknown.json()["detail"]
    bad = app_client.post(f"/api/exchanges/{exchange_id}/persons",
                          json={"person_ids": [reg.shevchuk], "direction": "sideways"})
    assert bad.status_code == 422
    ident = app_client.post(f"/api/exchanges/{world.first}/persons/{reg.bondar}/identification",
                            json={"identification": "identified", "date": "2024-04"})
    assert ident.status_code == 200 and ident.json()["identification"] == "identified"
    case = app_client.post(f"/api/persons/{reg.shevchuk}/prosecutions", json={
        "source_id": reg.own_source, "charges": "найманство", "charged_on": "2023-02",
        "concerns": ["trial_in_absentia"]})
    assert case.status_code == 201, case.text
    assert case.json()["person"]["legal_status"] == "status_denied"
    later = app_client.post(f"/api/prosecutions/{case.json()['id']}/verdict",
                            json={"verdict": "convicted", "verdict_on": "2022-12"})
    assert later.status_code == 422 and "verdict_on" in later.json()["detail"]
    contact = app_client.post(f"/api/persons/{reg.mykolaienko}/family-contacts", json={
        "source_id": reg.own_source, "kind": "message_via_icrc", "direction": "to_person",
        "date": "2024-04-02", "delivered": True})
    assert contact.status_code == 201, contact.text
    with db.session() as s:
        assert s.get(Person, reg.mykolaienko).custody_status is CustodyStatus.RELEASED

    upload = app_client.post(f"/api/exchanges/{exchange_id}/import",
                             files={"file": ("обмін.csv", EXCHANGE_LIST.encode(), "text/csv")},
                             data={"direction": "to_own_side", "origin": "icrc"})
    assert upload.status_code == 200, upload.text
    report = upload.json()
    assert (report["file"], report["matched"], report["new"]) == ("обмін.csv", 2, 1)
    assert report["rejected_rows"][0] == {"row_number": 5, "field": "surname",
                                          "reason": "no surname"}


def test_pages_show_exchanges_and_forms_record(db, operator, tmp_path, app_client, users):
    world = build_exchanges(db, operator, tmp_path)
    reg = world.registry
    csrf = log_in(app_client, "registrar")  # she reads Ukrainian
    page = app_client.get("/exchanges")
    assert page.status_code == 200
    assert "Обміни та репатріація" in page.text and "Записати обмін" in page.text
    assert "Утримуються, і жоден контакт із родиною не доставлено" in page.text
    uk = app_client.get(f"/exchanges/{world.first}").text
    assert "Обмін 03.01.2024" in uk and "ідентифікація триває (ДНК)" in uk
    assert "Коваленко Петро Іванович" in uk and "Імпортувати список переданих осіб" in uk

    created = app_client.post("/exchanges", data={
        "csrf_token": csrf, "date": "01.05.2024", "mediator": "Катар",
        "source_id": str(reg.own_source)}, follow_redirects=False)
    assert created.status_code == 303, created.text
    new_id = int(created.headers["location"].rsplit("/", 1)[1])
    refused = app_client.post("/exchanges", data={"csrf_token": csrf, "date": "05.2024"})
    assert refused.status_code == 422 and "give the day" in refused.text
    attach = app_client.post(f"/exchanges/{new_id}/persons", data={
        "csrf_token": csrf, "person_ids": f"{reg.mykolaienko}", "direction": "to_own_side",
        "kind": "alive"}, follow_redirects=False)
    assert attach.status_code == 303
    with db.session() as s:
        assert s.get(ExchangePerson, (new_id, reg.mykolaienko)) is not None
    no_csrf = app_client.post(f"/exchanges/{new_id}/persons", data={
        "person_ids": f"{reg.shevchuk}", "direction": "to_own_side"})
    assert no_csrf.status_code == 403
    upload = app_client.post(f"/exchanges/{new_id}/import", data={
        "csrf_token": csrf, "direction": "to_adversary", "kind": "alive", "origin": "icrc"},
        files={"file": ("list.csv", EXCHANGE_LIST.encode(), "text/csv")})
    assert upload.status_code == 200, upload.text
    assert "Рядки, що приєдналися до вже відомої особи" in upload.text
    assert "немає прізвища" in upload.text  # the reason, in the reader's language

    cases = app_client.get("/prosecutions", params={"verdict": "pending"})
    assert "зізнання під примусом" in cases.text  # the concerns table
    assert "Записати вирок" in cases.text and "Mykolaienko" in cases.text
    form = app_client.get("/prosecutions/new", params={"person_id": reg.shevchuk})
    assert form.status_code == 200 and "Шевчук" in form.text
    recorded = app_client.post("/prosecutions/new", data={
        "csrf_token": csrf, "person_id": str(reg.shevchuk), "source_id": str(reg.own_source),
        "charges": "найманство", "charged_on": "02.2023", "verdict": "pending",
        "concerns": ["no_interpreter", "closed_hearing"]}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    with db.session() as s:
        assert s.get(Person, reg.shevchuk).legal_status is LegalStatus.STATUS_DENIED
    verdict = app_client.post(f"/prosecutions/{world.mykolaienko_case}/verdict", data={
        "csrf_token": csrf, "verdict": "acquitted", "sentence": "5 років"})
    assert verdict.status_code == 422 and "no sentence" in verdict.text
    assert "Записати вирок" in app_client.get(
        f"/prosecutions/{world.mykolaienko_case}/verdict").text
    assert "Записати контакт із родиною" in app_client.get(
        "/family-contacts/new", params={"person_id": reg.kovalenko}).text
    bad_contact = app_client.post("/family-contacts/new", data={
        "csrf_token": csrf, "person_id": str(reg.kovalenko), "source_id": str(reg.own_source),
        "kind": "letter", "delivered": "maybe"})
    assert bad_contact.status_code == 422 and "delivered: yes, no" in bad_contact.text
    contact = app_client.post("/family-contacts/new", data={
        "csrf_token": csrf, "person_id": str(reg.kovalenko), "source_id": str(reg.own_source),
        "kind": "letter", "direction": "from_person", "date": "2023-08", "delivered": "yes"},
        follow_redirects=False)
    assert contact.status_code == 303
    person = app_client.get(f"/persons/{reg.kovalenko}").text
    assert "Обміни, переслідування та контакт із родиною" in person
    assert "зізнання під примусом" in person and "лист, від особи до родини — доставлено" in person
    assert f"/exchanges/{world.first}" in person

    app_client.cookies.clear()
    log_in(app_client, "analyst")
    reader = app_client.get("/exchanges").text  # he reads English
    assert "Exchanges and repatriation" in reader and "Record an exchange" not in reader
    detail = app_client.get(f"/exchanges/{world.first}").text
    assert "identification pending (DNA)" in detail and "Move forward" not in detail
    assert "Attach persons from the registry" not in detail and "Import the list" not in detail
    assert "1 alive, 1 bodies" not in reader and "1 alive, 3 bodies" in reader
    assert app_client.get("/prosecutions/new").status_code == 403
