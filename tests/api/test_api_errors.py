"""One error shape: problem+json under /api (or when JSON is asked for), an HTML page
elsewhere; security headers on every answer."""

from __future__ import annotations

import pytest
from fastapi import Depends

from rollcall.app import SECURITY_HEADERS
from rollcall.web.access import public
from webtest_support import api_token


def test_unknown_api_path_is_problem_json(app_client):
    answer = app_client.get("/api/no/such/thing")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json() == {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "Not Found", "instance": "/api/no/such/thing"}


def test_unknown_page_is_an_html_page_in_the_language(app_client):
    answer = app_client.get("/no/such/page")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Не знайдено" in answer.text and '<html lang="uk">' in answer.text
    english = app_client.get("/no/such/page?lang=en")
    assert "Not found" in english.text and '<html lang="en">' in english.text


def test_json_is_given_to_clients_asking_for_it(app_client):
    answer = app_client.get("/no/such/page", headers={"Accept": "application/json"})
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_wrong_method_is_405_with_allow(app_client):
    answer = app_client.delete("/api/health")
    assert answer.status_code == 405
    assert answer.json()["status"] == 405
    assert "GET" in answer.headers["allow"]


def test_validation_errors_list_locations_without_the_input(db, operator, users, app_client):
    token = api_token(db, operator, "analyst")
    answer = app_client.get("/api/persons", params={"page": "Шевченко"},
                            headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["errors"] == [{"loc": ["query", "page"], "msg": body["errors"][0]["msg"],
                               "type": "int_parsing"}]
    assert "Шевченко" not in answer.text


def test_unexpected_errors_answer_a_bare_500_and_log_no_data(app_client, caplog):
    message = "Коваленко Петро, secret detail"

    @app_client.app.get("/api/boom")
    def boom(_: None = Depends(public)) -> None:
        raise ValueError(message)

    answer = app_client.get("/api/boom")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Коваленко" not in answer.text and "secret" not in answer.text
    assert "Коваленко" not in caplog.text and "ValueError" in caplog.text
    assert answer.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/login", "/api/health", "/static/style.css", "/nowhere",
                                  "/api/nowhere", "/docs", "/openapi.json"])
def test_security_headers_on_every_answer(app_client, path):
    answer = app_client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value, (path, name)
    if path.startswith("/static/"):
        assert answer.status_code == 200 and "no-store" not in answer.headers.get(
            "cache-control", "")
    else:
        assert answer.headers["cache-control"] == "no-store"


def test_docs_page_lists_the_api_without_external_resources(app_client):
    answer = app_client.get("/docs")
    assert answer.status_code == 200
    assert "/api/persons/{person_id}" in answer.text and 'href="/openapi.json"' in answer.text
    assert "registry:read" in answer.text
    assert "http://" not in answer.text.replace("http://testserver", "")
    assert "https://" not in answer.text and "<script" not in answer.text
    spec = app_client.get("/openapi.json").json()
    assert "/api/persons" in spec["paths"] and "/persons" not in spec["paths"]
