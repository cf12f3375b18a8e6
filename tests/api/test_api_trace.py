"""`GET /api/trace`: ranked persons from any spelling, for roles with tracing:search."""

from __future__ import annotations

from webtest_support import api_token


def test_trace_finds_the_merged_person_from_a_russian_spelling(db, operator, users, people,
                                                               app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    answer = app_client.get("/api/trace", params={"q": "Петр Коваленко Иванович 1994"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["names"] == ["Петр", "Коваленко", "Иванович"]
    assert body["birth_date"] == "1994"
    first = body["candidates"][0]
    assert first["person"]["id"] == people.kovalenko and first["rank"] == 1
    assert first["display_name"].startswith("Коваленко Петро")
    assert "Коваленко Петр Иванович" in first["other_spellings"]
    assert {"surname", "given_name", "patronymic", "birth_year"} <= set(first["reasons"])
    assert first["person"]["custody_status"] == "held"
    ids = [c["person"]["id"] for c in body["candidates"]]
    assert len(ids) == len(set(ids))


def test_trace_checks_its_input_and_its_permission(db, operator, users, people, app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    assert app_client.get("/api/trace", params={"q": ""}).status_code == 422
    assert app_client.get("/api/trace", params={"q": "x", "limit": 500}).status_code == 422
    assert app_client.get("/api/trace", params={"q": "1994"}).json()["candidates"] == []
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    refused = app_client.get("/api/trace", params={"q": "Коваленко"})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
