"""Reconciling a list just received against the registry (DESIGN.md section 1: "Who on the
other side's latest list is new to us, and whom we believe they hold is missing from it?").

For a source L received on day D:

- known: a record of L whose person also has records from another source;
- new: a record of L whose person has records from L only;
- absent: a person the registry believes was held by "that side" on D, with no record on L.

"That side" is the detaining Power. The registry records custody as events (captured,
held, transferred, hospitalised, seen by a monitor, charged, sentenced) without naming who
holds the person: each of them is custody by the detaining Power, the side the bureau's
people are held by. Two origins speak for that side's custody as a whole:
`adversary_bureau` (the detaining Power's own information bureau, GC III Art. 122) and
`icrc` (the Central Tracing Agency forwarding what that Power notified, Art. 123). For
such a list, absent means: status `held` as of D, derived (rollcall.custody) from the
events known for D - dated on or before D, or undated from a source received by D - and
not on L. Lists of other origins (our own register, families, media, testimonies) make no
claim to name everyone held, so nobody is absent from them.

For each absent person the report gives the basis: the latest custody event up to D and
its source, and the latest one from a source of that side (adversary_bureau or icrc) - the
strongest case is a person that side itself listed before and now leaves out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from rollcall.custody import derive_status
from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.models import Event, Person, Source, SourceRecord
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.vocabulary import CustodyStatus, EventType, Origin

#: Origins whose lists speak for the detaining Power's custody as a whole.
THAT_SIDE = frozenset({Origin.ADVERSARY_BUREAU, Origin.ICRC})
CUSTODY_EVENTS = frozenset({
    EventType.CAPTURED, EventType.HELD, EventType.TRANSFERRED, EventType.HOSPITALISED,
    EventType.SEEN_BY_MONITOR, EventType.CHARGED, EventType.SENTENCED,
})  # fmt: skip
#: Events streamed per round trip when deriving every person's status as of D.
_STREAM = 10_000

COLUMNS = (
    "group", "record_id", "row_number", "person_id", "surname", "given_name", "patronymic",
    "birth_date", "other_sources", "basis_event", "basis_date", "basis_source",
    "basis_origin", "that_side_date", "that_side_source",
)


@dataclass(frozen=True)
class ListEntry:
    """A record on the list, and whether its person is known from other sources."""

    record_id: int
    row_number: int
    person_id: int
    name: str
    surname: str
    given_name: str | None
    patronymic: str | None
    birth_date: PartialDate | None
    other_sources: int


@dataclass(frozen=True)
class Basis:
    """A custody event the belief rests on."""

    type: EventType
    date: PartialDate | None
    source_id: int
    source_title: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class PersonName:
    """What the report shows of a person (a registry may hold hundreds of thousands)."""

    id: int
    surname: str
    given_name: str | None
    patronymic: str | None
    birth_date: PartialDate | None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


@dataclass(frozen=True, slots=True)
class AbsentEntry:
    person: PersonName
    latest: Basis
    that_side: Basis | None


@dataclass(frozen=True)
class Reconciliation:
    source: Source
    as_of: PartialDate
    #: False for a list that does not speak for the detaining Power: `absent` is empty.
    absent_applies: bool
    known: list[ListEntry]
    new: list[ListEntry]
    absent: list[AbsentEntry]


def as_of(source: Source) -> PartialDate:
    """The day a list speaks for: its received date, else the day it was imported."""
    return source.received or PartialDate.from_date(source.imported_at.date())


def _entries(session: Session, source_id: int) -> list[ListEntry]:
    other = aliased(SourceRecord)
    others = (select(func.count(func.distinct(other.source_id)))
              .where(other.person_id == SourceRecord.person_id, other.source_id != source_id)
              .correlate(SourceRecord).scalar_subquery())
    rows = session.execute(
        select(SourceRecord.id, SourceRecord.row_number, SourceRecord.person_id,
               SourceRecord.surname, SourceRecord.given_name, SourceRecord.patronymic,
               SourceRecord.birth_date, others)
        .where(SourceRecord.source_id == source_id)
        .order_by(SourceRecord.row_number)
    ).all()
    return [ListEntry(r[0], r[1], r[2],
                      " ".join(p for p in (r[3], r[4], r[5]) if p), r[3], r[4], r[5], r[6],
                      r[7] or 0) for r in rows]


def _events_up_to(session: Session, day: dt.date) -> Iterator[tuple[Any, ...]]:
    """(person, type, date, source) of every event known for `day`, by person. Types and
    dates come as stored text and are read through small caches: a registry's millions
    of events share a few thousand dates."""
    limit = PartialDate.from_date(day)
    known_by = or_(Source.received.is_(None), Source.received <= limit)
    stmt = (
        select(Event.person_id, type_coerce(Event.type, String),
               type_coerce(Event.date, String), Event.source_id)
        .join(Source, Source.id == Event.source_id)
        .where(or_(Event.date <= limit, and_(Event.date.is_(None), known_by)))
        .order_by(Event.person_id, Event.id)
        .execution_options(yield_per=_STREAM)
    )
    dates: dict[str | None, PartialDate | None] = {None: None}
    for person_id, kind, date, source_id in session.execute(stmt):
        parsed = dates.get(date)
        if parsed is None and date is not None:
            parsed = dates[date] = PartialDate.fromisoformat(date)
        yield person_id, EventType(kind), parsed, source_id


def _held_on(session: Session, day: dt.date, listed: set[int],
             sources: dict[int, Source]) -> list[tuple[int, Basis, Basis | None]]:
    """Persons held on `day` who are not in `listed`, with the basis of that belief."""
    found: list[tuple[int, Basis, Basis | None]] = []
    person: int | None = None
    events: list[tuple[EventType, PartialDate | None, int]] = []

    def close() -> None:
        if person is None or person in listed:
            return
        derived = derive_status((kind, date) for kind, date, _ in events)
        if derived.custody is not CustodyStatus.HELD:
            return
        custody = [e for e in events if e[0] in CUSTODY_EVENTS]
        latest = max(custody, key=_custody_order)
        theirs = [e for e in custody if sources[e[2]].origin in THAT_SIDE]
        found.append((person, _basis(latest, sources),
                      _basis(max(theirs, key=_custody_order), sources) if theirs else None))

    for person_id, kind, date, source_id in _events_up_to(session, day):
        if person_id != person:
            close()
            person, events = person_id, []
        events.append((kind, date, source_id))
    close()
    return found


def _custody_order(event: tuple[EventType, PartialDate | None, int]) -> dt.date:
    return event[1].earliest() if event[1] is not None else dt.date.min


def _basis(event: tuple[EventType, PartialDate | None, int], sources: dict[int, Source]) -> Basis:
    source = sources[event[2]]
    return Basis(event[0], event[1], source.id, source.title, source.origin)


def reconcile(session: Session, actor: Actor, source_id: int) -> Reconciliation:
    """Known, new and absent for one source (see the module docstring)."""
    actor.require(Permission.REGISTRY_READ)
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source {source_id}")
    day = as_of(source)
    entries = _entries(session, source_id)
    known = [e for e in entries if e.other_sources]
    new = [e for e in entries if not e.other_sources]
    applies = source.origin in THAT_SIDE
    absent: list[AbsentEntry] = []
    if applies:
        sources = {s.id: s for s in session.scalars(select(Source))}
        held = _held_on(session, day.latest(), {e.person_id for e in entries}, sources)
        persons: dict[int, PersonName] = {}
        ids = [person_id for person_id, _, _ in held]
        for start in range(0, len(ids), _STREAM):
            rows = session.execute(
                select(Person.id, Person.surname, Person.given_name, Person.patronymic,
                       Person.birth_date, Person.merged_into_id)
                .where(Person.id.in_(ids[start:start + _STREAM])))
            persons.update((r[0], PersonName(*r[:5])) for r in rows if r[5] is None)
        absent = [AbsentEntry(persons[pid], latest, theirs) for pid, latest, theirs in held
                  if pid in persons]
        absent.sort(key=lambda a: (a.person.surname, a.person.given_name or "", a.person.id))
    return Reconciliation(source, day, applies, known, new, absent)


def report_rows(result: Reconciliation) -> Iterator[dict[str, Any]]:
    """One row per known, new and absent entry, for `write_table` (CSV with formula
    neutralisation)."""
    empty = dict.fromkeys(COLUMNS)
    for group, entries in (("known", result.known), ("new", result.new)):
        for e in entries:
            yield {**empty, "group": group, "record_id": e.record_id,
                   "row_number": e.row_number, "person_id": e.person_id,
                   "surname": e.surname, "given_name": e.given_name,
                   "patronymic": e.patronymic, "birth_date": _iso(e.birth_date),
                   "other_sources": e.other_sources}
    for a in result.absent:
        p = a.person
        yield {**empty, "group": "absent", "person_id": p.id, "surname": p.surname,
               "given_name": p.given_name, "patronymic": p.patronymic,
               "birth_date": _iso(p.birth_date), "basis_event": a.latest.type.value,
               "basis_date": _iso(a.latest.date), "basis_source": a.latest.source_title,
               "basis_origin": a.latest.origin.value,
               "that_side_date": _iso(a.that_side.date) if a.that_side else None,
               "that_side_source": a.that_side.source_title if a.that_side else None}


def _iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value is not None else None
