"""Review pairs for the API and page tests: a finished linkage run and three uncertain
pairs over the small registry of `webtest_support` (made up by hand, with evidence shaped
as the engine writes it), so the tests do not depend on what a model scores."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from rollcall.db import Database
from rollcall.models import LinkageRun, ReviewPair, RunKind, SourceRecord
from rollcall.models.base import utcnow
from webtest_support import Registry


@dataclass
class Pairs:
    run: int
    uncertain: int  # Коваленко (own list) ~ Ковальчук: probability 0.55
    likely: int  # Шевчук ~ Бондар: 0.8
    unlikely: int  # Mykolaienko ~ Бондар: 0.15


def evidence(surname_weight: float, birth_weight: float) -> dict[str, dict[str, object]]:
    return {
        "surname": {"level": "surname key similar", "weight": surname_weight,
                    "left": "A", "right": "B"},
        "birth_date": {"level": "birth year equal, month not given", "weight": birth_weight,
                       "left": "1990", "right": "1990"},
        "service_number": {"level": "missing", "weight": 0.0, "left": None, "right": None},
    }


def first_record(db: Database, person_id: int) -> int:
    with db.session() as s:
        return s.scalars(select(SourceRecord.id).where(SourceRecord.person_id == person_id)
                         .order_by(SourceRecord.id)).first()


def add_review_pairs(db: Database, people: Registry) -> Pairs:
    """A run and its pairs as a linkage run stores them (test setup, not a use case)."""
    now = utcnow()

    def pair(run: int, a: int, b: int, probability: float, weights: tuple[float, float]
             ) -> ReviewPair:
        left, right = sorted((first_record(db, a), first_record(db, b)))
        return ReviewPair(run_id=run, left_record_id=left, right_record_id=right,
                          probability=probability, match_weight=weights[0] + weights[1],
                          evidence=evidence(*weights), certainty=abs(probability - 0.5))

    with db.session() as s:
        run = LinkageRun(kind=RunKind.FULL, actor="test", started_at=now, finished_at=now,
                         records=7, max_record_id=7, new_records=7, persons_before=5,
                         persons_after=5, review_pairs=3)
        s.add(run)
        s.flush()
        made = [pair(run.id, people.kovalenko, people.kovalchuk, 0.55, (2.5, -2.0)),
                pair(run.id, people.shevchuk, people.bondar, 0.8, (3.0, -1.0)),
                pair(run.id, people.mykolaienko, people.bondar, 0.15, (-3.0, 1.0))]
        s.add_all(made)
        s.flush()
        return Pairs(run.id, made[0].id, made[1].id, made[2].id)
