"""Exchanges and repatriation (issue 4 part 8): the only door by which an exchange, the
persons handed over in it and a body's identification enter the registry.

Attaching a person records their event (`exchanged` alive, `body_repatriated` for a body,
and `identified` once a body is identified) through `registry.record_event`, so their
status follows: a held person handed over alive becomes released, a body makes the person
dead (rollcall.custody). Lists of persons handed over are imported and linked by
`services.exchange_lists`. Every write is validated whole before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import Exchange, ExchangePerson, Person
from rollcall.security.permissions import Permission
from rollcall.services import registry
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.linkage import current_person_id
from rollcall.services.queries import MAX_PAGE_SIZE, Paged
from rollcall.services.validation import not_in_future, require_source, text, vocabulary
from rollcall.services.visits import resolve_persons
from rollcall.vocabulary import (
    EventType,
    ExchangeDirection,
    ExchangeKind,
    IdentificationStatus,
    Mediator,
)

MAX_UNNAMED_BODIES = 100_000
#: Identification only moves forward: a body once identified stays identified.
_IDENTIFICATION_ORDER = {IdentificationStatus.UNIDENTIFIED: 0, IdentificationStatus.PENDING: 1,
                         IdentificationStatus.IDENTIFIED: 2}


# --- exchanges -------------------------------------------------------------------------------

def get_exchange(session: Session, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise NotFound(f"no exchange {exchange_id}")
    return exchange


def record_exchange(
    session: Session,
    actor: Actor,
    *,
    date: dt.date,
    mediator: str | None = None,
    mediator_code: Mediator | str | None = None,
    place: str | None = None,
    unnamed_bodies_to_own_side: int = 0,
    unnamed_bodies_to_adversary: int = 0,
    source_id: int | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> Exchange:
    """Record one exchange (persons are attached afterwards, by id or from a list)."""
    actor.require(Permission.REGISTRY_WRITE)
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise InvalidValue("date: an exchange needs a full date (a day)")
    not_in_future(date, "date", today or dt.date.today())
    code = vocabulary(Mediator, mediator_code, "mediator_code") if mediator_code else None
    for name, count in (("unnamed_bodies_to_own_side", unnamed_bodies_to_own_side),
                        ("unnamed_bodies_to_adversary", unnamed_bodies_to_adversary)):
        if not isinstance(count, int) or not 0 <= count <= MAX_UNNAMED_BODIES:
            raise InvalidValue(f"{name}: a number from 0 to {MAX_UNNAMED_BODIES}")
    if source_id is not None:
        require_source(session, source_id)
    exchange = Exchange(
        date=date, mediator=text(mediator, "mediator", 500), mediator_code=code,
        place=text(place, "place", 500), unnamed_bodies_to_own_side=unnamed_bodies_to_own_side,
        unnamed_bodies_to_adversary=unnamed_bodies_to_adversary, source_id=source_id,
        notes=text(notes, "notes"))
    session.add(exchange)
    session.flush()
    record_change(session, actor, Action.EXCHANGE_RECORDED, "exchange", exchange.id,
                  entity_state(exchange, omit=frozenset({"recorded_at"})))
    return exchange


@dataclass(frozen=True)
class AttachResult:
    exchange_id: int
    #: Survivor ids newly attached, each with their event recorded.
    attached: list[int]
    #: Survivor ids the exchange already held the same way (nothing written for them).
    already: list[int]


def standing_for(survivor: int) -> Select[Any]:
    """The ids that stand for a surviving person: their own and those merged into them
    (merges flatten chains), as an indexed lookup for `... IN (...)`."""
    return select(Person.id).where(or_(Person.id == survivor,
                                       Person.merged_into_id == survivor))


def _survivor(person: Any = Person) -> Any:
    """The id a person row stands for today (merges flatten chains: one step is enough)."""
    return func.coalesce(person.merged_into_id, person.id)


def _attached(session: Session, exchange_id: int) -> dict[int, ExchangePerson]:
    """survivor id -> the exchange's row for them (merged ids resolved)."""
    rows = session.execute(
        select(ExchangePerson, _survivor())
        .join(Person, Person.id == ExchangePerson.person_id)
        .where(ExchangePerson.exchange_id == exchange_id)
    ).all()
    return {survivor: row for row, survivor in rows}


def attach_persons(
    session: Session,
    actor: Actor,
    exchange_id: int,
    person_ids: Iterable[int],
    *,
    direction: ExchangeDirection | str,
    kind: ExchangeKind | str = ExchangeKind.ALIVE,
    identification: IdentificationStatus | str | None = None,
    source_id: int | None = None,
    source_records: Mapping[int, int] | None = None,
) -> AttachResult:
    """Attach registry persons to an exchange, handed over `direction`, alive or as bodies,
    and record each one's event. Merged ids stand for their survivor. A person the
    exchange already holds the same way is skipped (a list imported twice attaches once);
    held another way, refused. The source defaults to the exchange's own. `source_records`
    maps a person to the row of an imported list that named them."""
    actor.require(Permission.REGISTRY_WRITE)
    exchange = get_exchange(session, exchange_id)
    direction = vocabulary(ExchangeDirection, direction, "direction")
    kind = vocabulary(ExchangeKind, kind, "kind")
    if kind is ExchangeKind.ALIVE and identification is not None:
        raise InvalidValue("identification: only a body has an identification status")
    status = (vocabulary(IdentificationStatus, identification or "unidentified",
                         "identification") if kind is ExchangeKind.BODY else None)
    source = require_source(session, source_id if source_id is not None
                            else exchange.source_id)
    persons = resolve_persons(session, person_ids)
    if not persons:
        raise InvalidValue("person_ids: name at least one person")
    held = _attached(session, exchange.id)
    other_way = [p for p in persons if p in held
                 and (held[p].direction, held[p].kind) != (direction, kind)]
    if other_way:
        raise Conflict(f"exchange {exchange.id} already holds person(s) "
                       f"{', '.join(map(str, other_way))} another way")
    new = [p for p in persons if p not in held]
    records = source_records or {}
    if new:
        session.execute(insert(ExchangePerson), [
            {"exchange_id": exchange.id, "person_id": p, "direction": direction,
             "kind": kind, "identification": status, "source_id": source,
             "source_record_id": records.get(p)} for p in new])
    day = PartialDate.from_date(exchange.date)
    details = {"exchange_id": exchange.id, "direction": direction.value, "kind": kind.value}
    event = EventType.EXCHANGED if kind is ExchangeKind.ALIVE else EventType.BODY_REPATRIATED
    for person_id in new:
        registry.record_event(session, actor, person_id, source, event, date=day,
                              place=exchange.place, details=details)
        if status is IdentificationStatus.IDENTIFIED:
            registry.record_event(session, actor, person_id, source, EventType.IDENTIFIED,
                                  date=day, details=details)
    if new:
        record_change(session, actor, Action.EXCHANGE_PERSONS_ATTACHED, "exchange",
                      exchange.id, {"exchange_id": exchange.id, "direction": direction,
                                    "kind": kind, "identification": status,
                                    "source_id": source, "person_ids": new,
                                    "source_records": {p: records[p] for p in new
                                                       if p in records}})
    return AttachResult(exchange.id, new, [p for p in persons if p in held])


def set_identification(
    session: Session,
    actor: Actor,
    exchange_id: int,
    person_id: int,
    status: IdentificationStatus | str,
    *,
    date: PartialDate | None = None,
    source_id: int | None = None,
    today: dt.date | None = None,
) -> ExchangePerson:
    """Move a repatriated body's identification forward (unidentified -> pending ->
    identified). Identified records the person's `identified` event, from `source_id`
    (the identification report) or else the source that named the body."""
    actor.require(Permission.REGISTRY_WRITE)
    exchange = get_exchange(session, exchange_id)
    status = vocabulary(IdentificationStatus, status, "identification")
    not_in_future(date, "date", today or dt.date.today())
    survivor = current_person_id(session, person_id)
    row = _attached(session, exchange.id).get(survivor)
    if row is None:
        raise NotFound(f"exchange {exchange.id} holds no person {person_id}")
    if row.kind is not ExchangeKind.BODY:
        raise InvalidValue(f"person {person_id} was handed over alive: only a body has an "
                           "identification status")
    current = row.identification or IdentificationStatus.UNIDENTIFIED
    if _IDENTIFICATION_ORDER[status] <= _IDENTIFICATION_ORDER[current]:
        raise Conflict(f"person {person_id} in exchange {exchange.id} is already "
                       f"{current.value}; identification only moves forward")
    source = require_source(session, source_id if source_id is not None else row.source_id)
    before = current
    row.identification = status
    session.flush()
    if status is IdentificationStatus.IDENTIFIED:
        registry.record_event(session, actor, survivor, source, EventType.IDENTIFIED,
                              date=date, details={"exchange_id": exchange.id})
    state = entity_state(row, omit=frozenset({"recorded_at"}))
    record_change(session, actor, Action.EXCHANGE_IDENTIFICATION_SET, "exchange_person",
                  f"{exchange.id}:{row.person_id}", state,
                  {"identification": [before, status], "source_id": source})
    return row


# --- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class HandedOver:
    """A person an exchange holds, as the registry shows them now (the survivor)."""

    person: Person
    direction: ExchangeDirection
    kind: ExchangeKind
    identification: IdentificationStatus | None
    source_id: int
    source_record_id: int | None
    attached_as: int  # the person id as attached (a merged one differs from person.id)


@dataclass(frozen=True)
class ExchangeRow:
    exchange: Exchange
    #: (direction, kind) -> persons, distinct survivors; unnamed bodies not included.
    counts: dict[tuple[ExchangeDirection, ExchangeKind], int] = field(default_factory=dict)

    def count(self, direction: str, kind: str) -> int:
        return self.counts.get((ExchangeDirection(direction), ExchangeKind(kind)), 0)


@dataclass(frozen=True)
class ExchangeView:
    exchange: Exchange
    persons: list[HandedOver]

    def of(self, direction: str, kind: str) -> list[HandedOver]:
        return [p for p in self.persons if p.direction == direction and p.kind == kind]


def _counts(session: Session, exchange_ids: list[int]
            ) -> dict[int, dict[tuple[ExchangeDirection, ExchangeKind], int]]:
    found: dict[int, dict[tuple[ExchangeDirection, ExchangeKind], int]] = {}
    if not exchange_ids:
        return found
    rows = session.execute(
        select(ExchangePerson.exchange_id, ExchangePerson.direction, ExchangePerson.kind,
               func.count(func.distinct(_survivor())))
        .join(Person, Person.id == ExchangePerson.person_id)
        .where(ExchangePerson.exchange_id.in_(exchange_ids))
        .group_by(ExchangePerson.exchange_id, ExchangePerson.direction, ExchangePerson.kind)
    ).all()
    for exchange_id, direction, kind, n in rows:
        found.setdefault(exchange_id, {})[(direction, kind)] = n
    return found


def list_exchanges(session: Session, actor: Actor, *, page: int = 1,
                   page_size: int = 50) -> Paged[ExchangeRow]:
    """Exchanges, newest first, each with its persons counted each way."""
    actor.require(Permission.REGISTRY_READ)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    total = session.scalar(select(func.count()).select_from(Exchange)) or 0
    exchanges = list(session.scalars(
        select(Exchange).order_by(Exchange.date.desc(), Exchange.id.desc())
        .limit(page_size).offset((page - 1) * page_size)))
    counts = _counts(session, [e.id for e in exchanges])
    return Paged([ExchangeRow(e, counts.get(e.id, {})) for e in exchanges], total, page,
                 page_size)


def exchange_view(session: Session, actor: Actor, exchange_id: int) -> ExchangeView:
    """One exchange with every person it holds, by direction, kind and name."""
    actor.require(Permission.REGISTRY_READ)
    exchange = get_exchange(session, exchange_id)
    attached, shown = aliased(Person), aliased(Person)
    rows = session.execute(
        select(ExchangePerson, shown)
        .join(attached, attached.id == ExchangePerson.person_id)
        .join(shown, shown.id == _survivor(attached))
        .where(ExchangePerson.exchange_id == exchange.id)
    ).all()
    handed = [HandedOver(person, row.direction, row.kind, row.identification, row.source_id,
                         row.source_record_id, row.person_id)
              for row, person in rows]
    handed.sort(key=lambda h: (h.direction.value, h.kind.value, h.person.surname,
                               h.person.id))
    return ExchangeView(exchange, handed)


@dataclass(frozen=True)
class PersonExchange:
    exchange: Exchange
    direction: ExchangeDirection
    kind: ExchangeKind
    identification: IdentificationStatus | None


def person_exchanges(session: Session, actor: Actor, person_id: int) -> list[PersonExchange]:
    """The exchanges a person (with anyone merged into them) was handed over in."""
    actor.require(Permission.REGISTRY_READ)
    survivor = current_person_id(session, person_id)
    rows = session.execute(
        select(Exchange, ExchangePerson)
        .join(ExchangePerson, ExchangePerson.exchange_id == Exchange.id)
        .where(ExchangePerson.person_id.in_(standing_for(survivor)))
        .order_by(Exchange.date, Exchange.id)
    ).all()
    return [PersonExchange(e, r.direction, r.kind, r.identification) for e, r in rows]


__all__ = [
    "AttachResult",
    "ExchangeRow",
    "ExchangeView",
    "HandedOver",
    "PersonExchange",
    "attach_persons",
    "exchange_view",
    "get_exchange",
    "list_exchanges",
    "person_exchanges",
    "record_exchange",
    "set_identification",
    "standing_for",
]
