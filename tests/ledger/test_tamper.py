"""Tampering with the change log or the rows behind it is caught by the verifier, which
names the first bad entry. On PostgreSQL the attacker is a superuser who switches the
append-only trigger off for the transaction (session_replication_role = replica)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, text

from rollcall.config import get_settings
from rollcall.ledger.checkpoint import Checkpoint, sign_checkpoint
from rollcall.ledger.keys import NoteSigner
from rollcall.ledger.proofs import prove
from rollcall.ledger.verify import verify
from rollcall.models import Change, LedgerCheckpoint, LedgerLeaf, Person

ORIGIN = "rollcall.localhost/ledger"


def as_attacker(db, backend, *statements, **params):
    with db.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            conn.execute(text(statement), params)


def leaf_of(db, change_id):
    with db.engine.connect() as conn:
        return conn.execute(select(LedgerLeaf.leaf_index)
                            .where(LedgerLeaf.change_id == change_id)).scalar_one()


def change_about(db, entity_type, entity_id, nth=0):
    with db.engine.connect() as conn:
        return conn.execute(select(Change.id).where(Change.entity_type == entity_type,
                                                    Change.entity_id == str(entity_id))
                            .order_by(Change.id)).scalars().all()[nth]


def check(db, verifier):
    return verify(db.engine, [verifier], ORIGIN)


def test_an_untouched_registry_verifies(db, registry, verifier):
    report = check(db, verifier)
    assert report.ok, [str(p) for p in report.problems]
    assert report.pending == 0 and report.leaves == report.latest.size > 15
    assert report.rows_checked["person"] >= 6 and report.rows_checked["token"] >= 2
    assert report.rows_checked["user"] == 2 and report.rows_checked["source_record"] == 6
    assert "link_decision" not in report.rows_checked


def test_an_edited_change_entry_is_named(db, backend, registry, verifier):
    target = change_about(db, "site", registry.site)
    as_attacker(db, backend, "UPDATE changes SET actor = 'mallory' WHERE id = :id", id=target)
    report = check(db, verifier)
    assert (report.first.leaf_index, report.first.change_id) == (leaf_of(db, target), target)
    assert report.first.entity == f"site:{registry.site}"
    assert "differs from what was sealed" in report.first.reason


def test_a_deleted_change_entry_is_named(db, backend, registry, verifier):
    target = change_about(db, "user", 2)
    as_attacker(db, backend, "DELETE FROM changes WHERE id = :id", id=target)
    report = check(db, verifier)
    assert (report.first.leaf_index, report.first.change_id) == (leaf_of(db, target), target)
    assert "gone" in report.first.reason


def test_reordered_change_entries_are_named(db, backend, registry, verifier):
    first, second = change_about(db, "site", registry.site), change_about(db, "user", 1)
    as_attacker(db, backend,
                "UPDATE changes SET id = -1 WHERE id = :a",
                "UPDATE changes SET id = :a WHERE id = :b",
                "UPDATE changes SET id = :b WHERE id = -1", a=first, b=second)
    report = check(db, verifier)
    assert (report.first.leaf_index, report.first.change_id) == (leaf_of(db, first), first)
    assert {p.change_id for p in report.problems} >= {first, second}


def test_a_change_entry_inserted_among_sealed_ones_is_named(db, backend, registry, verifier):
    as_attacker(db, backend,
                "INSERT INTO changes (id, at, actor, via, action, entity_type, entity_id, diff,"
                " state) SELECT 0, at, 'mallory', via, action, entity_type, entity_id, diff, "
                "state FROM changes WHERE id = :id", id=change_about(db, "site", registry.site))
    report = check(db, verifier)
    assert (report.first.leaf_index, report.first.change_id) == (0, 0)
    assert "in no leaf" in report.first.reason


def test_a_change_entry_appended_with_a_false_state_is_named(db, backend, registry,
                                                             verifier):
    """An entry added after the last seal is not tampering with the past, but a state that
    no row holds is caught by the rows check."""
    with db.engine.begin() as conn:
        row = conn.execute(select(Change).where(Change.action == "record:imported",
                                                Change.state.contains("Шевчук"))
                           ).mappings().one()
        forged = {**row, "state": row["state"].replace("Шевчук", "Шевченко")}
        forged.pop("id")
        new_id = conn.execute(insert(Change).values(**forged).returning(Change.id)).scalar()
    report = check(db, verifier)
    assert report.pending == 1
    assert report.first.change_id == new_id
    assert {p.entity for p in report.problems} == {f"person:{registry.shevchuk}",
                                                   f"source_record:{row['entity_id']}"}
    assert "surname" in report.first.reason


def test_a_record_edited_behind_the_log_is_named(db, backend, registry, verifier):
    as_attacker(db, backend, "UPDATE persons SET surname = 'Підмінений' WHERE id = :id",
                id=registry.bondar)
    report = check(db, verifier)
    with db.engine.connect() as conn:
        latest = max(e.change_id for e in prove(conn, f"person:{registry.bondar}", None,
                                                None).entries)
    assert report.first.entity == f"person:{registry.bondar}"
    assert (report.first.leaf_index, report.first.change_id) == (leaf_of(db, latest), latest)
    assert report.first.reason.endswith("(fields: surname)")


def test_rows_added_or_removed_behind_the_log_are_caught(db, backend, registry, verifier):
    as_attacker(db, backend,
                "INSERT INTO sites (name_en, aliases, type) VALUES ('Ghost', '[]', 'other')",
                "DELETE FROM access_periods")
    problems = {(p.entity.split(":")[0], p.reason.split(" (")[0]) for p in
                check(db, verifier).problems}
    assert ("site", "the row has no change entry") in problems
    assert ("access_period", "the row is gone") in problems


def test_rewriting_an_entry_and_its_stored_hash_breaks_the_signed_root(db, backend, registry,
                                                                       verifier):
    from rollcall.ledger.entries import ENTRY_COLUMNS, entry_bytes
    from rollcall.ledger.merkle import leaf_hash

    target = change_about(db, "site", registry.site)
    as_attacker(db, backend, "UPDATE changes SET actor = 'mallory' WHERE id = :id", id=target)
    table = Change.__table__
    with db.engine.connect() as conn:
        row = conn.execute(select(*[table.c[c] for c in ENTRY_COLUMNS])
                           .where(table.c.id == target)).one()
    as_attacker(db, backend, "UPDATE ledger_leaves SET leaf_hash = :h WHERE change_id = :id",
                h=leaf_hash(entry_bytes(*row)), id=target)
    report = check(db, verifier)
    assert not report.ok
    assert "do not give the signed root" in report.first.reason
    assert report.first.leaf_index <= leaf_of(db, target)


def test_a_checkpoint_signed_by_another_key_is_refused(db, backend, registry, verifier):
    with db.engine.connect() as conn:
        size = conn.execute(select(func.max(LedgerCheckpoint.tree_size))).scalar_one()
        root = conn.execute(select(LedgerCheckpoint.root_hash)
                            .where(LedgerCheckpoint.tree_size == size)).scalar_one()
    forged = sign_checkpoint(Checkpoint(ORIGIN, size, bytes(root)), NoteSigner.generate(ORIGIN))
    as_attacker(db, backend, "UPDATE ledger_checkpoints SET note = :n WHERE tree_size = :s",
                n=forged, s=size)
    report = check(db, verifier)
    assert any(p.checkpoint == size and "does not verify" in p.reason for p in report.problems)



def test_the_verify_command_exits_non_zero_and_names_the_first_bad_entry(
        db, backend, registry, cli):
    result = cli("ledger", "verify")
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output
    target = change_about(db, "person", registry.kovalenko)
    as_attacker(db, backend, "UPDATE changes SET state = replace(state, 'Коваленко', 'Ковал')"
                " WHERE id = :id", id=target)
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert f"first bad entry: leaf {leaf_of(db, target)}, change {target}, " \
           f"person:{registry.kovalenko}" in result.output
    with db.engine.connect() as conn:
        assert conn.execute(select(Person.surname).where(Person.id == registry.kovalenko)
                            ).scalar() == "Коваленко"


def test_a_history_rewritten_and_signed_again_is_caught_by_a_kept_checkpoint(
        db, backend, registry, verifier):
    """An attacker holding the database and the key file rewrites an entry and rebuilds
    the whole log: it verifies against itself, not against a checkpoint kept elsewhere."""
    from rollcall.ledger import log
    from rollcall.ledger.keys import load_signer

    with db.engine.connect() as conn:
        _size, kept = log.latest_checkpoint(conn)
    target = change_about(db, "site", registry.site)
    as_attacker(db, backend, "UPDATE changes SET actor = 'mallory' WHERE id = :id",
                "DELETE FROM ledger_checkpoints", "DELETE FROM ledger_nodes",
                "DELETE FROM ledger_leaves", id=target)
    log.seal(db.engine, load_signer(get_settings()), ORIGIN, wait=True)
    assert check(db, verifier).ok
    report = verify(db.engine, [verifier], ORIGIN, kept=[kept])
    assert [p.reason for p in report.problems] == [
        "the log no longer gives the root of this checkpoint kept outside it: its history "
        "was rewritten"]


def test_merges_of_merges_splits_and_decisions_verify(db, operator, registry, verifier):
    """Identity resolution moves records, events and earlier merges with one entry per
    person: the verifier follows those moves (records.py) and finds nothing wrong."""
    from rollcall.models import SourceRecord
    from rollcall.services import linkage

    with db.session() as s:
        linkage.merge_persons(s, operator, [registry.shevchuk, registry.mykolaienko])
    with db.session() as s:  # a merge of a person that absorbed another
        linkage.merge_persons(s, operator, [registry.kovalenko, registry.shevchuk])
    with db.session() as s:
        records = s.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id == registry.kovalenko).order_by(SourceRecord.id)).all()
        linkage.split_person(s, operator, registry.kovalenko, records[-1:])
    report = check(db, verifier)
    assert report.ok, [str(p) for p in report.problems]
    with db.engine.connect() as conn:
        chained = conn.execute(select(Person.merged_into_id).where(
            Person.id == registry.mykolaienko)).scalar()
    assert chained == registry.kovalenko  # re-pointed by the second merge, without its own entry


# --- evidence, sealed fields, tracing requests ----------------------------------------------

@pytest.fixture
def evidence_world(db, operator, registry, tmp_path):
    """An evidence file received and linked to a person, a derived copy linked to another,
    the file handled (viewed, transferred); a testimony with a sealed witness link and
    narrative; a family's tracing request. Sealed into the log."""
    import datetime as dt
    import io

    from rollcall.ledger import log
    from rollcall.ledger.keys import load_signer
    from rollcall.services import evidence, testimonies
    from rollcall.services import tracing as tracing_service

    photo = tmp_path / "cell.jpg"
    photo.write_bytes(b"\xff\xd8\xff synthetic photograph")
    with db.session() as s:
        item = evidence.receive(s, operator, photo, kind="photo", reason="from a lawyer",
                                links=[f"person:{registry.kovalenko}"]).item.id
        copy = evidence.derive(s, operator, item, io.BytesIO(b"blurred"),
                               derivation="redacted", reason="faces blurred").item.id
        evidence.link(s, operator, copy, f"person:{registry.shevchuk}", reason="the same")
        _, stream = evidence.view(s, operator, item, reason="checking the date")
        stream.close()
        evidence.transfer(s, operator, item, recipient="Prosecutor (synthetic)",
                          reason="for trial")
        testimony = testimonies.record_testimony(
            s, operator, interviewer="Інтерв'юер", interviewed_on=dt.date(2024, 3, 1),
            language="uk", witness_person_id=registry.shevchuk, narrative="Вигадана.").id
        tracing_service.submit_request(s, tracing_service.PUBLIC, tracing_service.RequestForm(
            surname="Вигаданий", given_name="Андрій", requester_name="Олена",
            requester_relation="сестра", requester_contact="+380 67 000 11 22"))
    log.seal(db.engine, load_signer(get_settings()), ORIGIN, wait=True)
    return {"item": item, "copy": copy, "testimony": testimony}


def test_evidence_rows_sealed_fields_and_requests_verify_untouched(db, evidence_world,
                                                                    verifier):
    report = check(db, verifier)
    assert report.ok, [str(p) for p in report.problems]
    assert report.rows_checked["evidence"] == 2 and report.rows_checked["evidence_link"] == 2
    assert report.rows_checked["tracing_request"] == 1
    assert "evidence" not in report.unchecked and "tracing_request" not in report.unchecked


def test_evidence_rows_sealed_fields_and_requests_edited_behind_the_log_are_named(
        db, backend, evidence_world, verifier):
    """Each edit on rows of its own, all at once; each is named with what differs."""
    zeros = "0" * 64
    as_attacker(
        db, backend,
        f"UPDATE evidence_items SET sha256 = '{zeros}' WHERE id = :item",
        "UPDATE evidence_items SET derived_from_id = NULL, derivation = NULL WHERE id = :copy",
        "UPDATE evidence_links SET entity_id = entity_id + 1, linked_by = 'mallory' "
        "WHERE id = 1",
        "DELETE FROM evidence_links WHERE id = 2",
        "INSERT INTO evidence_links (id, item_id, entity_type, entity_id, linked_by, "
        "linked_at) SELECT 3, :copy, 'incident', 1, 'mallory', CURRENT_TIMESTAMP",
        "UPDATE testimonies SET witness = NULL, narrative = NULL",
        "UPDATE source_records SET person_to_inform = NULL WHERE id = 1",
        "UPDATE source_records SET person_to_inform = 'forged' WHERE id = 2",
        "UPDATE tracing_requests SET matched_person_id = 1", **{
            k: v for k, v in evidence_world.items() if k in ("item", "copy")})
    named = {p.entity: p for p in check(db, verifier).problems}
    expected = {
        "evidence:{item}": "(fields: sha256)",
        "evidence:{copy}": "(fields: derivation, derived_from_id)",
        "evidence_link:1": "(fields: entity_id, linked_by)",
        "evidence_link:2": "the row is gone",
        "evidence_link:3": "the row has no change entry",
        "testimony:{testimony}": "(fields: narrative_sha256, witness_linked)",
        "source_record:1": "(fields: person_to_inform_given)",
        "source_record:2": "(fields: person_to_inform_given)",
        "tracing_request:1": "(fields: matched_person_id)",
    }
    for entity, reason in expected.items():
        problem = named.get(entity.format(**evidence_world))
        assert problem is not None and reason in problem.reason, (entity, problem)
        assert (problem.change_id is None) == ("no change entry" in reason)
    assert len(named) == len(expected)


def test_a_custody_event_edited_or_deleted_is_named(db, backend, evidence_world, verifier):
    """The chain of custody is the item's change entries: rewriting its history shows."""
    with db.engine.connect() as conn:
        viewed, transferred = conn.execute(
            select(Change.id).where(Change.entity_type == "evidence",
                                    Change.action.in_(["evidence:viewed",
                                                       "evidence:transferred"]))
            .order_by(Change.id)).scalars().all()
    as_attacker(db, backend, "UPDATE changes SET state = replace(state, 'checking the date', "
                "'routine') WHERE id = :a", "DELETE FROM changes WHERE id = :b",
                a=viewed, b=transferred)
    report = check(db, verifier)
    assert (report.first.leaf_index, report.first.change_id) == (leaf_of(db, viewed), viewed)
    assert report.first.entity == f"evidence:{evidence_world['item']}"
    assert "differs from what was sealed" in report.first.reason
    assert any(p.change_id == transferred and "gone" in p.reason for p in report.problems)
