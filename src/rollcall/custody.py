"""A person's status is derived from their events, never typed in (DESIGN.md section 4).

Rules, in order:
1. Any `died` or `body_repatriated` event: dead.
2. Otherwise the latest custody-relevant event decides: capture, holding, transfer,
   hospital, monitor visit, charge or sentence mean held; release, exchange or repatriation
   mean released; escape means escaped.
   Events are ordered by the earliest day their (partial) date allows; on the same day a
   release or escape comes after custody, since a list rarely reports both the same day.
   An undated custody event counts as the earliest fact; an undated release, exchange or
   escape as the latest (a source that says "released" without a date still says so).
   A charge or sentence after a release or escape does not put the person back in
   custody: courts of the detaining Power also try people in absentia.
3. No such event: missing if a source classes the person as missing, else unknown.

The legal status: a charge or sentence means the Power denies POW status; otherwise the
category the sources give (POW, civilian), else unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rollcall.dates import PartialDate
from rollcall.vocabulary import Category, CustodyStatus, EventType, LegalStatus

E = EventType

_DEATH = frozenset({E.DIED, E.BODY_REPATRIATED})
_CUSTODY = frozenset(
    {E.CAPTURED, E.HELD, E.TRANSFERRED, E.HOSPITALISED, E.SEEN_BY_MONITOR, E.CHARGED, E.SENTENCED}
)
_RELEASE = frozenset({E.RELEASED, E.EXCHANGED, E.REPATRIATED})
_IN_ABSENTIA = frozenset({E.CHARGED, E.SENTENCED})
_OUTCOME = {**dict.fromkeys(_CUSTODY, CustodyStatus.HELD),
            **dict.fromkeys(_RELEASE, CustodyStatus.RELEASED),
            E.ESCAPED: CustodyStatus.ESCAPED}


@dataclass(frozen=True)
class DerivedStatus:
    custody: CustodyStatus
    legal: LegalStatus
    as_of: PartialDate | None


def _order(event: tuple[EventType, PartialDate | None]) -> tuple[dt.date, int]:
    kind, date = event
    leaving = kind not in _CUSTODY
    if date is None:
        return (dt.date.max if leaving else dt.date.min, int(leaving))
    return (date.earliest(), int(leaving))


def derive_status(
    events: Iterable[tuple[EventType, PartialDate | None]],
    categories: Iterable[Category | None] = (),
) -> DerivedStatus:
    events = list(events)
    category_set = {c for c in categories if c is not None}
    kinds = {kind for kind, _ in events}
    if kinds & {E.CHARGED, E.SENTENCED}:
        legal = LegalStatus.STATUS_DENIED
    elif Category.POW in category_set:
        legal = LegalStatus.POW
    elif category_set & {Category.CIVILIAN_DETAINEE, Category.CIVILIAN_INTERNEE}:
        legal = LegalStatus.CIVILIAN
    else:
        legal = LegalStatus.UNKNOWN

    deaths = [date for kind, date in events if kind in _DEATH]
    if deaths:
        dated = [d for d in deaths if d is not None]
        return DerivedStatus(CustodyStatus.DEAD, legal, min(dated) if dated else None)

    relevant = [e for e in events if e[0] in _OUTCOME]
    leavings = [e for e in relevant if e[0] not in _CUSTODY]
    if leavings:
        left = _order(max(leavings, key=_order))
        relevant = [e for e in relevant
                    if e[0] not in _IN_ABSENTIA or _order(e) < left]
    if not relevant:
        if Category.MISSING in category_set:
            return DerivedStatus(CustodyStatus.MISSING, legal, None)
        return DerivedStatus(CustodyStatus.UNKNOWN, legal, None)
    kind, date = max(relevant, key=_order)
    return DerivedStatus(_OUTCOME[kind], legal, date)
