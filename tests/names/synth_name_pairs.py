"""How well the name keys put one person's spellings together and keep different people
apart, measured on `rollcall.synth` lists against their ground truth.

Run directly for the full table (python tests/names/synth_name_pairs.py [persons] [seed]);
tests/names/test_names_key_quality.py asserts floors on a small run.

For each name part and key it counts record pairs:
- same person: share of pairs of one person's records (both parts filled) with one key;
- different persons: share of pairs of two persons' records with one key;
- different names: the same over pairs whose true names differ (two Коваленко are
  different persons but one surname: a key cannot and should not tell them apart).
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from rollcall.ingest.namesplit import split_full_name
from rollcall.names import fold, given_name_key, patronymic_key, romanize, surname_key
from rollcall.synth import generator
from rollcall.synth import lists as synth_lists
from rollcall.synth.variation import maybe_typo

PARTS = ("surname", "given", "patronymic")
#: How each list writes names: (encoding, delimiter, surname, given, patronymic columns)
#: or a full-name column with the order the list uses.
_COLUMNS = {
    "own_bureau.csv": ("utf-8", ",", ("Прізвище", "Ім'я", "По батькові")),
    "adversary_bureau.csv": ("cp1251", ";", ("Фамилия", "Имя", "Отчество")),
    "icrc.csv": ("utf-8", ",", ("Last name", "First name", "Father's name")),
    "family_reports.csv": ("utf-8-sig", ",", "ПІБ"),
    "media_monitoring.csv": ("utf-8", ",", "Name"),
}


@dataclass(frozen=True, slots=True)
class Record:
    list_name: str
    person: str
    names: tuple[str, str, str]  # surname, given, patronymic as written
    truth: tuple[str, str, str]  # the true Ukrainian form of each


def generate(
    persons: int, seed: int, out: Path, *, typos: bool = True
) -> dict[str, tuple[str, str, str]]:
    """Write synth lists under `out`; return each person's true Ukrainian surname, given
    name and patronymic (in the form for the person's sex). Without `typos` the lists differ
    only by script and spelling conventions: what a key alone can be asked to merge."""
    truth: dict[str, tuple[str, str, str]] = {}
    real = generator.make_person

    def recording(index, rng, world):  # type: ignore[no-untyped-def]
        p = real(index, rng, world)
        names, sex = world.names, int(p.female)
        given = (names.female if p.female else names.male)[p.given]
        truth[p.pid] = (names.surnames[p.surname].uk[sex], given.uk,
                        names.male[p.father].patr_uk[sex])
        return p

    with mock.patch.object(generator, "make_person", recording), mock.patch.object(
        synth_lists, "maybe_typo", (lambda text, rng, keys: text) if not typos else maybe_typo
    ):
        generator.generate(persons, seed, out)
    return truth


def _split(list_name: str, full: str) -> tuple[str, str, str]:
    if list_name == "media_monitoring.csv":  # "Given Surname" in either script
        given, _, surname = full.rpartition(" ")
        return surname, given, ""
    surname, given, patronymic = split_full_name(full)
    return surname, given or "", patronymic or ""


def read_records(out: Path, truth: dict[str, tuple[str, str, str]]) -> list[Record]:
    people: dict[tuple[str, int], str] = {}
    with (out / "truth.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            people[(row["list"], int(row["row_number"]))] = row["person_id"]
    records = []
    for list_name, (encoding, delimiter, columns) in _COLUMNS.items():
        with (out / "lists" / list_name).open(encoding=encoding, newline="") as f:
            for number, row in enumerate(csv.DictReader(f, delimiter=delimiter), start=2):
                if isinstance(columns, str):
                    names = _split(list_name, row[columns])
                else:
                    names = tuple(row[c] for c in columns)
                person = people[(list_name, number)]
                records.append(Record(list_name, person, names, truth[person]))
    return records


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True, slots=True)
class Rates:
    same_person: float  # share of one person's record pairs that share a key
    different_persons: float  # share of two persons' record pairs that share a key
    different_names: float  # ... among pairs whose true names differ
    same_person_pairs: int
    different_names_pairs: int


def rates(records: Iterable[Record], part: int, key: Callable[[str], str]) -> Rates:
    """Pair counts by grouping, so a few thousand records cost no N^2 loop."""
    by_key: Counter[str] = Counter()
    by_key_person: Counter[tuple[str, str]] = Counter()
    by_key_truth: Counter[tuple[str, str]] = Counter()
    by_person: Counter[str] = Counter()
    by_truth: Counter[str] = Counter()
    n = 0
    for r in records:
        text = r.names[part]
        if not text.strip():
            continue
        k = key(text)
        n += 1
        by_key[k] += 1
        by_key_person[(k, r.person)] += 1
        by_key_truth[(k, r.truth[part])] += 1
        by_person[r.person] += 1
        by_truth[r.truth[part]] += 1
    all_pairs = _pairs(n)
    same_person = sum(map(_pairs, by_person.values()))
    same_truth = sum(map(_pairs, by_truth.values()))
    key_pairs = sum(map(_pairs, by_key.values()))
    key_same_person = sum(map(_pairs, by_key_person.values()))
    key_same_truth = sum(map(_pairs, by_key_truth.values()))
    return Rates(
        same_person=key_same_person / same_person,
        different_persons=(key_pairs - key_same_person) / (all_pairs - same_person),
        different_names=(key_pairs - key_same_truth) / (all_pairs - same_truth),
        same_person_pairs=same_person,
        different_names_pairs=all_pairs - same_truth,
    )


def _naive(text: str) -> str:
    """The baseline: search fold, then the official romanisation."""
    return romanize(fold(text))


KEYS: dict[str, tuple[Callable[[str], str], Callable[[str], str], Callable[[str], str]]] = {
    "rollcall.names keys": (surname_key, given_name_key, patronymic_key),
    "baseline fold+romanize": (_naive, _naive, _naive),
}


def measure(
    persons: int = 3000, seed: int = 7, *, typos: bool = True
) -> dict[str, dict[str, Rates]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        truth = generate(persons, seed, out, typos=typos)
        records = read_records(out, truth)
    return {
        label: {part: rates(records, i, keys[i]) for i, part in enumerate(PARTS)}
        for label, keys in KEYS.items()
    }


def main() -> None:
    persons = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    for typos in (True, False):
        started = time.perf_counter()
        table = measure(persons, seed, typos=typos)
        print(f"{persons} synthetic persons, seed {seed}, typing slips {'on' if typos else 'off'}"
              f" ({time.perf_counter() - started:.1f} s)")
        print(f"{'key':<24}{'part':<12}{'same person':>12}{'diff persons':>14}"
              f"{'diff names':>12}")
        for label, by_part in table.items():
            for part, r in by_part.items():
                print(f"{label:<24}{part:<12}{r.same_person:>12.4f}"
                      f"{r.different_persons:>14.5f}{r.different_names:>12.2e}")


if __name__ == "__main__":
    main()
