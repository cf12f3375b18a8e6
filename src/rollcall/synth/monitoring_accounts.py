"""Synthetic testimonies of released persons and the acts coded from them.

A share of those who came back is interviewed. Each witness tells of their own captivity:
acts at capture, and at every site where their stay was ill-treated or ill (methods at rates
after OHCHR's reporting: beatings nearly always, electric shock, threats, the admission
"gauntlet" common). They also tell of fellow prisoners they were held with: most stays with
ill-treatment or illness of a person who never testifies reach the registry this way, and
only where a witness shared the site at the time. The narratives are made of fixed template
sentences; no real testimony text.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from rollcall.synth import vocab
from rollcall.synth.monitoring_scene import DAY, HEALTHY, ILL, ILL_TREATED, Scene, Stay, iso

#: Share of persons who came back who give a testimony.
TESTIFY = 0.45
#: Chance that a stay with ill-treatment or illness of someone who does not testify is told
#: by a fellow prisoner (when one who testifies was there at the time).
FELLOW_TELLS = 0.75

#: method code -> (chance in an ill-treated stay at an entry site, at a long-term site,
#: stages it happens at). Entry sites: filtration, temporary, transit.
METHODS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "beating": (0.90, 0.80, ("interrogation", "daily_routine", "transit")),
    "admission_beating": (0.20, 0.55, ("admission",)),
    "electric_shock": (0.40, 0.30, ("interrogation",)),
    "asphyxiation": (0.10, 0.06, ("interrogation",)),
    "waterboarding": (0.03, 0.01, ("interrogation",)),
    "stress_position": (0.35, 0.30, ("daily_routine", "interrogation")),
    "forced_exercise": (0.05, 0.25, ("daily_routine",)),
    "sleep_deprivation": (0.15, 0.15, ("daily_routine",)),
    "dog_attack": (0.05, 0.12, ("admission", "daily_routine")),
    "mock_execution": (0.12, 0.04, ("interrogation",)),
    "threat_self": (0.45, 0.30, ("interrogation",)),
    "threat_family": (0.15, 0.10, ("interrogation",)),
    "humiliation": (0.35, 0.45, ("daily_routine", "admission")),
    "forced_nudity": (0.15, 0.20, ("admission",)),
    "rape": (0.01, 0.01, ("interrogation",)),
    "other_sexual_violence": (0.06, 0.05, ("interrogation",)),
    "deprivation_food_water": (0.40, 0.45, ("daily_routine",)),
    "overcrowding": (0.50, 0.25, ("daily_routine",)),
    "sensory_deprivation": (0.50, 0.10, ("transit", "interrogation")),
}
#: At capture (no site): method -> chance, when the capture was violent.
CAPTURE_METHODS = {"beating": 0.85, "threat_self": 0.5, "mock_execution": 0.12,
                   "sensory_deprivation": 0.45}
ILLNESS_METHOD = "deprivation_medical_care"
INCOMMUNICADO = "incommunicado"
_ENTRY = ("filtration", "temporary", "transit")
_INTERVIEWERS = ("HRMMU interview team 1", "HRMMU interview team 2", "HRMMU interview team 3",
                 "Ombudsperson's office, returnees desk", "Coordination HQ interview desk")
_PLACES = ("Chernihiv region, reception centre", "Kyiv, interview room",
           "Dnipro, rehabilitation centre", "Lviv, rehabilitation centre")
_PERPETRATOR = ("staff of the detention site", "military police", "unit guarding the site",
                None)

#: Narrative sentences; a site is named before a colon, so no name needs declining.
_SENTENCE_UK = {
    "capture": "Після полонення мене били й погрожували розстрілом.",
    "beating": "{site}: охоронці регулярно били нас кийками та ногами.",
    "admission_beating": "{site}: після прибуття нас прогнали крізь «коридор» з охоронців.",
    "electric_shock": "{site}: під час допитів застосовували електрошокер.",
    "threat_self": "{site}: на допитах погрожували вбити мене.",
    "deprivation_food_water": "{site}: годували дуже мало, води не вистачало.",
    ILLNESS_METHOD: "{site}: я захворів, але медичної допомоги не надавали.",
    "fellow": "{site}: я бачив, як били інших полонених, зокрема мого сусіда по камері.",
    "monitor": "Представників Червоного Хреста я бачив один раз, говорити з ними наодинці "
               "не дозволили.",
    "no_contact": "Зв'язку з родиною в мене не було.",
    "other": "{site}: застосовували й інші види жорстокого поводження.",
}
_SENTENCE_RU = {
    "capture": "После пленения меня били и угрожали расстрелом.",
    "beating": "{site}: охранники регулярно избивали нас дубинками и ногами.",
    "admission_beating": "{site}: по прибытии нас прогнали через «коридор» из охранников.",
    "electric_shock": "{site}: на допросах применяли электрошокер.",
    "threat_self": "{site}: на допросах угрожали убить меня.",
    "deprivation_food_water": "{site}: кормили очень мало, воды не хватало.",
    ILLNESS_METHOD: "{site}: я заболел, но медицинской помощи не оказывали.",
    "fellow": "{site}: я видел, как избивали других пленных, в том числе соседа по камере.",
    "monitor": "Представителей Красного Креста я видел один раз, поговорить с ними наедине "
               "не дали.",
    "no_contact": "Связи с семьёй у меня не было.",
    "other": "{site}: применяли и другие виды жестокого обращения.",
}


def _period(rng: random.Random, first: dt.date, last: dt.date) -> tuple[str, str]:
    """A remembered period: to the month mostly, to the day sometimes."""
    if rng.random() < 0.7:
        return first.isoformat()[:7], last.isoformat()[:7]
    return first.isoformat(), last.isoformat()


def _last_day(stay: Stay) -> dt.date:
    return (stay.end or vocab.HORIZON + DAY) - DAY


def _seen_at(scene: Scene) -> dict[str, list[tuple[str, dt.date]]]:
    seen: dict[str, list[tuple[str, dt.date]]] = {}
    for visit in scene.records["visits"]:
        for pid in visit["persons"]:
            seen.setdefault(pid, []).append((visit["site"], dt.date.fromisoformat(visit["date"])))
    return seen


def _own_acts(scene: Scene, rng: random.Random, index: int, seen: list[tuple[str, dt.date]],
              contact: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """Acts the witness `index` suffered, and the narrative's sentences (as keys, site)."""
    person = scene.persons[index]
    acts: list[dict[str, Any]] = []
    told: list[str] = []
    if rng.random() < 0.55:
        for method, chance in CAPTURE_METHODS.items():
            if rng.random() < chance:
                acts.append(_act(method, None, person.capture.isoformat(),
                                 person.capture.isoformat(), "capture", None, False, contact))
        told.append("capture")
    for stay_index in scene.stays_of[index]:
        stay = scene.stays[stay_index]
        if stay.condition == HEALTHY:
            continue
        site = scene.world.sites[stay.site]
        last = _last_day(stay)
        start, end = _period(rng, stay.start, last)
        monitor = any(key == site.key and stay.covers(day) for key, day in seen)
        if stay.condition == ILL:
            methods = [ILLNESS_METHOD]
        else:
            column = 0 if site.type in _ENTRY else 1
            methods = [m for m, row in METHODS.items() if rng.random() < row[column]]
            methods = methods or ["beating"]
        for method in methods:
            stage = rng.choice(METHODS[method][2]) if method in METHODS else "daily_routine"
            acts.append(_act(method, site.key, start, end, stage, rng.choice(_PERPETRATOR),
                             monitor, contact))
        told.extend(f"{m}|{site.key}" for m in methods[:3])
    if not contact:
        acts.append(_act(INCOMMUNICADO, None, person.capture.isoformat(),
                         (person.outcome_date or vocab.HORIZON).isoformat(), "daily_routine",
                         None, None, False))
        told.append("no_contact")
    return acts, told


def _act(method: str, site: str | None, start: str, end: str, stage: str,
         perpetrator: str | None, monitor: bool | None, contact: bool | None,
         victim: str | None = None) -> dict[str, Any]:
    return {"method": method, "site": site, "start": start, "end": end, "stage": stage,
            "perpetrator": perpetrator, "victim": victim, "monitor_seen": monitor,
            "family_contact_allowed": contact}


def _narrative(scene: Scene, told: list[str], language: str) -> str:
    sentences = _SENTENCE_UK if language == "uk" else _SENTENCE_RU
    names = {s.key: s.names[language][0] for s in scene.world.sites}
    out = []
    for item in told:
        key, _, site = item.partition("|")
        text = sentences.get(key, sentences["other"])
        out.append(text.format(site=names.get(site, "")))
    return " ".join(dict.fromkeys(out))


def draw_testimonies(scene: Scene, rng: random.Random) -> None:
    """Testimonies with their own and fellow prisoners' acts; truth of who reported what."""
    seen = _seen_at(scene)
    contact = {c["person"] for c in scene.records["family_contacts"] if c["reached_family"]}
    testimonies: list[dict[str, Any]] = []
    witness_of: dict[int, dict[str, Any]] = {}
    for index, person in enumerate(scene.persons):
        if person.outcome not in ("exchanged", "released") or person.returned is None:
            continue
        if not person.custody or rng.random() >= TESTIFY:
            continue
        day = min(person.returned + dt.timedelta(days=rng.randint(2, 90)), vocab.HORIZON)
        language = "uk" if rng.random() < 0.7 else "ru"
        reached = person.pid in contact
        acts, told = _own_acts(scene, rng, index, seen.get(person.pid, []), reached)
        if person.pid in seen:
            told.append("monitor")
        saw = None if rng.random() < 0.1 else person.pid in seen
        statistics = rng.random() < 0.97
        testimony = {
            "ref": f"T{len(testimonies) + 1:04d}", "pseudonym": None,
            "witness": person.pid, "interviewer": rng.choice(_INTERVIEWERS),
            "date": day.isoformat(), "place": rng.choice(_PLACES), "language": language,
            "consent_statistics": statistics,
            "consent_public_report": statistics and rng.random() < 0.6,
            "consent_prosecution": rng.random() < 0.55,
            "consent_icrc": rng.random() < 0.4,
            "saw_monitor": saw,
            "family_contact": None if rng.random() < 0.1 else reached,
            "acts": acts, "told": told,
            "custody": [{"site": scene.site_key(scene.stays[i].site),
                         "from": scene.stays[i].start.isoformat(),
                         "to": iso(scene.stays[i].end)} for i in scene.stays_of[index]],
        }
        testimonies.append(testimony)
        witness_of[index] = testimony
    reported = {i for w in witness_of for i in scene.stays_of[w]
                if scene.stays[i].condition != HEALTHY}
    reported |= _fellow_acts(scene, rng, witness_of)
    for testimony in testimonies:
        testimony["narrative"] = _narrative(scene, testimony.pop("told"), testimony["language"])
    scene.records["testimonies"] = testimonies
    scene.reported_stays = reported
    _truth(scene, testimonies)


def _fellow_acts(scene: Scene, rng: random.Random,
                 witness_of: dict[int, dict[str, Any]]) -> set[int]:
    """Acts told by witnesses about fellow prisoners; returns the stays so reported."""
    by_site: dict[int, list[int]] = {}
    for w in witness_of:
        for i in scene.stays_of[w]:
            by_site.setdefault(scene.stays[i].site, []).append(i)
    reported: set[int] = set()
    for i, stay in enumerate(scene.stays):
        if stay.condition == HEALTHY or stay.person in witness_of:
            continue
        if rng.random() >= FELLOW_TELLS:
            continue
        candidates = by_site.get(stay.site, [])
        for candidate in rng.sample(candidates, min(40, len(candidates))):
            both = stay.overlap(scene.stays[candidate])
            if both is None:
                continue
            testimony = witness_of[scene.stays[candidate].person]
            method = ILLNESS_METHOD if stay.condition == ILL else \
                rng.choice(("beating", "beating", "beating", "electric_shock", "dog_attack"))
            start, end = _period(rng, *both)
            testimony["acts"].append(_act(
                method, scene.site_key(stay.site), start, end, "daily_routine", None, None,
                None, victim=scene.persons[stay.person].pid))
            testimony["told"].append(f"fellow|{scene.site_key(stay.site)}")
            reported.add(i)
            break
    return reported


def _truth(scene: Scene, testimonies: list[dict[str, Any]]) -> None:
    own = [[a for a in t["acts"] if a["victim"] is None] for t in testimonies]
    ill_treated = sum(any(a["method"] != INCOMMUNICADO for a in acts) for acts in own)
    methods: dict[str, int] = {}
    for acts in own:
        for method in {a["method"] for a in acts}:
            methods[method] = methods.get(method, 0) + 1
    stays = scene.stays
    scene.truth["testimonies"] = {
        "testimonies": len(testimonies),
        "acts": sum(len(t["acts"]) for t in testimonies),
        "acts_about_others": sum(a["victim"] is not None for t in testimonies
                                 for a in t["acts"]),
        "witnesses_reporting_ill_treatment": ill_treated,
        "witnesses_by_method": dict(sorted(methods.items())),
        "saw_monitor_false": sum(t["saw_monitor"] is False for t in testimonies),
        "family_contact_false": sum(t["family_contact"] is False for t in testimonies),
        "stays": len(stays),
        "stays_not_healthy": sum(s.condition != HEALTHY for s in stays),
        "stays_ill_treated": sum(s.condition == ILL_TREATED for s in stays),
        "stays_reported": len(scene.reported_stays),
    }


__all__ = ["CAPTURE_METHODS", "FELLOW_TELLS", "ILLNESS_METHOD", "INCOMMUNICADO", "METHODS",
           "TESTIFY", "draw_testimonies"]
