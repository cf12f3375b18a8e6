"""Capture patterns from the registry's linked persons, and estimates from them.

Population: persons not merged away whose derived custody status (models/people.py,
rollcall.custody) is `held` or `dead`, the status now.

Lists. A person is on a list when one of their source records comes from it. By default
a list is an *origin* (own bureau, adversary bureau, ICRC, family, ...): the releases of
one bureau's list are one system that documents persons the same way, and counting them
as independent lists would show the same persons "recaptured" and shrink the estimate.
`lists="source"` takes each source as its own list, for when the sources are truly
independent systems. At most 8 lists (255 capture patterns): more is refused, not cut.

Strata (`by`): `region`, the region of the site where the person is held or died:
  - dead: the site of their latest `died` event naming one (by date, undated first, then
    by id), else as held;
  - held (and dead without a site of death): the site of their last stay as
    rollcall.monitoring.custody derives stays (events of any source and recorded custody
    periods): the stay that began last, a recorded period before a stay from events
    beginning the same day.
  `year`: the year of the date the person's status dates from (their death, or their
  latest custody event). A person with no such site, region or date is in the stratum
  None. In each stratum, the lists nobody in it is on are left out.

Estimates per stratum: `method="auto"` is the log-linear models from three lists,
Chapman for two, a refusal for fewer (rollcall.stats.mse.methods.auto_method). Without
`by`, a refusal is raised; with `by`, a stratum the data cannot support is returned with
the refusal in `Estimate.refused` (its figures NaN), so one empty region does not hide
the others.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, String, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from rollcall.errors import EstimateRefused, InvalidValue
from rollcall.models import Event, Person, Site, Source, SourceRecord
from rollcall.monitoring.custody import RECORDED, all_stays
from rollcall.stats.mse.methods import auto_method, estimate
from rollcall.stats.mse.patterns import CapturePatterns
from rollcall.stats.mse.result import Estimate
from rollcall.vocabulary import CustodyStatus, EventType, Origin

POPULATIONS = {"held": CustodyStatus.HELD, "dead": CustodyStatus.DEAD}
LIST_KINDS = ("origin", "source")
STRATA = ("region", "year")
MAX_LISTS = 8

Stratum = str | None


def _persons(population: str) -> Select[Any]:
    if population not in POPULATIONS:
        raise InvalidValue(f"population must be one of {', '.join(POPULATIONS)}")
    return select(Person.id).where(Person.merged_into_id.is_(None),
                                   Person.custody_status == POPULATIONS[population])


def _lists(session: Session, persons: Select[Any], kind: str) -> list[tuple[Any, str]]:
    """(key, name) of every list the population is on, in a fixed order."""
    if kind == "origin":
        used = set(session.scalars(
            select(Source.origin).distinct()
            .join(SourceRecord, SourceRecord.source_id == Source.id)
            .where(SourceRecord.person_id.in_(persons))))
        return [(origin, origin.value) for origin in Origin if origin in used]
    rows = session.execute(
        select(Source.id, Source.title).distinct()
        .join(SourceRecord, SourceRecord.source_id == Source.id)
        .where(SourceRecord.person_id.in_(persons)).order_by(Source.id)).all()
    return [(row.id, f"{row.title} (source {row.id})") for row in rows]


def _last_site(persons: Select[Any], population: str) -> Select[Any]:
    """(person_id, site_id) of the site each person is last held at, or died at."""
    stays = all_stays(persons).subquery("stays")
    ranked = select(stays.c.person_id, stays.c.site_id, func.row_number().over(
        partition_by=stays.c.person_id,
        order_by=(stays.c.start.desc(), case((stays.c.kind == RECORDED, 0), else_=1),
                  stays.c.key.desc())).label("rn")).subquery("ranked_stays")
    last = select(ranked.c.person_id, ranked.c.site_id).where(ranked.c.rn == 1) \
        .subquery("last_stay")
    if population != "dead":
        return select(last.c.person_id, last.c.site_id)
    deaths = select(Event.person_id, Event.site_id, func.row_number().over(
        partition_by=Event.person_id,
        order_by=(Event.date.desc().nulls_last(), Event.id.desc())).label("rn")) \
        .where(Event.type == EventType.DIED, Event.site_id.is_not(None),
               Event.person_id.in_(persons)).subquery("deaths")
    died_at = select(deaths.c.person_id, deaths.c.site_id).where(deaths.c.rn == 1) \
        .subquery("died_at")
    people = persons.subquery("population")
    return (select(people.c.id.label("person_id"),
                   func.coalesce(died_at.c.site_id, last.c.site_id).label("site_id"))
            .outerjoin(died_at, died_at.c.person_id == people.c.id)
            .outerjoin(last, last.c.person_id == people.c.id))


def registry_patterns(session: Session, population: str, *, by: str | None = None,
                      lists: str = "origin") -> dict[Stratum, CapturePatterns]:
    """Capture patterns of the population, one per stratum (the key None without `by`).
    Empty when the population has nobody on any list."""
    persons = _persons(population)
    if lists not in LIST_KINDS:
        raise InvalidValue(f"lists must be one of {', '.join(LIST_KINDS)}")
    if by is not None and by not in STRATA:
        raise InvalidValue(f"by must be one of {', '.join(STRATA)}")
    found = _lists(session, persons, lists)
    if not found:
        return {}
    if len(found) > MAX_LISTS:
        hint = " (try lists by origin)" if lists == "source" else ""
        raise EstimateRefused(f"the {population} persons are on {len(found)} lists; at "
                              f"most {MAX_LISTS} can be estimated together{hint}")
    key_column = Source.origin if lists == "origin" else Source.id
    bit = case(*((key_column == key, literal(1 << i)) for i, (key, _) in enumerate(found)),
               else_=literal(0))
    per_person = (select(SourceRecord.person_id, func.sum(bit.distinct()).label("bits"))
                  .join(Source, Source.id == SourceRecord.source_id)
                  .where(SourceRecord.person_id.in_(persons))
                  .group_by(SourceRecord.person_id).subquery("per_person"))
    stratum: Any = literal(None, String)
    query = select(per_person.c.bits)
    if by == "region":
        where = _last_site(persons, population).subquery("where_held")
        query = (query.outerjoin(where, where.c.person_id == per_person.c.person_id)
                 .outerjoin(Site, Site.id == where.c.site_id))
        stratum = Site.region
    elif by == "year":
        query = query.join(Person, Person.id == per_person.c.person_id)
        stratum = func.substr(type_coerce(Person.status_as_of, String), 1, 4)
    rows = session.execute(query.add_columns(stratum.label("stratum"), func.count())
                           .group_by(per_person.c.bits, stratum)).all()
    tally: dict[Stratum, dict[int, int]] = defaultdict(dict)
    for bits, key, count in rows:
        tally[key][int(bits)] = tally[key].get(int(bits), 0) + int(count)
    names = [name for _, name in found]
    return {key: _patterns(names, counts) for key, counts in tally.items()}


def _patterns(names: list[str], counts: dict[int, int]) -> CapturePatterns:
    """Patterns over the lists someone in the stratum is on."""
    present = [i for i in range(len(names)) if any(bits >> i & 1 for bits in counts)]
    return CapturePatterns.from_pairs(
        [names[i] for i in present],
        [(tuple(bits >> i & 1 for i in present), count) for bits, count in counts.items()])


def refused(patterns: CapturePatterns, method: str, reason: str) -> Estimate:
    """A stratum the data cannot support: the documented count, no figures."""
    return Estimate(method=method, lists=patterns.lists, documented=patterns.documented,
                    estimate=math.nan, lower=math.nan, upper=math.nan, interval="none",
                    refused=reason)


def registry_estimate(session: Session, population: str, *, by: str | None = None,
                      method: str = "auto", seed: int | None = None,
                      lists: str = "origin", **options: Any) -> dict[Stratum, Estimate]:
    """The estimate for each stratum (key None without `by`), by `method` ("auto":
    log-linear from three lists, Chapman for two)."""
    strata = registry_patterns(session, population, by=by, lists=lists)
    if not strata:
        raise EstimateRefused(f"no {population} person in the registry is on any list")
    results: dict[Stratum, Estimate] = {}
    for key in sorted(strata, key=lambda s: (s is None, s or "")):
        patterns = strata[key]
        try:
            chosen = auto_method(patterns) if method == "auto" else method
            results[key] = estimate(patterns, chosen, seed=seed, **options)
        except EstimateRefused as exc:
            if by is None:
                raise
            results[key] = refused(patterns, method, exc.message)
    return results
