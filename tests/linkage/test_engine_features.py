"""Feature keys and model smoothing: units, places, dates, name order, no invented evidence."""

from __future__ import annotations

import math

import pytest

from rollcall.linkage import LinkageSettings, LinkRecord, prepared_features
from rollcall.linkage.records import FeatureBuilder, date_parts
from rollcall.linkage.training import smooth_model
from rollcall.linkage.units import unit_keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("в/ч А2363", ("A2363", None)),
        ("MU A2363", ("A2363", None)),
        ("А2363", ("A2363", None)),
        ("38 ОМБр", (None, "38:mech")),
        ("38 ОМБр ВСУ", (None, "38:mech")),
        ("38th Separate Mechanised Brigade", (None, "38:mech")),
        ("в/ч А2363 (38 ОМБр)", ("A2363", "38:mech")),
        ("36th Separate Marine Brigade", (None, "36:marine")),
        ("79 ОДШБр", (None, "79:airassault")),
        ("128 ОГШБр", (None, "128:mountain")),
        ("32nd brigade", (None, "32:")),
        ("", (None, None)),
    ],
)
def test_units_get_one_key_in_any_language(text, keys):
    assert unit_keys(text) == keys


def test_town_names_meet_across_ukrainian_russian_and_latin():
    place = FeatureBuilder().place_key
    for group in (("Сіверськ", "г. Северск", "Siversk"), ("Запоріжжя", "Запорожье", "Zaporizhzhia"),
                  ("Рівне", "Ровно"), ("Київ", "Киев", "Kyiv"), ("м. Харків", "Харьков")):
        assert len({place(name) for name in group}) == 1, group
    assert place("Харків") != place("Херсон")
    assert place("4223") == "4223"


def test_dates_keep_only_the_trustworthy_parts():
    assert date_parts("1994-03-12") == (1994, 3, 12)
    assert date_parts("1994-03") == (1994, 3, None)
    assert date_parts("1950-53-09") == (1950, None, None)
    assert date_parts("1994-02-30") == (1994, 2, None)
    assert date_parts("refused") == (None, None, None)


def _record(rid: int, surname: str, given: str) -> LinkRecord:
    return LinkRecord(rid, 1, surname, given, None, None, "1990", None, None, None, None, None)


def test_a_name_written_given_name_first_is_turned_round():
    records = [_record(i, s, g) for i, (s, g) in enumerate(
        [("Романів", "Максим"), ("Коваленко", "Максим"), ("Шевчук", "Максим"),
         ("Романів", "Андрій"), ("Максим", "Романів")], start=1)]
    table = prepared_features(records).to_pylist()
    by_id = {row["unique_id"]: row for row in table}
    assert by_id[5]["sn"] == by_id[1]["sn"] and by_id[5]["gn"] == by_id[1]["gn"]
    assert by_id[4]["sn"] == by_id[1]["sn"]  # the others stay as they are


def _model(levels: list[tuple[float | None, float | None]]) -> dict:
    return {"comparisons": [{"output_column_name": "x", "comparison_levels": [
        {"sql_condition": "x_l IS NULL", "is_null_level": True},
        *({"sql_condition": f"level {i}", "m_probability": m, "u_probability": u}
          for i, (m, u) in enumerate(levels)),
    ]}]}


def _weights(model: dict) -> list[float]:
    levels = model["comparisons"][0]["comparison_levels"][1:]
    return [math.log2(lv["m_probability"] / lv["u_probability"]) for lv in levels]


def test_smoothing_never_invents_evidence_for_a_match():
    settings = LinkageSettings()
    model = smooth_model(_model([
        (0.9, 0.01),      # seen among matches and random pairs: kept
        (None, None),     # seen nowhere (a kind of value training never had): weighs 0
        (1e-40, 0.0001),  # never among matches, rare among random pairs: not for a match
        (0.05, None),     # among matches only: strong evidence
        (1e-45, 0.98),    # the usual disagreement: against, but not a veto
    ]), settings)
    equal, unseen, rare, matches_only, disagree = _weights(model)
    assert equal > 5
    assert unseen == pytest.approx(0.0, abs=0.1)  # renormalising shifts it a little
    assert rare <= 0.1
    assert matches_only > 10
    assert -12 < disagree < -5
