"""The dashboard page, `GET /api/indicators` and `rollcall indicators` on the hand-built
world (indicators_world.py, where every figure below was worked out), in English and
Ukrainian, for every role, with filters, as for publication, and bad input refused.

These tests take the `db` fixture, so the world is built for each (a few seconds): the
assertions are grouped into few tests."""

from __future__ import annotations

import json
import re

import pytest
from indicators_world import World, build_world
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, api_token, log_in

ROLES = list(Role)


@pytest.fixture
def world(db, operator, tmp_path) -> World:
    return build_world(db, operator, tmp_path)


def figure(page: str, term: str) -> str:
    """The <dd> after the <dt> holding `term`, tags and whitespace collapsed."""
    match = re.search(rf"<dt>{re.escape(term)}</dt><dd>(.*?)</dd>", page, re.S)
    assert match, f"no figure {term!r} in the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def row(page: str, header: str) -> list[str]:
    """The cells of the table row headed `header` (the first such row)."""
    match = re.search(rf'<th scope="row">{re.escape(header)}</th>(.*?)</tr>', page, re.S)
    assert match, f"no row {header!r} in the page"
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_the_page_needs_a_login(app_client):
    answer = app_client.get("/dashboard", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fdashboard"


def test_every_role_sees_the_figures(db, operator, world, app_client):
    with db.session() as s:
        for role in ROLES:
            accounts.add_user(s, operator, f"u-{role.value}", PASSWORD, [role], language="en")
    for role in ROLES:
        app_client.cookies.clear()
        log_in(app_client, f"u-{role.value}")
        answer = app_client.get("/dashboard")
        assert answer.status_code == 200, (role, answer.text)
        assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in answer.text
        assert figure(answer.text, "Persons documented") == "18"


def test_the_page_in_english_with_its_hand_counted_figures(world, app_client, users):
    log_in(app_client, "analyst")  # reads in English
    answer = app_client.get("/dashboard")
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert "style=" not in page  # the Content-Security-Policy allows no inline style
    expected = {
        "Persons documented": "18", "held": "4", "released": "7", "dead": "4", "missing": "1",
        "died in custody": "2", "Places of detention never visited by a monitor": "1",
        "Released prisoners interviewed who report ill-treatment": "4 of 5 (80%)",
        "Incidents (not retracted)": "5", "Victims of those incidents": "16", "Exchanges": "2",
        "Persons and bodies handed over": "5"}
    for term, value in expected.items():
        assert figure(page, term) == value, term
    # The tables, the charts' text alternative.
    assert row(page, "escaped") == ["1"]
    assert row(page, "Beating") == ["3", "5", "60%", "23%–88%"]
    assert row(page, "any method") == ["4", "5", "80%", "38%–96%"]
    assert "Mock execution" not in page  # reported by nobody: not listed
    assert row(page, "torture or ill-treatment") == ["2", "0", "1", "0", "3"]
    assert row(page, "returned to our side") == ["1", "1", "2", "4"]
    # Inline SVG charts, each titled, with the figures drawn as text.
    charts = re.findall(r'<svg class="chart"[^>]*role="img" aria-labelledby="([^"]+)"', page)
    assert charts == ["persons_by_status-chart-title", "sites_by_access-chart-title",
                      "ill_treatment_methods-chart-title", "incidents-chart-title"]
    assert '<title id="persons_by_status-chart-title">Persons by status</title>' in page
    assert page.count('class="whisker"') == 3 * 5  # an interval per share shown
    # How each figure is counted, and that nothing is withheld.
    assert page.count('<details class="method">') == 8
    assert "does not apply: incidents are counted as events" in page
    assert "* withheld for publication" not in page and "withheld</span>" not in page


def test_the_page_speaks_ukrainian_and_filters(world, app_client, users):
    log_in(app_client, "registrar")  # reads in Ukrainian
    page = app_client.get("/dashboard").text
    assert '<html lang="uk">' in page and "<h1>Зведення</h1>" in page
    assert figure(page, "Задокументовані особи") == "18"
    assert figure(page, "Опитані звільнені полонені, які повідомляють про жорстоке "
                        "поводження") == "4 з 5 (80%)"
    # Civilians, events of 2023 (each status on its own date): held p3, p14; released r6.
    page = app_client.get("/dashboard", params={
        "category": "civilian_detainee", "date_from": "2023", "date_to": "2023"}).text
    assert "Задокументовані особи" not in page  # no total with a period
    assert figure(page, "утримується") == "2" and figure(page, "звільнено") == "1"
    assert '<option value="civilian_detainee" selected>' in page
    assert 'name="date_from" size="10" value="2023"' in page
    assert ("Фільтр не застосовано: Категорія (інциденти рахуються як події, а більшість "
            "їхніх потерпілих не встановлено).") in page


def test_the_publication_view_withholds_small_figures(world, app_client, users):
    log_in(app_client, "analyst")
    page = app_client.get("/dashboard", params={"publication": "1"}).text
    assert 'name="publication" type="checkbox" value="1" checked' in page
    assert ("* withheld for publication: fewer than 5, or could be worked out from a total "
            "and the other figures.") in page
    assert figure(page, "held") == "* withheld"
    assert figure(page, "released") == "7" and figure(page, "Persons documented") == "18"
    assert row(page, "Beating") == ["* withheld", "5", "* withheld", "* withheld"]


@pytest.mark.parametrize(("params", "status", "named"), [
    ({"date_from": "soon"}, 422, "date_from"),
    ({"category": "general"}, 422, "category"),
    ({"site_id": "999999"}, 404, "site"),
    ({"date_from": "2024", "date_to": "2023"}, 422, "period"),
])
def test_bad_input_is_refused(app_client, users, params, status, named):
    log_in(app_client, "analyst")
    answer = app_client.get("/dashboard", params=params)
    assert answer.status_code == status
    assert named in answer.text and "<h1>Dashboard</h1>" not in answer.text


def test_the_api_and_the_cli(db, db_url, operator, world, app_client, users, monkeypatch):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    answer = app_client.get("/api/indicators", params={"site_id": world.site["B"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["filters"]["site_id"] == world.site["B"] and not body["publication"]
    by_code = {i["code"]: i for i in body["indicators"]}
    assert list(by_code) == ["persons_by_status", "deaths_in_custody", "sites_by_access",
                             "ill_treatment_methods", "incidents", "victims", "exchanges",
                             "persons_exchanged"]
    cells = {"/".join(c["key"]): c for c in by_code["persons_by_status"]["cells"]}
    assert (cells["held"]["numerator"], cells["held"]["denominator"]) == (1, 6)  # at B
    assert set(by_code["exchanges"]["not_applied"]) == {"site"}
    assert "site" in by_code["exchanges"]["not_applicable"]
    shares = {"/".join(c["key"]): c for c in by_code["ill_treatment_methods"]["cells"]}
    # At B: p5, r2 (no consent: out), r3 through r5's act at B, r6 (captured there).
    assert (shares["all"]["numerator"], shares["all"]["denominator"]) == (2, 3)

    published = app_client.get("/api/indicators", params={"publication": "true"}).json()
    assert published["threshold"] == 5
    held = next(c for c in published["indicators"][0]["cells"] if c["key"] == ["held"])
    assert held == {"key": ["held"], "numerator": None, "denominator": 18, "value": None,
                    "lower": None, "upper": None, "suppressed": "primary",
                    "why": "fewer than 5"}

    bad = app_client.get("/api/indicators", params={"date_to": "31.12.2023"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert app_client.get("/api/indicators", params={"source_id": 999_999}).status_code == 404

    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    text = CliRunner().invoke(app, ["indicators", "--from", "2023-10", "--to", "2023-12"],
                              catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "period_from=2023-10-01, period_to=2023-12-31" in text.output
    assert "  beating: 2 of 3 (67%; 95% CI 21-94%)" in text.output
    as_json = CliRunner().invoke(app, ["indicators", "--json", "--publication"],
                                 catch_exceptions=False)
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["indicators"][0]["cells"][0]["why"] == "fewer than 5"
