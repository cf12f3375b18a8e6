"""Synthetic persons and their true timelines (the ground truth the lists are drawn from).

A person is kept compact (indexes into the name and site tables, a few dates) because a
chunk of them is held in memory while their list rows are written.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from dataclasses import dataclass

from rollcall.synth import vocab
from rollcall.synth.world import Picker, World

_SERVICE_LETTERS = "АВЕКМНОРСТХ"  # letters that look the same in Latin: copied as AA, BE...
_PERIOD = Picker([w for _, _, w in vocab.CAPTURE_PERIODS])
_RANK = Picker([r.weight for r in vocab.RANKS])
_CAUSE = Picker([c.weight for c in vocab.DEATH_CAUSES])
_RELATION = Picker(vocab.RELATION_WEIGHTS)
_RELATION_F = Picker(vocab.RELATION_WEIGHTS_FEMALE)
_DAY = dt.timedelta(days=1)


@dataclass(slots=True)
class Person:
    """One synthetic human. Name parts are indexes into `World.names`."""

    pid: str
    female: bool
    surname: int
    given: int  # index into names.female if female else names.male
    father: int  # index into names.male
    birth: dt.date
    birth_place: int
    category: str  # pow | civilian | missing
    civilian_kind: str  # civilian_detainee | civilian_internee | "" (for ICRC)
    service: str  # "АА123456" or "" for civilians
    rank: int  # index into vocab.RANKS, -1 for civilians
    unit: int  # index into World.units, -1 for civilians
    capture: dt.date
    capture_place: int
    custody: list[tuple[dt.date, int, str]]  # (date, site index, held|transferred|hospitalised)
    outcome: str  # held | exchanged | released | died | missing
    outcome_date: dt.date | None
    cause: int  # index into vocab.DEATH_CAUSES, -1 unless died
    returned: dt.date | None  # repatriated (alive) or body repatriated
    relation: int  # index into vocab.RELATIONS
    relative_given: int
    phone: str  # "5xx xxxx", written after +380 99
    denied: bool  # the other side lists this POW as a "detained person"

    @property
    def military(self) -> bool:
        return self.category != "civilian"

    def state_at(self, day: dt.date) -> tuple[str, int, dt.date]:
        """(state, site index or -1, date the state began) as of `day`.

        State is held, exchanged, released, died or missing; a dead person's site is the
        place of death.
        """
        if self.outcome == "missing":
            return "missing", -1, self.capture
        if self.outcome != "held" and self.outcome_date and self.outcome_date <= day:
            site = self.custody[-1][1] if self.outcome == "died" else -1
            return self.outcome, site, self.outcome_date
        last: tuple[dt.date, int, str] | None = None
        for entry in self.custody:
            if entry[0] > day:
                break
            last = entry
        if last is None:
            return "held", -1, self.capture
        return "held", last[1], last[0]

    def hospitalised_by(self, day: dt.date) -> bool:
        return any(kind == "hospitalised" and when <= day for when, _, kind in self.custody)


def _capture_date(rng: random.Random) -> dt.date:
    start, end, _ = vocab.CAPTURE_PERIODS[_PERIOD(rng)]
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _outcome(
    rng: random.Random, world: World, civilian: bool, d0: dt.date
) -> tuple[str, dt.date | None]:
    r = rng.random()
    exchanged, released, died = (0.15, 0.30, 0.33) if civilian else (0.33, 0.34, 0.383)
    horizon = vocab.HORIZON
    if r < exchanged:
        first = bisect_left(world.exchanges, d0 + dt.timedelta(days=21))
        if first < len(world.exchanges):
            return "exchanged", world.exchanges[rng.randrange(first, len(world.exchanges))]
    elif r < released:
        span = (horizon - d0).days
        if span > 30:
            return "released", d0 + dt.timedelta(days=rng.randint(30, span))
    elif r < died:
        span = (horizon - d0).days
        if span > 3:
            return "died", d0 + dt.timedelta(days=max(3, int(span * rng.random() ** 1.5)))
    return "held", None


_GAPS = ((3, 40), (20, 400), (30, 500))


def _custody(
    rng: random.Random, world: World, d0: dt.date, end: dt.date, dies: bool
) -> list[tuple[dt.date, int, str]]:
    """Custody moves strictly before `end`: first site, 1-3 transfers, maybe a hospital."""
    window = (end - d0).days
    held = d0 + dt.timedelta(days=min(rng.randint(0, 3), max(window - 1, 0)))
    if rng.random() < 0.85:
        site = world.entry_sites[world.pick_entry(rng)]
    else:
        site = world.long_sites[world.pick_long(rng)]
    custody = [(held, site, "held")]
    when = held
    for k in range(rng.randint(1, 3)):
        when += dt.timedelta(days=rng.randint(*_GAPS[k]))
        if when >= end:
            break
        if k == 0 or rng.random() < 0.3:
            nxt = world.long_sites[world.pick_long(rng)]
        else:
            nxt = world.colonies[world.pick_colony(rng)]
        if nxt != custody[-1][1]:
            custody.append((when, nxt, "transferred"))
    if len(custody) == 1 and (end - held).days >= 2:
        when = held + dt.timedelta(days=rng.randint(1, (end - held).days - 1))
        nxt = world.long_sites[world.pick_long(rng)]
        if nxt != site:
            custody.append((when, nxt, "transferred"))
    last_day, last_site, _ = custody[-1]
    if dies and rng.random() < 0.35:
        when = end - dt.timedelta(days=rng.randint(1, 10))
        if when > last_day:
            custody.append((when, world.hospitals[world.pick_hospital(rng)], "hospitalised"))
    elif not dies and rng.random() < 0.07:
        when = last_day + dt.timedelta(days=rng.randint(5, 200))
        if when < end:
            custody.append((when, world.hospitals[world.pick_hospital(rng)], "hospitalised"))
            back = when + dt.timedelta(days=rng.randint(7, 40))
            if back < end:
                custody.append((back, last_site, "transferred"))
    return custody


def make_person(index: int, rng: random.Random, world: World) -> Person:
    """Draw person number `index` (0-based) and the whole of their captivity."""
    r = rng.random()
    category = "missing" if r < 0.03 else "civilian" if r < 0.15 else "pow"
    civilian = category == "civilian"
    female = rng.random() < (0.30 if civilian else 0.05)
    given = world.pick_female(rng) if female else world.pick_male(rng)
    d0 = _capture_date(rng)
    age = rng.triangular(18, 75, 42) if civilian else rng.triangular(18, 60, 30)
    birth = dt.date.fromordinal(d0.toordinal() - int(age * 365.25) - rng.randint(0, 364))
    if category == "missing":
        outcome, out_date, custody = "missing", None, []
    else:
        outcome, out_date = _outcome(rng, world, civilian, d0)
        end = out_date or vocab.HORIZON + _DAY
        custody = _custody(rng, world, d0, end, outcome == "died")
    returned: dt.date | None = None
    if outcome == "exchanged":
        returned = out_date
    elif outcome == "released" and out_date:
        back = out_date + dt.timedelta(days=rng.randint(1, 14))
        returned = back if back <= vocab.HORIZON else None
    elif outcome == "died" and out_date and rng.random() < 0.5:
        later = bisect_left(world.exchanges, out_date + dt.timedelta(days=14))
        if later < len(world.exchanges):
            returned = world.exchanges[rng.randrange(later, len(world.exchanges))]
    relation = (_RELATION_F if female else _RELATION)(rng)
    relative_female = vocab.RELATIONS[relation][1]
    father = world.pick_father(rng)
    if vocab.RELATIONS[relation][0].en == "father":
        relative = father  # the father named as next of kin is the one in the patronymic
    else:
        relative = world.pick_female(rng) if relative_female else world.pick_male(rng)
    military = not civilian
    return Person(
        pid=f"P{index + 1:07d}",
        female=female,
        surname=world.pick_surname(rng),
        given=given,
        father=father,
        birth=birth,
        birth_place=world.pick_birth_place(rng),
        category=category,
        civilian_kind=(
            ("civilian_detainee" if rng.random() < 0.7 else "civilian_internee") if civilian else ""
        ),
        service=(
            _SERVICE_LETTERS[int(rng.random() * 11)]
            + _SERVICE_LETTERS[int(rng.random() * 11)]
            + f"{int(rng.random() * 1_000_000):06d}"
            if military
            else ""
        ),
        rank=_RANK(rng) if military else -1,
        unit=world.pick_unit(rng) if military else -1,
        capture=d0,
        capture_place=world.capture_place(rng, d0),
        custody=custody,
        outcome=outcome,
        outcome_date=out_date,
        cause=_CAUSE(rng) if outcome == "died" else -1,
        returned=returned,
        relation=relation,
        relative_given=relative,
        phone=f"5{rng.randrange(100):02d} {rng.randrange(10000):04d}",
        denied=category == "pow" and rng.random() < 0.03,
    )


EVENTS_HEADER = ["person_id", "event", "date", "site_key", "place", "detail"]


def event_rows(p: Person, world: World) -> list[list[str]]:
    """The true timeline of `p` as rows of events.csv."""
    sites = world.sites
    rows = [[p.pid, "captured", p.capture.isoformat(), "", world.places[p.capture_place].en, ""]]
    rows.extend(
        [p.pid, kind, when.isoformat(), sites[site].key, "", ""] for when, site, kind in p.custody
    )
    if p.outcome_date is None:
        return rows
    day = p.outcome_date.isoformat()
    last = sites[p.custody[-1][1]] if p.custody else None
    key = last.key if last else ""
    if p.outcome == "exchanged":
        rows.append([p.pid, "exchanged", day, key, "", ""])
        rows.append([p.pid, "repatriated", day, "", "Ukraine", ""])
    elif p.outcome == "released":
        rows.append([p.pid, "released", day, key, "", ""])
        if p.returned:
            rows.append([p.pid, "repatriated", p.returned.isoformat(), "", "Ukraine", ""])
    elif p.outcome == "died":
        place = last.names["en"][0] if last else ""
        cause = vocab.DEATH_CAUSES[p.cause].term.en
        rows.append([p.pid, "died", day, key, place, cause])
        if p.returned:
            rows.append([p.pid, "body_repatriated", p.returned.isoformat(), "", "Ukraine", ""])
    return rows
