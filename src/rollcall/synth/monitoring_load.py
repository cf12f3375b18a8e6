"""Load the synthetic monitoring data (monitoring.json) into a registry, through the
services only, as an operator would record them one by one.

Persons are found as the registry knows them: a true person id -> their rows on the lists
(truth.csv: list file, row number) -> the source records imported from those rows -> the
person each record belongs to now (merges resolved to the survivor). When linkage split a
true person, the registry person holding most of their records stands for them.

Each part is loaded in its own transaction, so a part whose service refuses stops alone;
what was refused is counted and described (by reference and reason, never by name) in the
summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import NotFound, RollcallError
from rollcall.models import Person, Site, Source, SourceRecord
from rollcall.services.actor import Actor
from rollcall.services.custody import record_custody
from rollcall.services.exchanges import attach_persons, record_exchange
from rollcall.services.family_contact import record_contact
from rollcall.services.incident_status import assess_incident, move_status
from rollcall.services.incidents import add_source, record_incident
from rollcall.services.prosecutions import record_prosecution
from rollcall.services.sites import record_access
from rollcall.services.sources import register_source
from rollcall.services.testimonies import ActInput, record_testimony
from rollcall.services.visits import record_visit
from rollcall.vocabulary import AccessLevel, Monitor, Origin

#: The documents behind records that no synthetic list carries, registered as sources
#: (key in `Registry.sources`: title, origin).
FAMILY_SOURCE = "family-contact-reports"
EXCHANGE_SOURCE = "exchange-announcements"
PROSECUTION_SOURCE = "court-announcements"
CITED = {
    FAMILY_SOURCE: ("Повідомлення про зв'язок з родиною (синтетичні)", Origin.FAMILY),
    EXCHANGE_SOURCE: ("Оголошення про обміни (синтетичні)", Origin.OWN_BUREAU),
    PROSECUTION_SOURCE: ("Повідомлення судів (синтетичні)", Origin.MEDIA),
}


@dataclass
class LoadSummary:
    """What was recorded per part, and what the services refused (reference: reason)."""

    counts: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    #: testimony ref (T0001) -> registry testimony id; visit ref -> visit id; incident ref
    ids: dict[str, int] = field(default_factory=dict)
    #: testimony ref -> the pseudonym the service gave
    pseudonyms: dict[str, str] = field(default_factory=dict)

    def refuse(self, ref: str, error: Exception) -> None:
        self.counts["refused"] += 1
        if len(self.refused) < 200:
            self.refused.append(f"{ref}: {error}")


@dataclass
class Registry:
    """How the synthetic references are found in the registry."""

    persons: dict[str, int]  # true person id -> registry person (survivor)
    sites: dict[str, int]  # site key -> site id
    sources: dict[str, int]  # list file -> source id

    def person(self, pid: str | None) -> int | None:
        return self.persons.get(pid) if pid else None


def find_registry(session: Session, folder: Path) -> Registry:
    """The registry's persons, sites and sources for the synthetic references."""
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = {(r["list"], int(r["row_number"])): r["person_id"]
                 for r in csv.DictReader(handle)}
    votes: dict[str, Counter[int]] = {}
    rows = session.execute(
        select(Source.file_name, SourceRecord.row_number, Person.id, Person.merged_into_id)
        .join(SourceRecord, SourceRecord.source_id == Source.id)
        .join(Person, Person.id == SourceRecord.person_id))
    for file_name, row_number, person_id, merged_into in rows:
        pid = truth.get((file_name, row_number))
        if pid is not None:
            votes.setdefault(pid, Counter())[merged_into or person_id] += 1
    persons = {pid: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
               for pid, c in votes.items()}
    sites = {key: id_ for key, id_ in session.execute(select(Site.key, Site.id)) if key}
    sources = {name: id_ for name, id_ in session.execute(
        select(Source.file_name, Source.id).order_by(Source.id)) if name}
    return Registry(persons, sites, sources)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _partial(text: str | None) -> PartialDate | None:
    return PartialDate.fromisoformat(text) if text else None


def load_access(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                summary: LoadSummary) -> None:
    for period in data["access"]:
        site = reg.sites.get(period["site"])
        if site is None:
            summary.refuse(f"access {period['site']}", LookupError("site not in the registry"))
            continue
        record_access(session, actor, site, period["monitor"], AccessLevel(period["level"]),
                      start=_partial(period["start"]), end=_partial(period["end"]),
                      notes=period["notes"])
        summary.counts["access_periods"] += 1


def load_visits(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                summary: LoadSummary) -> None:
    for visit in data["visits"]:
        persons = [p for p in (reg.person(pid) for pid in visit["persons"]) if p is not None]
        try:
            recorded = record_visit(
                session, actor, site=visit["site"], monitor=Monitor(visit["monitor"]),
                date=dt.date.fromisoformat(visit["date"]), person_ids=persons,
                private_interviews=visit["private_interviews"],
                premises_refused=visit["premises_refused"], notes=visit["notes"])
        except RollcallError as error:
            summary.refuse(f"visit {visit['ref']}", error)
            continue
        summary.ids[visit["ref"]] = recorded.id
        summary.counts["visits"] += 1
        summary.counts["visit_persons"] += len(set(persons))


def load_family_contacts(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                         summary: LoadSummary) -> None:
    source = reg.sources[FAMILY_SOURCE]
    for contact in data["family_contacts"]:
        person = reg.person(contact["person"])
        if person is None:
            continue
        try:
            record_contact(session, actor, person, source_id=source, kind=contact["kind"],
                           direction=contact["direction"], date=_partial(contact["date"]),
                           delivered=contact["reached_family"])
        except RollcallError as error:
            summary.refuse(f"family contact of {contact['person']}", error)
            continue
        summary.counts["family_contacts"] += 1


def load_testimonies(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                     summary: LoadSummary) -> None:
    for t in data["testimonies"]:
        witness = reg.person(t["witness"])
        acts = []
        for a in t["acts"]:
            victim = reg.person(a["victim"])
            acts.append(ActInput(
                method=a["method"], site=a["site"], period_start=_partial(a["start"]),
                period_end=_partial(a["end"]), stage=a["stage"], perpetrator=a["perpetrator"],
                victim_is_witness=a["victim"] is None, victim_person_id=victim,
                monitor_seen=a["monitor_seen"],
                family_contact_allowed=a["family_contact_allowed"]))
        try:
            recorded = record_testimony(
                session, actor, interviewer=t["interviewer"],
                interviewed_on=dt.date.fromisoformat(t["date"]), language=t["language"],
                place=t["place"], witness_person_id=witness, pseudonym=t["pseudonym"],
                consent_statistics=t["consent_statistics"],
                consent_public_report=t["consent_public_report"],
                consent_prosecution=t["consent_prosecution"], consent_icrc=t["consent_icrc"],
                saw_monitor=t["saw_monitor"], family_contact=t["family_contact"],
                narrative=t["narrative"], acts=acts)
        except RollcallError as error:
            summary.refuse(f"testimony {t['ref']}", error)
            continue
        summary.ids[t["ref"]] = recorded.id
        summary.pseudonyms[t["ref"]] = recorded.pseudonym
        summary.counts["testimonies"] += 1
        summary.counts["acts"] += len(acts)


def load_custody(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                 summary: LoadSummary) -> None:
    """The custody each witness told, recorded as custody periods (both days included).
    A registry person standing for two witnesses (a wrong merge) is left out."""
    witnesses = Counter(reg.person(t["witness"]) for t in data["testimonies"])
    for t in data["testimonies"]:
        person = reg.person(t["witness"])
        if person is None or witnesses[person] > 1 or t["ref"] not in summary.ids:
            continue
        for stay in t["custody"]:
            end = _day(stay["to"])
            start = dt.date.fromisoformat(stay["from"])
            try:
                record_custody(session, actor, person_id=person, site=stay["site"], start=start,
                               end=max(end - dt.timedelta(days=1), start) if end else None,
                               notes=f"as told in testimony {summary.pseudonyms[t['ref']]}")
            except RollcallError as error:
                summary.refuse(f"custody of the witness of {t['ref']}", error)
                continue
            summary.counts["custody_periods"] += 1


def load_exchanges(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                   summary: LoadSummary) -> None:
    source = reg.sources[EXCHANGE_SOURCE]
    for e in data["exchanges"]:
        unnamed = sum(b["identification"] == "unidentified" for b in e["bodies"])
        exchange = record_exchange(
            session, actor, date=dt.date.fromisoformat(e["date"]), mediator=e["mediator_name"],
            mediator_code=e["mediator"], place=e["place"], unnamed_bodies_to_own_side=unnamed,
            unnamed_bodies_to_adversary=e["bodies_to_adversary"], source_id=source,
            notes=f"{e['released_to_adversary']} persons handed over to the other side "
                  "(not in this registry).")
        summary.ids[e["ref"]] = exchange.id
        summary.counts["exchanges"] += 1
        alive = {p for p in (reg.person(pid) for pid in e["alive"]) if p is not None}
        if alive:
            done = attach_persons(session, actor, exchange.id, sorted(alive),
                                  direction="to_own_side", kind="alive")
            summary.counts["exchanged_alive"] += len(done.attached)
        for status in ("pending", "identified"):
            bodies = {p for p in (reg.person(b["person"]) for b in e["bodies"]
                                  if b["identification"] == status) if p is not None} - alive
            if bodies:
                done = attach_persons(session, actor, exchange.id, sorted(bodies),
                                      direction="to_own_side", kind="body",
                                      identification=status)
                alive |= bodies
                summary.counts["bodies_named"] += len(done.attached)
        summary.counts["bodies_unnamed"] += unnamed


def load_prosecutions(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                      summary: LoadSummary) -> None:
    source = reg.sources[PROSECUTION_SOURCE]
    for p in data["prosecutions"]:
        person = reg.person(p["person"])
        if person is None:
            continue
        try:
            record_prosecution(
                session, actor, person, source_id=source, charges=p["charges"],
                article_codes=p["articles"], court=p["court"],
                charged_on=_partial(p["charged_on"]), trial_start=_partial(p["trial_start"]),
                verdict=p["verdict"] or "pending", verdict_on=_partial(p["verdict_on"]),
                sentence=p["sentence"], concerns=p["concerns"])
        except RollcallError as error:
            summary.refuse(f"prosecution of {p['person']}", error)
            continue
        summary.counts["prosecutions"] += 1


def load_incidents(session: Session, actor: Actor, data: dict[str, Any], reg: Registry,
                   summary: LoadSummary) -> None:
    for item in data["incidents"]:
        victims = sorted({p for p in (reg.person(pid) for pid in item["victims"])
                          if p is not None})
        incident = record_incident(
            session, actor, type=item["type"], title=item["title"], site=item["site"],
            place=item["place"], date_from=_partial(item["date_from"]),
            date_to=_partial(item["date_to"]), victim_count=item["victim_count"],
            perpetrator=item["perpetrator"], person_ids=victims)
        summary.ids[item["ref"]] = incident.id
        summary.counts["incidents"] += 1
        for s in item["sources"]:
            if s["kind"] == "testimony":
                add_source(session, actor, incident.id, kind="testimony",
                           testimony_id=summary.ids[s["testimony"]])
            else:
                add_source(session, actor, incident.id, kind=s["kind"],
                           source_id=reg.sources.get(s.get("list", "")),
                           reference=s["reference"], origin=s.get("publisher"))
            summary.counts["incident_sources"] += 1
        if item["status"] in ("credible", "verified"):
            assessment = assess_incident(session, incident.id)
            if not assessment.met:
                summary.refuse(f"incident {item['ref']} to credible",
                               ValueError(assessment.missing()))
                continue
            move_status(session, actor, incident.id, "credible")
            summary.counts["incidents_credible"] += 1
        if item["status"] == "verified":
            move_status(session, actor, incident.id, "verified", reason=item["verify_reason"])
            summary.counts["incidents_verified"] += 1


Loader = Callable[[Session, Actor, dict[str, Any], Registry, LoadSummary], None]
#: In order: testimonies before incidents (incidents cite them).
PARTS: tuple[tuple[str, Loader], ...] = (
    ("access", load_access),
    ("visits", load_visits),
    ("family_contacts", load_family_contacts),
    ("testimonies", load_testimonies),
    ("custody", load_custody),
    ("exchanges", load_exchanges),
    ("prosecutions", load_prosecutions),
    ("incidents", load_incidents),
)


def load_monitoring(db: Database, actor: Actor, folder: Path,
                    parts: tuple[str, ...] | None = None) -> LoadSummary:
    """Record the monitoring data of the synthetic folder `folder` (monitoring.json, written
    by `generate_monitoring`) in the registry of `db`. The sites and lists must be imported
    and linked first: otherwise NotFound, and nothing is written. `parts` limits it to some
    of PARTS (by name)."""
    folder = Path(folder)
    data = json.loads((folder / "monitoring.json").read_text(encoding="utf-8"))
    summary = LoadSummary()
    with db.session() as session:
        reg = find_registry(session, folder)
    if not reg.persons or not reg.sites:
        raise NotFound(
            "the synthetic lists and sites of this folder are not in the registry (persons "
            f"found: {len(reg.persons)}, sites: {len(reg.sites)}): import the sites and lists "
            "and link them first")
    with db.session() as session:
        for key, (title, origin) in CITED.items():
            reg.sources[key] = register_source(session, actor, title=title, origin=origin).id
    summary.counts["persons_found"] = len(reg.persons)
    for name, loader in PARTS:
        if parts is not None and name not in parts:
            continue
        counts, ids, refused = Counter(summary.counts), dict(summary.ids), len(summary.refused)
        try:
            with db.session() as session:
                loader(session, actor, data, reg, summary)
        except (RollcallError, KeyError) as error:
            summary.counts, summary.ids = counts, ids  # rolled back: nothing of it stands
            del summary.refused[refused:]
            summary.refuse(f"part {name}", error)
            summary.counts[f"part_failed:{name}"] += 1
    return summary


__all__ = ["PARTS", "LoadSummary", "Registry", "find_registry", "load_monitoring"]
