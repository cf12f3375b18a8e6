"""A leaf's bytes are RFC 8785 canonical JSON of the whole change entry, whichever path
(fast orjson or `rfc8785`) builds them."""

from __future__ import annotations

import datetime as dt
import json

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from rollcall.ledger.entries import entry_bytes, utc_text

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=12,
)
AT = dt.datetime(2026, 11, 22, 10, 0, 1, 250, tzinfo=dt.UTC)


def reference(entry: dict) -> bytes:
    """How someone without Rollcall builds it: parse the state, canonicalise the entry.
    (JSON numbers past 2^53 are floats in canonical JSON: parse them as floats.)"""
    state = json.loads(entry["state"], parse_int=lambda s: int(s) if len(s) < 16 else float(s))
    return rfc8785.dumps({**entry, "state": state})


@given(diff=st.dictionaries(text, json_values, max_size=4), state=json_values,
       actor=text, entity_id=text)
def test_leaf_bytes_are_the_canonical_json_of_the_entry(diff, state, actor, entity_id):
    entry = {"id": 42, "at": utc_text(AT), "actor": actor, "via": "web",
             "action": "person:merged", "entity_type": "person", "entity_id": entity_id,
             "diff": diff, "state": rfc8785.dumps(state).decode()}
    built = entry_bytes(42, AT, actor, "web", "person:merged", "person", entity_id, diff,
                        entry["state"])
    assert built == reference(entry)


def test_times_are_utc_with_z_and_microseconds_only_when_set():
    kyiv = dt.timezone(dt.timedelta(hours=2))
    assert utc_text(dt.datetime(2026, 1, 1, 12, tzinfo=kyiv)) == "2026-01-01T10:00:00Z"
    assert utc_text(AT) == "2026-11-22T10:00:01.000250Z"
    assert entry_bytes(1, AT, "a", "cli", "site:created", "site", "1", {}, '{"id":1}') == (
        b'{"action":"site:created","actor":"a","at":"2026-11-22T10:00:01.000250Z","diff":{},'
        b'"entity_id":"1","entity_type":"site","id":1,"state":{"id":1},"via":"cli"}'
    )
