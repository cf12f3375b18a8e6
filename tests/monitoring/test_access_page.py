"""The access-gap report page: figures worked out by hand in the two small worlds
(monitoring_world: sites, visits, held persons; test_access_share: released witnesses), in
English and Ukrainian, with the as-of day, the caps, and bad input refused."""

from __future__ import annotations

import re

import pytest
from monitoring_world import build_world
from test_access_share import build_witnesses

from webtest_support import log_in


def _figure(page: str, term: str) -> str:
    """The <dd> after the <dt> holding `term`, whitespace collapsed."""
    match = re.search(rf"<dt>{re.escape(term)}</dt><dd>(.*?)</dd>", page, re.S)
    assert match, f"no figure {term!r} in the page"
    return " ".join(match.group(1).split())


@pytest.fixture
def worlds(db, operator, tmp_path):
    (tmp_path / "sites").mkdir()
    (tmp_path / "witnesses").mkdir()
    return (build_world(db, operator, tmp_path / "sites"),
            build_witnesses(db, operator, tmp_path / "witnesses"))


def test_the_page_needs_a_login(app_client):
    answer = app_client.get("/access-report", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Faccess-report"


def test_the_page_shows_the_hand_counted_figures_in_english(worlds, app_client, users):
    world, witnesses = worlds
    log_in(app_client, "analyst")  # reads in English
    answer = app_client.get("/access-report")
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert '<a href="/access-report" aria-current="page">' in page
    assert _figure(page, "Places of detention") == "6"
    assert _figure(page, "never visited by a monitor") == "2"
    assert _figure(page, "partial access only") == "2"
    assert _figure(page, "full access") == "2"
    # 9 held in the sites world, plus q7 (captured, no site) among the witnesses.
    assert _figure(page, "Persons held") == "10 (2 with no known place of detention)"
    assert _figure(page, "held at sites never visited") == "3"
    assert _figure(page, "held at sites with partial access only") == "3"
    assert _figure(page, "held and never seen by a monitor") == "6"
    assert ("5 of 6 (83%; 95% CI 44–97%) of released persons who answered say they never "
            "saw an independent monitor.") in page
    assert ("Released persons with testimony: 7; of them 1 did not answer. Not counted: 1 "
            "without consent to statistical use, 1 not recorded as released, 1 testimonies "
            "not linked to a person in the registry.") in page
    assert "Sites never visited by a monitor (2)" in page
    site_a = world.site["A"]
    row = re.search(rf'<a href="/sites/{site_a}">Site A</a></th>(.*?)</tr>', page, re.S)
    assert row, "site A is not listed with a link"
    assert re.findall(r"<td>(.*?)</td>", row.group(1))[3:5] == ["2", "0"]  # held, visits
    assert f'<a href="/persons/{world.person[1]}">' in page
    assert f'<a href="/persons/{witnesses.person[7]}">' in page  # held, never seen
    assert "Showing the first" not in page


def test_the_page_speaks_ukrainian(worlds, app_client, users):
    log_in(app_client, "registrar")  # reads in Ukrainian
    page = app_client.get("/access-report").text
    assert '<html lang="uk">' in page and "Доступ незалежних моніторів" in page
    assert ("Серед звільнених осіб, які відповіли, 5 з 6 (83%; 95% ДІ 44–97%) кажуть, що "
            "ніколи не бачили незалежного монітора.") in page
    assert _figure(page, "Утримувані особи") == "10 (з них 2 без відомого місця утримання)"


def test_as_of_and_caps(worlds, app_client, users):
    world, _ = worlds
    log_in(app_client, "analyst")
    page = app_client.get("/access-report", params={"as_of": "2023-02-15", "limit": 1}).text
    assert 'name="as_of" type="date" value="2023-02-15"' in page
    assert "Sites never visited by a monitor (3)" in page  # A, B, C (V2 came in March)
    assert "Showing the first 1 of 3." in page
    assert f'<a href="/sites/{world.site["B"]}">' not in page.split("Sites with partial")[0]
    # On 15 Feb 2023 no witness had been interviewed yet.
    assert "No released person who gave testimony has answered" in page
    typed = app_client.get("/access-report", params={"as_of": "15.02.2023", "limit": 1}).text
    assert 'value="2023-02-15"' in typed and "Showing the first 1 of 3." in typed


@pytest.mark.parametrize("params", [{"as_of": "2023-02"}, {"as_of": "next week"},
                                    {"limit": 0}, {"limit": 5000}])
def test_bad_input_is_refused(worlds, app_client, users, params):
    log_in(app_client, "analyst")
    answer = app_client.get("/access-report", params=params)
    assert answer.status_code == 422
    assert "Access of independent monitors" not in answer.text
    if "as_of" in params:
        assert "as_of" in answer.text


def test_an_empty_registry(app_client, users):
    log_in(app_client, "analyst")
    page = app_client.get("/access-report").text
    assert _figure(page, "Places of detention") == "0"
    assert "No released person who gave testimony has answered" in page
    assert page.count("<p>None.</p>") == 5
