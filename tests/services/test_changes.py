import datetime as dt

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from rollcall.dates import PartialDate
from rollcall.services.changes import canonical_json, diff_states, json_value
from rollcall.vocabulary import EventType

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_canonical_json_is_byte_identical_to_rfc8785(value):
    assert canonical_json({"v": value}).encode() == rfc8785.dumps({"v": value})


def test_astral_keys_sort_by_utf16_code_units_as_rfc8785_requires():
    state = {"\U0001f600": 1, "\ufb01": 2}
    assert canonical_json(state).encode() == rfc8785.dumps(state)
    assert canonical_json(state).index("\ufb01") > canonical_json(state).index("\U0001f600")


def test_domain_values_become_json():
    when = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    assert json_value({"d": PartialDate(1994, 3), "t": EventType.HELD, "at": when}) == {
        "d": "1994-03", "t": "held", "at": "2024-05-01T12:00:00Z"
    }


def test_diff_lists_only_what_changed():
    assert diff_states({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
