"""Ranking candidate records against a query, and saying why each matched. Pure code: the
search hands it a few hundred candidates, each with its stored name keys.

A query's name tokens may stand for any part of the name, so each token is matched to the
record's surname, given name and patronymic (or, for a name without a patronymic, to the
same name read given name first), the best assignment winning. A key that is equal counts
fully, one a single letter off (a typing slip) counts less; a query name the record does
not have counts against it, more so when the record has another name in its place. The
date of birth adds when it agrees to the day or the year and subtracts when it cannot be
the same date; a unit number in common adds a little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rollcall.dates import PartialDate
from rollcall.names import DateAgreement, birth_date_agreement
from rollcall.tracing.keys import NameKeys, consonants
from rollcall.tracing.query import NameToken, TraceQuery


class Reason(StrEnum):
    """Why a candidate matched, as the results show it."""

    SURNAME = "surname"
    SURNAME_NEAR = "surname_near"  # a letter or two off, or a vowel
    GIVEN_NAME = "given_name"
    GIVEN_NAME_NEAR = "given_name_near"
    PATRONYMIC = "patronymic"
    PATRONYMIC_NEAR = "patronymic_near"
    NAME_ORDER = "name_order"  # the record's name read given name first
    BIRTH_DATE = "birth_date"  # the same day (or month, where both stop there)
    BIRTH_DATE_SWAPPED = "birth_date_swapped"  # day and month swapped
    BIRTH_MONTH = "birth_month"  # the same year and month
    BIRTH_YEAR = "birth_year"
    BIRTH_CENTURY = "birth_century"  # a century apart: a two-digit year read wrongly
    BIRTH_YEAR_NEAR = "birth_year_near"  # a year apart
    BIRTH_DATE_CONFLICT = "birth_date_conflict"
    UNIT = "unit"


#: (exact, near) weight of a token matching each part of the name.
_SURNAME = (4.0, 2.5)
_GIVEN = (3.0, 1.5)
_PATRONYMIC = (1.5, 1.0)
_PARTS = (
    (_SURNAME, Reason.SURNAME, Reason.SURNAME_NEAR),
    (_GIVEN, Reason.GIVEN_NAME, Reason.GIVEN_NAME_NEAR),
    (_PATRONYMIC, Reason.PATRONYMIC, Reason.PATRONYMIC_NEAR),
)
UNMATCHED_TOKEN = -1.0
CONFLICTING_PART = -1.5
UNIT_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class CandidateRecord:
    record_id: int
    keys: NameKeys
    birth_date: PartialDate | None
    unit_numbers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Scored:
    record_id: int
    score: float
    reasons: tuple[Reason, ...]


def within_two_edits(a: str, b: str) -> bool:
    """Damerau-Levenshtein (optimal string alignment) distance of at most 2, for names of
    five letters or more; stops as soon as a row of the table exceeds 2."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 2 or min(la, lb) < 5:
        return False
    before = None
    previous = list(range(lb + 1))
    for i in range(1, la + 1):
        current = [i] + [0] * lb
        for j in range(1, lb + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1]):
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > 2:
            return False
        before, previous = previous, current
    return previous[lb] <= 2


def spelt_alike(a: str, b: str) -> bool:
    """Two different keys that are still one name misspelt: a letter off, the same
    consonants (a vowel written otherwise), or two letters off after the same first
    letter (which people rarely get wrong)."""
    return (one_edit_apart(a, b) or (len(a) > 2 and consonants(a) == consonants(b))
            or (a[:1] == b[:1] and within_two_edits(a, b)))


def one_edit_apart(a: str, b: str) -> bool:
    """True if b is a with one letter inserted, dropped, changed, or two neighbours
    swapped (the Damerau-Levenshtein distance is 1); False if equal or further apart."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1 or min(la, lb) < 3:
        return False
    i = 0
    shortest = min(la, lb)
    while i < shortest and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return b[i + 1:] == a[i:]


class Ranker:
    """Scores candidates for one query; remembers near-spelling checks (names repeat)."""

    def __init__(self, query: TraceQuery) -> None:
        self.query = query
        self._near: dict[tuple[str, str], bool] = {}
        self._assigned: dict[tuple[str, ...], tuple[float, list[Reason]]] = {}

    def near(self, a: str, b: str) -> bool:
        known = self._near.get((a, b))
        if known is None:
            known = self._near[(a, b)] = a != b and spelt_alike(a, b)
        return known

    def _token_values(self, token: NameToken, parts: Sequence[str]) -> list[tuple[float, int]]:
        keys = (token.surname, token.given, token.patronymic)
        values = []
        for index, ((weights, _, _), mine, theirs) in enumerate(
            zip(_PARTS, keys, parts, strict=True)
        ):
            if not mine or not theirs:
                continue
            if mine == theirs:
                values.append((weights[0], index * 2))
            elif self.near(mine, theirs):
                values.append((weights[1], index * 2 + 1))
        return values

    def _names(self, parts: tuple[str, ...]) -> tuple[float, list[Reason]]:
        """Best assignment of query tokens to name parts; many candidates share a name,
        so each name is assigned once."""
        known = self._assigned.get(parts)
        if known is None:
            known = self._assigned[parts] = self._assign(parts)
        return known[0], list(known[1])

    def _assign(self, parts: tuple[str, ...]) -> tuple[float, list[Reason]]:
        """Greedy on at most 4 x 3 values, which finds the best assignment for names."""
        options = []
        for t, token in enumerate(self.query.names):
            for value, code in self._token_values(token, parts):
                options.append((value, t, code))
        options.sort(reverse=True)
        used_tokens: set[int] = set()
        used_parts: set[int] = set()
        total = 0.0
        reasons: list[Reason] = []
        for value, t, code in options:
            part = code // 2
            if t in used_tokens or part in used_parts:
                continue
            used_tokens.add(t)
            used_parts.add(part)
            total += value
            reasons.append(_PARTS[part][1 + code % 2])
        unmatched = len(self.query.names) - len(used_tokens)
        total += UNMATCHED_TOKEN * unmatched
        # A query name left over while the record has a part of its own left over: the
        # two disagree (another patronymic), which says more than a part never given.
        left = sum(1 for i, part in enumerate(parts) if part and i not in used_parts)
        total += CONFLICTING_PART * min(unmatched, left)
        return total, reasons

    def score(self, candidate: CandidateRecord) -> Scored:
        keys = candidate.keys
        total, reasons = self._names((keys.surname, keys.given, keys.patronymic))
        if keys.alt_surname:
            alt_total, alt_reasons = self._names((keys.alt_surname, keys.alt_given, ""))
            if alt_total > total:
                total, reasons = alt_total, [*alt_reasons, Reason.NAME_ORDER]
        date_value, date_reason = birth_date_score(self.query.birth_date, candidate.birth_date)
        total += date_value
        if date_reason is not None:
            reasons.append(date_reason)
        if self.query.unit_numbers & candidate.unit_numbers:
            total += UNIT_WEIGHT
            reasons.append(Reason.UNIT)
        return Scored(candidate.record_id, total, tuple(reasons))


#: What each degree of agreement of the dates of birth adds (rollcall.names).
_DATE_SCORES: dict[DateAgreement, tuple[float, Reason | None]] = {
    DateAgreement.EXACT: (3.0, Reason.BIRTH_DATE),
    DateAgreement.DAY_MONTH_SWAPPED: (2.0, Reason.BIRTH_DATE_SWAPPED),
    DateAgreement.SAME_YEAR_MONTH: (2.0, Reason.BIRTH_MONTH),
    DateAgreement.SAME_YEAR: (1.5, Reason.BIRTH_YEAR),
    DateAgreement.TWO_DIGIT_YEAR: (0.5, Reason.BIRTH_CENTURY),
    DateAgreement.NEAR_YEAR: (-0.5, Reason.BIRTH_YEAR_NEAR),
    DateAgreement.DISAGREE: (-3.0, Reason.BIRTH_DATE_CONFLICT),
    DateAgreement.UNKNOWN: (0.0, None),
}


def birth_date_score(asked: PartialDate | None,
                     held: PartialDate | None) -> tuple[float, Reason | None]:
    """How far two dates of birth, each possibly partial, agree. Two years alone that
    agree say less than two full dates that do."""
    agreement = birth_date_agreement(asked, held)
    if agreement is DateAgreement.EXACT and (asked is None or asked.month is None):
        return _DATE_SCORES[DateAgreement.SAME_YEAR]
    return _DATE_SCORES[agreement]
