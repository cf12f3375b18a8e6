"""The methods vocabulary: the built-in list, search in both languages, a mission's file."""

from __future__ import annotations

import pytest

from rollcall.config import get_settings
from rollcall.errors import InvalidValue
from rollcall.monitoring import methods
from rollcall.monitoring.methods import MethodsFileError, fold, load, vocabulary

#: DESIGN.md section 5, in its order.
DESIGN_LIST = (
    "beating", "electric_shock", "asphyxiation", "waterboarding", "stress_position",
    "forced_exercise", "sleep_deprivation", "dog_attack", "mock_execution", "threat_self",
    "threat_family", "humiliation", "forced_nudity", "rape", "other_sexual_violence",
    "deprivation_food_water", "deprivation_medical_care", "overcrowding",
    "sensory_deprivation", "incommunicado", "admission_beating",
)

EXTRA = """
[[group]]
code = "detention"
uk = "Умови тримання"
en = "Conditions of detention"

[[method]]
code = "cold_exposure"
group = "detention"
uk = "Тримання на холоді"
en = "Exposure to cold"
description = "Kept in an unheated cell in winter."

[[method]]
code = "forced_labour"
group = "physical"
uk = "Примусова праця"
en = "Forced labour"
"""


def test_the_built_in_list_holds_the_design_list_with_both_labels():
    built_in = load()
    assert sorted(built_in.methods) == sorted(DESIGN_LIST)
    for m in built_in:
        assert m.uk and m.en and m.description and m.uk != m.en, m.code
        assert any("\u0400" <= ch <= "\u04ff" for ch in m.uk), m.code  # Cyrillic
        assert m.group in built_in.groups
        assert m.origin == methods.BUILTIN_NAME
    assert len({m.uk for m in built_in}) == len({m.en for m in built_in}) == len(DESIGN_LIST)


@pytest.mark.parametrize(("query", "codes"), [
    ("ПОБИТТЯ", ["beating", "admission_beating"]),
    ("electric", ["electric_shock"]),
    ("струм", ["electric_shock"]),
    ("зав'язування", ["sensory_deprivation"]),     # plain apostrophe, the file has ’
    ("Gauntlet", ["admission_beating"]),
    ("позбавлення", ["sleep_deprivation", "deprivation_food_water",
                     "deprivation_medical_care"]),
    ("зґвалтування", ["rape"]),
    ("погрози", ["threat_self", "threat_family"]),
    ("threat_fam", ["threat_family"]),
    ("incommunicado", ["incommunicado"]),
    ("інкомунікадо", ["incommunicado"]),
    ("no such thing", []),
])
def test_search_ignores_case_accents_and_apostrophes_in_both_languages(query, codes):
    assert [m.code for m in load().search(query)] == codes


def test_folding_drops_accents_and_case():
    assert fold("  Éçole  ДВІ  ") == "ecole дві"
    assert fold("Її") == fold("ІІ")  # diaeresis folded, so ї ~ і


def test_the_form_groups_methods_sorted_by_label_in_the_alphabet_of_the_language():
    uk = {group.code: [m.uk for m in items] for group, items in load().grouped("uk")}
    assert list(uk) == ["physical", "sexual", "psychological", "deprivation"]
    assert uk["sexual"] == ["Зґвалтування", "Інше сексуальне насильство",
                            "Примусове оголення"]  # І after З, before П (not after Я)
    en = {group.code: [m.en for m in items] for group, items in load().grouped("en")}
    assert en["sexual"] == ["Forced nudity", "Other sexual violence", "Rape"]


def test_require_refuses_a_code_not_in_the_vocabulary():
    assert load().require("rape").en == "Rape"
    with pytest.raises(InvalidValue, match=r"acts\.0\.method: 'Rape' is not a code"):
        load().require("Rape", "acts.0.method")
    with pytest.raises(InvalidValue, match="method: int is not a code"):
        load().require(3)


def test_a_mission_file_adds_groups_and_methods_through_the_setting(tmp_path, monkeypatch):
    path = tmp_path / "mission.toml"
    path.write_text(EXTRA, encoding="utf-8")
    monkeypatch.setenv("ROLLCALL_METHODS_FILE", str(path))
    get_settings.cache_clear()
    merged = vocabulary()
    assert len(merged) == len(DESIGN_LIST) + 2
    assert merged.require("cold_exposure").origin == str(path)
    assert merged.get("forced_labour").group == "physical"
    assert [m.code for m in merged.search("холод")] == ["cold_exposure"]
    assert [g.code for g, _ in merged.grouped("en")][-1] == "detention"
    monkeypatch.delenv("ROLLCALL_METHODS_FILE")
    get_settings.cache_clear()
    assert "cold_exposure" not in vocabulary()


@pytest.mark.parametrize(("text", "message"), [
    ('[[method]]\ncode = "beating"\ngroup = "physical"\nuk = "Биття"\nen = "Hitting"\n',
     "method 'beating': this code is already defined in built-in methods.toml; a code can "
     "be neither redefined nor renamed"),
    (EXTRA + '[[method]]\ncode = "cold_exposure"\ngroup = "physical"\nuk = "Х"\nen = "C"\n',
     "method 'cold_exposure': this code is already defined in"),
    ('[[method]]\ncode = "Cold"\ngroup = "physical"\nuk = "Х"\nen = "C"\n', "a code is"),
    ('[[method]]\ncode = "cold"\ngroup = "weather"\nuk = "Х"\nen = "C"\n',
     "unknown group 'weather'"),
    ('[[method]]\ncode = "cold"\ngroup = "physical"\nuk = ""\nen = "C"\n',
     "'uk' must be a non-empty text"),
    ('[[method]]\ncode = "cold"\ngroup = "physical"\nuk = "Х"\nen = "C"\nlabel = "x"\n',
     "unknown key"),
    ('[[group]]\ncode = "physical"\nuk = "Ф"\nen = "P"\n', "group 'physical': this group"),
    ('[methods]\nbeating = 1\n', "unknown table"),
    ("[[method]\n", "not valid TOML"),
])
def test_a_bad_mission_file_is_refused_with_the_file_and_code_named(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MethodsFileError, match=r"bad\.toml") as caught:
        load(path)
    assert message in caught.value.message


def test_a_missing_mission_file_is_refused(tmp_path):
    with pytest.raises(MethodsFileError, match="cannot read the methods file"):
        load(tmp_path / "absent.toml")
