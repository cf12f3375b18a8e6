"""The review queue as a service: its order, moving on, and pairs that stop needing a
human when their records become one person."""

import pytest
from sqlalchemy import select

from review_support import add_review_pairs
from rollcall.errors import Conflict, PermissionDenied
from rollcall.models import Change, LinkDecision, ReviewPair, ReviewStatus
from rollcall.services import review
from rollcall.services.actor import Actor
from rollcall.services.linkage import accept_pair, merge_persons, reject_pair
from rollcall.vocabulary import Role
from webtest_support import people  # noqa: F401  (fixture)

ANALYST = Actor("analyst", "api", frozenset({Role.ANALYST}))


@pytest.fixture
def pairs(db, people):  # noqa: F811
    return add_review_pairs(db, people)


def statuses(db):
    with db.session() as s:
        return {p.id: p.status for p in s.scalars(select(ReviewPair))}


def test_the_queue_and_next_wrap_around(db, pairs):
    with db.session() as s:
        queue = review.list_pairs(s, ANALYST)
        assert [row.pair.id for row in queue.items] == [pairs.uncertain, pairs.likely,
                                                        pairs.unlikely]
        assert review.next_open_pair(s, ANALYST) == pairs.uncertain
        assert review.next_open_pair(s, ANALYST, pairs.likely) == pairs.unlikely
        assert review.next_open_pair(s, ANALYST, pairs.unlikely) == pairs.uncertain


def test_merging_persons_by_hand_supersedes_their_open_pairs(db, operator, pairs, people):  # noqa: F811
    with db.session() as s:
        merge_persons(s, operator, [people.shevchuk, people.bondar])
    got = statuses(db)
    assert got[pairs.likely] is ReviewStatus.SUPERSEDED
    assert got[pairs.uncertain] is got[pairs.unlikely] is ReviewStatus.OPEN


def test_a_decision_closes_the_pair_and_only_a_reviewer_may_take_it(db, operator, pairs):
    with db.session() as s, pytest.raises(PermissionDenied):
        reject_pair(s, ANALYST, pairs.unlikely)
    with db.session() as s:
        decision = reject_pair(s, operator, pairs.unlikely, reason="different fathers")
        decision_id = decision.id
    with db.session() as s:
        pair = s.get(ReviewPair, pairs.unlikely)
        assert (pair.status, pair.decision_id) == (ReviewStatus.DECIDED, decision_id)
        assert s.get(LinkDecision, decision_id).reason == "different fathers"
        entry = s.scalars(select(Change).where(Change.action == "link:rejected")).one()
        assert entry.diff["review_pairs"] == [pairs.unlikely]
    with db.session() as s, pytest.raises(Conflict):
        accept_pair(s, operator, pairs.unlikely)
