"""Prosecutions (issue 4 part 7): charges, court, dates, verdict, sentence, and the
fair-trial guarantees recorded as missing.

A prosecution records the person's `charged` event (dated when the charge is) and a
conviction their `sentenced` event, through `registry.record_event`, so the status follows:
a charge or sentence means the detaining Power denies POW status (rollcall.custody).
Dates must lie in order (charge, trial, verdict) as far as their precision tells, and not
in the future. Everything is checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import Person, Prosecution, ProsecutionConcern
from rollcall.models.base import utcnow
from rollcall.security.permissions import Permission
from rollcall.services import registry
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, diff_states, entity_state, record_change
from rollcall.services.exchanges import standing_for
from rollcall.services.linkage import current_person_id
from rollcall.services.queries import MAX_PAGE_SIZE, Paged
from rollcall.services.validation import (
    not_in_future,
    partial_date,
    require_source,
    text,
    vocabulary,
)
from rollcall.vocabulary import EventType, FairTrialConcern, Verdict

#: Longest term recorded in months (a life sentence is written in `sentence`).
MAX_SENTENCE_MONTHS = 100 * 12
_DATES = ("charged_on", "trial_start", "verdict_on")


def _concerns(values: Iterable[FairTrialConcern | str]) -> list[FairTrialConcern]:
    return sorted({vocabulary(FairTrialConcern, v, "concerns") for v in values},
                  key=lambda c: c.value)


def _in_order(dates: dict[str, PartialDate | None]) -> None:
    """Charge, trial start and verdict in that order, as far as precision tells: "2023"
    and "2023-05-10" may be either way round; "2024-02" before "2023" may not."""
    known = [(name, dates[name]) for name in _DATES if dates.get(name) is not None]
    for i, (earlier_name, earlier) in enumerate(known):
        for later_name, later in known[i + 1:]:
            assert earlier is not None and later is not None
            if later.latest() < earlier.earliest():
                raise InvalidValue(f"{later_name}: {later.isoformat()} lies before "
                                   f"{earlier_name} {earlier.isoformat()}")


def _sentence(verdict: Verdict, sentence: str | None, months: int | None) -> str | None:
    sentence = text(sentence, "sentence", 2000)
    if months is not None and (not isinstance(months, int) or isinstance(months, bool)
                               or not 1 <= months <= MAX_SENTENCE_MONTHS):
        raise InvalidValue(f"sentence_months: a number from 1 to {MAX_SENTENCE_MONTHS}")
    if verdict is not Verdict.CONVICTED and (sentence or months is not None):
        raise InvalidValue(f"sentence: a {verdict.value} case has no sentence; only a "
                           "conviction does")
    return sentence


def _add_concerns(session: Session, prosecution_id: int,
                  concerns: list[FairTrialConcern]) -> list[FairTrialConcern]:
    """Adds the concerns not yet recorded; returns them."""
    have = set(session.scalars(select(ProsecutionConcern.concern)
                               .where(ProsecutionConcern.prosecution_id == prosecution_id)))
    new = [c for c in concerns if c not in have]
    if new:
        session.execute(insert(ProsecutionConcern),
                        [{"prosecution_id": prosecution_id, "concern": c} for c in new])
    return new


def concerns_of(session: Session, prosecution_id: int) -> list[FairTrialConcern]:
    return list(session.scalars(
        select(ProsecutionConcern.concern)
        .where(ProsecutionConcern.prosecution_id == prosecution_id)
        .order_by(ProsecutionConcern.concern)))


def _state(session: Session, prosecution: Prosecution) -> dict[str, object]:
    state = entity_state(prosecution, omit=frozenset({"recorded_at", "updated_at"}))
    return {**state, "concerns": concerns_of(session, prosecution.id)}


def _verdict_event(session: Session, actor: Actor, prosecution: Prosecution,
                   source_id: int) -> None:
    if prosecution.verdict is Verdict.CONVICTED:
        registry.record_event(session, actor, prosecution.person_id, source_id,
                              EventType.SENTENCED, date=prosecution.verdict_on,
                              details={"prosecution_id": prosecution.id})


def record_prosecution(
    session: Session,
    actor: Actor,
    person_id: int,
    *,
    source_id: int,
    charges: str,
    article_codes: str | None = None,
    court: str | None = None,
    charged_on: PartialDate | str | None = None,
    trial_start: PartialDate | str | None = None,
    verdict: Verdict | str = Verdict.PENDING,
    verdict_on: PartialDate | str | None = None,
    sentence: str | None = None,
    sentence_months: int | None = None,
    concerns: Iterable[FairTrialConcern | str] = (),
    notes: str | None = None,
    today: dt.date | None = None,
) -> Prosecution:
    """Record a prosecution of a person (a merged id stands for its survivor) and their
    `charged` event; a conviction also records `sentenced`."""
    actor.require(Permission.REGISTRY_WRITE)
    today = today or dt.date.today()
    survivor = current_person_id(session, person_id)
    source = require_source(session, source_id)
    charges_text = text(charges, "charges", 5000)
    if not charges_text:
        raise InvalidValue("charges: say what the person is charged with")
    verdict = vocabulary(Verdict, verdict, "verdict")
    dates = {"charged_on": partial_date(charged_on, "charged_on"),
             "trial_start": partial_date(trial_start, "trial_start"),
             "verdict_on": partial_date(verdict_on, "verdict_on")}
    for name, value in dates.items():
        not_in_future(value, name, today)
    if verdict is Verdict.PENDING and dates["verdict_on"] is not None:
        raise InvalidValue("verdict_on: a pending case has no verdict date")
    _in_order(dates)
    sentence = _sentence(verdict, sentence, sentence_months)
    chosen = _concerns(concerns)
    prosecution = Prosecution(
        person_id=survivor, charges=charges_text,
        article_codes=text(article_codes, "article_codes", 300), court=text(court, "court", 500),
        verdict=verdict, sentence=sentence, sentence_months=sentence_months,
        source_id=source, notes=text(notes, "notes"), **dates)
    session.add(prosecution)
    session.flush()
    _add_concerns(session, prosecution.id, chosen)
    registry.record_event(session, actor, survivor, source, EventType.CHARGED,
                          date=prosecution.charged_on, place=prosecution.court,
                          details={"prosecution_id": prosecution.id})
    _verdict_event(session, actor, prosecution, source)
    record_change(session, actor, Action.PROSECUTION_RECORDED, "prosecution", prosecution.id,
                  _state(session, prosecution))
    return prosecution


def get_prosecution(session: Session, prosecution_id: int) -> Prosecution:
    found = session.get(Prosecution, prosecution_id)
    if found is None:
        raise NotFound(f"no prosecution {prosecution_id}")
    return found


def record_verdict(
    session: Session,
    actor: Actor,
    prosecution_id: int,
    *,
    verdict: Verdict | str,
    verdict_on: PartialDate | str | None = None,
    sentence: str | None = None,
    sentence_months: int | None = None,
    trial_start: PartialDate | str | None = None,
    concerns: Iterable[FairTrialConcern | str] = (),
    source_id: int | None = None,
    today: dt.date | None = None,
) -> Prosecution:
    """The court's decision on a pending case (a decided one is refused: a verdict is
    not rewritten), with the trial's start if it was unknown and concerns to add. A
    conviction records the `sentenced` event, from `source_id` or the case's source."""
    actor.require(Permission.REGISTRY_WRITE)
    today = today or dt.date.today()
    prosecution = get_prosecution(session, prosecution_id)
    if prosecution.verdict is not Verdict.PENDING:
        raise Conflict(f"prosecution {prosecution_id} already has the verdict "
                       f"{prosecution.verdict.value}")
    verdict = vocabulary(Verdict, verdict, "verdict")
    if verdict is Verdict.PENDING:
        raise InvalidValue("verdict: record the court's decision, not pending")
    source = require_source(session, source_id if source_id is not None
                            else prosecution.source_id)
    start = partial_date(trial_start, "trial_start") or prosecution.trial_start
    dates = {"charged_on": prosecution.charged_on, "trial_start": start,
             "verdict_on": partial_date(verdict_on, "verdict_on")}
    for name in ("trial_start", "verdict_on"):
        not_in_future(dates[name], name, today)
    _in_order(dates)
    sentence = _sentence(verdict, sentence, sentence_months)
    chosen = _concerns(concerns)
    before = _state(session, prosecution)
    prosecution.verdict = verdict
    prosecution.verdict_on = dates["verdict_on"]
    prosecution.trial_start = start
    prosecution.sentence = sentence
    prosecution.sentence_months = sentence_months
    prosecution.updated_at = utcnow()
    session.flush()
    _add_concerns(session, prosecution.id, chosen)
    _verdict_event(session, actor, prosecution, source)
    after = _state(session, prosecution)
    record_change(session, actor, Action.PROSECUTION_VERDICT_RECORDED, "prosecution",
                  prosecution.id, after, diff_states(before, after))
    return prosecution


# --- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProsecutionView:
    prosecution: Prosecution
    person: Person
    concerns: list[FairTrialConcern]


def _views(session: Session, rows: list[tuple[Prosecution, Person]]) -> list[ProsecutionView]:
    concerns: dict[int, list[FairTrialConcern]] = {}
    for pid, concern in session.execute(
        select(ProsecutionConcern.prosecution_id, ProsecutionConcern.concern)
        .where(ProsecutionConcern.prosecution_id.in_([p.id for p, _ in rows]))
        .order_by(ProsecutionConcern.concern)
    ):
        concerns.setdefault(pid, []).append(concern)
    return [ProsecutionView(p, person, concerns.get(p.id, [])) for p, person in rows]


def prosecution_view(session: Session, actor: Actor, prosecution_id: int) -> ProsecutionView:
    """One prosecution with its concerns and its person as shown now (the survivor)."""
    actor.require(Permission.REGISTRY_READ)
    case = get_prosecution(session, prosecution_id)
    person = session.get(Person, current_person_id(session, case.person_id))
    assert person is not None
    return _views(session, [(case, person)])[0]


def list_prosecutions(
    session: Session,
    actor: Actor,
    *,
    person_id: int | None = None,
    verdict: Verdict | None = None,
    concern: FairTrialConcern | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[ProsecutionView]:
    """Prosecutions, latest charge first, filtered by person (with anyone merged into
    them), verdict or fair-trial concern; each with its person as shown now."""
    actor.require(Permission.REGISTRY_READ)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    attached = Person.__table__.alias("attached")
    survivor = func.coalesce(attached.c.merged_into_id, attached.c.id)
    where = []
    if person_id is not None:
        where.append(Prosecution.person_id.in_(
            standing_for(current_person_id(session, person_id))))
    if verdict is not None:
        where.append(Prosecution.verdict == verdict)
    if concern is not None:
        where.append(Prosecution.id.in_(select(ProsecutionConcern.prosecution_id)
                                        .where(ProsecutionConcern.concern == concern)))
    base = (select(Prosecution, Person)
            .join(attached, attached.c.id == Prosecution.person_id)
            .join(Person, Person.id == survivor).where(*where))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(Prosecution.charged_on.desc().nulls_last(), Prosecution.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    return Paged(_views(session, [(p, person) for p, person in rows]), total, page, page_size)


__all__ = ["ProsecutionView", "concerns_of", "get_prosecution", "list_prosecutions",
           "prosecution_view", "record_prosecution", "record_verdict"]
