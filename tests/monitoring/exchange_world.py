"""A small world for exchanges, prosecutions and family contact, built by hand through the
services on top of the shared registry (tests/webtest_support.py), with every figure worked
out on paper in `build_exchanges`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rollcall import models  # models.Testimony: a bare "Testimony" would be collected
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.security.keyring import keyring
from rollcall.services import exchanges, family_contact, prosecutions
from rollcall.services.actor import Actor
from rollcall.services.witnesses import seal_witness
from rollcall.vocabulary import (
    ContactDirection,
    ContactKind,
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    Mediator,
    Verdict,
)
from webtest_support import Registry, build_registry

#: Коваленко and Шевчук as the other side spells them; a person new to us; two bad rows.
EXCHANGE_LIST = """Фамилия,Имя,Отчество,Дата рождения
Коваленко,Петр,Иванович,12.03.1994
Шевчук,Андрей,Олегович,1990
Новиков,Иван,Сергеевич,1991
,Без фамилии,,
Лисенко,Олег,,31.02.1990
"""

JANUARY = dt.date(2024, 1, 3)
FEBRUARY = dt.date(2024, 2, 8)


@dataclass
class World:
    registry: Registry
    first: int  # exchange of 2024-01-03
    second: int  # exchange of 2024-02-08
    kovalenko_case: int
    mykolaienko_case: int


def build_exchanges(db: Database, actor: Actor, folder: Path) -> World:
    """The shared registry: Коваленко held (two records, merged), Шевчук released,
    Mykolaienko held (civilian), Ковальчук unknown (civilian), Бондар held.

    Exchange 1 (2024-01-03, UAE, 2 unnamed bodies to own side):
        Коваленко alive to own side -> released; Бондар body to own side, pending -> dead.
    Exchange 2 (2024-02-08, ICRC): Ковальчук alive to the adversary -> released.
    Prosecutions: Коваленко charged 2023-03, convicted 2023-09-14, 156 months, coerced
        confession; Mykolaienko charged 2023-06, pending, no lawyer of choice and closed
        hearing.
    Family contact: Mykolaienko a letter not delivered; Шевчук a delivered call.
    Testimonies (consented unless said): Шевчук family contact no; Коваленко no, then yes;
        Ковальчук no but without consent; Mykolaienko (held) no.

    Figures: 2 exchanges; to own side 1 alive, bodies 2 unidentified (both unnamed),
    1 pending; to the adversary 1 alive. Held now: Mykolaienko only, deprived of contact.
    Released and interviewed with consent: Шевчук, Коваленко (2); both answered; said no
    contact: Шевчук (1). Prosecutions 2 (persons 2): convicted 1, pending 1; concerns:
    coerced confession 1, no lawyer 1, closed hearing 1; with any concern 2.
    """
    reg = build_registry(db, actor, folder)
    with db.session() as s:
        first = exchanges.record_exchange(
            s, actor, date=JANUARY, mediator="ОАЕ", mediator_code=Mediator.UAE,
            place="кордон", unnamed_bodies_to_own_side=2, source_id=reg.own_source).id
        second = exchanges.record_exchange(s, actor, date=FEBRUARY, mediator_code="icrc",
                                           source_id=reg.own_source).id
        kovalenko_case = prosecutions.record_prosecution(
            s, actor, reg.kovalenko, source_id=reg.own_source, charges="участь у бойових діях",
            article_codes="ст. 205.5", court="Південний окружний військовий суд",
            charged_on=PartialDate(2023, 3), verdict=Verdict.CONVICTED,
            verdict_on=PartialDate(2023, 9, 14), sentence="13 років", sentence_months=156,
            concerns=[FairTrialConcern.COERCED_CONFESSION]).id
        mykolaienko_case = prosecutions.record_prosecution(
            s, actor, reg.mykolaienko, source_id=reg.own_source, charges="шпигунство",
            charged_on=PartialDate(2023, 6),
            concerns=["no_lawyer_of_choice", "closed_hearing", "no_lawyer_of_choice"]).id
        exchanges.attach_persons(s, actor, first, [reg.kovalenko],
                                 direction=ExchangeDirection.TO_OWN_SIDE)
        exchanges.attach_persons(s, actor, first, [reg.bondar],
                                 direction=ExchangeDirection.TO_OWN_SIDE,
                                 kind=ExchangeKind.BODY,
                                 identification=IdentificationStatus.PENDING)
        exchanges.attach_persons(s, actor, second, [reg.kovalchuk],
                                 direction=ExchangeDirection.TO_ADVERSARY)
        family_contact.record_contact(s, actor, reg.mykolaienko, source_id=reg.own_source,
                                      kind=ContactKind.LETTER, date=PartialDate(2023, 7),
                                      delivered=False)
        family_contact.record_contact(s, actor, reg.shevchuk, source_id=reg.own_source,
                                      kind=ContactKind.CALL,
                                      direction=ContactDirection.FROM_PERSON, delivered=True)
    testimonies = [  # (person, family_contact, consent_statistics)
        (reg.shevchuk, False, True), (reg.kovalenko, False, True),
        (reg.kovalenko, True, True), (reg.kovalchuk, False, False),
        (reg.mykolaienko, False, True),
    ]
    # Through the ORM, the witness link sealed as the testimonies service seals it.
    with db.session() as s:
        for number, (person, contact, consent) in enumerate(testimonies, start=1):
            row = models.Testimony(
                pseudonym=f"X-{number:03d}", interviewer="Інтервʼюер",
                interviewed_on=dt.date(2024, 3, 1), language="uk",
                consent_statistics=consent, family_contact=contact)
            s.add(row)
            s.flush()
            seal_witness(s, keyring(), row, person)
    return World(reg, first, second, kovalenko_case, mykolaienko_case)
