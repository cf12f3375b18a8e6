"""Synthetic monitoring data with known truth: access, visits, testimonies, incidents,
exchanges, prosecutions and family contact, drawn from the true timelines of a generated
folder (issue 4, part 10).

The truth the analyses must find is decided here, before anything is recorded:
- every person has, at every site they were held at, a hidden condition (healthy, ill or
  ill-treated; the same for each stay there), ill-treatment being the common case (OHCHR:
  over 90% of released prisoners of war interviewed described torture or ill-treatment);
- no monitor ever enters a temporary, filtration or transit site; the ICRC has no access
  to most others, partial access to a few, full access to very few;
- some visits are *selective* (only healthy persons are presented), the others fair (a
  random sample of those truly held there that day);
- what the registry will learn of those conditions is what released witnesses say in their
  testimonies, about themselves and about fellow prisoners they were held with, so a report
  exists only where a witness could have seen it (the selective-presentation analysis,
  `rollcall.monitoring.selective`, reads exactly such acts: victim, site, period).

monitoring_truth.json holds, per visit, whether it was selective and how many of those
truly there and of those shown were ill or ill-treated and reported; the sites never
visited and the persons held at the end never shown to anyone; testimony, incident (by
type and the status the default corroboration rule should reach), exchange, prosecution
and family-contact counts.

`generate_monitoring(folder, seed)` writes `monitoring.json` (the records, by true person
id and site key, for `rollcall.synth.monitoring_load`) and `monitoring_truth.json` (the
figures tests compare the analyses with). Randomness comes from its own stream seeded from
`seed`, so the same folder and seed give the same bytes, and the lists are not disturbed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from rollcall.synth import vocab
from rollcall.synth.monitoring_accounts import draw_testimonies
from rollcall.synth.monitoring_cases import (
    draw_exchanges,
    draw_family_contacts,
    draw_incidents,
    draw_prosecutions,
)
from rollcall.synth.monitoring_persons import replay_persons
from rollcall.synth.monitoring_scene import DAY, HEALTHY, ILL, ILL_TREATED, Scene, Stay
from rollcall.synth.persons import Person
from rollcall.synth.world import World

#: Per site type: chances of (ill-treated, ill); the rest are healthy.
_CONDITION = {
    "filtration": (0.70, 0.05),
    "temporary": (0.70, 0.05),
    "transit": (0.60, 0.05),
    "pretrial_detention": (0.55, 0.15),
    "colony": (0.55, 0.15),
    "hospital": (0.20, 0.80),
}
#: Sites a monitor may ever be let into; temporary and filtration sites never are.
_VISITABLE = ("colony", "pretrial_detention")
#: Monitor -> (chance of partial access, chance of full access) per visitable site,
#: days between visits, and the chance a visit under partial access is selective.
_MONITORS = {
    "icrc": ((0.45, 0.12), (45, 150), 0.5),
    "ombudsperson": ((0.30, 0.0), (90, 240), 0.6),
    "ohchr": ((0.05, 0.0), (120, 300), 0.5),
}
LAST_VISIT = dt.date(2025, 12, 31)
_PREMISES = ("punishment cells (ШІЗО)", "basement of block 2", "medical unit",
             "interrogation rooms", "quarantine block")
#: A visit is drawn only when at least this many persons are truly held there.
_MIN_ROSTER = 3


def _stays(persons: list[Person], world: World, rng: random.Random) -> list[Stay]:
    """Every stay of every person, with its hidden condition. The condition belongs to the
    person at the site: one sent back to a site is treated there as before, so no later
    stay of an ill-treated person can pass for a healthy one; and one taken from a site to
    hospital fell ill there at least."""
    stays: list[Stay] = []
    for index, p in enumerate(persons):
        custody = p.custody
        condition_at: dict[int, str] = {}
        for k, (_start, site, _kind) in enumerate(custody):
            if site not in condition_at:
                ill_treated, ill = _CONDITION[world.sites[site].type]
                r = rng.random()
                condition_at[site] = (ILL_TREATED if r < ill_treated
                                      else ILL if r < ill_treated + ill else HEALTHY)
            if k + 1 < len(custody) and custody[k + 1][2] == "hospitalised" and \
                    condition_at[site] == HEALTHY:
                condition_at[site] = ILL  # taken to hospital from there: fell ill there
        stays.extend(Stay(index, site, start, end, condition_at[site])
                     for k, (start, site, _kind) in enumerate(custody)
                     for end in [custody[k + 1][0] if k + 1 < len(custody) else p.outcome_date])
    return stays


def _access(scene: Scene, rng: random.Random) -> dict[tuple[int, str], tuple[str, dt.date]]:
    """Access periods per (site, monitor): `none` from the start of the war, for the few
    sites a monitor got into, partial or full from a later day on."""
    sites = scene.world.sites
    granted: dict[tuple[int, str], tuple[str, dt.date]] = {}
    visitable = [i for i, s in enumerate(sites) if s.type in _VISITABLE]
    for monitor, ((partial, full), _, _) in _MONITORS.items():
        for i in visitable:
            r = rng.random()
            if r < partial + full:
                level = "full" if r < full else "partial"
                granted[(i, monitor)] = (level, dt.date(2022, 6, 1) + dt.timedelta(
                    days=rng.randint(0, 900)))
        if monitor != "ohchr" and visitable and not any(m == monitor for _, m in granted):
            biggest = max(visitable, key=lambda i: sites[i].weight)  # the demo needs visits
            granted[(biggest, monitor)] = ("partial", dt.date(2023, 3, 1))
        icrc = sorted(i for i, m in granted if m == monitor == "icrc")
        if len(icrc) >= 2 and all(granted[(i, "icrc")][0] == "partial" for i in icrc):
            chosen = rng.choice(icrc)  # very few sites with full access, but not none
            granted[(chosen, "icrc")] = ("full", granted[(chosen, "icrc")][1])
    periods = []
    for i, site in enumerate(sites):
        for monitor in _MONITORS:
            level, start = granted.get((i, monitor), ("none", None))
            if level == "none":
                if monitor == "icrc" or site.type in _VISITABLE:
                    periods.append({"site": site.key, "monitor": monitor, "level": "none",
                                    "start": vocab.WAR_START.isoformat(), "end": None,
                                    "notes": "access requested, not granted"})
                continue
            assert start is not None
            periods.append({"site": site.key, "monitor": monitor, "level": "none",
                            "start": vocab.WAR_START.isoformat(),
                            "end": (start - DAY).isoformat(), "notes": None})
            periods.append({"site": site.key, "monitor": monitor, "level": level,
                            "start": start.isoformat(), "end": None, "notes": None})
    scene.records["access"] = periods
    return granted


def _visits(scene: Scene, rng: random.Random,
            granted: dict[tuple[int, str], tuple[str, dt.date]]) -> None:
    """Visits to the sites with access; each presents a fair sample or only the healthy."""
    at_site: dict[int, list[int]] = {}
    for i, stay in enumerate(scene.stays):
        at_site.setdefault(stay.site, []).append(i)
    stays = scene.stays
    visits, truth = [], []
    for (site, monitor), (level, start) in sorted(granted.items()):
        gaps, selective_share = _MONITORS[monitor][1], _MONITORS[monitor][2]
        day = start + dt.timedelta(days=rng.randint(7, 60))
        while day <= LAST_VISIT:
            roster = [i for i in at_site.get(site, []) if stays[i].covers(day)]
            if len(roster) >= _MIN_ROSTER:
                selective = level == "partial" and rng.random() < selective_share
                pool = [i for i in roster if stays[i].condition == HEALTHY] if selective \
                    else roster
                size = min(len(pool), rng.randint(10, 30))
                shown = sorted(rng.sample(pool, size), key=lambda i: stays[i].person)
                ref = f"V{len(visits) + 1:03d}"
                refused = level == "partial" and rng.random() < 0.6
                visits.append({
                    "ref": ref, "site": scene.site_key(site), "monitor": monitor,
                    "date": day.isoformat(),
                    "private_interviews": level == "full" or rng.random() < 0.15,
                    "premises_refused": rng.choice(_PREMISES) if refused else None,
                    "persons": [scene.persons[stays[i].person].pid for i in shown],
                    "notes": f"Synthetic visit {ref}",
                })
                truth.append({
                    "ref": ref, "site": scene.site_key(site), "date": day.isoformat(),
                    "selective": selective, "roster": len(roster),
                    "roster_not_healthy": sum(stays[i].condition != HEALTHY for i in roster),
                    "presented": size,
                    "presented_not_healthy": sum(stays[i].condition != HEALTHY for i in shown),
                })
                scene.visit_rosters.append((roster, shown))
            day += dt.timedelta(days=rng.randint(*gaps))
    scene.records["visits"] = visits
    scene.truth["visits"] = truth


def _reported_truth(scene: Scene) -> None:
    """Per visit, how many of those there and of those shown have a report told."""
    for truth, (roster, shown) in zip(scene.truth["visits"], scene.visit_rosters, strict=True):
        truth["roster_reported"] = sum(i in scene.reported_stays for i in roster)
        truth["presented_reported"] = sum(i in scene.reported_stays for i in shown)


def _access_truth(scene: Scene) -> None:
    """Sites never visited and persons held at the end never presented to anyone."""
    visited = {v["site"] for v in scene.records["visits"]}
    seen = {pid for v in scene.records["visits"] for pid in v["persons"]}
    partial_sites = {p["site"] for p in scene.records["access"] if p["level"] == "partial"}
    full_sites = {p["site"] for p in scene.records["access"] if p["level"] == "full"}
    held = [p.pid for p in scene.persons if p.outcome == "held" and p.custody]
    scene.truth["access"] = {
        "sites": len(scene.world.sites),
        "sites_never_visited": sorted(s.key for s in scene.world.sites
                                      if s.key not in visited | partial_sites | full_sites),
        "sites_with_full_access": sorted(full_sites),
        "sites_visited": sorted(visited),
        "persons_held": len(held),
        "persons_held_never_seen": sum(pid not in seen for pid in held),
    }


def draw_monitoring(world: World, persons: list[Person], seed: int) -> Scene:
    """Every monitoring record of the world, with its truth (no files, no database)."""
    rng = random.Random(f"rollcall-synth-monitoring-{seed}")
    stays = _stays(persons, world, rng)
    stays_of: list[list[int]] = [[] for _ in persons]
    for i, stay in enumerate(stays):
        stays_of[stay.person].append(i)
    scene = Scene(world, persons, stays, stays_of)
    granted = _access(scene, rng)
    _visits(scene, rng, granted)
    _access_truth(scene)
    draw_family_contacts(scene, rng)
    draw_testimonies(scene, rng)
    _reported_truth(scene)
    draw_exchanges(scene, rng)
    draw_prosecutions(scene, rng)
    draw_incidents(scene, rng)
    return scene


def generate_monitoring(folder: Path, seed: int) -> dict[str, Any]:
    """Draw the monitoring data for the synthetic folder `folder` (written by
    `rollcall.synth.generate` with `seed`) and write monitoring.json and
    monitoring_truth.json next to the other truth files. Returns the truth."""
    folder = Path(folder)
    world, persons = replay_persons(folder, seed)
    scene = draw_monitoring(world, persons, seed)
    _dump(folder / "monitoring.json", {"seed": seed, **scene.records})
    _dump(folder / "monitoring_truth.json", scene.truth)
    return scene.truth


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


__all__ = ["draw_monitoring", "generate_monitoring"]
