"""Synthetic family contact, exchanges, prosecutions and incidents, from the true timelines
and the testimonies already drawn (see `rollcall.synth.monitoring`).

Incidents carry the status they should reach under the default corroboration rule (two
independent sources, a witness's testimonies counting once): `credible` where two
independent sources tell it, and `verified` for a few of those with an investigator's reason.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from rollcall.synth import vocab
from rollcall.synth.monitoring_accounts import INCOMMUNICADO
from rollcall.synth.monitoring_scene import DAY, Scene, iso

_MEDIATORS = ("icrc", "uae", "uae", "qatar", "turkey", "vatican")
_MEDIATOR_NAMES = {"icrc": "ICRC", "uae": "United Arab Emirates", "qatar": "Qatar",
                   "turkey": "Türkiye", "vatican": "Holy See"}
_CHARGES = (
    ("participation in a terrorist organisation", "205.5"),
    ("violent seizure of power", "278"),
    ("cruel treatment of civilians", "356"),
    ("mercenarism", "359"),
    ("terrorist act", "205"),
)
#: fair-trial concern -> chance
_CONCERNS = {
    "no_lawyer_of_choice": 0.7, "coerced_confession": 0.55, "closed_hearing": 0.35,
    "no_interpreter": 0.1, "protecting_power_not_notified": 0.8,
    "insufficient_time_for_defence": 0.3, "trial_in_absentia": 0.03,
}
_EXECUTION = {"uk": "Під час полонення на моїх очах розстріляли полонених.",
              "ru": "Во время пленения у меня на глазах расстреляли пленных."}
_PUBLISHERS = ("regional news site", "Telegram channel", "national broadcaster")
VERIFY_REASONS = {
    "death_in_custody": "Body repatriated and identified; forensic examination consistent "
                        "with the accounts.",
    "torture": "Separate interviews agree on place, period and methods; injuries documented "
               "on return.",
    "killing": "Video geolocated and dated; consistent with the witnesses' accounts.",
}


def draw_family_contacts(scene: Scene, rng: random.Random) -> None:
    """Capture cards, letters and calls; many persons have none at all."""
    contacts = []
    for person in scene.persons:
        if not person.custody:
            continue
        end = person.outcome_date or vocab.HORIZON
        span = (end - person.capture).days
        if span < 30:
            continue
        for kind, chance, earliest in (("capture_card", 0.25, 20), ("letter", 0.12, 60),
                                       ("call", 0.04, 90)):
            if rng.random() < chance and span > earliest:
                day = person.capture + dt.timedelta(days=rng.randint(earliest, span))
                contacts.append({"person": person.pid, "kind": kind, "date": day.isoformat(),
                                 "direction": "from_person",
                                 "reached_family": rng.random() < 0.85})
    scene.records["family_contacts"] = contacts
    reached = {c["person"] for c in contacts if c["reached_family"]}
    held = [p.pid for p in scene.persons if p.outcome == "held" and p.custody]
    scene.truth["family_contact"] = {
        "records": len(contacts),
        "persons_with_contact": len(reached),
        "held": len(held),
        "held_deprived_of_contact": sum(pid not in reached for pid in held),
    }


def draw_exchanges(scene: Scene, rng: random.Random) -> None:
    """The world's exchange days with those exchanged alive and the bodies returned."""
    alive: dict[dt.date, list[str]] = {}
    bodies: dict[dt.date, list[dict[str, str]]] = {}
    identification: dict[str, int] = {}
    for person in scene.persons:
        if person.outcome == "exchanged" and person.outcome_date:
            alive.setdefault(person.outcome_date, []).append(person.pid)
        elif person.outcome == "died" and person.returned:
            state = rng.choices(("identified", "pending", "unidentified"), (55, 35, 10))[0]
            identification[state] = identification.get(state, 0) + 1
            bodies.setdefault(person.returned, []).append({"person": person.pid,
                                                           "identification": state})
    exchanges = []
    for day in scene.world.exchanges:
        if day not in alive and day not in bodies:
            continue
        mediator = rng.choice(_MEDIATORS)
        returned = len(alive.get(day, []))
        exchanges.append({
            "ref": f"E{len(exchanges) + 1:03d}", "date": day.isoformat(),
            "mediator": mediator, "mediator_name": _MEDIATOR_NAMES[mediator],
            "place": "border crossing point, Sumy region",
            "alive": alive.get(day, []), "bodies": bodies.get(day, []),
            "released_to_adversary": returned + rng.randint(0, returned // 4),
            "bodies_to_adversary": rng.randint(0, 3 * len(bodies.get(day, []))),
        })
    scene.records["exchanges"] = exchanges
    scene.truth["exchanges"] = {
        "exchanges": len(exchanges),
        "persons_returned_alive": sum(len(e["alive"]) for e in exchanges),
        "bodies": sum(len(e["bodies"]) for e in exchanges),
        "bodies_by_identification": dict(sorted(identification.items())),
        "bodies_to_adversary": sum(e["bodies_to_adversary"] for e in exchanges),
    }


def draw_prosecutions(scene: Scene, rng: random.Random) -> None:
    """Prosecutions of prisoners of war listed as "detained persons"."""
    prosecutions = []
    for person in scene.persons:
        if not person.denied or not person.custody:
            continue
        end = min(person.outcome_date or vocab.HORIZON, vocab.HORIZON)
        charged = person.capture + dt.timedelta(days=rng.randint(60, 400))
        if charged >= end:
            continue
        trial = charged + dt.timedelta(days=rng.randint(60, 300))
        verdict = trial + dt.timedelta(days=rng.randint(14, 120))
        charges = rng.sample(_CHARGES, rng.choice((1, 1, 2)))
        done = verdict < end
        prosecutions.append({
            "person": person.pid,
            "charges": "; ".join(c for c, _ in charges),
            "articles": ", ".join(f"CC RF art. {a}" for _, a in charges),
            "court": f"Military court of district No. {rng.randint(1, 4)}",
            "charged_on": charged.isoformat(),
            "trial_start": trial.isoformat() if trial < end else None,
            "verdict_on": verdict.isoformat() if done else None,
            "verdict": "convicted" if done else None,
            "sentence": f"{rng.randint(12, 29)} years, strict-regime colony" if done else None,
            "concerns": [c for c, chance in _CONCERNS.items() if rng.random() < chance],
        })
    scene.records["prosecutions"] = prosecutions
    scene.truth["prosecutions"] = {
        "prosecutions": len(prosecutions),
        "convicted": sum(p["verdict"] == "convicted" for p in prosecutions),
        "with_concerns": sum(bool(p["concerns"]) for p in prosecutions),
    }


def _incident(kind: str, title: str, *, site: str | None = None, place: str | None = None,
              start: str, end: str | None = None, count: int, victims: list[str],
              sources: list[dict[str, Any]], perpetrator: str | None = None) -> dict[str, Any]:
    origins = {s.get("witness") or s.get("publisher") or s.get("list") or s["reference"]
               for s in sources}
    return {"type": kind, "title": title, "site": site, "place": place, "date_from": start,
            "date_to": end or start, "victim_count": count, "victims": victims,
            "perpetrator": perpetrator, "sources": sources,
            "status": "credible" if len(origins) >= 2 else "reported", "verify_reason": None}


def _testimony_source(testimony: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "testimony", "testimony": testimony["ref"], "witness": testimony["witness"],
            "reference": f"testimony {testimony['ref']}"}


def draw_incidents(scene: Scene, rng: random.Random) -> None:
    """Deaths in custody, torture grouped by site and quarter, executions at capture, and
    prosecutions for taking part in hostilities."""
    incidents: list[dict[str, Any]] = []
    testimonies = scene.records["testimonies"]
    told_by: dict[str, list[dict[str, Any]]] = {}  # victim pid -> testimonies telling of it
    groups: dict[tuple[str, str], tuple[set[str], dict[str, dict[str, Any]]]] = {}
    for t in testimonies:
        for act in t["acts"]:
            victim = act["victim"] or t["witness"]
            told_by.setdefault(victim, []).append(t)
            if act["site"] is None or act["method"] == INCOMMUNICADO:
                continue
            year, month = int(act["start"][:4]), int(act["start"][5:7])
            quarter = f"{year}-{(month - 1) // 3 * 3 + 1:02d}"
            group = groups.setdefault((act["site"], quarter), (set(), {}))
            group[0].add(victim)
            group[1][t["witness"]] = t
    sites = {s.key: s for s in scene.world.sites}
    for person in scene.persons:
        if person.outcome != "died" or not person.custody or person.outcome_date is None:
            continue
        site = scene.site_key(person.custody[-1][1])
        sources: list[dict[str, Any]] = [{"kind": "document", "list": "own_bureau.csv",
                                          "reference": "death notification, own register"}]
        sources += [_testimony_source(t) for t in told_by.get(person.pid, [])[:2]]
        incident = _incident("death_in_custody", f"Death in custody at {site}", site=site,
                             start=person.outcome_date.isoformat(), count=1,
                             victims=[person.pid], sources=sources)
        incident["returned"] = iso(person.returned)
        incidents.append(incident)
    for (site, quarter), (victims, witnesses) in sorted(groups.items()):
        if len(victims) < 3:
            continue
        start = dt.date.fromisoformat(quarter + "-01")
        end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - DAY
        incidents.append(_incident(
            "torture", f"Torture of prisoners at {sites[site].names['en'][0]}, "
            f"{quarter[:4]} Q{(start.month - 1) // 3 + 1}", site=site, start=start.isoformat(),
            end=end.isoformat(), count=len(victims), victims=sorted(victims)[:30],
            sources=[_testimony_source(witnesses[w]) for w in sorted(witnesses)[:8]],
            perpetrator="staff of the detention site"))
    _executions(scene, rng, incidents)
    for p in scene.records["prosecutions"]:
        sources = [{"kind": "media", "publisher": rng.choice(_PUBLISHERS),
                    "reference": "report of the sentence" if p["verdict"] else
                    "report of the charges"}]
        if rng.random() < 0.5:
            sources.append({"kind": "document", "list": "adversary_bureau.csv",
                            "reference": "listed as a detained person"})
        incidents.append(_incident("prosecution_for_hostilities",
                                   "Prosecution for taking part in hostilities",
                                   start=p["charged_on"], end=p["verdict_on"], count=1,
                                   victims=[p["person"]], sources=sources))
    for i, incident in enumerate(incidents):
        incident["ref"] = f"I{i + 1:04d}"
        kind = incident["type"]
        if incident["status"] == "credible" and kind in VERIFY_REASONS and (
                kind != "death_in_custody" or incident.pop("returned", None)) \
                and rng.random() < 0.3:
            incident["status"], incident["verify_reason"] = "verified", VERIFY_REASONS[kind]
        incident.pop("returned", None)
    scene.records["incidents"] = incidents
    _incident_truth(scene, incidents)


def _executions(scene: Scene, rng: random.Random, incidents: list[dict[str, Any]]) -> None:
    """A few killings of captured soldiers, told by those captured with them."""
    testimonies = scene.records["testimonies"]
    if not testimonies:
        return
    pid_index = {p.pid: p for p in scene.persons}
    for t in rng.sample(testimonies, min(len(testimonies), 3 + len(scene.persons) // 1500)):
        witness = pid_index[t["witness"]]
        place = scene.world.places[witness.capture_place].en
        others = [o for o in testimonies if o is not t and
                  pid_index[o["witness"]].capture_place == witness.capture_place and
                  abs((pid_index[o["witness"]].capture - witness.capture).days) <= 3]
        sources = [_testimony_source(t)] + [_testimony_source(o) for o in others[:2]]
        for told in [t, *others[:2]]:
            told["narrative"] += " " + _EXECUTION[told["language"]]
        if rng.random() < 0.3:
            sources.append({"kind": "media", "publisher": "Telegram channel",
                            "reference": "video of the killing"})
        incidents.append(_incident(
            "killing", f"Killing of captured soldiers near {place}", place=place,
            start=witness.capture.isoformat(), count=rng.randint(1, 5), victims=[],
            sources=sources, perpetrator="capturing unit"))


def _incident_truth(scene: Scene, incidents: list[dict[str, Any]]) -> None:
    by_type: dict[str, dict[str, int]] = {}
    victims: dict[str, int] = {}
    for incident in incidents:
        row = by_type.setdefault(incident["type"], {})
        row[incident["status"]] = row.get(incident["status"], 0) + 1
        victims[incident["status"]] = victims.get(incident["status"], 0) + \
            incident["victim_count"]
    statuses = ("reported", "credible", "verified")
    scene.truth["incidents"] = {
        "incidents": len(incidents),
        "by_status": {s: sum(r.get(s, 0) for r in by_type.values()) for s in statuses},
        "victims_by_status": {s: victims.get(s, 0) for s in statuses},
        "by_type": {k: dict(sorted(v.items())) for k, v in sorted(by_type.items())},
    }


__all__ = ["VERIFY_REASONS", "draw_exchanges", "draw_family_contacts", "draw_incidents",
           "draw_prosecutions"]
