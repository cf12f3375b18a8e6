"""The generated world: files, formats, coverage, ground truth and consistency with it."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from synth_support import FORMATS, PERSONS, Generated, Timeline

from rollcall.synth import generate, generator
from rollcall.synth.names import uk_patronymic
from rollcall.synth.sites import make_sites, site_count

LISTS = list(FORMATS)
KEY_COLUMN = {
    "own_bureau.csv": "Номер картки",
    "adversary_bureau.csv": "№ п/п",
    "icrc.csv": "ICRC ref",
}
RECEIVED = {
    "own_bureau.csv": dt.date(2026, 1, 20),
    "adversary_bureau.csv": dt.date(2025, 11, 14),
    "icrc.csv": dt.date(2025, 12, 5),
}


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(1200, 11, tmp_path / "a")
    generate(1200, 11, tmp_path / "b")
    generate(1200, 12, tmp_path / "c")
    a, b, c = (_files(tmp_path / d) for d in "abc")
    assert sorted(a) == [
        "events.csv", "lists/adversary_bureau.csv", "lists/family_reports.csv", "lists/icrc.csv",
        "lists/media_monitoring.csv", "lists/own_bureau.csv", "sites.csv", "sources.csv",
        "truth.csv",
    ]  # fmt: skip
    assert a == b
    assert a["sources.csv"] == c["sources.csv"]  # fixed metadata
    for name in a:
        if name != "sources.csv":
            assert a[name] != c[name], name


def test_a_thousand_persons_is_quick_and_complete(tmp_path: Path) -> None:
    calls: list[int] = []
    started = time.perf_counter()
    summary = generate(1000, 3, tmp_path, progress=calls.append)
    assert time.perf_counter() - started < 5
    assert summary.persons == 1000
    assert calls == [1000]
    assert summary.sites == 8
    assert sum(summary.lists.values()) > 1000


def test_progress_is_reported_in_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "PROGRESS_EVERY", 300)
    calls: list[int] = []
    generate(1000, 3, tmp_path, progress=calls.append)
    assert calls == [300, 600, 900, 1000]


def test_headers_encodings_and_delimiters(world: Generated) -> None:
    lists = world.out / "lists"
    own = (lists / "own_bureau.csv").read_bytes()
    assert not own.startswith(b"\xef\xbb\xbf")
    assert own.decode("utf-8").splitlines()[0].split(",")[:4] == [
        "Номер картки", "Прізвище", "Ім'я", "По батькові"]  # fmt: skip
    family = (lists / "family_reports.csv").read_bytes()
    assert family.startswith(b"\xef\xbb\xbf")
    assert family[3:].decode("utf-8").splitlines()[0] == (
        "ПІБ,Дата народження,Військова частина,Військове звання,Дата полону,Місце полону,"
        "Контактна особа,Примітки"
    )
    adversary = (lists / "adversary_bureau.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        adversary.decode("utf-8")
    text = adversary.decode("cp1251")
    assert text.splitlines()[0].startswith("№ п/п;Фамилия;Имя;Отчество;Дата рождения;")
    assert not set(text) & set("іїєґІЇЄҐ")
    icrc = (lists / "icrc.csv").read_text(encoding="utf-8").splitlines()[0]
    assert icrc.split(",")[:4] == ["ICRC ref", "Last name", "First name", "Father's name"]
    media = (lists / "media_monitoring.csv").read_text(encoding="utf-8").splitlines()[0]
    assert media == "Name,Year of birth,Unit,Status,Date reported,Notes"


def test_summary_counts_match_the_files(world: Generated) -> None:
    for file in LISTS:
        assert world.summary.lists[file] == len(world.rows(file)), file
    assert world.summary.events == len(world.table("events.csv"))
    assert world.summary.sites == len(world.table("sites.csv")) == site_count(PERSONS)
    sources = world.table("sources.csv")
    assert [s["origin"] for s in sources] == [
        "own_bureau", "adversary_bureau", "icrc", "family", "media"]  # fmt: skip
    assert [s["file"] for s in sources] == LISTS
    for s in sources:
        dt.date.fromisoformat(s["received"])


def test_site_count_bounds() -> None:
    assert site_count(10) == 8
    assert site_count(20_000) == 40
    assert site_count(1_000_000) == 300


def test_coverage_is_roughly_as_specified(world: Generated) -> None:
    share = {file: world.summary.lists[file] / PERSONS for file in LISTS}
    assert share["own_bureau.csv"] == pytest.approx(0.70, abs=0.04)
    assert share["adversary_bureau.csv"] == pytest.approx(0.50, abs=0.04)
    assert share["icrc.csv"] == pytest.approx(0.40, abs=0.04)
    assert share["family_reports.csv"] == pytest.approx(0.15, abs=0.03)
    assert share["media_monitoring.csv"] == pytest.approx(0.08, abs=0.02)


def test_every_truth_row_points_at_a_real_row_and_every_person_is_listed(world: Generated) -> None:
    truth = world.table("truth.csv")
    seen: set[tuple[str, int]] = set()
    rows = {file: world.rows(file) for file in LISTS}
    for t in truth:
        file, number = t["list"], int(t["row_number"])
        assert (file, number) not in seen
        seen.add((file, number))
        row = rows[file][number - 2]  # header is row 1
        key = KEY_COLUMN.get(file)
        assert t["source_key"] == (row[key] if key else "")
    assert len(seen) == sum(len(r) for r in rows.values())
    persons = {t["person_id"] for t in truth}
    assert persons == {f"P{i:07d}" for i in range(1, PERSONS + 1)}
    for file, key in KEY_COLUMN.items():
        keys = [r[key] for r in rows[file]]
        assert len(set(keys)) == len(keys), file
    assert [r["№ п/п"] for r in rows["adversary_bureau.csv"]] == [
        str(i) for i in range(1, len(rows["adversary_bureau.csv"]) + 1)
    ]
    assert re.fullmatch(r"ОБ-\d{6}", rows["own_bureau.csv"][0]["Номер картки"])
    assert re.fullmatch(r"UA-ICRC-\d{7}", rows["icrc.csv"][0]["ICRC ref"])


def test_rows_are_shuffled(world: Generated) -> None:
    truth = [t["person_id"] for t in world.table("truth.csv") if t["list"] == "own_bureau.csv"]
    assert truth != sorted(truth)


def _pids(world: Generated, file: str) -> list[str]:
    return [t["person_id"] for t in world.table("truth.csv") if t["list"] == file]


def _site_lookup(world: Generated, lang: str) -> dict[str, str]:
    """Every spelling a list in `lang` may use -> site key."""
    lookup: dict[str, str] = {}
    for s in world.table("sites.csv"):
        for name in [s[f"name_{lang}"], *s["aliases"].split("|")]:
            assert lookup.get(name, s["site_key"]) == s["site_key"], f"{name} names two sites"
            lookup[name] = s["site_key"]
    return lookup


@pytest.mark.parametrize(
    ("file", "status_col", "site_col", "lang", "statuses"),
    [
        ("own_bureau.csv", "Статус", "Місце утримання", "uk",
         {"held": "утримується", "exchanged": "обміняний", "released": "звільнений",
          "died": "помер", "missing": ""}),
        ("adversary_bureau.csv", "Статус", "Место содержания", "ru",
         {"held": "содержится", "exchanged": "обменян", "released": "освобожден",
          "died": "умер"}),
        ("icrc.csv", "Status", "Place of detention", "en",
         {"held": "held", "exchanged": "exchanged", "released": "released",
          "died": "deceased"}),
    ],
)  # fmt: skip
def test_status_and_site_agree_with_the_truth_on_the_received_date(
    world: Generated,
    timeline: Timeline,
    file: str,
    status_col: str,
    site_col: str,
    lang: str,
    statuses: dict[str, str],
) -> None:
    lookup = _site_lookup(world, lang)
    named = 0
    for pid, row in zip(_pids(world, file), world.rows(file), strict=True):
        state, site = timeline.state(pid, RECEIVED[file])
        assert row[status_col] == statuses[state], (pid, row)
        if row[site_col]:
            assert state == "held"
            assert lookup[row[site_col]] == site, (pid, row[site_col])
            named += 1
    assert named > 0


def test_media_status_is_true_on_the_day_reported(world: Generated, timeline: Timeline) -> None:
    wording = {"captured": "held", "exchanged": "exchanged", "died": "died"}
    for pid, row in zip(_pids(world, "media_monitoring.csv"), world.rows("media_monitoring.csv"),
                        strict=True):  # fmt: skip
        day = dt.date.fromisoformat(row["Date reported"])
        assert timeline.state(pid, day)[0] == wording[row["Status"]], (pid, row)


def test_missing_persons_only_on_own_and_family_lists(world: Generated, timeline: Timeline) -> None:
    for t in world.table("truth.csv"):
        if timeline.state(t["person_id"], dt.date(2026, 1, 31))[0] == "missing":
            assert t["list"] in {"own_bureau.csv", "family_reports.csv"}


def test_vocabularies_and_date_shapes(world: Generated) -> None:
    own = world.rows("own_bureau.csv")
    assert {r["Стать"] for r in own} == {"ч", "ж"}
    women = sum(r["Стать"] == "ж" for r in own) / len(own)
    assert 0.05 < women < 0.11
    assert {r["Категорія"] for r in own} == {
        "військовополонений", "цивільний заручник", "зниклий безвісти"}  # fmt: skip
    dmy = re.compile(r"(\d{2}\.\d{2}\.\d{4}|\d{2}\.\d{4}|\d{4})?")
    assert all(dmy.fullmatch(r["Дата народження"]) for r in own)
    adversary = world.rows("adversary_bureau.csv")
    assert {r["Категория"] for r in adversary} == {"военнопленный", "задержанный"}
    numbers = {re.sub(r"\d", "9", r["Личный номер"]) for r in adversary} - {""}
    assert {n[2:] for n in numbers} == {"-999999", "999999", " 999999"}
    icrc = world.rows("icrc.csv")
    assert {r["Sex"] for r in icrc} == {"M", "F"}
    assert {r["Category"] for r in icrc} == {"POW", "civilian detainee", "civilian internee"}
    assert {r["Power on which dependent"] for r in icrc} == {"Ukraine"}
    iso = re.compile(r"(\d{4}(-\d{2}(-\d{2})?)?)?")
    assert all(
        iso.fullmatch(r["Date of birth"]) and iso.fullmatch(r["Date of capture"]) for r in icrc
    )
    no_father = sum(not r["Father's name"] for r in icrc) / len(icrc)
    assert 0.5 < no_father < 0.7
    assert all(re.fullmatch(r"[\x20-\x7e]*", r["Last name"] + r["First name"]) for r in icrc)
    family = world.rows("family_reports.csv")
    latin = sum(bool(re.fullmatch(r"[A-Za-z' -]+", r["ПІБ"])) for r in family) / len(family)
    assert 0.08 < latin < 0.22
    assert any(re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", r["Дата народження"]) for r in family)
    assert all(re.search(r"\+380 99 5\d\d \d{4}$", r["Контактна особа"]) for r in family)
    media = world.rows("media_monitoring.csv")
    assert {r["Status"] for r in media} <= {"captured", "exchanged", "died"}
    assert any(re.fullmatch(r"[A-Za-z' -]+", r["Name"]) for r in media)
    assert any(re.fullmatch(r"[А-Яа-яЁё' -]+", r["Name"]) for r in media)


def test_different_persons_share_names(world: Generated) -> None:
    names = Counter((r["Прізвище"], r["Ім'я"]) for r in world.rows("own_bureau.csv"))
    assert names.most_common(1)[0][1] >= 3


def test_events_are_a_well_formed_timeline(world: Generated) -> None:
    allowed = {"captured", "held", "transferred", "hospitalised", "released", "exchanged",
               "repatriated", "died", "body_repatriated"}  # fmt: skip
    sites = {s["site_key"] for s in world.table("sites.csv")}
    types = {"colony", "pretrial_detention", "temporary", "filtration", "hospital", "transit"}
    assert {s["type"] for s in world.table("sites.csv")} == types
    last: dict[str, dt.date] = {}
    outcomes: Counter[str] = Counter()
    for e in world.table("events.csv"):
        assert e["event"] in allowed
        day = dt.date.fromisoformat(e["date"])
        assert dt.date(2022, 2, 24) <= day <= dt.date(2026, 1, 31)
        pid = e["person_id"]
        if e["event"] == "captured":
            assert pid not in last and day <= dt.date(2025, 12, 31)
        else:
            assert day >= last[pid], pid
        if e["site_key"]:
            assert e["site_key"] in sites
        if e["event"] == "died":
            assert e["detail"] and e["place"]
        last[pid] = day
        outcomes[e["event"]] += 1
    assert len(last) == PERSONS
    assert outcomes["exchanged"] / PERSONS == pytest.approx(0.30, abs=0.04)
    assert outcomes["died"] / PERSONS == pytest.approx(0.04, abs=0.015)


def test_events_csv_is_parseable_with_its_header(world: Generated) -> None:
    with (world.out / "events.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[:5] == ["person_id", "event", "date", "site_key", "place"]


def test_rows_of_one_person_agree_on_service_number_and_relatives_phone(world: Generated) -> None:
    """The truth links rows of the same person: their service numbers (however written) and
    the phone of the person to inform must agree, list to list."""
    lookalike = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")
    columns = {
        "own_bureau.csv": ("Особистий номер", "Особа для повідомлення"),
        "adversary_bureau.csv": ("Личный номер", None),
        "icrc.csv": ("Service number", "Next of kin"),
        "family_reports.csv": (None, "Контактна особа"),
    }
    numbers: dict[str, set[str]] = {}
    phones: dict[str, set[str]] = {}
    for file, (number_col, kin_col) in columns.items():
        for pid, row in zip(_pids(world, file), world.rows(file), strict=True):
            if number_col and row[number_col]:
                number = re.sub(r"[ -]", "", row[number_col].translate(lookalike))
                numbers.setdefault(pid, set()).add(number)
            if kin_col and row[kin_col]:
                phone = re.search(r"\+380 99 5\d\d \d{4}", row[kin_col])
                assert phone, row[kin_col]
                phones.setdefault(pid, set()).add(phone.group())
    assert sum(len(n) == 1 for n in numbers.values()) > PERSONS / 2
    assert all(len(n) == 1 for n in numbers.values())
    assert all(len(p) == 1 for p in phones.values())
    assert len({next(iter(n)) for n in numbers.values()}) > 0.99 * len(numbers)


def test_a_father_named_as_next_of_kin_is_the_father_in_the_patronymic(world: Generated) -> None:
    checked = agree = 0
    for row in world.rows("own_bureau.csv"):
        kin, patronymic = row["Особа для повідомлення"], row["По батькові"]
        if not kin.startswith("батько, ") or not patronymic:
            continue
        father = kin.split(", ")[1].split(" ")[1]
        checked += 1
        agree += uk_patronymic(father, row["Стать"] == "ж") == patronymic
    assert checked > 20
    assert agree >= 0.9 * checked  # the rest carry a typing slip


def test_three_hundred_sites_have_distinct_names_in_every_language() -> None:
    sites = make_sites(random.Random(1), 300)
    pairs = {(s.key, name) for s in sites for lang in ("uk", "ru", "en") for name in s.names[lang]}
    spellings = {name for _, name in pairs}
    assert len(spellings) == len(pairs)  # no spelling belongs to two sites
    assert len(spellings) >= 300 * 4
    assert {s.country for s in sites} == {"RU", "UA"}
    assert all(s.csv_row()[4] for s in sites)  # every site has aliases
    for s in sites:
        "".join(s.names["ru"]).encode("cp1251")
