"""The review pages: the queue, one pair with the evidence coloured for and against, the
accept / reject / split forms (CSRF, linkage:review), keyboard script, and a merged
person's page sending the reader to the survivor."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from review_support import add_review_pairs
from rollcall.models import Person, ReviewPair, ReviewStatus, SourceRecord
from rollcall.services.linkage import merge_persons
from webtest_support import log_in


@pytest.fixture
def pairs(db, people):
    return add_review_pairs(db, people)


@pytest.fixture
def registrar(users, people, app_client):
    app_client.csrf = log_in(app_client, "registrar")
    return app_client


@pytest.fixture
def analyst(users, people, app_client):
    app_client.csrf = log_in(app_client, "analyst")
    return app_client


def pair_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/review/(\d+)">', html)]


def test_the_queue_lists_pairs_most_uncertain_first(registrar, pairs):
    page = registrar.get("/review")
    assert page.status_code == 200
    assert "Черга перевірки" in page.text
    assert pair_links(page.text) == [pairs.uncertain, pairs.likely, pairs.unlikely]
    assert "55 %" in page.text


def test_a_pair_shows_records_side_by_side_and_the_evidence_for_and_against(
        registrar, pairs):
    page = registrar.get(f"/review/{pairs.uncertain}").text
    assert 'class="ev-for"' in page and 'class="ev-against"' in page
    assert 'class="ev-neutral"' in page
    assert "+2.50" in page and "-2.00" in page
    assert "Коваленко" in page and "Ковальчук" in page
    pair = pairs.uncertain
    assert f'formaction="/review/{pair}/accept"' in page
    assert f'formaction="/review/{pair}/reject"' in page
    assert f'id="next" href="/review/next?after={pair}"' in page
    assert '<script src="/static/review.js" defer></script>' in page
    assert f'name="csrf_token" value="{registrar.csrf}"' in page
    # Коваленко has two records (two lists): the split form offers both.
    assert page.count('name="record_ids"') == 2


def test_the_keyboard_script_is_served_and_knows_a_r_n(app_client):
    script = app_client.get("/static/review.js")
    assert script.status_code == 200
    assert 'a: "accept", r: "reject", n: "next"' in script.text


def test_accepting_merges_and_moves_on_to_the_next_pair(db, registrar, pairs, people):
    answer = registrar.post(f"/review/{pairs.likely}/accept",
                            data={"csrf_token": registrar.csrf, "reason": "same card"},
                            follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/review/{pairs.unlikely}"
    keep, gone = sorted([people.shevchuk, people.bondar])
    with db.session() as s:
        assert s.get(Person, gone).merged_into_id == keep
        assert s.get(ReviewPair, pairs.likely).status is ReviewStatus.DECIDED


def test_rejecting_keeps_apart_and_the_last_pair_leads_back_to_the_queue(
        db, registrar, pairs, people):
    for pair in (pairs.uncertain, pairs.likely):
        registrar.post(f"/review/{pair}/reject", data={"csrf_token": registrar.csrf})
    answer = registrar.post(f"/review/{pairs.unlikely}/reject",
                            data={"csrf_token": registrar.csrf}, follow_redirects=False)
    assert answer.headers["location"] == "/review"
    assert "Жодна пара не чекає на перевірку." in registrar.get("/review").text
    decided = registrar.get(f"/review/{pairs.unlikely}").text
    assert "різні особи" in decided and 'id="accept"' not in decided
    with db.session() as s:
        assert s.get(Person, people.bondar).merged_into_id is None


def test_a_decision_without_the_form_token_is_refused(registrar, pairs):
    answer = registrar.post(f"/review/{pairs.likely}/accept", data={})
    assert answer.status_code == 403


def test_a_role_without_linkage_review_sees_but_cannot_decide(analyst, pairs):
    page = analyst.get(f"/review/{pairs.uncertain}")
    assert page.status_code == 200
    assert 'id="accept"' not in page.text and 'name="record_ids"' not in page.text
    assert "review.js" not in page.text
    for action in ("accept", "reject"):
        answer = analyst.post(f"/review/{pairs.uncertain}/{action}",
                              data={"csrf_token": analyst.csrf})
        assert answer.status_code == 403


def test_splitting_a_side_from_the_pair_page(db, registrar, pairs, people):
    with db.session() as s:
        records = s.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id == people.kovalenko).order_by(SourceRecord.id)).all()
    answer = registrar.post(f"/review/{pairs.uncertain}/split", data={
        "csrf_token": registrar.csrf, "person_id": people.kovalenko,
        "record_ids": [records[1]], "reason": "other father"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/review/{pairs.uncertain}"
    with db.session() as s:
        assert s.get(SourceRecord, records[1]).person_id != people.kovalenko
    nothing = registrar.post(f"/review/{pairs.uncertain}/split", data={
        "csrf_token": registrar.csrf, "person_id": people.kovalenko})
    assert nothing.status_code == 422


def test_skipping_goes_to_the_next_open_pair(registrar, pairs):
    answer = registrar.get(f"/review/next?after={pairs.unlikely}", follow_redirects=False)
    assert answer.headers["location"] == f"/review/{pairs.uncertain}"


def test_a_merged_persons_page_sends_the_reader_to_the_survivor(db, operator, registrar,
                                                                people):
    with db.session() as s:
        merge_persons(s, operator, [people.bondar, people.shevchuk])
    keep, gone = sorted([people.bondar, people.shevchuk])
    answer = registrar.get(f"/persons/{gone}", follow_redirects=False)
    assert answer.status_code == 302 and answer.headers["location"] == f"/persons/{keep}"
    assert f'href="/persons/{gone}"' not in registrar.get("/persons").text
