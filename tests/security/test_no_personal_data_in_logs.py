"""No personal data in logs or error messages, anywhere (issue 5 part 6): a realistic run —
a synthetic list imported, a list with bad rows and a broken file refused, tracing
searches, a family's request, a failed login, a server error and a refused value — with
every logger captured at DEBUG (the database driver's statements included), and none of
the names, contacts or search texts appears in a log record or an error answer.

The test client's own loggers (httpx, httpcore) are left out: they log the URLs the test
sends, on the client's side, where no server runs."""

from __future__ import annotations

import csv
import logging
import re

from rollcall.services import queries
from rollcall.synth.generator import generate
from webtest_support import add_users, api_token, csrf_of, log_in

CLIENT_SIDE = ("httpx", "httpcore")
FAMILY = {"surname": "Вигадайло", "given_name": "Остап", "patronymic": "Лукич",
          "requester_name": "Оксана Вигадайло", "requester_relation": "дружина",
          "requester_contact": "+380 99 404 04 04"}



def _needles(rows: list[dict[str, str]]) -> set[str]:
    """Names and contacts of the list, and the family's request."""
    found = set(FAMILY.values()) - {"дружина"}
    for row in rows:
        found.update(row[key] for key in ("Прізвище", "Ім'я") if len(row[key]) >= 4)
        contact = row["Особа для повідомлення"]
        if contact:
            found.update((contact, contact.split(", ")[1], contact.rsplit(", ", 1)[1]))
    return found


def _log_texts(caplog) -> list[str]:
    formatter = logging.Formatter("%(name)s %(message)s")
    return [formatter.format(r) for r in caplog.records if not r.name.startswith(CLIENT_SIDE)]


def test_a_realistic_run_leaves_no_personal_data_in_logs_or_errors(
        db, operator, cli, app_client, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # as one debugging would
    generate(60, 11, tmp_path / "synth")
    own = tmp_path / "synth" / "lists" / "own_bureau.csv"
    rows = list(csv.DictReader(own.open(encoding="utf-8-sig")))
    needles = _needles(rows)
    first, second = rows[0], rows[1]
    surname, given, other = first["Прізвище"], first["Ім'я"], second["Ім'я"]
    errors: list[str] = []  # what the doors answered when something went wrong

    imported = cli("import", str(own), "--source", "Own register", "--origin", "own_bureau")
    assert imported.exit_code == 0, imported.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Прізвище,Ім'я,Дата народження,Категорія\n"
                   f"{surname},{given},31.02.1990,військовополонений\n"
                   f",{given},1990,військовополонений\n"
                   f"{second['Прізвище']},{other},1990,щось невідоме\n",
                   encoding="utf-8")
    rejected = cli("import", str(bad), "--source", "Bad rows", "--origin", "family")
    assert rejected.exit_code == 0 and "rejected" in rejected.output
    broken = tmp_path / "broken.csv"
    broken.write_bytes(f"Прізвище,Ім'я\n{surname},\x00{given}\n"
                       .encode() + bytes(range(0, 32)) * 50)
    refused = cli("import", str(broken), "--source", "Broken", "--origin", "family")
    assert refused.exit_code != 0  # `rollcall` prints the domain error as one line
    errors += [rejected.output, str(refused.exception)]

    add_users(db, operator)
    search = f"{surname} {given} {first['Дата народження'][-4:]}"
    bearer = {"Authorization": f"Bearer {api_token(db, operator, 'registrar')}"}
    assert app_client.get("/api/trace", params={"q": search}, headers=bearer).status_code == 200
    invalid = app_client.get("/api/persons", params={"born_from": first["Прізвище"]},
                             headers=bearer)
    assert invalid.status_code == 422
    errors.append(invalid.text)

    form = app_client.get("/family")
    answer = app_client.post("/family", data={**FAMILY, "csrf_token": csrf_of(form.text)})
    assert answer.status_code == 200
    form = app_client.get("/login")
    failed = app_client.post("/login", data={
        "username": first["Прізвище"], "password": first["Особа для повідомлення"],
        "csrf_token": csrf_of(form.text)})
    assert failed.status_code == 400
    errors += re.findall(r'<p class="error".*?</p>', failed.text, re.S)  # the message

    log_in(app_client, "registrar")
    assert app_client.get("/tracing", params={"q": search}).status_code == 200
    persons = app_client.get("/persons", params={"q": first["Прізвище"]})
    assert persons.status_code == 200

    def fails(*args, **kwargs):
        raise RuntimeError(f"the search for {kwargs.get('q')!r} failed")  # quotes a name

    monkeypatch.setattr(queries, "search_persons", fails)
    crashed = app_client.get("/persons", params={"q": first["Прізвище"]})
    assert crashed.status_code == 500
    errors += re.findall(r"<main.*</main>", crashed.text, re.S)  # not the staff's own name
    # The server's access log, as uvicorn writes it, with a search in the query string.
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
                                             f"/tracing?q={search}", "1.1", 200)

    assert len(errors) >= 5 and all(errors)
    logged = _log_texts(caplog)
    assert any("unhandled RuntimeError" in text for text in logged)  # the crash was logged
    assert any(text.startswith("sqlalchemy.engine") for text in logged)  # statements too
    for needle in sorted(needles | {search}):
        assert not [t for t in logged if needle in t], needle
        assert not [t for t in errors if needle in t], needle
