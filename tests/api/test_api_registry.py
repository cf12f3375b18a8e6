"""Reading the registry through the API: search, filters, pagination, a person with all
records and the timeline, sources and their import reports, sites, events, and family
contacts withheld from roles without contacts:read."""

from __future__ import annotations

import itertools

import pytest

from rollcall.dates import PartialDate
from rollcall.services.imports import import_list
from rollcall.vocabulary import Origin
from webtest_support import CONTACT, api_token


@pytest.fixture
def registrar(db, operator, users, app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'registrar')}"
    return app_client


@pytest.fixture
def analyst(db, operator, users, app_client):
    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    return app_client


def names(answer):
    assert answer.status_code == 200, answer.text
    return [item["surname"] for item in answer.json()["items"]]


def test_search_by_name_in_cyrillic_any_case_and_part(people, analyst):
    assert names(analyst.get("/api/persons", params={"q": "коваленко"})) == ["Коваленко"]
    assert names(analyst.get("/api/persons", params={"q": "ПЕТРО коваленко"})) == ["Коваленко"]
    assert names(analyst.get("/api/persons", params={"q": "Петр"})) == ["Коваленко",
                                                                         "Ковальчук"]
    assert names(analyst.get("/api/persons", params={"q": "нікого"})) == []


def test_search_by_name_in_latin(people, analyst):
    assert names(analyst.get("/api/persons", params={"q": "mykolaienko ivan"})) == [
        "Mykolaienko"]
    assert names(analyst.get("/api/persons", params={"q": "IVAN"})) == ["Mykolaienko"]


def test_a_surname_prefix_ranks_first(people, analyst):
    # "ков" is inside no given name here, but both Коваленко and Ковальчук start with it;
    # "петр" starts no surname, and matches Петро (given name) and Петрівна (patronymic).
    got = names(analyst.get("/api/persons", params={"q": "ковал"}))
    assert got == ["Коваленко", "Ковальчук"]
    assert names(analyst.get("/api/persons", params={"q": "%"})) == []


def test_filters_by_status_category_source_and_birth(people, analyst):
    assert names(analyst.get("/api/persons", params={"status": "released"})) == ["Шевчук"]
    assert set(names(analyst.get("/api/persons", params={"status": "held"}))) == {
        "Коваленко", "Mykolaienko", "Бондар"}
    assert set(names(analyst.get("/api/persons", params={"category": "pow"}))) == {
        "Коваленко", "Шевчук"}
    assert names(analyst.get("/api/persons",
                             params={"source_id": people.adversary_source})) == [
        "Бондар", "Коваленко"]
    assert names(analyst.get("/api/persons", params={"born_from": "1985-07",
                                                     "born_to": "1990"})) == [
        "Mykolaienko", "Ковальчук", "Шевчук"]
    bad = analyst.get("/api/persons", params={"status": "sleeping"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "status"]
    bad = analyst.get("/api/persons", params={"born_from": "yesterday"})
    assert bad.status_code == 422 and "born_from" in bad.json()["detail"]
    assert "yesterday" not in bad.text


def test_order_is_surname_then_given_name(people, analyst):
    assert names(analyst.get("/api/persons")) == [
        "Mykolaienko", "Бондар", "Коваленко", "Ковальчук", "Шевчук"]


def test_pagination_gives_totals_and_pages(db, operator, analyst, tmp_path):
    surnames = ["Бойко", "Гнатюк", "Данилюк", "Ємець", "Жук", "Зінченко", "Іваненко",
                "Лисенко", "Мельник", "Оліфіренко", "Руденко", "Ткаченко"]
    given = ["Андрій", "Богдан", "Василь", "Григорій", "Дмитро", "Євген", "Олег", "Павло",
             "Роман", "Степан"]
    rows = [f"{s},{g}" for s, g in itertools.product(surnames, given)]
    path = tmp_path / "many.csv"
    path.write_text("Прізвище,Ім'я\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_list(db, operator, path, title="Великий список", origin=Origin.ICRC,
                received=PartialDate(2024))
    first = analyst.get("/api/persons", params={"page_size": 50}).json()
    assert first["total"] == 120 and first["page"] == 1 and len(first["items"]) == 50
    last = analyst.get("/api/persons", params={"page_size": 50, "page": 3}).json()
    assert len(last["items"]) == 20 and last["items"][-1]["surname"] == "Ткаченко"
    assert last["items"][-1]["given_name"] == "Степан"
    beyond = analyst.get("/api/persons", params={"page_size": 50, "page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 120
    assert analyst.get("/api/persons", params={"page_size": 201}).status_code == 422
    filtered = analyst.get("/api/persons", params={"q": "руденко", "page_size": 3}).json()
    assert filtered["total"] == 10 and len(filtered["items"]) == 3


def test_person_has_every_record_and_the_timeline(people, registrar):
    person = registrar.get(f"/api/persons/{people.kovalenko}").json()
    assert person["custody_status"] == "held" and person["status_as_of"] == "2023-05-01"
    assert person["record_count"] == 2
    sources = {r["source"]["origin"]: r for r in person["records"]}
    assert set(sources) == {"own_bureau", "adversary_bureau"}
    assert sources["own_bureau"]["fields"]["given_name"] == "Петро"
    assert sources["adversary_bureau"]["fields"]["given_name"] == "Петр"
    assert sources["adversary_bureau"]["fields"]["birth_date"] == "1994"
    assert sources["own_bureau"]["raw"]["Дата народження"] == "12.03.1994"
    timeline = [(e["type"], e["date"], e["source"]["origin"]) for e in person["events"]]
    assert timeline[0] == ("captured", "2022-04", "own_bureau")
    assert ("held", "2023-05-01", "own_bureau") in timeline
    held = [e for e in person["events"] if e["type"] == "held" and e["site"]]
    assert held and held[0]["site"]["id"] == people.site
    assert registrar.get("/api/persons/999999").status_code == 404


def test_family_contact_needs_contacts_read(people, db, operator, registrar):
    record = registrar.get(f"/api/persons/{people.kovalenko}").json()["records"][0]
    assert record["fields"]["person_to_inform"] == CONTACT
    assert record["raw"]["Особа для повідомлення"] == CONTACT

    registrar.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    for url in (f"/api/persons/{people.kovalenko}", f"/api/records/{record['id']}",
                "/api/records", f"/api/records?source_id={people.own_source}"):
        answer = registrar.get(url)
        assert answer.status_code == 200
        assert "380 67" not in answer.text and "Ганна" not in answer.text, url
    hidden = registrar.get(f"/api/records/{record['id']}").json()
    assert hidden["fields"]["person_to_inform"] is None
    assert hidden["withheld"] == ["person_to_inform"]


def test_records_by_source_and_surname_prefix(people, analyst):
    own = analyst.get("/api/records", params={"source_id": people.own_source}).json()
    assert own["total"] == 4
    assert [r["row_number"] for r in own["items"]] == [2, 3, 4, 6]
    found = analyst.get("/api/records", params={"q": "ковал"}).json()
    assert sorted(r["fields"]["surname"] for r in found["items"]) == [
        "Коваленко", "Коваленко", "Ковальчук"]


def test_sources_and_the_import_report(people, analyst):
    listed = analyst.get("/api/sources").json()
    assert listed["total"] == 2
    source = analyst.get(f"/api/sources/{people.own_source}").json()
    assert source["rows_accepted"] == 4 and source["rows_rejected"] == 1
    assert source["counts"]["records"] == 4 and source["counts"]["rejected_issues"] == 1
    assert source["header_mapping"]["Прізвище"] == "surname"
    issues = analyst.get(f"/api/sources/{people.own_source}/issues").json()
    assert issues["total"] == 1
    assert issues["items"][0]["row"] == 5 and issues["items"][0]["level"] == "rejected"
    assert analyst.get("/api/sources/999/issues").status_code == 404


def test_sites_with_access_and_persons_there(people, analyst):
    listed = analyst.get("/api/sites", params={"q": "таганрог"}).json()
    assert [s["id"] for s in listed["items"]] == [people.site]
    assert analyst.get("/api/sites", params={"type": "colony"}).json()["total"] == 0
    assert analyst.get("/api/sites", params={"country": "ru"}).json()["total"] == 1
    site = analyst.get(f"/api/sites/{people.site}").json()
    assert site["access_periods"][0]["level"] == "partial"
    assert site["person_count"] == 1  # Коваленко, named by both lists


def test_events_by_person_site_and_type(people, analyst):
    mine = analyst.get("/api/events", params={"person_id": people.kovalenko}).json()
    assert mine["total"] >= 3
    at_site = analyst.get("/api/events", params={"site_id": people.site}).json()
    assert {e["person_id"] for e in at_site["items"]} == {people.kovalenko}
    released = analyst.get("/api/events", params={"type": "released"}).json()
    assert [e["person_id"] for e in released["items"]] == [people.shevchuk]
