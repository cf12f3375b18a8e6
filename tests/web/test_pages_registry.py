"""The registry pages: persons list and search, a person's records side by side and the
timeline, a source's import report, sites; dates and labels in the reader's language."""

from __future__ import annotations

import re

import pytest

from webtest_support import CONTACT, log_in


@pytest.fixture
def registrar(users, people, app_client):
    log_in(app_client, "registrar")
    return app_client


def person_names(html: str) -> list[str]:
    return re.findall(r'<a href="/persons/\d+">([^<]+)</a>', html)


def test_persons_list_searches_and_filters(registrar):
    page = registrar.get("/persons")
    assert page.status_code == 200
    assert person_names(page.text) == ["Mykolaienko Ivan", "Бондар Сергій",
                                       "Коваленко Петро Іванович", "Ковальчук Ольга Петрівна",
                                       "Шевчук Андрій Олегович"]
    assert '<label for="q">' in page.text and '<th scope="col">' in page.text
    assert person_names(registrar.get("/persons?q=КОВАЛЕНКО").text) == [
        "Коваленко Петро Іванович"]
    assert person_names(registrar.get("/persons?q=ivan").text) == ["Mykolaienko Ivan"]
    released = registrar.get("/persons?q=&status=released&category=")
    assert person_names(released.text) == ["Шевчук Андрій Олегович"]
    assert 'value="released" selected' in released.text
    born = registrar.get("/persons?born_from=05.1988&born_to=1990")
    assert person_names(born.text) == ["Ковальчук Ольга Петрівна", "Шевчук Андрій Олегович"]


def test_persons_list_shows_born_category_status_and_records(registrar, people):
    page = registrar.get("/persons?q=коваленко").text
    row = page[page.index("Коваленко Петро Іванович"):]
    row = row[:row.index("</tr>")]
    assert "12.03.1994" in row and "військовополонений" in row
    assert "утримується" in row and "(01.05.2023)" in row
    assert '<td class="num">2</td>' in row


def test_persons_of_one_source(registrar, people):
    page = registrar.get(f"/persons?source_id={people.adversary_source}")
    assert person_names(page.text) == ["Бондар Сергій", "Коваленко Петро Іванович"]
    assert "Список іншої сторони" in page.text


def test_bad_filter_is_an_error_page_not_a_crash(registrar):
    answer = registrar.get("/persons?status=sleeping")
    assert answer.status_code == 422 and "text/html" in answer.headers["content-type"]
    assert "status" in answer.text


def test_person_page_shows_records_side_by_side_and_differences(registrar, people):
    page = registrar.get(f"/persons/{people.kovalenko}").text
    assert "Власний список 2023-05" in page and "Список іншої сторони" in page
    assert "власне бюро" in page and "бюро протилежної сторони" in page
    table = page[page.index('<table class="compare">'):page.index("</table>")]
    assert table.count('<th scope="col">') == 3  # the field column and one per record
    given = table[table.index("Ім&#39;я"):]
    given = given[:given.index("</tr>")]
    assert "Петро" in given and "Петр" in given and 'class="diff"' in given
    birth = table[table.index("Дата народження"):]
    birth = birth[:birth.index("</tr>")]
    assert "12.03.1994" in birth and "(день)" in birth and "(рік)" in birth
    assert 'class="diff"' not in birth  # 1994 and 12.03.1994 agree
    surname = table[table.index("Прізвище"):]
    assert 'class="diff"' not in surname[:surname.index("</tr>")]
    assert "<details><summary>Рядок без змін</summary>" in table
    assert CONTACT in table
    sex = table[table.index("Стать"):]
    assert "чоловіча" in sex[:sex.index("</tr>")]


def test_person_page_timeline(registrar, people):
    page = registrar.get(f"/persons/{people.kovalenko}").text
    timeline = page[page.index('id="timeline"'):]
    rows = re.findall(r"<tr>(.*?)</tr>", timeline, flags=re.S)[1:]
    first = rows[0]
    assert "04.2022" in first and "полонення" in first and "Маріуполь" in first
    assert f'href="/sources/{people.own_source}"' in first
    assert any(f'href="/sites/{people.site}"' in r and "01.05.2023" in r for r in rows)


def test_person_page_in_english_names_the_month_and_keeps_precision(users, people, app_client):
    log_in(app_client, "analyst")  # the analyst's language is English
    page = app_client.get(f"/persons/{people.kovalenko}").text
    assert '<html lang="en">' in page and "12 Mar 1994" in page and "Apr 2022" in page
    assert "1994-03-12" not in page and "04.2022" not in page
    assert "capture" in page and "prisoner of war" in page


def test_contacts_are_withheld_from_roles_without_contacts_read(users, people, app_client):
    log_in(app_client, "analyst")
    page = app_client.get(f"/persons/{people.kovalenko}").text
    assert "Person to inform" in page and "withheld" in page
    assert "380 67" not in page and "Ганна" not in page


def test_source_page_shows_the_import_report(registrar, people):
    page = registrar.get(f"/sources/{people.own_source}").text
    assert "Власний список 2023-05" in page and "02.05.2023" in page
    assert "own.csv" in page and "utf-8" in page
    mapping = page[page.index("Відповідність стовпців"):]
    assert "Особа для повідомлення" in mapping and "Кого повідомити" in mapping
    issues = page[page.index('id="issues"'):]
    assert 'class="issue-rejected"' in issues and "немає прізвища" in issues  # translated
    assert re.search(r'<th scope="row" class="num">5</th>', issues)
    assert f'href="/persons?source_id={people.own_source}"' in page


def test_sources_list(registrar, people):
    page = registrar.get("/sources").text
    assert "Власний список 2023-05" in page and "Список іншої сторони" in page
    assert "theirs.csv" in page


def test_sites_pages(registrar, people):
    listed = registrar.get("/sites?q=сизо").text
    assert f'href="/sites/{people.site}"' in listed and "слідчий ізолятор" in listed
    assert f'href="/sites/{people.site}"' not in registrar.get("/sites?type=colony").text
    page = registrar.get(f"/sites/{people.site}").text
    assert "СИЗО-2 Таганрог" in page and "Pre-trial detention centre No. 2" in page
    assert "частковий доступ" in page and "09.2022" in page
    assert f'href="/persons/{people.kovalenko}"' in page


def test_pagination_links_keep_the_filters(db, operator, users, app_client, tmp_path):
    from rollcall.services.imports import import_list
    rows = "\n".join(f"Петренко,{name}" for name in
                     ["Адам", "Борис", "Віктор", "Гліб", "Денис", "Еміль", "Жорж"] * 10)
    path = tmp_path / "list.csv"
    path.write_text("Прізвище,Ім'я\n" + rows + "\n", encoding="utf-8")
    import_list(db, operator, path, title="Список", origin="icrc")
    log_in(app_client, "registrar")
    page = app_client.get("/persons?q=петренко").text
    assert "70 результатів" in page and "сторінка 1 з 2" in page
    assert 'href="/persons?q=%D0%BF%D0%B5%D1%82%D1%80%D0%B5%D0%BD%D0%BA%D0%BE&amp;page=2"' in page
    second = app_client.get("/persons?q=петренко&page=2").text
    assert len(person_names(second)) == 20
