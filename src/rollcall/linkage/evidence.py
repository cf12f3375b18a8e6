"""What a reviewer sees for an uncertain pair: per comparison, the level the pair reached,
its weight and the two values as the records give them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from rollcall.linkage.settings import TF_COLUMNS

#: Which raw fields a reviewer sees beside each comparison (several are shown joined by " / ").
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "surname": ("surname",),
    "given_name": ("given_name",),
    "patronymic": ("patronymic",),
    "birth_date": ("birth_date",),
    "service_number": ("service_number",),
    "unit": ("unit",),
    "capture_date": ("capture_date",),
    "capture_place": ("capture_place",),
    "birth_place": ("place_of_birth",),
    "sex": ("sex",),
    "reported_in_captivity": ("capture_date", "stated_status", "status_date"),
    "end_of_captivity": ("capture_date", "stated_status", "status_date", "death_date"),
    "same_list": ("source_id",),
}


def _shown(values: list[Any]) -> str | None:
    parts = [str(v) for v in values if v is not None and v != ""]
    return " / ".join(parts) if parts else None


@dataclass(frozen=True)
class ScoredPair:
    left_id: int  # record ids, left_id < right_id
    right_id: int
    probability: float  # Splink match probability
    match_weight: float
    #: per comparison: {"level": label, "weight": float, "left": value, "right": value}
    evidence: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class _Level:
    condition: str
    label: str
    weight: float | None  # log2(m/u); 0 for the null level
    tf_column: str | None  # the column whose frequency adjusts this level's weight
    u: float | None


def _levels(model: dict[str, Any]) -> list[tuple[str, list[_Level]]]:
    """Per comparison: its levels (null level first) with weights from the trained m and u."""
    out = []
    for comp in model["comparisons"]:
        levels = []
        for lv in comp["comparison_levels"]:
            m, u = lv.get("m_probability"), lv.get("u_probability")
            weight = 0.0 if lv.get("is_null_level") else (math.log2(m / u) if m and u else None)
            tf = lv.get("tf_adjustment_column") if lv.get("tf_adjustment_weight") else None
            levels.append(_Level(lv["sql_condition"], lv.get("label_for_charts", ""), weight,
                                 tf, u))
        out.append((comp["output_column_name"], levels))
    return out


def review_pairs(
    con: duckdb.DuckDBPyConnection,
    pred: str,
    model: dict[str, Any],
    keys: list[tuple[int, int]],
) -> list[ScoredPair]:
    """The review pairs with their evidence, most uncertain (weight nearest 0) first.

    Each comparison's level is found again by evaluating the model's own level conditions on
    the pair (Splink keeps only the summed weight), so the label matches the weight exactly.
    """
    if not keys:
        return []
    comparisons = _levels(model)
    con.register("review_keys", pa.table({
        "l": pa.array([a for a, _ in keys], pa.int64()),
        "r": pa.array([b for _, b in keys], pa.int64()),
    }))
    columns = [c[0] for c in con.execute("DESCRIBE features").fetchall()]
    sides = ", ".join(f"a.{c} AS {c}_l, b.{c} AS {c}_r" for c in columns)
    cases = []
    for name, levels in comparisons:
        whens = " ".join(
            f"WHEN {lv.condition} THEN {i}" for i, lv in enumerate(levels)
            if lv.condition != "ELSE"
        )
        cases.append(f"CASE {whens} ELSE {len(levels) - 1} END AS level_{name}")
    tf_joins = "".join(
        f" LEFT JOIN tf_{c} t_{c} ON t_{c}.{c} = w.{c}_l" for c in TF_COLUMNS
    )
    tf_cols = ", ".join(f"t_{c}.tf_{c}" for c in TF_COLUMNS)
    fields = sorted({f for names in EVIDENCE_FIELDS.values() for f in names})
    raw_cols = ", ".join(f"ra.{f} AS raw_l_{f}, rb.{f} AS raw_r_{f}" for f in fields)
    rows = con.execute(
        f"WITH wide AS (SELECT k.l, k.r, {sides} FROM review_keys k "
        f"JOIN features a ON a.unique_id = k.l JOIN features b ON b.unique_id = k.r) "
        f"SELECT w.l, w.r, p.match_probability, p.match_weight, {', '.join(cases)}, "
        f"{tf_cols}, {raw_cols} "
        f"FROM wide w JOIN {pred} p ON p.unique_id_l = w.l AND p.unique_id_r = w.r{tf_joins} "
        f"JOIN raw_records ra ON ra.record_id = w.l JOIN raw_records rb ON rb.record_id = w.r "
        f"ORDER BY abs(p.match_weight), w.l, w.r"
    ).fetchall()
    con.unregister("review_keys")
    out = []
    k = len(comparisons)
    for row in rows:
        left, right, prob, weight = row[:4]
        level_index = row[4 : 4 + k]
        tf_values = dict(zip(TF_COLUMNS, row[4 + k : 4 + k + len(TF_COLUMNS)], strict=True))
        raw_values = row[4 + k + len(TF_COLUMNS) :]
        evidence: dict[str, dict[str, Any]] = {}
        for j, (name, levels) in enumerate(comparisons):
            level = levels[level_index[j]]
            w = level.weight or 0.0
            tf = tf_values.get(level.tf_column) if level.tf_column else None
            if tf and level.u:
                w += math.log2(level.u) - math.log2(tf)  # as Splink adjusts a common name
            shown = [fields.index(f) for f in EVIDENCE_FIELDS.get(name, ())]
            evidence[name] = {
                "level": level.label,
                "weight": round(w, 3),
                "left": _shown([raw_values[2 * f] for f in shown]),
                "right": _shown([raw_values[2 * f + 1] for f in shown]),
            }
        out.append(ScoredPair(int(left), int(right), float(prob), float(weight), evidence))
    return out
