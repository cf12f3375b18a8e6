"""Counts of exchanges and repatriation, contact with family, and prosecutions.

Read-only and set-based: each figure is one grouped SQL statement over the whole registry,
never a loop over persons. Persons are counted as the registry shows them now: a row
naming a person merged since counts for the survivor, and once.

Definitions:
- *Handed over*: distinct persons attached to any exchange, by direction; alive and bodies
  apart. Bodies are counted by identification status; bodies no list names (the
  exchange's unnamed counts) are added to `unidentified` and also given apart.
- *Held*: persons not merged away whose derived custody status is `held` (the status now).
  A held person is *deprived of contact with family* when no contact with family of
  theirs (capture card, letter, call, parcel, message; either way) is recorded as
  delivered (GC III Art. 70-71). Undelivered contacts and contacts of unknown fate do not
  count as contact.
- *Released and interviewed*: released persons (status now) with at least one testimony
  whose witness consented to statistical use. They *say they had no contact* if none of
  their consented testimonies says they had contact and at least one says they had none;
  they *answered* if any gives an answer. A "yes" anywhere outweighs a "no" elsewhere, as
  in the access report's testimony share.
- *Prosecutions*: every case, by verdict and by fair-trial concern (a case counts once
  under each concern recorded for it); persons prosecuted are distinct survivors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from rollcall.models import (
    Exchange,
    ExchangePerson,
    FamilyContact,
    Person,
    Prosecution,
    ProsecutionConcern,
    Testimony,
)
from rollcall.monitoring.custody import survivor
from rollcall.services.witnesses import witness_link_table
from rollcall.vocabulary import (
    CustodyStatus,
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    Verdict,
)


@dataclass(frozen=True)
class BodyCounts:
    unidentified: int
    pending: int
    identified: int
    #: Of `unidentified`: bodies no list names (the exchanges' unnamed counts).
    unnamed: int

    @property
    def total(self) -> int:
        return self.unidentified + self.pending + self.identified


@dataclass(frozen=True)
class DirectionCounts:
    alive: int
    bodies: BodyCounts


@dataclass(frozen=True)
class ContactCounts:
    held: int
    deprived: int
    released_interviewed: int
    answered: int
    said_no_contact: int

    @property
    def in_contact(self) -> int:
        return self.held - self.deprived


@dataclass(frozen=True)
class ProsecutionCounts:
    prosecutions: int
    persons: int
    by_verdict: dict[str, int]
    by_concern: dict[str, int]
    with_any_concern: int


@dataclass(frozen=True)
class ExchangeCounts:
    exchanges: int
    first_exchange: dt.date | None
    last_exchange: dt.date | None
    to_own_side: DirectionCounts
    to_adversary: DirectionCounts
    contact: ContactCounts
    prosecution: ProsecutionCounts


def _survivor(person: type[Person] | object = Person) -> ColumnElement[int]:
    """The id a person row stands for today (merges flatten chains: one step suffices)."""
    return func.coalesce(person.merged_into_id, person.id)  # type: ignore[attr-defined]


def _sum(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def handed_over(session: Session, where: Sequence[ColumnElement[bool]] = (), *,
                unnamed_where: Sequence[ColumnElement[bool]] | None = ()
                ) -> dict[str, DirectionCounts]:
    """Persons and bodies handed over, by direction. `where` narrows the rows of
    `ExchangePerson`; `unnamed_where` the exchanges whose unnamed bodies count (on
    `Exchange`), None to leave those out."""
    rows = session.execute(
        select(ExchangePerson.direction, ExchangePerson.kind, ExchangePerson.identification,
               func.count(func.distinct(survivor(ExchangePerson.person_id))))
        .where(*where)
        .group_by(ExchangePerson.direction, ExchangePerson.kind,
                  ExchangePerson.identification)
    ).all()
    listed = {(d, k, i): n for d, k, i, n in rows}
    own = adversary = 0
    if unnamed_where is not None:
        own, adversary = session.execute(
            select(func.coalesce(func.sum(Exchange.unnamed_bodies_to_own_side), 0),
                   func.coalesce(func.sum(Exchange.unnamed_bodies_to_adversary), 0))
            .where(*unnamed_where)).one()
    unnamed = {ExchangeDirection.TO_OWN_SIDE: int(own),
               ExchangeDirection.TO_ADVERSARY: int(adversary)}
    found = {}
    for direction in ExchangeDirection:
        def bodies(status: IdentificationStatus, direction: ExchangeDirection = direction
                   ) -> int:
            return listed.get((direction, ExchangeKind.BODY, status), 0)

        found[direction.value] = DirectionCounts(
            alive=listed.get((direction, ExchangeKind.ALIVE, None), 0),
            bodies=BodyCounts(
                unidentified=bodies(IdentificationStatus.UNIDENTIFIED) + unnamed[direction],
                pending=bodies(IdentificationStatus.PENDING),
                identified=bodies(IdentificationStatus.IDENTIFIED),
                unnamed=unnamed[direction]))
    return found


def _delivered(person_id: ColumnElement[int]) -> ColumnElement[bool]:
    """A delivered contact of the person, or of a person merged into them (two indexed
    lookups rather than one on an expression)."""
    merged = aliased(Person)
    own = select(FamilyContact.id).where(FamilyContact.person_id == person_id,
                                         FamilyContact.delivered.is_(True))
    via_merged = (select(FamilyContact.id).join(merged, merged.id == FamilyContact.person_id)
                  .where(merged.merged_into_id == person_id,
                         FamilyContact.delivered.is_(True)))
    return or_(own.exists(), via_merged.exists())


def _contact(session: Session) -> ContactCounts:
    """The sealed witness links are opened for these counts only (`services.witnesses`)."""
    with witness_link_table(session) as links:
        return _contact_counts(session, links)


def _contact_counts(session: Session, links: Table) -> ContactCounts:
    held, deprived = session.execute(
        select(func.count(), _sum(~_delivered(Person.id)))
        .where(Person.merged_into_id.is_(None), Person.custody_status == CustodyStatus.HELD)
    ).one()
    consented = Testimony.consent_statistics.is_(True)

    def any_of(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.max(case((condition, 1), else_=0))

    per_witness = (
        select(_survivor().label("person_id"),
               any_of(and_(consented, Testimony.family_contact.is_(True))).label("yes"),
               any_of(and_(consented, Testimony.family_contact.is_(False))).label("no"))
        .join(links, links.c.testimony_id == Testimony.id)
        .join(Person, Person.id == links.c.person_id)
        .where(consented)
        .group_by(_survivor())
        .subquery("per_witness")
    )
    w = per_witness.c
    interviewed, answered, said_no = session.execute(
        select(func.count(), _sum(or_(w.yes == 1, w.no == 1)),
               _sum(and_(w.yes == 0, w.no == 1)))
        .select_from(per_witness).join(Person, Person.id == w.person_id)
        .where(Person.custody_status == CustodyStatus.RELEASED)
    ).one()
    return ContactCounts(held=int(held), deprived=int(deprived),
                         released_interviewed=int(interviewed), answered=int(answered),
                         said_no_contact=int(said_no))


def _prosecution(session: Session) -> ProsecutionCounts:
    by_verdict = dict.fromkeys((v.value for v in Verdict), 0)
    for verdict, n in session.execute(
            select(Prosecution.verdict, func.count()).group_by(Prosecution.verdict)):
        by_verdict[Verdict(verdict).value] = n
    by_concern = dict.fromkeys((c.value for c in FairTrialConcern), 0)
    for concern, n in session.execute(
            select(ProsecutionConcern.concern, func.count())
            .group_by(ProsecutionConcern.concern)):
        by_concern[FairTrialConcern(concern).value] = n
    persons = session.scalar(
        select(func.count(func.distinct(_survivor())))
        .select_from(Prosecution).join(Person, Person.id == Prosecution.person_id)) or 0
    with_any = session.scalar(
        select(func.count(func.distinct(ProsecutionConcern.prosecution_id)))) or 0
    return ProsecutionCounts(prosecutions=sum(by_verdict.values()), persons=persons,
                             by_verdict=by_verdict, by_concern=by_concern,
                             with_any_concern=with_any)


def exchange_counts(session: Session) -> ExchangeCounts:
    """Every figure as the registry stands now. Read-only: the doors check
    `registry:read` before calling."""
    total, first, last = session.execute(
        select(func.count(), func.min(Exchange.date), func.max(Exchange.date))).one()
    handed = handed_over(session)
    return ExchangeCounts(
        exchanges=int(total), first_exchange=first, last_exchange=last,
        to_own_side=handed[ExchangeDirection.TO_OWN_SIDE.value],
        to_adversary=handed[ExchangeDirection.TO_ADVERSARY.value],
        contact=_contact(session), prosecution=_prosecution(session))


__all__ = ["BodyCounts", "ContactCounts", "DirectionCounts", "ExchangeCounts",
           "ProsecutionCounts", "exchange_counts", "handed_over"]
