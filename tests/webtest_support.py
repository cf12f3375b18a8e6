"""Fixtures shared by the API and page tests: users, a small registry built through the
services (sites, two imported lists, an event), and logged-in clients.

Users are created once per test (argon2 is slow on purpose); requests reuse their login.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.exceptions import StarletteDeprecationWarning

from rollcall.app import create_app
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.models import Person
from rollcall.services import accounts, linkage, registry, sites
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import AccessLevel, EventType, Origin, Role, SiteType

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; httpx is what the project installs today.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
CONTACT = "Мати Ганна, +380 67 000 00 00"

OWN_HEADERS = ("№,Прізвище,Ім'я,По батькові,Дата народження,Категорія,Статус,Місце утримання,"
               "Особа для повідомлення,Дата статусу")
OWN_LIST = f"""{OWN_HEADERS}
1,Коваленко,Петро,Іванович,12.03.1994,військовополонений,утримується,СІЗО-2 Таганрог,\
"{CONTACT}",01.05.2023
2,Шевчук,Андрій,Олегович,1990,військовополонений,звільнений,,,
3,Mykolaienko,Ivan,,1985-07,civilian,утримується,,,
4,,Без прізвища,,,,,,,
5,Ковальчук,Ольга,Петрівна,05.1988,цивільна,,,,
"""

ADVERSARY_LIST = """Прізвище,Ім'я,По батькові,Дата народження,Статус,Місце утримання,Пол
Коваленко,Петр,Иванович,1994,содержится,СИЗО-2 Таганрог,муж
Бондар,Сергій,,1979,утримується,,
"""


@dataclass
class Registry:
    own_source: int
    adversary_source: int
    site: int
    kovalenko: int  # two records (own list + adversary list), events from both
    shevchuk: int
    mykolaienko: int
    kovalchuk: int
    bondar: int


def _person_id(db: Database, surname: str) -> int:
    with db.session() as s:
        return s.scalars(select(Person.id).where(Person.surname == surname)).one()


def link_records(db: Database, actor: Actor, keep: int, merge: int) -> None:
    """Merge the second person into the first through the linkage service."""
    with db.session() as s:
        linkage.merge_persons(s, actor, [keep, merge])


def build_registry(db: Database, actor: Actor, folder: Path) -> Registry:
    with db.session() as s:
        site = sites.add_site(s, actor, key="sizo-2-taganrog", name_uk="СІЗО-2 Таганрог",
                              name_ru="СИЗО-2 Таганрог", name_en="Pre-trial detention "
                              "centre No. 2, Taganrog", type=SiteType.PRETRIAL_DETENTION,
                              region="Ростовська область", country="RU")
        sites.record_access(s, actor, site.id, "ICRC", AccessLevel.PARTIAL,
                            start=PartialDate(2022, 9), end=PartialDate(2022, 9))
        site_id = site.id
    own = folder / "own.csv"
    own.write_text(OWN_LIST, encoding="utf-8")
    theirs = folder / "theirs.csv"
    theirs.write_text(ADVERSARY_LIST, encoding="utf-8")
    own_report = import_list(db, actor, own, title="Власний список 2023-05",
                             origin=Origin.OWN_BUREAU, received=PartialDate(2023, 5, 2))
    their_report = import_list(db, actor, theirs, title="Список іншої сторони",
                               origin=Origin.ADVERSARY_BUREAU, received=PartialDate(2023, 6))
    assert own_report.accepted == 4 and own_report.rejected == 1
    with db.session() as s:
        ids = s.scalars(select(Person.id).where(Person.surname == "Коваленко")
                        .order_by(Person.id)).all()
    kovalenko, duplicate = ids
    link_records(db, actor, kovalenko, duplicate)
    with db.session() as s:
        registry.record_event(s, actor, kovalenko, own_report.source_id, EventType.CAPTURED,
                              date=PartialDate(2022, 4), place="Маріуполь")
    return Registry(
        own_source=own_report.source_id, adversary_source=their_report.source_id,
        site=site_id, kovalenko=kovalenko, shevchuk=_person_id(db, "Шевчук"),
        mykolaienko=_person_id(db, "Mykolaienko"), kovalchuk=_person_id(db, "Ковальчук"),
        bondar=_person_id(db, "Бондар"),
    )


def add_users(db: Database, actor: Actor) -> None:
    with db.session() as s:
        accounts.add_user(s, actor, "registrar", PASSWORD, [Role.REGISTRAR],
                          display_name="Олена Реєстр", language="uk")
        accounts.add_user(s, actor, "analyst", PASSWORD, [Role.ANALYST],
                          display_name="Analyst", language="en")


def api_token(db: Database, actor: Actor, username: str) -> str:
    with db.session() as s:
        return accounts.create_api_token(s, actor, username, "test").secret


_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log a client in through the login form; returns the session's CSRF token."""
    form = client.get("/login")
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": csrf_of(form.text), "next": "/persons"},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/persons").text)


@pytest.fixture
def app_client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def people(db: Database, operator: Actor, tmp_path: Path) -> Registry:
    return build_registry(db, operator, tmp_path)


@pytest.fixture
def users(db: Database, operator: Actor) -> None:
    add_users(db, operator)
