"""The five source lists: who appears on each, and how each writes a person's row.

Every list states what was true on its received date (`ListSpec.received`); media rows each
state what was true on their own "Date reported".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from rollcall.synth import vocab
from rollcall.synth.names import GivenName, Surname
from rollcall.synth.persons import Person
from rollcall.synth.variation import (
    LATIN_KEYS,
    RU_KEYS,
    UK_KEYS,
    dmy,
    maybe_typo,
    noisy_dmy,
    noisy_iso,
    service_cyrillic,
    service_latin,
    shifted,
)
from rollcall.synth.world import World

Row = list[str]
Builder = Callable[[Person, random.Random, World], Row]

OWN_DATE = dt.date(2026, 1, 20)
ADVERSARY_DATE = dt.date(2025, 11, 14)
ICRC_DATE = dt.date(2025, 12, 5)
FAMILY_DATE = dt.date(2026, 1, 26)
MEDIA_DATE = dt.date(2026, 1, 28)
#: The other side and ICRC list a capture only some days after it.
ADVERSARY_CUTOFF = ADVERSARY_DATE - dt.timedelta(days=10)
ICRC_CUTOFF = ICRC_DATE - dt.timedelta(days=14)

# Coverage targets: own 70%, adversary 50%, ICRC 40%, family 15%, media 8% of all persons.
# Missing persons (3%) appear only on own and family lists; a person drawn onto no list is
# put on the own list. The probabilities below are solved so the totals land on target.
_MISSING = 0.03
_P_ADVERSARY = 0.50 / ((1 - _MISSING) * vocab.capture_cdf(ADVERSARY_CUTOFF))
_P_ICRC = 0.40 / ((1 - _MISSING) * vocab.capture_cdf(ICRC_CUTOFF))
_P_FAMILY_MISSING = 0.6
_P_FAMILY = (0.15 - _MISSING * _P_FAMILY_MISSING) / (1 - _MISSING)
_P_MEDIA = 0.08 / (1 - _MISSING)
_P_OWN_MISSING = 0.9
_NONE_ELSE = (
    (1 - 0.50 / (1 - _MISSING)) * (1 - 0.40 / (1 - _MISSING)) * (1 - _P_FAMILY) * (1 - _P_MEDIA)
)
_OWN_MISSING_TOTAL = _MISSING * (_P_OWN_MISSING + (1 - _P_OWN_MISSING) * (1 - _P_FAMILY_MISSING))
_P_OWN = ((0.70 - _OWN_MISSING_TOTAL) / (1 - _MISSING) - _NONE_ELSE) / (1 - _NONE_ELSE)


def choose_lists(p: Person, rng: random.Random) -> tuple[bool, bool, bool, bool, bool]:
    """On which lists (own, adversary, icrc, family, media) this person appears; at least one."""
    if p.category == "missing":
        own, family = rng.random() < _P_OWN_MISSING, rng.random() < _P_FAMILY_MISSING
        return own or not family, False, False, family, False
    own = rng.random() < _P_OWN
    adversary = rng.random() < _P_ADVERSARY and p.capture <= ADVERSARY_CUTOFF
    icrc = rng.random() < _P_ICRC and p.capture <= ICRC_CUTOFF
    family = rng.random() < _P_FAMILY
    media = rng.random() < _P_MEDIA
    own = own or not (adversary or icrc or family or media)
    return own, adversary, icrc, family, media


# --- shared pieces -------------------------------------------------------------------------


def _parts(p: Person, w: World) -> tuple[Surname, GivenName, GivenName]:
    names = w.names
    given = names.female[p.given] if p.female else names.male[p.given]
    return names.surnames[p.surname], given, names.male[p.father]


def _site_name(w: World, site: int, lang: str, rng: random.Random) -> str:
    """A site's main name in `lang`, or now and then one of its aliases in that language."""
    names = w.sites[site].names[lang]
    if len(names) > 1 and rng.random() < 0.25:
        return names[1 + rng.randrange(len(names) - 1)]
    return names[0]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _unit(p: Person, w: World, lang: str, rng: random.Random) -> str:
    if p.unit < 0:
        return ""
    unit = w.units[p.unit]
    kind = vocab.BRIGADE_KINDS[unit.kind].term
    r = rng.random()
    if lang == "en":
        return f"MU A{unit.number}" if r < 0.6 else f"{_ordinal(unit.brigade)} {kind.en}"
    number = f"в/ч А{unit.number}"
    brigade = f"{unit.brigade} {kind.uk if lang == 'uk' else kind.ru}"
    if lang == "ru":
        return number if r < 0.6 else f"{brigade} ВСУ" if r < 0.9 else ""
    return number if r < 0.5 else brigade if r < 0.9 else f"{number} ({brigade})"


def _kin(p: Person, w: World, lang: str) -> str:
    """Person to inform: 'мати, Коваленко Ганна, +380 99 512 3456' (all numbers fictional)."""
    term, relative_female, _ = vocab.RELATIONS[p.relation]
    table = w.names.female if relative_female else w.names.male
    given = table[p.relative_given]
    surname = w.names.surnames[p.surname]
    sex = int(relative_female)
    who = f"{surname.kmu[sex]} {given.kmu}" if lang == "en" else f"{surname.uk[sex]} {given.uk}"
    return f"{getattr(term, lang)}, {who}, +380 99 {p.phone}"


def _health(p: Person, day: dt.date, words: tuple[str, str, str], rng: random.Random) -> str:
    if p.hospitalised_by(day):
        return words[1]
    r = rng.random()
    return words[0] if r < 0.6 else words[2] if r < 0.65 else ""


# --- the five lists ----------------------------------------------------------------------

OWN_HEADER = [
    "Номер картки", "Прізвище", "Ім'я", "По батькові", "Стать", "Дата народження",
    "Місце народження", "Особистий номер", "Військове звання", "Військова частина",
    "Дата полону", "Місце полону", "Категорія", "Статус", "Дата статусу", "Місце утримання",
    "Стан здоров'я", "Дата смерті", "Місце смерті", "Причина смерті", "Місце поховання",
    "Особа для повідомлення", "Примітки",
]  # fmt: skip


def own_row(p: Person, rng: random.Random, w: World) -> Row:
    """Our own register: Ukrainian forms, the fullest record, state as of OWN_DATE."""
    surname, given, father = _parts(p, w)
    sex = int(p.female)
    state, site, since = p.state_at(OWN_DATE)
    died = state == "died"
    birth_place = w.places[p.birth_place].uk
    death_site = w.sites[site].names["uk"][0] if died and site >= 0 else ""
    buried = ""
    if died and p.returned and p.returned <= OWN_DATE:
        buried = f"{birth_place}, міське кладовище"
    if p.category == "missing":
        note = vocab.NOTES_OWN_MISSING
    else:
        note = rng.choice(vocab.NOTES_OWN) if rng.random() < 0.15 else ""
    return [
        maybe_typo(surname.uk[sex], rng, UK_KEYS),
        maybe_typo(given.uk, rng, UK_KEYS),
        "" if rng.random() < 0.04 else maybe_typo(father.patr_uk[sex], rng, UK_KEYS),
        "ж" if p.female else "ч",
        noisy_dmy(p.birth, rng, missing=0.03, partial=0.04),
        f"м. {birth_place}" if rng.random() < 0.15 else birth_place,
        service_cyrillic(p.service, rng, (0.8, 0.15, 0.05)) if p.service else "",
        vocab.RANKS[p.rank].term.uk if p.rank >= 0 else "",
        _unit(p, w, "uk", rng),
        noisy_dmy(p.capture, rng, partial=0.02),
        w.places[p.capture_place].uk if rng.random() < 0.93 else "",
        vocab.CATEGORY_OWN[p.category],
        vocab.STATUS_OWN.get(state, ""),
        dmy(since) if state != "missing" else "",
        _site_name(w, site, "uk", rng)
        if state == "held" and site >= 0 and rng.random() < 0.7
        else "",
        _health(p, OWN_DATE, vocab.HEALTH_OWN, rng) if state == "held" else "",
        dmy(p.outcome_date) if died and p.outcome_date else "",
        death_site,
        vocab.DEATH_CAUSES[p.cause].term.uk if died else "",
        buried,
        _kin(p, w, "uk") if rng.random() < 0.9 else "",
        note,
    ]


ADVERSARY_HEADER = [
    "№ п/п", "Фамилия", "Имя", "Отчество", "Дата рождения", "Место рождения", "Личный номер",
    "Воинское звание", "Воинская часть", "Дата пленения", "Место пленения", "Категория",
    "Статус", "Место содержания", "Состояние здоровья", "Дата смерти", "Причина смерти",
]  # fmt: skip


def adversary_row(p: Person, rng: random.Random, w: World) -> Row:
    """The other side's list: Russian forms, Windows-1251, state as of ADVERSARY_DATE."""
    surname, given, father = _parts(p, w)
    sex = int(p.female)
    state, site, _ = p.state_at(ADVERSARY_DATE)
    died = state == "died"
    place = w.places[p.birth_place].ru
    category = "civilian" if p.category == "civilian" or p.denied else "pow"
    return [
        maybe_typo(surname.ru[sex], rng, RU_KEYS),
        maybe_typo(given.ru, rng, RU_KEYS),
        "" if rng.random() < 0.03 else maybe_typo(father.patr_ru[sex], rng, RU_KEYS),
        noisy_dmy(p.birth, rng, missing=0.05, partial=0.05, swap=0.02),
        f"г. {place}" if rng.random() < 0.2 else place,
        service_cyrillic(p.service, rng, (0.3, 0.5, 0.2))
        if p.service and rng.random() < 0.85
        else "",
        vocab.RANKS[p.rank].term.ru if p.rank >= 0 else "",
        _unit(p, w, "ru", rng),
        noisy_dmy(shifted(p.capture, rng, 0.3), rng, partial=0.02, swap=0.02),
        w.places[p.capture_place].ru,
        vocab.CATEGORY_ADVERSARY[category],
        vocab.STATUS_ADVERSARY[state],
        _site_name(w, site, "ru", rng) if state == "held" and site >= 0 else "",
        _health(p, ADVERSARY_DATE, vocab.HEALTH_ADVERSARY, rng) if state == "held" else "",
        dmy(p.outcome_date) if died and p.outcome_date else "",
        vocab.DEATH_CAUSES[p.cause].term.ru if died else "",
    ]


ICRC_HEADER = [
    "ICRC ref", "Last name", "First name", "Father's name", "Sex", "Date of birth",
    "Place of birth", "Service number", "Rank", "Unit", "Power on which dependent",
    "Date of capture", "Place of capture", "Category", "Status", "Status date",
    "Place of detention", "Next of kin",
]  # fmt: skip


def icrc_row(p: Person, rng: random.Random, w: World) -> Row:
    """ICRC notifications: KMU Latin, ISO dates, state as of ICRC_DATE."""
    surname, given, father = _parts(p, w)
    sex = int(p.female)
    state, site, since = p.state_at(ICRC_DATE)
    rank = ""
    if p.rank >= 0:
        rank = vocab.RANKS[p.rank].term.en
        if rank == "Senior Private" and rng.random() < 0.3:
            rank = vocab.SENIOR_PRIVATE_ALT
    category = p.civilian_kind if p.category == "civilian" else "pow"
    return [
        maybe_typo(surname.kmu[sex], rng, LATIN_KEYS),
        maybe_typo(given.kmu, rng, LATIN_KEYS),
        "" if rng.random() < 0.6 else maybe_typo(father.patr_kmu[sex], rng, LATIN_KEYS),
        "F" if p.female else "M",
        noisy_iso(p.birth, rng, missing=0.05, partial=0.05),
        w.places[p.birth_place].en,
        service_latin(p.service, rng) if p.service and rng.random() < 0.9 else "",
        rank,
        _unit(p, w, "en", rng),
        "Ukraine",
        noisy_iso(shifted(p.capture, rng, 0.1), rng, partial=0.03),
        w.places[p.capture_place].en,
        vocab.CATEGORY_ICRC[category],
        vocab.STATUS_ICRC[state],
        since.isoformat(),
        _site_name(w, site, "en", rng)
        if state == "held" and site >= 0 and rng.random() < 0.9
        else "",
        _kin(p, w, "en") if rng.random() < 0.7 else "",
    ]


FAMILY_HEADER = [
    "ПІБ", "Дата народження", "Військова частина", "Військове звання", "Дата полону",
    "Місце полону", "Контактна особа", "Примітки",
]  # fmt: skip


def _family_name(p: Person, rng: random.Random, w: World) -> str:
    surname, given, father = _parts(p, w)
    sex = int(p.female)
    if rng.random() < 0.15:  # typed from a passport: "Andriy Kovalenko"
        latin = surname.kmu[sex] if rng.random() < 0.5 else surname.old[sex]
        return f"{rng.choice(given.passport)} {maybe_typo(latin, rng, LATIN_KEYS)}"
    parts = [maybe_typo(surname.uk[sex], rng, UK_KEYS), maybe_typo(given.uk, rng, UK_KEYS)]
    if rng.random() >= 0.2:
        parts.append(father.patr_uk[sex])
    return " ".join(parts)


def family_row(p: Person, rng: random.Random, w: World) -> Row:
    """Reports by relatives: one full-name column, loose dates, no id."""
    last_contact = p.capture - dt.timedelta(days=rng.randint(0, 3))
    r = rng.random()
    if p.category == "missing":
        note = f"Зник безвісти, останній зв'язок {dmy(last_contact)}"
    else:
        note = (
            "Бачили на відео в полоні" if r < 0.25
            else f"Останній зв'язок {dmy(last_contact)}" if r < 0.5
            else "Інформація від побратимів" if r < 0.6
            else ""
        )  # fmt: skip
    return [
        _family_name(p, rng, w),
        noisy_dmy(p.birth, rng, missing=0.05, partial=0.08, swap=0.02, two_digit=0.08),
        _unit(p, w, "uk", rng) if rng.random() < 0.7 else "",
        vocab.RANKS[p.rank].term.uk if p.rank >= 0 and rng.random() < 0.6 else "",
        noisy_dmy(shifted(p.capture, rng, 0.3), rng, partial=0.1, swap=0.02, two_digit=0.05),
        w.places[p.capture_place].uk if rng.random() < 0.9 else "",
        _kin(p, w, "uk"),
        note,
    ]


MEDIA_HEADER = ["Name", "Year of birth", "Unit", "Status", "Date reported", "Notes"]


def _media_report(p: Person, rng: random.Random) -> tuple[str, dt.date]:
    """What the press reported and when; true as of the day it was reported."""
    out = p.outcome_date
    if p.outcome == "exchanged" and out and rng.random() < 0.5:
        return "exchanged", min(out + dt.timedelta(days=rng.randint(0, 3)), MEDIA_DATE)
    if p.outcome == "died" and out and rng.random() < 0.6:
        day = out + dt.timedelta(days=rng.randint(2, 60))
        if day <= MEDIA_DATE:
            return "died", day
    day = p.capture + dt.timedelta(days=rng.randint(0, 20))
    if out and day >= out:
        day = max(p.capture, out - dt.timedelta(days=1))
    return "captured", day


def media_row(p: Person, rng: random.Random, w: World) -> Row:
    """Media monitoring: names as the other side's media spell them, given name first."""
    surname, given, _ = _parts(p, w)
    sex = int(p.female)
    if rng.random() < 0.6:
        name = f"{given.ru} {maybe_typo(surname.ru[sex], rng, RU_KEYS)}"
    else:
        name = f"{rng.choice(given.ru_lat)} {maybe_typo(surname.ru_lat[sex], rng, LATIN_KEYS)}"
    status, day = _media_report(p, rng)
    unit = ""
    if p.unit >= 0 and rng.random() < 0.7:
        u = w.units[p.unit]
        unit = (
            f"{u.brigade} {vocab.BRIGADE_KINDS[u.kind].term.ru}"
            if rng.random() < 0.7
            else (f"{_ordinal(u.brigade)} brigade")
        )
    when = day.isoformat()
    if status == "exchanged":
        note = f"listed among those returned in the exchange of {p.outcome_date}"
    elif status == "died":
        note = f"death in custody reported on {when}"
    else:
        note = rng.choice(
            (f"reported in a video published {when}", f"named in a Telegram post on {when}",
             f"photo from captivity published {when}")
        )  # fmt: skip
    return [
        name,
        str(p.birth.year) if rng.random() < 0.85 else "",
        unit,
        vocab.STATUS_MEDIA[status],
        when,
        note,
    ]


@dataclass(frozen=True, slots=True)
class ListSpec:
    """How one list file is written. `key` is how its id column is filled: `card` and `ref`
    are numbers given in person order, `running` is 1..n in file order, `""` has no id.
    """

    file: str
    origin: str
    title: str
    received: dt.date
    encoding: str
    delimiter: str
    header: list[str]
    key: str
    build: Builder


LISTS: tuple[ListSpec, ...] = (
    ListSpec("own_bureau.csv", "own_bureau", "Own bureau register, extract 2026-01", OWN_DATE,
             "utf-8", ",", OWN_HEADER, "card", own_row),
    ListSpec("adversary_bureau.csv", "adversary_bureau",
             "List of persons held, transmitted by the detaining Power, 2025-11",
             ADVERSARY_DATE, "cp1251", ";", ADVERSARY_HEADER, "running", adversary_row),
    ListSpec("icrc.csv", "icrc", "ICRC Central Tracing Agency notifications, 2025-12",
             ICRC_DATE, "utf-8", ",", ICRC_HEADER, "ref", icrc_row),
    ListSpec("family_reports.csv", "family", "Reports from families, collected to 2026-01",
             FAMILY_DATE, "utf-8-sig", ",", FAMILY_HEADER, "", family_row),
    ListSpec("media_monitoring.csv", "media", "Media monitoring digest, 2022-2026", MEDIA_DATE,
             "utf-8", ",", MEDIA_HEADER, "", media_row),
)  # fmt: skip
