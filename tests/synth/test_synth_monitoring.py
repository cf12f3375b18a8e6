"""Synthetic monitoring data: reproducible, and consistent with the true timelines it is
drawn from (read back from events.csv, independently of the code that drew it)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from synth_support import SEED, Generated, Timeline

from rollcall.monitoring.methods import vocabulary
from rollcall.synth import generate, monitoring_persons
from rollcall.synth import generator as generator_module
from rollcall.synth.monitoring import generate_monitoring
from rollcall.synth.monitoring_persons import ReplayMismatch, replay_persons


@pytest.fixture(scope="module")
def drawn(world: Generated) -> tuple[dict[str, Any], dict[str, Any]]:
    truth = generate_monitoring(world.out, SEED)
    data = json.loads((world.out / "monitoring.json").read_text(encoding="utf-8"))
    return data, truth


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_same_folder_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        generate(700, 5, tmp_path / name)
        generate_monitoring(tmp_path / name, 5)
        outputs.append(((tmp_path / name / "monitoring.json").read_bytes(),
                        (tmp_path / name / "monitoring_truth.json").read_bytes()))
    assert outputs[0] == outputs[1]
    generate(700, 6, tmp_path / "c")
    generate_monitoring(tmp_path / "c", 6)
    assert (tmp_path / "c" / "monitoring.json").read_bytes() != outputs[0][0]


def test_the_replay_refuses_another_seed(world: Generated) -> None:
    with pytest.raises(ReplayMismatch, match="another seed"):
        replay_persons(world.out, SEED + 1)


def test_the_replay_follows_the_generator_across_chunks(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator_module, "CHUNK", 300)
    monkeypatch.setattr(monitoring_persons, "CHUNK", 300)
    generate(800, 3, tmp_path)
    _, persons = replay_persons(tmp_path, 3)
    assert len(persons) == 800  # every timeline matched events.csv, across three chunks
    monkeypatch.setattr(monitoring_persons, "CHUNK", 400)
    with pytest.raises(ReplayMismatch):
        replay_persons(tmp_path, 3)


def test_no_monitor_gets_into_temporary_filtration_or_transit_sites(
        world: Generated, drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, truth = drawn
    kinds = {s["site_key"]: s["type"] for s in world.table("sites.csv")}
    closed = {k for k, kind in kinds.items() if kind in ("temporary", "filtration", "transit")}
    assert closed and not closed & {v["site"] for v in data["visits"]}
    for period in data["access"]:
        if period["site"] in closed:
            assert period["level"] == "none"
    icrc_none = {p["site"] for p in data["access"] if p["monitor"] == "icrc"
                 and p["level"] == "none" and p["end"] is None}
    assert len(icrc_none) > len(kinds) / 2  # most sites: no access for the ICRC at all
    assert set(truth["access"]["sites_never_visited"]) >= closed
    visited = {v["site"] for v in data["visits"]}
    assert truth["access"]["sites_visited"] == sorted(visited)


def test_persons_presented_were_truly_at_the_site_that_day(
        timeline: Timeline, drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, truth = drawn
    assert len(data["visits"]) >= 5
    for visit in data["visits"]:
        assert visit["persons"], visit["ref"]
        for pid in visit["persons"]:
            assert timeline.state(pid, _day(visit["date"])) == ("held", visit["site"])
    held = [pid for pid in timeline.by_person
            if timeline.state(pid, dt.date(2026, 1, 31))[0] == "held"
            and len(timeline.by_person[pid]) > 1]
    seen = {pid for v in data["visits"] for pid in v["persons"]}
    assert truth["access"]["persons_held"] == len(held)
    assert truth["access"]["persons_held_never_seen"] == sum(p not in seen for p in held)


def test_selective_visits_show_only_the_healthy_and_fair_ones_a_fair_sample(
        drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, truth = drawn
    selective = [v for v in truth["visits"] if v["selective"]]
    fair = [v for v in truth["visits"] if not v["selective"]]
    assert selective and fair
    assert all(v["presented_not_healthy"] == 0 and v["presented_reported"] == 0
               for v in selective)
    # Fair visits: the presented are as often ill or ill-treated as those held there.
    shown = sum(v["presented_not_healthy"] for v in fair) / sum(v["presented"] for v in fair)
    there = sum(v["roster_not_healthy"] for v in fair) / sum(v["roster"] for v in fair)
    assert abs(shown - there) < 0.12
    # Ill-treatment is the common case, and most of it reaches the registry as a report.
    t = truth["testimonies"]
    assert t["stays_ill_treated"] / t["stays"] > 0.5
    assert 0.5 < t["stays_reported"] / t["stays_not_healthy"] < 0.9


def test_testimonies_come_from_those_who_came_back_and_tell_their_own_custody(
        timeline: Timeline, drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, truth = drawn
    methods = vocabulary()
    seen = {pid for v in data["visits"] for pid in v["persons"]}
    for t in data["testimonies"]:
        events = timeline.by_person[t["witness"]]
        back = [e for e in events if e["event"] == "repatriated"]
        assert back and _day(back[0]["date"]) <= _day(t["date"]) <= dt.date(2026, 1, 31)
        own_sites = {e["site_key"] for e in events if e["site_key"]}
        assert {c["site"] for c in t["custody"]} == own_sites
        for act in t["acts"]:
            assert act["method"] in methods
            assert act["start"] <= act["end"] <= t["date"]
            if act["victim"] is None and act["site"] is not None:
                assert act["site"] in own_sites
            if act["victim"] is not None:
                assert act["site"] in {e["site_key"] for e in timeline.by_person[act["victim"]]}
        assert t["language"] in ("uk", "ru") and t["narrative"]
        if t["saw_monitor"] is True:
            assert t["witness"] in seen
        if t["saw_monitor"] is False:
            assert t["witness"] not in seen
    stats = truth["testimonies"]
    assert stats["testimonies"] == len(data["testimonies"]) > 50
    # OHCHR: over 90% of released prisoners interviewed report torture or ill-treatment;
    # beating is the method reported most.
    assert stats["witnesses_reporting_ill_treatment"] / stats["testimonies"] > 0.9
    by_method = stats["witnesses_by_method"]
    assert max(by_method, key=by_method.get) == "beating"
    assert by_method["electric_shock"] > 0 and by_method["admission_beating"] > 0


def test_exchanges_prosecutions_and_contacts_follow_the_timelines(
        world: Generated, timeline: Timeline,
        drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, truth = drawn
    exchanged = Counter((e["person_id"], e["date"]) for e in world.table("events.csv")
                        if e["event"] == "exchanged")
    listed = Counter((pid, x["date"]) for x in data["exchanges"] for pid in x["alive"])
    assert listed == exchanged
    bodies = {(e["person_id"], e["date"]) for e in world.table("events.csv")
              if e["event"] == "body_repatriated"}
    assert {(b["person"], x["date"]) for x in data["exchanges"] for b in x["bodies"]} == bodies
    assert truth["exchanges"]["persons_returned_alive"] == len(exchanged)
    for p in data["prosecutions"]:
        captured = _day(timeline.by_person[p["person"]][0]["date"])
        assert captured < _day(p["charged_on"]) <= dt.date(2026, 1, 31)
        assert (p["verdict"] is None) == (p["verdict_on"] is None)
    assert data["prosecutions"]
    reached = {c["person"] for c in data["family_contacts"] if c["reached_family"]}
    held = [pid for pid in timeline.by_person
            if timeline.state(pid, dt.date(2026, 1, 31))[0] == "held"
            and len(timeline.by_person[pid]) > 1]
    assert truth["family_contact"]["held_deprived_of_contact"] == sum(
        p not in reached for p in held)
    assert truth["family_contact"]["held_deprived_of_contact"] > len(held) / 2


def test_incidents_and_their_expected_status(
        world: Generated, drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, truth = drawn
    died = {e["person_id"] for e in world.table("events.csv") if e["event"] == "died"}
    deaths = [i for i in data["incidents"] if i["type"] == "death_in_custody"]
    assert {v for i in deaths for v in i["victims"]} == died
    refs = {t["ref"] for t in data["testimonies"]}
    for incident in data["incidents"]:
        origins = {s.get("witness") or s.get("publisher") or s.get("list")
                   for s in incident["sources"]}
        assert incident["status"] == ("reported" if len(origins) < 2 else
                                      incident["status"])
        assert (incident["status"] == "verified") == bool(incident["verify_reason"])
        assert incident["victim_count"] >= len(incident["victims"])
        for s in incident["sources"]:
            assert s["kind"] != "testimony" or s["testimony"] in refs
    counts = truth["incidents"]
    assert sum(counts["by_status"].values()) == len(data["incidents"])
    assert all(counts["by_status"][s] > 0 for s in ("reported", "credible", "verified"))
    assert {"death_in_custody", "torture", "killing",
            "prosecution_for_hostilities"} <= set(counts["by_type"])
    assert counts["victims_by_status"]["verified"] == sum(
        i["victim_count"] for i in data["incidents"] if i["status"] == "verified")
