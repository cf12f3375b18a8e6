"""The monitoring records (visits, testimonies and acts, custody periods, incidents and
their sources, exchanges, prosecutions, family contacts) are behind the log too: a row
edited behind its back is named by the verifier. Built as the demo builds them."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from synth_monitoring_support import build_demo_registry

from rollcall.config import get_settings
from rollcall.ledger.keys import key_path, read_key_file
from rollcall.ledger.verify import verify

ORIGIN = "rollcall.localhost/ledger"
#: (table, entity type, a column to edit as an attacker would, the new value)
EDITS = [
    ("visits", "visit", "private_interviews", True),
    ("testimonies", "testimony", "interviewer", "mallory"),
    ("acts", "act", "method", "humiliation"),
    ("custody_periods", "custody_period", "site_id", 1),
    ("incidents", "incident", "status", "verified"),
    ("incident_sources", "incident_source", "reference", "forged"),
    ("exchanges", "exchange", "mediator", "nobody"),
    ("prosecutions", "prosecution", "verdict", "acquitted"),
    ("family_contacts", "family_contact", "delivered", True),
]


@pytest.fixture
def demo(db, operator, tmp_path):
    return build_demo_registry(db, operator, tmp_path, persons=300)


def test_the_demo_verifies_and_any_edited_monitoring_row_is_named(db, backend, demo):
    verifier = read_key_file(key_path(get_settings())).verifier
    report = verify(db.engine, [verifier], ORIGIN)
    assert report.ok, [str(p) for p in report.problems[:5]]
    for _, entity, _, _ in EDITS:
        assert report.rows_checked[entity] > 0, entity
    with db.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        edited = {}
        for table, entity, column, value in EDITS:
            row = conn.execute(text(
                f"SELECT id FROM {table} WHERE {column} IS NULL OR {column} <> :v "
                "ORDER BY id LIMIT 1"), {"v": value}).scalar_one()
            conn.execute(text(f"UPDATE {table} SET {column} = :v WHERE id = :i"),
                         {"v": value, "i": row})
            edited[entity] = row
    report = verify(db.engine, [verifier], ORIGIN)
    named = {p.entity for p in report.problems}
    expected = {f"{entity}:{row}" for entity, row in edited.items()}
    assert named >= expected, sorted(expected - named)
