"""Constrained clustering, on hand-made graphs (no Splink): decisions always win."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from rollcall.linkage import cluster_records
from rollcall.linkage.evaluate import cross_script_scores, pairwise_scores


def groups(clusters: dict[int, int]) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for rid, cid in clusters.items():
        out.setdefault(cid, set()).add(rid)
    return {frozenset(g) for g in out.values()}


def test_pairs_above_the_threshold_join_and_cluster_id_is_the_smallest_record():
    result = cluster_records(
        [5, 7, 9, 11], [(7, 9, 0.99), (9, 11, 0.95), (5, 7, 0.4)], threshold=0.9
    )
    assert result.clusters == {5: 5, 7: 7, 9: 7, 11: 7}


def test_a_rejected_pair_stays_apart_through_a_chain_and_the_weakest_link_is_cut():
    # 1 - 2 - 3 - 4 all strong, but a human said 1 and 4 are different people.
    edges = [(1, 2, 0.99), (2, 3, 0.93), (3, 4, 0.97)]
    result = cluster_records([1, 2, 3, 4], edges, cannot_link=[(1, 4)], threshold=0.9)
    assert groups(result.clusters) == {frozenset({1, 2}), frozenset({3, 4})}
    assert result.cut == [(2, 3)]  # the weakest link on the path from 1 to 4


def test_an_accepted_pair_is_together_even_without_a_score():
    result = cluster_records([1, 2, 3], [(2, 3, 0.2)], must_link=[(1, 3)], threshold=0.9)
    assert groups(result.clusters) == {frozenset({1, 3}), frozenset({2})}


def test_rejection_wins_over_contradicting_acceptances_and_is_reported():
    result = cluster_records(
        [1, 2, 3], [], must_link=[(1, 2), (2, 3)], cannot_link=[(1, 3)], threshold=0.9
    )
    assert result.clusters[1] != result.clusters[3]
    assert result.conflicts == [(2, 3)]


def test_existing_persons_stay_together_and_a_new_record_may_bridge_two():
    existing = {1: 100, 2: 100, 3: 200, 4: 200}
    result = cluster_records(
        [1, 2, 3, 4, 5], [(2, 5, 0.95), (5, 3, 0.96)], existing_clusters=existing,
        threshold=0.9,
    )
    assert groups(result.clusters) == {frozenset({1, 2, 3, 4, 5})}


def test_a_new_record_cannot_bridge_two_persons_a_human_kept_apart():
    existing = {1: 100, 2: 100, 3: 200}
    result = cluster_records(
        [1, 2, 3, 5], [(2, 5, 0.95), (5, 3, 0.96)], existing_clusters=existing,
        cannot_link=[(1, 3)], threshold=0.9,
    )
    assert groups(result.clusters) == {frozenset({1, 2}), frozenset({3, 5})}


def test_decisions_about_records_outside_the_run_are_ignored():
    result = cluster_records([1, 2], [(1, 2, 0.99), (2, 99, 0.99)], cannot_link=[(1, 98)],
                             must_link=[(1, 97)], threshold=0.5)
    assert result.clusters == {1: 1, 2: 1}


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(2, 12),
    seed=st.integers(0, 10_000),
    n_edges=st.integers(0, 40),
    n_reject=st.integers(0, 6),
)
def test_no_rejected_pair_ever_shares_a_cluster(n, seed, n_edges, n_reject):
    rng = random.Random(seed)
    ids = list(range(1, n + 1))
    edges = [(*sorted(rng.sample(ids, 2)), rng.random()) for _ in range(n_edges)]
    rejected = [tuple(rng.sample(ids, 2)) for _ in range(n_reject)]
    accepted = [tuple(rng.sample(ids, 2)) for _ in range(2)]
    result = cluster_records(ids, edges, must_link=accepted, cannot_link=rejected,
                             threshold=0.5)
    for a, b in rejected:
        assert result.clusters[a] != result.clusters[b]
    for a, b in accepted:
        if (a, b) not in result.conflicts:
            assert result.clusters[a] == result.clusters[b]
    for a, b, p in edges:
        if p >= 0.5 and (a, b) not in result.cut and (b, a) not in result.cut:
            assert result.clusters[a] == result.clusters[b]
    for rid, cid in result.clusters.items():
        assert cid == min(r for r, c in result.clusters.items() if c == cid)
        assert cid <= rid


def test_pairwise_scores_count_pairs_within_clusters():
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    clusters = {1: 1, 2: 1, 3: 3, 4: 3, 5: 5}
    scores = pairwise_scores(clusters, truth)
    # true pairs: (1,2) (1,3) (2,3) (4,5) = 4; predicted: (1,2) (3,4) = 2; right: (1,2)
    assert (scores.true_pairs, scores.predicted_pairs, scores.true_positives) == (4, 2, 1)
    assert scores.precision == 0.5 and scores.recall == 0.25


def test_cross_script_scores_count_only_mixed_pairs():
    truth = {1: "a", 2: "a", 3: "a", 4: "b"}
    latin = {1: False, 2: True, 3: True, 4: False}
    clusters = {1: 1, 2: 1, 3: 3, 4: 3}
    scores = cross_script_scores(clusters, truth, latin)
    # true mixed pairs: (1,2) (1,3); predicted mixed: (1,2) (3,4); right: (1,2)
    assert (scores.true_pairs, scores.predicted_pairs, scores.true_positives) == (2, 2, 1)
    brute = sum(
        1 for a, b in itertools.combinations(truth, 2)
        if latin[a] != latin[b] and truth[a] == truth[b]
    )
    assert brute == scores.true_pairs
