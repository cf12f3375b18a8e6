"""The tracing pages: the public family form (same reply whatever the registry holds,
CSRF, rate limit), the staff search, liaison staff handling requests, and the
reconciliation of a received list."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from rollcall.app import create_app
from rollcall.config import get_settings
from rollcall.models import TracingRequest
from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, TestClient, csrf_of, log_in

REFERENCE = re.compile(r"TR-[0-9A-Z]{5}-[0-9A-Z]{5}")
HELD = {  # the registry holds him (webtest_support: Коваленко Петро Іванович, 12.03.1994)
    "surname": "Коваленко", "given_name": "Петро", "patronymic": "Іванович",
    "birth_date": "12.03.1994", "requester_name": "Ганна", "requester_relation": "мати",
    "requester_contact": "+380 99 000 11 22",
}
UNKNOWN = {**HELD, "surname": "Вигаданенко", "given_name": "Никодим", "birth_date": "1961"}


def submit(client: TestClient, values: dict[str, str]):
    form = client.get("/family")
    return client.post("/family", data={**values, "csrf_token": csrf_of(form.text)})


def test_the_family_form_is_public_bilingual_and_carries_a_csrf_token(app_client):
    page = app_client.get("/family")
    assert page.status_code == 200 and "Запит про зниклого родича" in page.text
    cookie = next(h for h in page.headers.get_list("set-cookie")
                  if h.startswith("rollcall_login_csrf="))
    assert "Path=/family" in cookie and "HttpOnly" in cookie
    english = app_client.get("/family?lang=en")
    assert "Ask about a missing relative" in english.text and 'lang="en"' in english.text
    refused = app_client.post("/family", data={**HELD, "csrf_token": "forged"})
    assert refused.status_code == 403


def test_the_reply_is_the_same_whether_or_not_the_person_is_held(db, people, app_client):
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    first = submit(app_client, UNKNOWN)  # the first request makes the encryption keys
    refs = [REFERENCE.search(first.text).group()]
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        held = submit(app_client, HELD)
        held_sql, statements[:] = list(statements), []
        unknown = submit(app_client, UNKNOWN)
        unknown_sql = list(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert held.status_code == unknown.status_code == 200
    refs += [REFERENCE.search(a.text).group() for a in (held, unknown)]
    assert len(set(refs)) == 3
    assert REFERENCE.sub("REF", held.text) == REFERENCE.sub("REF", unknown.text)
    assert REFERENCE.sub("REF", first.text) == REFERENCE.sub("REF", unknown.text)
    assert held.headers.keys() == unknown.headers.keys()
    # Submitting never reads the registry: the same statements, none about people (the
    # ledger seals change entries after each commit, a backlog the first time).
    held_sql, unknown_sql = ([s for s in sql if "ledger" not in s]
                             for sql in (held_sql, unknown_sql))
    assert held_sql == unknown_sql
    touched = " ".join(held_sql + unknown_sql)
    for table in ("source_records", "persons", "trace_keys", "trace_names", "events"):
        assert table not in touched
    with db.session() as s:
        stored = s.scalars(select(TracingRequest.reference)).all()
    assert sorted(stored) == sorted(refs)


def test_a_form_with_missing_fields_is_shown_again_with_what_to_fix(app_client):
    answer = submit(app_client, {**HELD, "requester_contact": "", "birth_date": "31.02.1994"})
    assert answer.status_code == 400
    assert 'href="#requester_contact"' in answer.text and 'href="#birth_date"' in answer.text
    assert 'value="Коваленко"' in answer.text


def test_the_form_is_rate_limited_per_address(db, monkeypatch):
    monkeypatch.setenv("ROLLCALL_TRACING_FORM_MAX_REQUESTS", "2")
    get_settings.cache_clear()
    with TestClient(create_app(db), base_url="http://testserver") as client:
        assert submit(client, UNKNOWN).status_code == 200
        assert submit(client, UNKNOWN).status_code == 200
        limited = submit(client, UNKNOWN)
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
        assert "Забагато запитів" in limited.text
    with db.session() as s:
        assert len(s.scalars(select(TracingRequest.id)).all()) == 2


@pytest.fixture
def liaison(db, operator, users, people, app_client):
    with db.session() as s:
        accounts.add_user(s, operator, "liaison", PASSWORD, [Role.LIAISON],
                          display_name="Зв'язковий", language="uk")
    submit(app_client, HELD)
    log_in(app_client, "liaison")
    return app_client


def test_liaison_sees_candidates_and_records_an_answer(db, people, liaison):
    listing = liaison.get("/tracing/requests?status=open")
    assert listing.status_code == 200
    link = re.search(r'href="/tracing/requests/(\d+)">(TR-[^<]+)<', listing.text)
    request_id = int(link.group(1))
    page = liaison.get(f"/tracing/requests/{request_id}")
    assert page.status_code == 200 and "+380 99 000 11 22" in page.text
    assert f'value="{people.kovalenko}"' in page.text  # the held person is a candidate
    answer = liaison.post(f"/tracing/requests/{request_id}", data={
        "csrf_token": csrf_of(page.text), "status": "answered",
        "answer": "Внесений до списків, повідомлено.",
        "matched_person_id": str(people.kovalenko)}, follow_redirects=False)
    assert answer.status_code == 303
    after = liaison.get(f"/tracing/requests/{request_id}").text
    assert "Внесений до списків, повідомлено." in after and "liaison" in after
    with db.session() as s:
        stored = s.get(TracingRequest, request_id)
        assert stored.matched_person_id == people.kovalenko


def test_roles_without_tracing_requests_are_refused(db, users, people, app_client):
    submit(app_client, HELD)
    with db.session() as s:
        request_id = s.scalars(select(TracingRequest.id)).one()
    log_in(app_client, "registrar")
    assert app_client.get("/tracing/requests").status_code == 403
    assert app_client.get(f"/tracing/requests/{request_id}").status_code == 403


def test_the_staff_search_page(users, people, app_client):
    log_in(app_client, "registrar")
    page = app_client.get("/tracing", params={"q": "Петр Коваленко 1994"})
    assert page.status_code == 200
    assert f'href="/persons/{people.kovalenko}">Коваленко Петро Іванович' in page.text
    assert "прізвище" in page.text and "той самий рік народження" in page.text
    log_in(app_client, "analyst")
    assert app_client.get("/tracing", params={"q": "Коваленко"}).status_code == 403


def test_the_reconciliation_page_and_csv(users, people, app_client):
    log_in(app_client, "registrar")
    page = app_client.get(f"/sources/{people.adversary_source}/reconcile")
    assert page.status_code == 200 and "Звірка" in page.text
    assert f'href="/persons/{people.kovalenko}"' in page.text
    csv = app_client.get(f"/sources/{people.adversary_source}/reconcile.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("group,record_id,row_number,person_id")
