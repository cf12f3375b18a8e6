"""Custody on a person's page and the form that records a period (custody_world's stays):
registrars record, an overlap is shown back with what to fix and nothing written, other
roles see the stays but not the form."""

from __future__ import annotations

import pytest
from custody_world import build_custody_world
from sqlalchemy import func, select

from rollcall.models import CustodyPeriod
from webtest_support import log_in


@pytest.fixture
def world(db, operator, tmp_path):
    return build_custody_world(db, operator, tmp_path)


def _periods(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(CustodyPeriod))


def test_the_page_shows_stays_and_the_form_records_a_period(db, world, app_client, users):
    csrf = log_in(app_client, "registrar")
    p1 = world.person[1]
    page = app_client.get(f"/persons/{p1}").text
    custody = page[page.index('id="custody"'):]
    assert custody.index("Site A") < custody.index("Site B")  # A from 05.01.2023, then B
    assert "05.01.2023" in custody and "10.03.2023" in custody
    assert f'href="/persons/{p1}/custody/new"' in custody
    before = _periods(db)
    p5 = world.person[5]  # recorded at B from 01.02.2023 to 30.04.2023
    refused = app_client.post(f"/persons/{p5}/custody/new", data={
        "csrf_token": csrf, "site": "site-c", "start": "01.03.2023", "end": "15.03.2023"})
    assert refused.status_code == 409 and "site-b" in refused.text
    assert 'value="01.03.2023"' in refused.text and _periods(db) == before
    month = app_client.post(f"/persons/{p5}/custody/new", data={
        "csrf_token": csrf, "site": "site-c", "start": "05.2023"})
    assert month.status_code == 422 and "full days" in month.text
    made = app_client.post(f"/persons/{p5}/custody/new", data={
        "csrf_token": csrf, "site": "site-c", "start": "30.04.2023", "end": "20.06.2023"},
        follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == f"/persons/{p5}#custody"
    assert _periods(db) == before + 1
    shown = app_client.get(f"/persons/{p5}").text
    assert "20.06.2023" in shown[shown.index('id="custody"'):]


def test_an_analyst_sees_the_stays_but_cannot_record(db, world, app_client, users):
    csrf = log_in(app_client, "analyst")
    p1 = world.person[1]
    page = app_client.get(f"/persons/{p1}").text
    assert "Site A" in page[page.index('id="custody"'):]
    assert "/custody/new" not in page
    refused = app_client.post(f"/persons/{p1}/custody/new", data={
        "csrf_token": csrf, "site": "site-c", "start": "01.02.2023"})
    assert refused.status_code == 403
