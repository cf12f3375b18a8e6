"""The synthetic monitoring data loaded into a small demo-like registry through the
services: everything drawn is recorded, the analyses find the truth they were given, and
every monitoring page shows generated rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from synth_monitoring_support import Built, build_demo_registry

from rollcall import models
from rollcall.app import create_app
from rollcall.errors import NotFound
from rollcall.monitoring.access_gap import access_report
from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.monitoring.incident_counts import incident_counts
from rollcall.monitoring.selective import SELECTIVE, selective_presentation
from rollcall.services import accounts
from rollcall.services.sites import import_sites
from rollcall.synth import generate
from rollcall.synth.monitoring import generate_monitoring
from rollcall.synth.monitoring_load import load_monitoring
from rollcall.vocabulary import IncidentStatus, Role
from rollcall.web.render import format_date
from webtest_support import PASSWORD, TestClient, log_in


def _count(db, column) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(column))) or 0


def _selective_numbers(db, built: Built) -> dict[str, Any]:
    """How the selective-presentation analysis judged the selective and the fair visits."""
    truth = {v["ref"]: v for v in built.truth["visits"]}
    with db.session() as s:
        report = selective_presentation(s)
    numbers = {"selective": 0, "selective_flagged": 0, "fair": 0, "fair_flagged": 0,
               "too_few": report.too_few, "flagged_ids": []}
    for item in report.items:
        ref = next(r for r, i in built.loaded.ids.items() if i == item.visit_id
                   and r.startswith("V"))
        kind = "selective" if truth[ref]["selective"] else "fair"
        numbers[kind] += 1
        numbers[f"{kind}_flagged"] += item.verdict == SELECTIVE
        if item.verdict == SELECTIVE:
            numbers["flagged_ids"].append(item.visit_id)
    return numbers


def test_a_demo_registry_holds_every_part_the_analyses_find_the_truth_and_pages_show_it(
        db, operator, tmp_path):
    # One registry for all three checks: building it (generate, import, link, load) is the
    # slow part, on both databases.
    built = build_demo_registry(db, operator, tmp_path / "synth")
    _everything_drawn_is_recorded(db, built)
    flagged = _the_analyses_find_the_truth(db, built)
    with db.session() as s:
        accounts.add_user(s, operator, "chief", PASSWORD, [Role.ADMIN], language="en")
    with TestClient(create_app(db), base_url="http://testserver") as client:
        log_in(client, "chief")
        _pages_show_generated_rows(client, built, flagged)


def _everything_drawn_is_recorded(db, built: Built) -> None:
    data, counts = built.data, built.loaded.counts
    assert built.loaded.refused == []
    assert counts["persons_found"] == 900
    assert _count(db, models.Visit.id) == len(data["visits"]) == counts["visits"]
    assert _count(db, models.Testimony.id) == len(data["testimonies"])
    assert _count(db, models.Act.id) == sum(len(t["acts"]) for t in data["testimonies"])
    assert _count(db, models.Incident.id) == len(data["incidents"])
    assert counts["exchanges"] == len(data["exchanges"])
    assert counts["prosecutions"] == len(data["prosecutions"])
    assert counts["family_contacts"] == len(data["family_contacts"])
    with db.session() as s:
        presented = s.scalar(select(func.count()).select_from(models.VisitPerson))
    assert presented == counts["visit_persons"] > 0


def _the_analyses_find_the_truth(db, built: Built) -> list[int]:
    """Checks the analyses against the truth; returns the visits flagged as selective."""
    # Incidents reach the status the truth expects under the default corroboration rule,
    # and are counted apart from their victims.
    with db.session() as s:
        tally = incident_counts(s)
    expected = built.truth["incidents"]
    assert expected["by_status"]["verified"] > 0
    for status in (IncidentStatus.REPORTED, IncidentStatus.CREDIBLE, IncidentStatus.VERIFIED):
        assert tally.by_status[status].incidents == expected["by_status"][status.value]
        assert tally.by_status[status].victims == expected["victims_by_status"][status.value]

    # Exchanges, bodies and prosecutions as drawn; most of those held never reached family.
    with db.session() as s:
        exchanged = exchange_counts(s)
    assert exchanged.exchanges == built.truth["exchanges"]["exchanges"]
    bodies = built.truth["exchanges"]["bodies_by_identification"]
    assert exchanged.to_own_side.bodies.unnamed == bodies.get("unidentified", 0)
    assert exchanged.to_own_side.bodies.identified == bodies.get("identified", 0)
    assert exchanged.to_adversary.bodies.unnamed == built.truth["exchanges"]["bodies_to_adversary"]
    assert exchanged.prosecution.prosecutions == built.truth["prosecutions"]["prosecutions"]
    assert exchanged.contact.deprived > exchanged.contact.held / 2

    # The access gap: the sites no monitor entered are the ones the truth says.
    with db.session() as s:
        report = access_report(s, as_of=dt.date(2026, 1, 31))
    never = built.truth["access"]["sites_never_visited"]
    assert report.sites_never_visited.total == len(never)

    numbers = _selective_numbers(db, built)
    print("selective presentation on the synthetic visits:", numbers)
    assert numbers["selective"] + numbers["fair"] == len(built.data["visits"])
    assert numbers["selective_flagged"] >= numbers["selective"] * 2 / 3
    assert numbers["fair_flagged"] <= max(1, numbers["fair"] // 10)
    return numbers["flagged_ids"]


def _pages_show_generated_rows(client: TestClient, built: Built, flagged: list[int]) -> None:
    ids, data = built.loaded.ids, built.data

    def page(path: str) -> str:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:500])
        return answer.text

    sites = {row["site_key"]: row for row in _sites(built)}
    never = built.truth["access"]["sites_never_visited"]
    access = page("/access-report")
    assert any(str(escape(sites[k]["name_en"])) in access or
               str(escape(sites[k]["name_uk"])) in access for k in never)

    visit = data["visits"][-1]
    shown_date = format_date(dt.date.fromisoformat(visit["date"]), "en")  # an English reader
    assert shown_date in page("/visits")
    detail = page(f"/visits/{ids[visit['ref']]}")
    assert shown_date in detail
    assert str(escape(sites[visit["site"]]["name_en"])) in detail or \
        str(escape(sites[visit["site"]]["name_uk"])) in detail
    selective = page("/selective-presentation")
    assert flagged and all(f'href="/visits/{visit_id}"' in selective for visit_id in flagged)

    pseudonyms = built.loaded.pseudonyms
    listing = page("/testimonies")
    assert any(p in listing for p in pseudonyms.values())
    first = data["testimonies"][0]
    shown = page(f"/testimonies/{ids[first['ref']]}")
    assert pseudonyms[first["ref"]] in shown and str(escape(first["interviewer"])) in shown

    titles = [str(escape(i["title"])) for i in data["incidents"]]
    incidents = page("/incidents")
    assert any(t in incidents for t in titles)
    incident = data["incidents"][0]
    assert str(escape(incident["title"])) in page(f"/incidents/{ids[incident['ref']]}")

    exchange = data["exchanges"][-1]
    assert format_date(dt.date.fromisoformat(exchange["date"]), "en") in page("/exchanges")
    assert str(escape(exchange["mediator_name"])) in page(f"/exchanges/{ids[exchange['ref']]}")


def _sites(built: Built) -> list[dict[str, str]]:
    import csv

    with (built.folder / "sites.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_loading_before_the_lists_are_imported_is_refused_and_writes_nothing(db, operator,
                                                                               tmp_path):
    generate(40, 2, tmp_path)
    generate_monitoring(tmp_path, 2)
    with db.session() as s:
        import_sites(s, operator, tmp_path / "sites.csv")
    with pytest.raises(NotFound, match=r"persons found: 0, sites: 8\)"):
        load_monitoring(db, operator, tmp_path)
    for table in (models.Source, models.AccessPeriod, models.Visit, models.Testimony,
                  models.Incident,
                  models.Exchange, models.FamilyContact, models.Prosecution):
        assert _count(db, table.id) == 0, table.__name__
