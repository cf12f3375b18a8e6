import datetime as dt

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from rollcall.dates import PartialDate
from rollcall.services.changes import (
    canonical_json,
    canonical_json_prepared,
    diff_states,
    json_value,
    keys_sort_alike,
)
from rollcall.vocabulary import EventType

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
bmp_keys = st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0xFFFF), max_size=12)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(bmp_keys, children, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_the_fast_path_is_byte_identical_to_rfc8785(value):
    assert canonical_json_prepared({"v": value}).encode() == rfc8785.dumps({"v": value})


def test_astral_keys_are_detected_since_rfc8785_sorts_them_differently():
    state = {"\U0001f600": 1, "\ufb01": 2}
    assert not keys_sort_alike(state)
    assert keys_sort_alike(["Прізвище", "Ім'я", "\ufb01"])
    assert canonical_json(state).index("\ufb01") > canonical_json(state).index("\U0001f600")


def test_general_states_with_floats_use_rfc8785():
    state = {"lat": 1e21, "lon": 0.1}
    assert canonical_json(state).encode() == rfc8785.dumps(state) == b'{"lat":1e+21,"lon":0.1}'


def test_domain_values_become_json():
    when = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    assert json_value({"d": PartialDate(1994, 3), "t": EventType.HELD, "at": when}) == {
        "d": "1994-03", "t": "held", "at": "2024-05-01T12:00:00Z"
    }


def test_diff_lists_only_what_changed():
    assert diff_states({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
