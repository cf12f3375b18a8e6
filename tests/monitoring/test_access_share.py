"""The access-gap report's testimony share: among released persons who gave testimony,
those who say they never saw an independent monitor, with a Wilson 95% interval. A small
world built by hand; every figure worked out on paper in `build_witnesses`."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.monitoring.access_gap import access_report, wilson_interval, witness_share
from rollcall.services import linkage, registry
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.testimonies import record_testimony
from rollcall.vocabulary import EventType, Origin
from webtest_support import api_token

SURNAMES = ("Перший", "Другий", "Третій", "Четвертий", "Пʼятий", "Шостий", "Сьомий",
            "Восьмий", "Девʼятий", "Десятий")
OCTOBER = dt.date(2023, 10, 2)
LATER = dt.date(2024, 6, 1)


@dataclass
class Witnesses:
    person: dict[int, int]  # 1..10 -> id


def build_witnesses(db: Database, actor: Actor, folder: Path) -> Witnesses:
    """Persons q1..q10, released unless said otherwise; testimonies (saw a monitor?,
    consent to statistics, day):
        q1  no, yes                                    -> never saw
        q2  yes, yes; no, yes                          -> saw (a "yes" outweighs a "no")
        q3  unanswered, yes; no, yes                   -> never saw
        q4  unanswered, yes                            -> unanswered
        q5  no, NO consent                             -> not counted (without consent)
        q6  no, yes; yes, NO consent                   -> never saw (the "yes" is not read)
        q7  held, not released: no, yes                -> not counted (not released)
        q8  unanswered, yes; q9 (merged into q8): no, yes -> never saw, once
        q10 no, yes, interviewed 2024-06-01            -> never saw, from that day
        an unlinked testimony (no registry person): no, yes -> not counted
    As of today: witnesses 7 (q1-q4, q6, q8, q10), answered 6, never saw 5, unanswered 1.
    As of 2024-01-01: q10 not yet interviewed: witnesses 6, answered 5, never saw 4.
    """
    csv_path = folder / "witnesses.csv"
    csv_path.write_text("Прізвище,Ім'я,Дата народження\n" + "".join(
        f"{s},Свідок,1991\n" for s in SURNAMES), encoding="utf-8")
    report = import_list(db, actor, csv_path, title="Звільнені", origin=Origin.OWN_BUREAU,
                         received=PartialDate(2023, 9))
    assert report.accepted == len(SURNAMES)
    with db.session() as s:
        ids = dict(s.execute(select(Person.surname, Person.id)).all())
    person = {n: ids[name] for n, name in enumerate(SURNAMES, start=1)}
    with db.session() as s:
        for n in (1, 2, 3, 4, 5, 6, 7, 8, 10):
            registry.record_event(s, actor, person[n], report.source_id, EventType.CAPTURED,
                                  date=PartialDate(2022, 3))
            if n != 7:
                registry.record_event(s, actor, person[n], report.source_id,
                                      EventType.RELEASED, date=PartialDate(2023, 8, 20))
    testimonies = [  # (person, saw_monitor, consent_statistics, day)
        (1, False, True, OCTOBER),
        (2, True, True, OCTOBER), (2, False, True, OCTOBER),
        (3, None, True, OCTOBER), (3, False, True, OCTOBER),
        (4, None, True, OCTOBER),
        (5, False, False, OCTOBER),
        (6, False, True, OCTOBER), (6, True, False, OCTOBER),
        (7, False, True, OCTOBER),
        (8, None, True, OCTOBER), (9, False, True, OCTOBER),
        (10, False, True, LATER),
        (None, False, True, OCTOBER),
    ]
    with db.session() as s:
        for n, saw, consent, day in testimonies:
            record_testimony(s, actor, interviewer="Інтервʼюер", interviewed_on=day,
                             language="uk", witness_person_id=person[n] if n else None,
                             consent_statistics=consent, saw_monitor=saw)
    # q9 merged after their testimony was recorded: it still names q9.
    with db.session() as s:
        assert linkage.merge_persons(s, actor, [person[8], person[9]]).id == person[8]
    return Witnesses(person=person)


def wilson_by_hand(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson's score interval from its formula, independent of statsmodels."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_every_figure_matches_the_hand_count(db, operator, tmp_path):
    build_witnesses(db, operator, tmp_path)
    with db.session() as s:
        share = access_report(s).testimony_share
    assert (share.witnesses, share.answered, share.never_saw, share.unanswered) == (7, 6, 5, 1)
    assert (share.without_consent, share.not_released, share.unlinked_testimonies) == (1, 1, 1)
    assert share.share == pytest.approx(5 / 6)
    low, high = wilson_by_hand(5, 6)
    assert (share.low, share.high) == (pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6))
    assert (round(share.low, 3), round(share.high, 3)) == (0.436, 0.970)  # on paper


def test_as_of_leaves_out_later_interviews(db, operator, tmp_path):
    build_witnesses(db, operator, tmp_path)
    with db.session() as s:
        share = witness_share(s, dt.date(2024, 1, 1))
        before_any = witness_share(s, dt.date(2023, 10, 1))
    assert (share.witnesses, share.answered, share.never_saw, share.unanswered) == (6, 5, 4, 1)
    assert (share.low, share.high) == tuple(pytest.approx(x) for x in wilson_by_hand(4, 5))
    assert (before_any.witnesses, before_any.answered, before_any.unlinked_testimonies) == (
        0, 0, 0)
    assert before_any.share is None and before_any.low is None and before_any.high is None


def test_a_later_yes_turns_a_never_into_a_saw(db, operator, tmp_path):
    world = build_witnesses(db, operator, tmp_path)
    with db.session() as s:
        record_testimony(s, operator, interviewer="Інтервʼюер", interviewed_on=OCTOBER,
                         language="uk", witness_person_id=world.person[1],
                         consent_statistics=True, saw_monitor=True)
    with db.session() as s:
        share = witness_share(s, dt.date.today())
    assert (share.witnesses, share.answered, share.never_saw) == (7, 6, 4)


def test_no_testimonies_gives_no_share(db):
    with db.session() as s:
        share = access_report(s).testimony_share
    assert (share.witnesses, share.answered, share.never_saw, share.unanswered) == (0, 0, 0, 0)
    assert share.share is None and share.low is None and share.high is None


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 3)
    assert low == 0.0 and high == pytest.approx(wilson_by_hand(0, 3)[1])
    low, high = wilson_interval(3, 3)
    assert high == pytest.approx(1.0) and 0.0 <= low < 1.0 and high <= 1.0
    assert wilson_interval(34, 40) == tuple(pytest.approx(x) for x in wilson_by_hand(34, 40))


def test_cli_and_api_give_the_share(db, db_url, operator, tmp_path, monkeypatch, app_client,
                                    users):
    build_witnesses(db, operator, tmp_path)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    text = CliRunner().invoke(app, ["access-report"], catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert ("testimonies: 5 of 6 (83%; 95% CI 44-97%) of released persons who answered say "
            "they never saw a monitor") in text.output
    assert ("released witnesses 7, unanswered 1; not counted: 1 without consent to "
            "statistics, 1 not released, 1 testimonies with no registry person") in text.output
    as_json = CliRunner().invoke(app, ["access-report", "--json", "--as-of", "2024-01-01"],
                                 catch_exceptions=False)
    share = json.loads(as_json.output)["testimony_share"]
    assert (share["answered"], share["never_saw"]) == (5, 4)

    app_client.headers["Authorization"] = f"Bearer {api_token(db, operator, 'analyst')}"
    answer = app_client.get("/api/access-report", params={"limit": 0})
    assert answer.status_code == 200, answer.text
    body = answer.json()["testimony_share"]
    assert (body["witnesses"], body["answered"], body["never_saw"], body["unanswered"]) == (
        7, 6, 5, 1)
    assert body["low"] == pytest.approx(wilson_by_hand(5, 6)[0])
    assert answer.json()["not_computed"] == []
