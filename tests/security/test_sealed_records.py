"""The person to inform of imported records and the witness link of testimonies are sealed
(issue 5 part 4): stored encrypted and bound to their row, never in the verbatim row nor
the change log, shown only to whom may read them with each showing logged; the witness
found again through its blind index; values stored before sealing existed sealed by
`rollcall keys seal`; all re-encrypted by rotation."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from alembic import command
from sqlalchemy import select, text, update

from rollcall import models
from rollcall.db import alembic_config
from rollcall.errors import PermissionDenied
from rollcall.export import record_rows, write_table
from rollcall.export.tables import RECORD_COLUMNS
from rollcall.models import Change, Person, SourceRecord
from rollcall.services import keys, linkage, queries, testimonies, witnesses
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.witnesses import witness_links
from rollcall.vocabulary import Origin, Role

CONTACTS = ("Мати Олена Вигадана, +380 50 111 22 33", "батько, вул. Вигадана 7, Полтава")
LIST = ("Прізвище,Ім'я,Особа для повідомлення\n"
        f"Вигаденко,Степан,\"{CONTACTS[0]}\"\n"
        f"Уявний,Орест,\"{CONTACTS[1]}\"\n"
        "Небувалий,Тарас,\n")
REGISTRAR = Actor("registrar", "web", frozenset({Role.REGISTRAR}))
ANALYST = Actor("analyst", "web", frozenset({Role.ANALYST}))
INVESTIGATOR = Actor("investigator", "web", frozenset({Role.INVESTIGATOR}))
ADMIN = Actor("admin", "cli", frozenset({Role.ADMIN}))


@pytest.fixture
def imported(db, operator, tmp_path, monkeypatch, request):
    """The list imported; `worker` in the test's name: prepared by the worker process."""
    if "worker" in request.node.name:
        monkeypatch.setenv("ROLLCALL_IMPORT_WORKER_MIN_BYTES", "0")
        from rollcall.config import get_settings
        get_settings.cache_clear()
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    report = import_list(db, operator, path, title="Вигаданий список", origin=Origin.OWN_BUREAU)
    assert report.accepted == 3
    return report.source_id


def _stored(db):
    with db.session() as s:
        return s.execute(select(SourceRecord.id, SourceRecord.person_to_inform,
                                SourceRecord.raw).order_by(SourceRecord.id)).all()


def _reads(db, field):
    with db.session() as s:
        return [(c.actor, c.entity_type, c.entity_id) for c in s.scalars(
            select(Change).where(Change.action == "sensitive:read",
                                 Change.state.contains(f'"{field}"')).order_by(Change.id))]


@pytest.mark.parametrize("how", ["in_process", "in_worker"])
def test_the_person_to_inform_is_sealed_in_the_row_the_raw_cell_and_the_log(db, imported, how):
    rows = _stored(db)
    assert [r.person_to_inform.startswith("enc:1:") for r in rows[:2]] == [True, True]
    assert rows[2].person_to_inform is None
    assert [r.raw.get("Особа для повідомлення") for r in rows] == ["[sealed]", "[sealed]", None]
    with db.session() as s:
        states = [json.loads(c.state)["record"] for c in s.scalars(
            select(Change).where(Change.action == "record:imported").order_by(Change.id))]
        everything = "".join(s.scalars(select(Change.state)))
    assert [r["person_to_inform_given"] for r in states] == [True, True, False]
    assert all("person_to_inform" not in r for r in states)
    for contact in CONTACTS:
        assert contact not in everything and contact.split(",")[0] not in everything


def test_a_reader_of_contacts_sees_them_each_showing_logged_others_never(db, imported):
    with db.session() as s:
        record_ids = s.scalars(select(SourceRecord.id).order_by(SourceRecord.id)).all()
        shown = queries.search_records(s, REGISTRAR, source_id=imported)
        hidden = queries.get_record(s, ANALYST, record_ids[0])
    assert [v.fields["person_to_inform"] for v in shown.items] == [*CONTACTS, None]
    assert [v.raw.get("Особа для повідомлення") for v in shown.items] == [*CONTACTS, None]
    assert (hidden.fields["person_to_inform"], hidden.raw["Особа для повідомлення"]) == (
        None, None)
    # One entry per record shown that has a contact; none for the analyst.
    assert _reads(db, "person_to_inform") == [
        ("registrar", "source_record", str(record_ids[0])),
        ("registrar", "source_record", str(record_ids[1]))]


def test_an_export_opens_the_contacts_for_readers_of_them_as_one_entry(db, imported):
    def export(actor):
        out = io.BytesIO()
        with db.session() as s:
            write_table(record_rows(s, actor), RECORD_COLUMNS, "jsonl", out)
        return [json.loads(line)["person_to_inform"] for line in out.getvalue().splitlines()]

    assert export(REGISTRAR) == [*CONTACTS, None]
    assert export(Actor("a", "cli", frozenset({Role.ANALYST}))) == [None, None, None]
    with db.session() as s:
        (entry,) = s.scalars(select(Change).where(Change.action == "sensitive:read")).all()
    assert (entry.entity_type, entry.entity_id, json.loads(entry.state)) == (
        "export", "records", {"field": "person_to_inform", "records_up_to": 3})


def _testimony(db, witness: int | None) -> int:
    with db.session() as s:
        return testimonies.record_testimony(
            s, INVESTIGATOR, interviewer="Інтерв'юер", interviewed_on=dt.date(2024, 3, 1),
            language="uk", witness_person_id=witness).id


def test_the_witness_link_is_sealed_found_by_its_index_and_each_showing_logged(db, imported):
    with db.session() as s:
        first, second, third = s.scalars(select(Person.id).order_by(Person.id)).all()
    t1, t2, t3 = _testimony(db, first), _testimony(db, second), _testimony(db, None)
    with db.session() as s:
        stored = dict(s.execute(select(models.Testimony.id, models.Testimony.witness)).all())
        assert stored[t1].startswith("enc:1:") and stored[t3] is None
        assert witness_links(s) == {t1: first, t2: second}  # aggregate use: no entry
    assert _reads(db, "witness") == []
    with db.session() as s:
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, first) == [t1]
        with pytest.raises(PermissionDenied):
            witnesses.testimonies_of_witness(s, ANALYST, first)
        linkage.merge_persons(s, ADMIN, [first, second])  # second's testimony follows
    with db.session() as s:
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, first) == [t1, t2]
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, second) == [t1, t2]
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, third) == []
        view = testimonies.get_testimony(s, INVESTIGATOR, t2)
    assert (view.witness_linked, view.witness_person_id) == (True, second)
    assert [entity for _, _, entity in _reads(db, "witness")] == [
        str(t) for t in (t1, t1, t2, t1, t2, t2)]


def test_rotation_reencrypts_contacts_and_witness_links_and_their_index(db, imported):
    with db.session() as s:
        person = s.scalars(select(Person.id).order_by(Person.id)).first()
    testimony = _testimony(db, person)
    report = keys.rotate_data_key(db, ADMIN, index=True)
    assert report.reencrypted["source_records.person_to_inform"] == 2
    assert report.reencrypted["testimonies.witness"] == 1
    head = f"enc:1:{report.data_key}:"
    assert all(r.person_to_inform is None or r.person_to_inform.startswith(head)
               for r in _stored(db))
    with db.session() as s:
        assert s.get(models.Testimony, testimony).witness.startswith(head)
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, person) == [testimony]
        shown = queries.search_records(s, REGISTRAR, source_id=imported)
    assert [v.fields["person_to_inform"] for v in shown.items] == [*CONTACTS, None]


def test_values_stored_before_sealing_are_sealed_by_keys_seal(db, operator, tmp_path):
    """A database made before 0014: its witness ids move to the new column in clear
    (the migration has no key) and its contacts sit in clear; `keys seal` seals both and
    fills the blind index."""
    config = alembic_config(db.engine)
    command.downgrade(config, "0013")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO persons (id, surname, category, custody_status, legal_status, "
            "search_key, created_at, updated_at) VALUES (41, 'Давній', 'pow', 'unknown', "
            "'unknown', 'давній', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO testimonies (id, pseudonym, witness_person_id, interviewer, "
            "interviewed_on, language, consent_statistics, consent_public_report, "
            "consent_prosecution, consent_icrc, recorded_at) VALUES (1, 'W-000001', 41, "
            "'Інтерв''юер', '2023-01-05', 'uk', true, false, false, false, "
            "CURRENT_TIMESTAMP)"))
    command.upgrade(config, "head")
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    import_list(db, operator, path, title="Вигаданий список", origin=Origin.OWN_BUREAU)
    with db.session() as s:  # as an import before sealing stored it
        s.execute(update(SourceRecord).where(SourceRecord.person_to_inform.is_not(None))
                  .values(person_to_inform="legacy: брат, 097 000 11 22"))
        assert s.get(models.Testimony, 1).witness == "41"
        assert witness_links(s) == {1: 41}  # readable in clear meanwhile
        assert keys.clear_values(s, ADMIN) == {"testimonies.witness": 1,
                                               "source_records.person_to_inform": 2}
    assert keys.seal_clear_values(db, ADMIN) == {
        "tracing_requests.requester_contact": 0, "testimonies.narrative": 0,
        "testimonies.witness": 1, "source_records.person_to_inform": 2,
        "users.totp_secret": 0}
    with db.session() as s:
        assert keys.clear_values(s, ADMIN) == {}
        assert s.get(models.Testimony, 1).witness.startswith("enc:1:")
        assert witnesses.testimonies_of_witness(s, INVESTIGATOR, 41) == [1]
        shown = queries.search_records(s, REGISTRAR)
        assert [v.fields["person_to_inform"] for v in shown.items][:2] == [
            "legacy: брат, 097 000 11 22"] * 2
        entry = s.scalars(select(Change).where(
            Change.action == "field_key:sealed_clear_values")).one()
        assert json.loads(entry.state)["sealed"]["source_records.person_to_inform"] == 2
    assert keys.seal_clear_values(db, ADMIN)["source_records.person_to_inform"] == 0
