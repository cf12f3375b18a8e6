"""What linkage compares and how: the Splink comparisons, blocking rules and training plan,
plus the few choices a mission may tune (`LinkageSettings`). No m or u value is typed in
here: u comes from random sampling, m from expectation maximisation, the prior from
deterministic rules (see training.py).

Every comparison is built from Splink's level creators or plain, portable SQL (equality,
CASE, abs, arithmetic), so `splink_settings(dialect, trained_model)` runs on DuckDB and on
Spark.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on


@dataclass(frozen=True)
class LinkageSettings:
    """Thresholds and training choices; a trained model (Splink's JSON) for incremental runs."""

    #: Pairs at or above this probability are merged.
    match_probability: float = 0.7
    #: Pairs between this and `match_probability` are sent to a human (if left unmerged).
    review_probability: float = 0.2
    #: Share of true matches the deterministic rules are assumed to find (for the prior).
    deterministic_recall: float = 0.7
    #: Random pairs sampled to estimate u.
    u_max_pairs: float = 1e6
    #: EM runs on pairs blocked by these rule names (see TRAINING_BLOCKS).
    training_blocks: tuple[str, ...] = ("names_and_year", "service_number", "birth_date_unit")
    #: Pairs at most per EM session (Splink samples records to stay near it).
    em_max_pairs: float = 2e6
    #: Smallest m a level may have: a level never seen among matches in training still
    #: happens among true matches in real lists (smoothing, not a weight).
    m_floor: float = 0.002
    #: Seed for u sampling, so the same data trains the same model.
    seed: int = 7
    #: A trained model (Splink settings JSON as text or dict) to reuse instead of training.
    trained_model: str | dict[str, Any] | None = None
    #: Review pairs at most (most uncertain first).
    review_limit: int = 100_000
    #: DuckDB memory cap and threads for the run.
    duckdb_memory_limit: str = "2GB"
    duckdb_threads: int | None = None


def _null(cols: tuple[str, ...], label: str) -> cll.CustomLevel:
    sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in cols)
    return cll.CustomLevel(sql, label).configure(is_null_level=True)


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label)


_SWAPPED = "sn_l = gn_as_sn_r AND sn_as_gn_l = gn_r"

#: Columns whose exact-match level is adjusted by how common the value is.
TF_COLUMNS = ("sn", "gn", "cplace")


def comparisons() -> list[Any]:
    """The comparisons, strongest level first in each."""
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            _null(("sn",), "surname missing"),
            _level("sn_l = sn_r", "surname key equal").configure(
                tf_adjustment_column="sn", tf_adjustment_weight=1.0
            ),
            _level(_SWAPPED, "surname and given name swapped"),
            cll.JaroWinklerLevel("sn", 0.92).configure(label_for_charts="surname key similar"),
            cll.ElseLevel(),
        ],
    )
    given = cl.CustomComparison(
        output_column_name="given_name",
        comparison_levels=[
            _null(("gn",), "given name missing"),
            _level("gn_l = gn_r", "given name key equal").configure(
                tf_adjustment_column="gn", tf_adjustment_weight=1.0
            ),
            _level(_SWAPPED, "surname and given name swapped"),
            cll.JaroWinklerLevel("gn", 0.88).configure(label_for_charts="given name similar"),
            cll.ElseLevel(),
        ],
    )
    patronymic = cl.CustomComparison(
        output_column_name="patronymic",
        comparison_levels=[
            _null(("pn",), "patronymic missing"),
            _level("pn_l = pn_r", "patronymic key equal"),
            cll.JaroWinklerLevel("pn", 0.88).configure(label_for_charts="patronymic similar"),
            cll.ElseLevel(),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            _null(("birth_y",), "birth date missing"),
            _level("bdate_l = bdate_r", "birth date equal"),
            _level(
                "birth_y_l = birth_y_r AND birth_m_l = birth_d_r AND birth_d_l = birth_m_r",
                "birth date equal with day and month swapped",
            ),
            _level(
                "birth_y_l = birth_y_r AND birth_m_l = birth_m_r "
                "AND (birth_d_l IS NULL OR birth_d_r IS NULL)",
                "birth year and month equal, day not given",
            ),
            _level(
                "birth_y_l = birth_y_r AND birth_m_l = birth_m_r",
                "birth year and month equal, day differs",
            ),
            _level(
                "birth_y_l = birth_y_r AND (birth_m_l IS NULL OR birth_m_r IS NULL)",
                "birth year equal, month not given",
            ),
            _level("birth_y_l = birth_y_r", "birth year equal, month differs"),
            _level("abs(birth_y_l - birth_y_r) <= 1", "birth years one apart"),
            cll.ElseLevel(),
        ],
    )
    service = cl.CustomComparison(
        output_column_name="service_number",
        comparison_levels=[
            _null(("svc",), "service number missing"),
            _level("svc_l = svc_r", "service number equal"),
            cll.DamerauLevenshteinLevel("svc", 1).configure(
                label_for_charts="service number one edit apart"
            ),
            cll.ElseLevel(),
        ],
    )
    unit = cl.CustomComparison(
        output_column_name="unit",
        comparison_levels=[
            cll.CustomLevel(
                "NOT ((unit_no_l IS NOT NULL AND unit_no_r IS NOT NULL) OR "
                "(brigade_no_l IS NOT NULL AND brigade_no_r IS NOT NULL))",
                "unit not comparable",
            ).configure(is_null_level=True),
            _level("unit_no_l = unit_no_r", "military unit number equal"),
            _level(
                "brigade_no_l = brigade_no_r AND brigade_kind_l = brigade_kind_r",
                "brigade equal",
            ),
            _level(
                "brigade_no_l = brigade_no_r "
                "AND (brigade_kind_l IS NULL OR brigade_kind_r IS NULL)",
                "brigade number equal, kind not given",
            ),
            cll.ElseLevel(),
        ],
    )
    capture_date = cl.CustomComparison(
        output_column_name="capture_date",
        comparison_levels=[
            _null(("cy",), "capture date missing"),
            _level("cday_l = cday_r", "capture date equal"),
            _level("abs(cday_l - cday_r) <= 3", "capture dates within 3 days"),
            _level(
                "abs(cday_l - cday_r) <= 31 OR (cy_l = cy_r AND cm_l = cm_r)",
                "capture dates within a month",
            ),
            _level("cy_l = cy_r", "capture year equal"),
            cll.ElseLevel(),
        ],
    )
    capture_place = cl.CustomComparison(
        output_column_name="capture_place",
        comparison_levels=[
            _null(("cplace",), "capture place missing"),
            _level("cplace_l = cplace_r", "capture place equal").configure(
                tf_adjustment_column="cplace", tf_adjustment_weight=1.0
            ),
            cll.JaroWinklerLevel("cplace", 0.9).configure(
                label_for_charts="capture place similar"
            ),
            cll.ElseLevel(),
        ],
    )
    birth_place = cl.CustomComparison(
        output_column_name="birth_place",
        comparison_levels=[
            _null(("bplace",), "birth place missing"),
            _level("bplace_l = bplace_r", "birth place equal"),
            cll.JaroWinklerLevel("bplace", 0.9).configure(label_for_charts="birth place similar"),
            cll.ElseLevel(),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            _null(("sex",), "sex not known"),
            _level("sex_l = sex_r", "sex equal"),
            cll.ElseLevel(),
        ],
    )
    return [surname, given, patronymic, birth, service, unit, capture_date, capture_place,
            birth_place, sex, reported_in_captivity(), end_of_captivity(), same_list()]


def _sides(condition: str) -> str:
    """`condition` over a report side `R` and the other record `O` (as "R.held_day -
    O.cday"), as SQL true when the record without a capture date, on either side, meets
    it. The null level makes sure exactly one side has no capture date."""
    def on(report: str, other: str) -> str:
        sql = re.sub(r"\bR\.(\w+)", rf"\1_{report}", condition)
        return re.sub(r"\bO\.(\w+)", rf"\1_{other}", sql)
    return f"((cy_l IS NULL AND {on('l', 'r')}) OR (cy_r IS NULL AND {on('r', 'l')}))"


def reported_in_captivity() -> Any:
    """A report weighed against the other record's dates of captivity.

    Media digests name a person, a year and a "Date reported" but no capture date: a
    report of capture (dated days after it), of an exchange or of a death (days or weeks
    after it). A report of capture within three weeks of the other record's capture date,
    or of an end of captivity soon after the other record's, separates namesakes; a report
    of captivity after the other record's release or death, or before its capture, is
    evidence against.
    """
    gap = "R.held_day - O.cday"
    comparable = _sides("(R.held_day IS NOT NULL OR R.end_day IS NOT NULL) "
                        "AND (O.cday IS NOT NULL OR O.end_day IS NOT NULL)")
    return cl.CustomComparison(
        output_column_name="reported_in_captivity",
        comparison_levels=[
            cll.CustomLevel(f"((cy_l IS NULL) = (cy_r IS NULL)) OR NOT {comparable}",
                            "no report to weigh against a capture date")
            .configure(is_null_level=True),
            _level(_sides("R.held_day > O.end_day + 3"),
                   "reported held after the other record's end of captivity"),
            _level(_sides(f"{gap} BETWEEN -3 AND 20"),
                   "reported within three weeks of the capture date"),
            _level(_sides("R.end_day - O.end_day BETWEEN -3 AND 60"),
                   "end of captivity reported within two months of the other record's"),
            _level(_sides("R.end_day > O.cday + 20 AND O.end_day IS NULL"),
                   "end of captivity reported, the other record gives none"),
            _level(_sides(f"{gap} BETWEEN 21 AND 90"),
                   "reported within three months of the capture date"),
            _level(_sides(f"{gap} > 90"), "reported more than three months after the capture"),
            cll.ElseLevel().configure(
                label_for_charts="reported before the capture date or far from the end"),
        ],
    )


def _held_after_end(held: str, end: str) -> str:
    return (f"(end_day_{end} IS NOT NULL AND (held_day_{held} > end_day_{end} + 3 "
            f"OR cday_{held} > end_day_{end} + 3))")


def end_of_captivity() -> Any:
    """When captivity ended (release, exchange, death), as each record says it.

    Two records that end a person's captivity on the same days agree; one that shows the
    person captured or held after the other's end of captivity contradicts it. A pair in
    which one record is a report (no capture date) is weighed by `reported_in_captivity`.
    """
    both_end = "end_day_l IS NOT NULL AND end_day_r IS NOT NULL"
    comparable = (
        f"({both_end}) OR (end_day_l IS NOT NULL AND coalesce(held_day_r, cday_r) IS NOT NULL)"
        " OR (end_day_r IS NOT NULL AND coalesce(held_day_l, cday_l) IS NOT NULL)"
    )
    return cl.CustomComparison(
        output_column_name="end_of_captivity",
        comparison_levels=[
            cll.CustomLevel(f"((cy_l IS NULL) <> (cy_r IS NULL)) OR NOT ({comparable})",
                            "end of captivity not comparable")
            .configure(is_null_level=True),
            _level(f"{both_end} AND abs(end_day_l - end_day_r) <= 3",
                   "captivity ended within three days"),
            _level(f"{both_end} AND abs(end_day_l - end_day_r) <= 60",
                   "captivity ended within two months"),
            _level(both_end, "captivity ended on different dates"),
            _level(f"{_held_after_end('l', 'r')} OR {_held_after_end('r', 'l')}",
                   "held after the other record's end of captivity"),
            cll.ElseLevel().configure(
                label_for_charts="held before the other record's end of captivity"),
        ],
    )


def same_list() -> Any:
    """Whether both records come from one list: a list names a person once, as a rule."""
    return cl.CustomComparison(
        output_column_name="same_list",
        comparison_levels=[
            _level("source_id_l = source_id_r", "both records from one list"),
            cll.ElseLevel().configure(label_for_charts="records from different lists"),
        ],
    )


#: Blocking rules for prediction, as (left column, right column) equalities: a pair is compared
#: if any rule holds. Each keeps a true match the others may miss (a typo in the surname, a
#: missing birth date, names in swapped order).
Block = tuple[tuple[str, str], ...]
PREDICTION_BLOCKS: dict[str, Block] = {
    "service_number": (("svc", "svc"),),
    "names_and_year": (("sn", "sn"), ("gn", "gn"), ("birth_y", "birth_y")),
    "given_and_birth_date": (("gn", "gn"), ("bdate", "bdate")),
    "surname_and_birth_date": (("sn", "sn"), ("bdate", "bdate")),
    "full_name": (("sn", "sn"), ("gn", "gn"), ("pn", "pn")),
    "names_year_unknown": (("sn_gn_noyear", "sn_gn"),),
    "names_year_unknown_back": (("sn_gn", "sn_gn_noyear"),),
    "given_patronymic_year": (("sn1", "sn1"), ("gn", "gn"), ("pn", "pn"), ("birth_y", "birth_y")),
    "birth_and_capture_date": (("bdate", "bdate"), ("cday", "cday")),
    "birth_date_and_place": (("bdate", "bdate"), ("bplace", "bplace")),
    "names_and_birth_place": (("sn", "sn"), ("gn", "gn"), ("bplace", "bplace")),
    "service_number_anagram": (("svc_sorted", "svc_sorted"),),
    "surname_given_initial_place": (("sn", "sn"), ("gn1", "gn1"), ("cplace_rare", "cplace_rare")),
    "surname_start_given_year": (("sn3", "sn3"), ("gn", "gn"), ("birth_y", "birth_y")),
    "given_year_brigade": (
        ("sn1", "sn1"), ("gn", "gn"), ("birth_y", "birth_y"), ("brigade_no", "brigade_no")
    ),
    "surname_and_capture_date": (("sn", "sn"), ("gn1", "gn1"), ("cday", "cday")),
}


#: A place shared by at most this many records is "rare": blocking on it stays cheap (a
#: postcode, a village), while a town where thousands were captured is left to other rules.
RARE_PLACE_RECORDS = 500


def link_columns() -> list[str]:
    """The feature columns Splink needs: those its comparisons and blocking rules read."""
    used = {"unique_id", "is_new"}
    for block in PREDICTION_BLOCKS.values():
        for a, b in block:
            used.update((a, b))
    for block in TRAINING_BLOCKS.values():
        used.update(block.get_blocking_rule("duckdb").blocking_rule_sql.replace("l.", " ")
                    .replace("r.", " ").replace("=", " ").replace("AND", " ").split())
    for rule in DETERMINISTIC_RULES:
        used.update(rule.replace("l.", " ").replace("r.", " ").replace("=", " ")
                    .replace("AND", " ").split())
    for comp in settings_creator().create_settings_dict("duckdb")["comparisons"]:
        for level in comp["comparison_levels"]:
            used.update(re.findall(r'"?(\w+)_[lr]\b"?', level["sql_condition"]))
    from rollcall.linkage.records import FEATURE_SCHEMA

    return [name for name in FEATURE_SCHEMA.names if name in used]


def block_sql(block: Block, *, new_only: bool = False) -> str:
    """The blocking rule's SQL; `new_only` keeps only pairs with a new record on a side."""
    sql = " AND ".join(f"l.{a} = r.{b}" for a, b in block)
    return f"{sql} AND (l.is_new OR r.is_new)" if new_only else sql


#: Blocks EM may train on (each leaves the comparisons it blocks on to the other sessions).
TRAINING_BLOCKS: dict[str, Any] = {
    "names_and_year": block_on("sn", "gn", "birth_y"),
    "service_number": block_on("svc"),
    "birth_date_unit": block_on("bdate", "unit_no"),
    "birth_date": block_on("bdate"),
}

#: Comparisons whose m is taken from one training block only. Only the names block holds
#: records without any capture date (media digests) beside their namesakes; in the other
#: blocks the few such records are lists whose capture date was lost in typing, whose
#: status dates mean something else, and their estimates would outvote the names block's
#: in Splink's median over sessions.
TRAINED_IN_BLOCK: dict[str, str] = {"reported_in_captivity": "names_and_year"}

#: Deterministic rules for the prior (lambda): pairs these find are almost surely matches.
DETERMINISTIC_RULES: tuple[str, ...] = (
    "l.svc = r.svc",
    "l.sn = r.sn AND l.gn = r.gn AND l.bdate = r.bdate",
)


def settings_creator() -> SettingsCreator:
    """The Splink model definition, dialect-free (DuckDB or Spark decide the SQL)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[block_sql(b) for b in PREDICTION_BLOCKS.values()],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )


def splink_settings(
    dialect: str = "duckdb", trained_model: str | dict[str, Any] | None = None
) -> dict[str, Any]:
    """The settings dict for one SQL dialect ("duckdb", "spark"), with the m, u and prior of
    a trained model (as stored from a DuckDB run) when one is given: the parameters are the
    same whatever engine computes the SQL."""
    out = settings_creator().create_settings_dict(dialect)
    if trained_model is None:
        return out
    model = json.loads(trained_model) if isinstance(trained_model, str) else trained_model
    out["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comp in out["comparisons"]:
        source = trained[comp["output_column_name"]]["comparison_levels"]
        for level, stored in zip(comp["comparison_levels"], source, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in stored:
                    level[key] = stored[key]
    return out
