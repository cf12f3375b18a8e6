"""Each staff flow of issue 7 as one walk through the real pages in Chromium, with real
data, ending in a screenshot (test-artifacts/screenshots/FLOW-BACKEND.png). Keys and
clicks are what a person would use; nothing is posted behind the page's back.
"""

from __future__ import annotations

import re
from pathlib import Path

from browser_support import Served, log_in, shot
from sqlalchemy import select

from rollcall.models import Incident, ReviewPair, TracingRequest
from rollcall.models.tracing import RequestStatus
from rollcall.vocabulary import IncidentStatus

UPLOAD = """Прізвище,Ім'я,По батькові,Дата народження,Категорія,Статус
Гончаренко,Остап,Ігорович,21.08.1991,військовополонений,утримується
,Без прізвища,,,,
Лисенко,Тарас,Петрович,31.02.1990,військовополонений,утримується
"""


def test_registrar_uploads_a_list_and_reads_a_person(site: Served, context, backend: str,
                                                    tmp_path: Path):
    page = log_in(context, site, "registrar")  # works in Ukrainian
    page.get_by_role("link", name="Джерела").click()
    page.get_by_role("link", name="Завантажити список").click()
    listing = tmp_path / "список-травень.csv"
    listing.write_text(UPLOAD, encoding="utf-8")
    page.set_input_files("#file", str(listing))
    page.fill("#title", "Список, надісланий з браузера")
    page.select_option("#origin", "icrc")
    page.fill("#received", "05.2024")
    page.get_by_role("button", name="Імпортувати список").click()

    page.wait_for_url(re.compile(r"/sources/\d+"))
    assert page.locator("h1").inner_text() == "Список, надісланий з браузера"
    report = page.locator("table.counts")
    assert report.locator("tr", has_text="Рядків прийнято").locator("td").inner_text() == "1"
    assert report.locator("tr", has_text="Рядків відхилено").locator("td").inner_text() == "2"
    issues = page.locator("#issues + nav + table tbody tr")
    # The row without a surname and the row with an impossible date, by their line.
    assert [issues.nth(i).locator("th").inner_text() for i in range(2)] == ["3", "4"]
    shot(page, f"registrar-import-report-{backend}")

    page.get_by_role("link", name="Особи").first.click()
    page.fill("#q", "Коваленко")
    page.locator("form.filters button[type=submit]").click()
    page.get_by_role("link", name="Коваленко Петро Іванович").click()
    assert page.locator("h1").inner_text() == "Коваленко Петро Іванович"
    columns = page.locator("table.compare thead th")
    assert columns.count() == 3  # the field, then one column per source record
    assert "Список іншої сторони" in columns.nth(2).inner_text()
    timeline = page.locator("table.timeline tbody tr")
    assert timeline.count() >= 2
    assert "04.2022" in timeline.first.inner_text()
    page.locator("details.spellings summary").click()
    assert page.get_by_text("Kovalenko Petro Ivanovych").is_visible()
    shot(page, f"registrar-person-{backend}")


def test_reviewer_works_the_queue_with_the_keyboard(site: Served, context, backend: str):
    page = log_in(context, site, "registrar")
    page.goto(f"{site.url}/review")
    page.locator("main table a").first.click()
    first = int(re.search(r"/review/(\d+)", page.url).group(1))
    # Split first: Коваленко's person holds two records; move the other side's away.
    side = page.locator("form.split").first
    side.locator("input[type=checkbox]").last.check()
    side.get_by_role("button").click()
    page.wait_for_url(re.compile(rf"/review/{first}$"))
    page.locator("body").press("r")  # different persons
    page.wait_for_url(lambda url: not url.endswith(f"/review/{first}"))
    second = int(re.search(r"/review/(\d+)", page.url).group(1))
    page.locator("body").press("a")  # same person
    page.wait_for_url(lambda url: not url.endswith(f"/review/{second}"))
    shot(page, f"reviewer-queue-{backend}")
    with site.db.session() as s:
        decided = {p.id: p.status.value for p in s.scalars(select(ReviewPair))}
    assert decided[first] == decided[second] == "decided"
    assert "open" in decided.values()  # the third pair waits; nothing was decided for it


def test_investigator_codes_a_testimony_and_grades_an_incident(site: Served, context,
                                                               backend: str):
    page = log_in(context, site, "investigator")
    page.goto(f"{site.url}/testimonies")
    page.get_by_role("link", name="Записати свідчення").click()
    page.fill("#interviewer", "Ірина Слідча")
    page.fill("#interviewed_on", "14.02.2024")
    page.fill("#place", "Київ")
    page.check("#consent_statistics")
    page.check("#consent_prosecution")
    page.fill("#narrative", "Свідок розповідає про побиття при прийманні.")
    # The vocabulary is searched in either language: English letters on a Ukrainian page.
    page.fill("#act-0-method", "Electric")
    page.fill("#act-0-site", "sizo-2-taganrog")
    page.fill("#act-0-period_start", "05.2022")
    page.select_option("#act-0-stage", "interrogation")
    page.select_option("#act-0-victim", "person")
    page.fill("#act-0-victim_person_id", str(site.people.shevchuk))
    page.fill("#act-1-method", "побиття")
    page.get_by_role("button", name="Записати це свідчення").click()
    page.wait_for_url(re.compile(r"/testimonies/\d+$"))
    acts = page.locator("#acts + div table tbody tr")
    assert acts.count() == 2
    assert "струмом" in acts.first.inner_text() or "струмом" in acts.nth(1).inner_text()
    shot(page, f"investigator-testimony-{backend}")

    page.select_option("#incident-type", "torture")
    page.fill("#incident-title", "Катування в СІЗО-2 Таганрог, травень 2022")
    page.get_by_role("button", name="Відкрити новий інцидент").click()
    page.wait_for_url(re.compile(r"/incidents/\d+$"))
    incident_id = int(page.url.rsplit("/", 1)[1])
    assert page.get_by_role("link", name=re.compile("Шевчук")).is_visible()  # the victim

    page.select_option("#kind", "media")
    page.fill("#reference", "https://example.org/report-17")
    page.fill("#origin", "Незалежне видання")
    page.get_by_role("button", name="Додати", exact=True).click()
    page.select_option("#status", "credible")
    page.locator("form[action$='/status'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident_id}"))
    page.select_option("#status", "verified")
    page.fill("#reason", "Два незалежні джерела, медичний висновок")
    page.locator("form[action$='/status'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident_id}"))
    shot(page, f"investigator-incident-{backend}")
    with site.db.session() as s:
        assert s.get(Incident, incident_id).status == IncidentStatus.VERIFIED


def test_family_member_submits_a_request_and_liaison_answers_it(site: Served, context,
                                                                 backend: str):
    family = context.new_page()
    family.goto(f"{site.url}/family")
    family.fill("#surname", "Коваленко")
    family.fill("#given_name", "Петро")
    family.fill("#patronymic", "Іванович")
    family.fill("#birth_date", "12.03.1994")
    family.fill("#requester_name", "Ганна")
    family.fill("#requester_relation", "мати")
    family.fill("#requester_contact", "+380 67 000 00 01")
    family.locator("main form button[type=submit]").click()
    reference = re.search(r"TR-[0-9A-Z]{5}-[0-9A-Z]{5}", family.content()).group(0)
    shot(family, f"family-request-{backend}")

    page = log_in(context, site, "liaison")  # works in English
    page.get_by_role("link", name="Tracing requests").click()
    page.get_by_role("link", name=reference).click()
    first = page.locator("main table tbody tr").first
    assert "Kovalenko Petro Ivanovych" in first.inner_text()  # the held person, first
    page.check(f"#match-{site.people.kovalenko}")
    page.select_option("#status", "answered")
    page.fill("#answer", "Registered as held; the ICRC will contact you.")
    page.get_by_role("button", name="Record the answer").click()
    page.wait_for_load_state()
    shot(page, f"liaison-answer-{backend}")
    with site.db.session() as s:
        request = s.scalars(select(TracingRequest).where(
            TracingRequest.reference == reference)).one()
        assert request.status != RequestStatus.OPEN
        assert request.matched_person_id == site.people.kovalenko


def key_figures(page) -> dict[str, str]:
    """The dashboard's key figures as the reader sees them: term -> figure."""
    terms = page.locator("dl.key-figures dt").all_inner_texts()
    figures = page.locator("dl.key-figures dd").all_inner_texts()
    return dict(zip(terms, figures, strict=True))


def test_analyst_reads_the_dashboard_and_downloads_the_report(full_site: Served, context,
                                                              backend: str, tmp_path: Path):
    site = full_site
    page = log_in(context, site, "analyst")  # works in English
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    everything = key_figures(page)
    assert everything["Persons documented"] == "5"
    assert everything["Exchanges"] == "1"

    # A period: each status read on its own date; the exchange of 3 Jan 2024 is outside.
    page.fill("#date_from", "2022")
    page.fill("#date_to", "2023")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"date_from=2022"))
    in_period = key_figures(page)
    assert "Persons documented" not in in_period  # no total with a period
    assert (in_period["held"], in_period["Exchanges"]) == ("1", "0")

    # Then, over all time, a place of detention and a category: prisoners of war last
    # known at the site.
    page.fill("#date_from", "")
    page.fill("#date_to", "")
    page.select_option("#site_id", str(site.people.site))
    page.select_option("#category", "pow")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"category=pow"))
    narrowed = key_figures(page)
    assert (narrowed["Persons documented"], narrowed["held"]) == ("1", "1")  # Коваленко
    assert (everything["Persons documented"], everything["held"]) == ("5", "3")
    assert page.locator("#category").input_value() == "pow"  # the form keeps the filters
    assert "Filter not applied: Category" in page.locator("main").inner_text()
    shot(page, f"analyst-dashboard-{backend}")

    page.get_by_role("link", name="Download the periodic report for a period").click()
    page.wait_for_url(re.compile(r"/reports$"))
    page.fill("#date_from", "2022-01")
    page.fill("#date_to", "2024-12")
    assert page.locator("#language").input_value() == "en"  # the reader's language first
    page.select_option("#language", "uk")
    shot(page, f"analyst-reports-{backend}")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download the report").click()
    download = started.value
    assert download.suggested_filename == "rollcall-report-2022-01-01-2024-12-31-uk.html"
    saved = tmp_path / download.suggested_filename  # saved as the browser would name it
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="uk">' in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "1 січня 2022\u202fр. – 31 грудня 2024\u202fр." in html  # Babel's long dates

    # Opened from the file, as the analyst would: nothing fetched, the figures there.
    reader = context.new_page()
    asked: list[str] = []
    reader.on("request", lambda request: asked.append(request.url))
    reader.goto(saved.as_uri())
    assert asked == [saved.as_uri()]
    assert reader.locator("h1").inner_text().startswith("Періодична доповідь")
    assert reader.locator("#key-figures [data-figure]").count() >= 10
    shot(reader, f"analyst-report-{backend}")
