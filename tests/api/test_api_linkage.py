"""Identity resolution through the API: the review queue (most uncertain first), one pair
with its evidence, accept and reject as recorded writes, merge and split, linkage runs;
deciding needs linkage:review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review_support import add_review_pairs
from rollcall.models import Change, DecisionKind, LinkDecision, Person, SourceRecord
from rollcall.services.linkage import merge_persons
from webtest_support import api_token


@pytest.fixture
def registrar(db, operator, users, app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    return app_client


@pytest.fixture
def analyst(db, operator, users, app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    return app_client


@pytest.fixture
def pairs(db, people):
    return add_review_pairs(db, people)


def ok(answer, status=200):
    assert answer.status_code == status, answer.text
    return answer.json()


def test_the_queue_lists_open_pairs_most_uncertain_first(analyst, pairs):
    page = ok(analyst.get("/api/review/pairs"))
    assert [p["id"] for p in page["items"]] == [pairs.uncertain, pairs.likely, pairs.unlikely]
    assert page["total"] == 3
    assert page["items"][0]["left"]["surname"] == "Коваленко"
    assert page["items"][0]["right"]["surname"] == "Ковальчук"
    second = ok(analyst.get("/api/review/pairs", params={"page": 2, "page_size": 2}))
    assert [p["id"] for p in second["items"]] == [pairs.unlikely]
    assert ok(analyst.get("/api/review/pairs", params={"status": "decided"}))["total"] == 0


def test_one_pair_shows_both_persons_and_the_evidence_for_and_against(analyst, pairs, people):
    detail = ok(analyst.get(f"/api/review/pairs/{pairs.uncertain}"))
    assert detail["left"]["person"]["id"] == people.kovalenko
    assert len(detail["left"]["person_records"]) == 2
    assert detail["right"]["person"]["id"] == people.kovalchuk
    assert [(e["comparison"], e["direction"]) for e in detail["evidence"]] == [
        ("surname", "for"), ("birth_date", "against"), ("service_number", "neutral")]
    assert detail["next_pair_id"] == pairs.likely
    # Family contacts stay withheld from a role without contacts:read, here too.
    assert "person_to_inform" in detail["left"]["record"]["withheld"]
    assert analyst.get("/api/review/pairs/999999").status_code == 404


def test_deciding_needs_linkage_review(analyst, pairs, people):
    for path in (f"/api/review/pairs/{pairs.uncertain}/accept",
                 f"/api/review/pairs/{pairs.uncertain}/reject"):
        assert analyst.post(path, json={}).status_code == 403
    assert analyst.post("/api/persons/merge", json={
        "person_ids": [people.shevchuk, people.bondar]}).status_code == 403
    assert analyst.post(f"/api/persons/{people.kovalenko}/split",
                        json={"record_ids": [1]}).status_code == 403


def test_accept_merges_the_two_persons_and_is_recorded(db, registrar, pairs, people):
    result = ok(registrar.post(f"/api/review/pairs/{pairs.likely}/accept",
                               json={"reason": "same unit and card"}))
    assert result["decision"]["kind"] == "accept"
    assert result["decision"]["decided_by"] == "registrar"
    assert result["person_ids"] == [min(people.shevchuk, people.bondar)]
    assert result["next_pair_id"] == pairs.uncertain
    with db.session() as s:
        assert s.get(Person, max(people.shevchuk, people.bondar)).merged_into_id == \
            min(people.shevchuk, people.bondar)
        actions = [c.action for c in s.scalars(select(Change).where(Change.actor == "registrar"))]
    assert actions.count("link:accepted") == 1 and actions.count("person:merged") == 2
    again = registrar.post(f"/api/review/pairs/{pairs.likely}/accept", json={})
    assert again.status_code == 409
    assert ok(registrar.get(f"/api/review/pairs/{pairs.likely}"))["status"] == "decided"


def test_reject_keeps_the_persons_apart_and_is_recorded(db, registrar, pairs, people):
    result = ok(registrar.post(f"/api/review/pairs/{pairs.unlikely}/reject", json={}))
    assert result["person_ids"] == sorted([people.mykolaienko, people.bondar])
    with db.session() as s:
        decision = s.get(LinkDecision, result["decision"]["id"])
        assert decision.kind is DecisionKind.REJECT
        assert s.scalars(select(Change.action).where(
            Change.entity_type == "link_decision")).all() == ["link:rejected"]
    queue = ok(registrar.get("/api/review/pairs"))
    assert pairs.unlikely not in [p["id"] for p in queue["items"]]


def test_merge_and_split_through_the_api(db, registrar, people):
    merged = ok(registrar.post("/api/persons/merge", json={
        "person_ids": [people.bondar, people.shevchuk], "reason": "test"}))
    assert merged["id"] == min(people.bondar, people.shevchuk)
    with db.session() as s:
        records = s.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id == merged["id"]).order_by(SourceRecord.id)).all()
    assert len(records) == 2
    new = ok(registrar.post(f"/api/persons/{merged['id']}/split",
                            json={"record_ids": [records[1]]}), 201)
    assert new["id"] not in (people.bondar, people.shevchuk)
    assert registrar.post(f"/api/persons/{merged['id']}/split",
                          json={"record_ids": [records[0]]}).status_code == 422
    assert registrar.post("/api/persons/merge", json={"person_ids": [1]}).status_code == 422


def test_a_merged_person_points_to_the_survivor(db, operator, analyst, people):
    with db.session() as s:
        merge_persons(s, operator, [people.bondar, people.shevchuk])
    keep, gone = sorted([people.bondar, people.shevchuk])
    assert ok(analyst.get(f"/api/persons/{gone}"))["id"] == keep
    listed = [p["id"] for p in ok(analyst.get("/api/persons"))["items"]]
    assert keep in listed and gone not in listed


def test_linkage_runs_are_listed(analyst, pairs):
    runs = ok(analyst.get("/api/linkage/runs"))
    assert [r["id"] for r in runs["items"]] == [pairs.run]
    assert runs["items"][0]["review_pairs"] == 3
