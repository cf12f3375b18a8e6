"""Hierarchical log-linear models over k lists: which interactions between lists a model
allows, its design matrix on the incomplete 2^k table, and the search over models.

A model is the set of its interaction terms (sets of two or more lists); every model has
the intercept and the k main effects. Hierarchical: a term is in only if every term of
one list fewer inside it is too (list pairs before triples). The k-way term is never
estimable from an incomplete table (it is the unobserved cell's own parameter).

Search. When the number of hierarchical models up to the maximum order is at most
`EXHAUSTIVE_LIMIT` (3 lists: 8 models; 4 lists up to triples: 113; 5 lists up to triples:
several thousand), every one is fitted, as Rcapture's `closedpMS.t` does (its default
also takes the (k-1)-way terms: `--max-order` k-1 here). Beyond, a greedy stepwise search
from the independence model adds the eligible term or removes the top term that lowers
the criterion most, and stops when no move lowers it (by default pairs only, as the
stepwise method of Chan, Silverman and Vincent 2021).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import TypeVar

import numpy as np

Term = frozenset[int]
Model = frozenset[Term]
T = TypeVar("T")

EXHAUSTIVE_LIMIT = 8000
MAX_STEPS = 200


def default_max_order(k: int) -> int:
    """Pairs and triples where there are enough lists for them; pairs only where the
    search must be stepwise (k >= 6)."""
    return max(1, min(k - 1, 3 if k <= 5 else 2))


def candidate_terms(k: int, max_order: int) -> list[Term]:
    return [frozenset(c) for order in range(2, max_order + 1)
            for c in itertools.combinations(range(k), order)]


def eligible(term: Term, model: Model) -> bool:
    """Every term one list smaller inside `term` is in the model (pairs always are)."""
    if len(term) == 2:
        return True
    return all(term - {i} in model for i in term)


def hierarchical_models(k: int, max_order: int, limit: int = EXHAUSTIVE_LIMIT,
                        ) -> list[Model] | None:
    """Every hierarchical model up to `max_order`, or None when there are more than
    `limit` of them."""
    terms = candidate_terms(k, max_order)
    found: list[Model] = []

    def walk(i: int, chosen: frozenset[Term]) -> bool:
        if i == len(terms):
            found.append(chosen)
            return len(found) <= limit
        if not walk(i + 1, chosen):
            return False
        if eligible(terms[i], chosen):
            return walk(i + 1, chosen | {terms[i]})
        return True

    return found if walk(0, frozenset()) else None


def top_terms(model: Model) -> list[Term]:
    """The terms no other term of the model contains: the model's generators."""
    return [t for t in model if not any(t < other for other in model)]


def model_name(model: Model, lists: tuple[str, ...]) -> str:
    """'independence', or the generators as 'a:b + b:c'."""
    if not model:
        return "independence"
    tops = sorted((sorted(t) for t in top_terms(model)), key=lambda t: (len(t), t))
    return " + ".join(":".join(lists[i] for i in t) for t in tops)


def design(patterns: np.ndarray, model: Model) -> np.ndarray:
    """Intercept, main effects, then the model's terms (products of list indicators),
    in a fixed order. A pattern row of all zeros (the unobserved cell) has only the
    intercept."""
    rows = patterns.shape[0]
    columns = [np.ones(rows), *(patterns[:, j].astype(float)
                                for j in range(patterns.shape[1]))]
    for term in sorted(model, key=lambda t: (len(t), sorted(t))):
        columns.append(np.prod(patterns[:, sorted(term)], axis=1).astype(float))
    return np.column_stack(columns)


def neighbours(model: Model, k: int, max_order: int) -> Iterator[Model]:
    """Models one step away: one eligible term added, or one top term removed."""
    for term in candidate_terms(k, max_order):
        if term not in model and eligible(term, model):
            yield model | {term}
    for term in top_terms(model):
        yield model - {term}


def stepwise(k: int, max_order: int, score: Callable[[Model], float | None]) -> Model:
    """Greedy search from independence. `score` gives the criterion of a model, or None
    when it cannot be used (an infinite estimate); such models are never moved to."""
    current: Model = frozenset()
    best = score(current)
    if best is None:
        return current
    for _ in range(MAX_STEPS):
        moves = [(s, m) for m in neighbours(current, k, max_order)
                 if (s := score(m)) is not None]
        if not moves:
            break
        value, model = min(moves, key=lambda item: (item[0], sorted(map(sorted, item[1]))))
        if value >= best - 1e-9:
            break
        current, best = model, value
    return current
