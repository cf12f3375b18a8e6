"""Pairwise precision and recall of a clustering against ground truth.

A pair of records is "predicted" when both are in one cluster and "true" when both belong to
one person. Counting is done per (cluster, person) cell, so no pair list is ever built:
true positives = sum over cells of C(n, 2). The cross-script figures count only pairs with
one record in Cyrillic and the other in Latin letters, where linkage is hardest.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import text

from rollcall.linkage.records import RAW_SCHEMA, RECORD_FIELDS


@dataclass(frozen=True)
class PairwiseScores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted_pairs: int
    true_pairs: int


def _scores(tp: int, predicted: int, true: int) -> PairwiseScores:
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScores(precision, recall, f1, tp, predicted, true)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(clusters: Mapping[int, int], truth: Mapping[int, object]) -> PairwiseScores:
    """Scores over the records present in both mappings."""
    cells: Counter[tuple[int, object]] = Counter()
    by_cluster: Counter[int] = Counter()
    by_person: Counter[object] = Counter()
    for rid, cluster in clusters.items():
        person = truth.get(rid)
        if person is None:
            continue
        cells[(cluster, person)] += 1
        by_cluster[cluster] += 1
        by_person[person] += 1
    tp = sum(_pairs(n) for n in cells.values())
    predicted = sum(_pairs(n) for n in by_cluster.values())
    true = sum(_pairs(n) for n in by_person.values())
    return _scores(tp, predicted, true)


def cross_script_scores(
    clusters: Mapping[int, int], truth: Mapping[int, object], latin: Mapping[int, bool]
) -> PairwiseScores:
    """Scores over pairs with one Latin-script and one Cyrillic-script record only."""
    cells: Counter[tuple[int, object, bool]] = Counter()
    by_cluster: Counter[tuple[int, bool]] = Counter()
    by_person: Counter[tuple[object, bool]] = Counter()
    for rid, cluster in clusters.items():
        person = truth.get(rid)
        if person is None:
            continue
        script = bool(latin.get(rid, False))
        cells[(cluster, person, script)] += 1
        by_cluster[(cluster, script)] += 1
        by_person[(person, script)] += 1

    def mixed(counter: Counter) -> int:
        latin_n: Counter = Counter()
        cyr_n: Counter = Counter()
        for key, n in counter.items():
            (latin_n if key[-1] else cyr_n)[key[:-1]] += n
        return sum(n * cyr_n.get(k, 0) for k, n in latin_n.items())

    return _scores(mixed(cells), mixed(by_cluster), mixed(by_person))


def evaluate(
    clusters: Mapping[int, int],
    truth: Mapping[int, object],
    latin: Mapping[int, bool] | None = None,
) -> dict[str, PairwiseScores]:
    """`{"all": ..., "cross_script": ...}` (the second only when `latin` is given)."""
    out = {"all": pairwise_scores(clusters, truth)}
    if latin is not None:
        out["cross_script"] = cross_script_scores(clusters, truth, latin)
    return out


def synth_truth(connection: Any, synth_dir: Path) -> tuple[pa.Table, dict[int, str]]:
    """Records imported from `rollcall synth` lists, as linkage input, with their truth.

    `connection` is a SQLAlchemy connection to the registry the lists were imported into
    (each under its own file name); truth.csv maps (list file, row number) to a person.
    """
    by_row: dict[tuple[str, int], str] = {}
    with (Path(synth_dir) / "truth.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_row[(row["list"], int(row["row_number"]))] = row["person_id"]
    result = connection.execute(
        text(
            "SELECT r.id, r.source_id, r.surname, r.given_name, r.patronymic, r.sex, "
            "r.birth_date, r.service_number, r.unit, r.capture_date, r.capture_place, "
            "r.place_of_birth, r.stated_status, r.status_date, r.death_date, "
            "s.file_name, r.row_number "
            "FROM source_records r JOIN sources s ON s.id = r.source_id ORDER BY r.id"
        )
    )
    columns: dict[str, list[Any]] = {f: [] for f in RECORD_FIELDS}
    truth: dict[int, str] = {}
    for row in result:
        n = len(RECORD_FIELDS)
        for name, value in zip(RECORD_FIELDS, row[:n], strict=True):
            columns[name].append(None if value is None else value if name in (
                "record_id", "source_id") else str(value))
        person = by_row.get((Path(row[n]).name, row[n + 1]))
        if person is not None:
            truth[row[0]] = person
    return pa.Table.from_pydict(columns, schema=RAW_SCHEMA), truth
