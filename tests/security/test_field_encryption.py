"""Field encryption (issue 5 part 4): family contacts are stored sealed with AES-256-GCM,
bound to their row, under data keys wrapped by a master key kept outside the database;
found by a blind index; re-encrypted by rotation while the data stay readable."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from rollcall.config import get_settings
from rollcall.errors import InvalidValue, PermissionDenied
from rollcall.models import Change, FieldKey, KeyPurpose, TracingRequest
from rollcall.security import fields
from rollcall.security.keyring import (
    MASTER_ENV,
    keyring,
    master_key_path,
    read_master_key,
    write_master_key,
)
from rollcall.services import keys, queries, testimonies
from rollcall.services import tracing as service
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import Origin, Role

CONTACTS = ("+380 67 123 45 67", "olena.example@example.org", "Брат Іван, 050 765 43 21")
LIAISON = Actor("liaison", "web", frozenset({Role.LIAISON}))
REGISTRAR = Actor("registrar", "web", frozenset({Role.REGISTRAR}))


def _submit(db, contact: str, surname: str = "Шевчук") -> int:
    form = service.RequestForm(surname=surname, given_name="Андрій", requester_name="Олена",
                               requester_relation="сестра", requester_contact=contact)
    with db.session() as s:
        reference = service.submit_request(s, service.PUBLIC, form)
        return s.scalars(select(TracingRequest.id)
                         .where(TracingRequest.reference == reference)).one()


def _stored(db, request_id: int) -> str:
    with db.session() as s:
        return s.execute(text("SELECT requester_contact FROM tracing_requests WHERE id = :i"),
                         {"i": request_id}).scalar_one()


def _contact(db, request_id: int) -> str | None:
    with db.session() as s:
        return service.request_contact(s, LIAISON, request_id)


def test_a_contact_is_stored_sealed_and_shown_only_to_whom_may_read_it(db):
    request_id = _submit(db, CONTACTS[0])
    stored = _stored(db, request_id)
    assert stored.startswith("enc:1:") and "123" not in stored
    assert _contact(db, request_id) == CONTACTS[0]
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            service.request_contact(s, Actor("a", "web", frozenset({Role.ANALYST})), request_id)
        reads = s.scalars(select(Change).where(Change.action == "sensitive:read")).all()
    assert [(c.entity_type, c.entity_id) for c in reads] == [("tracing_request", str(request_id))]


def test_the_sealed_value_is_bound_to_its_row_and_any_edit_is_refused(db):
    first, second = _submit(db, CONTACTS[0]), _submit(db, CONTACTS[1])
    with db.session() as s:
        s.execute(update(TracingRequest).where(TracingRequest.id == second)
                  .values(requester_contact=_stored(db, first)))
    with pytest.raises(InvalidValue, match=f"requester_contact of row {second} does not decrypt"):
        _contact(db, second)
    stored = _stored(db, first)
    head, body = stored.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with db.session() as s:
        s.execute(update(TracingRequest).where(TracingRequest.id == first).values(
            requester_contact=f"{head}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"))
    with pytest.raises(InvalidValue) as caught:
        _contact(db, first)
    assert "123" not in str(caught.value)


def test_a_request_is_found_by_its_contact_written_another_way(db):
    ids = [_submit(db, c) for c in CONTACTS]
    with db.session() as s:
        assert service.find_requests_by_contact(s, LIAISON, "067-123-45-67") == [ids[0]]
        assert service.find_requests_by_contact(s, LIAISON, "+38 (067) 1234567") == [ids[0]]
        assert service.find_requests_by_contact(s, LIAISON, " Olena.Example@EXAMPLE.org") == [
            ids[1]]
        assert service.find_requests_by_contact(s, LIAISON, "050 765 43 21") == [ids[2]]
        assert service.find_requests_by_contact(s, LIAISON, "+380 67 123 45 68") == []
        with pytest.raises(PermissionDenied):
            service.find_requests_by_contact(s, REGISTRAR, CONTACTS[0])


def test_rotation_reencrypts_everything_and_destroys_the_old_key(db):
    operator = Actor("admin", "cli", frozenset({Role.ADMIN}))
    ids = [_submit(db, c) for c in CONTACTS]
    with db.session() as s:  # a value stored before encryption existed
        s.execute(update(TracingRequest).where(TracingRequest.id == ids[2])
                  .values(requester_contact="legacy 099 111 22 33"))
    with db.session() as s:
        (old_data,) = s.scalars(select(FieldKey.id).where(FieldKey.purpose == KeyPurpose.DATA))
    report = keys.rotate_data_key(db, operator, index=True)
    assert report.reencrypted == {"tracing_requests.requester_contact": 3,
                                  "testimonies.narrative": 0, "testimonies.witness": 0,
                                  "source_records.person_to_inform": 0,
                                  "users.totp_secret": 0}
    assert old_data in report.destroyed and report.data_key != old_data
    assert all(_stored(db, i).startswith(f"enc:1:{report.data_key}:") for i in ids)
    assert [_contact(db, i) for i in ids] == [*CONTACTS[:2], "legacy 099 111 22 33"]
    with db.session() as s:
        old = s.get(FieldKey, old_data)
        assert old.wrapped is None and old.destroyed_at is not None
        assert service.find_requests_by_contact(s, LIAISON, "0671234567") == [ids[0]]
        assert service.find_requests_by_contact(s, LIAISON, "0991112233") == [ids[2]]
        status = keys.key_status(s, operator)
    assert [(k.purpose, k.live, k.in_use) for k in status if k.live] == [
        (KeyPurpose.DATA, True, True), (KeyPurpose.INDEX, True, True)]
    with pytest.raises(PermissionDenied):
        keys.rotate_data_key(db, REGISTRAR)


def test_a_new_master_key_rewraps_the_data_keys(db, tmp_path, monkeypatch):
    operator = Actor("admin", "cli", frozenset({Role.ADMIN}))
    request_id = _submit(db, CONTACTS[0])
    old_master = read_master_key(master_key_path(get_settings()))
    new_master = write_master_key(tmp_path / "new-master.key")
    assert keys.rewrap_master_key(db, operator, new_master) == 2  # a data and an index key
    with pytest.raises(InvalidValue, match="does not open field key"):
        _contact(db, request_id)  # the old master no longer opens them
    monkeypatch.setenv(MASTER_ENV, base64.b64encode(new_master).decode())
    assert keyring().master == new_master != old_master
    assert _contact(db, request_id) == CONTACTS[0]


def test_a_master_key_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "m.key"
    write_master_key(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    path.chmod(0o644)
    with pytest.raises(InvalidValue, match="chmod 600"):
        read_master_key(path)


NARRATIVE = "Вигадана розповідь: у підвалі нас тримали без води три доби."
INVESTIGATOR = Actor("investigator", "web", frozenset({Role.INVESTIGATOR}))


def _testimony(db) -> int:
    with db.session() as s:
        return testimonies.record_testimony(
            s, INVESTIGATOR, interviewer="Інтерв'юер", interviewed_on=dt.date(2024, 3, 1),
            language="uk", narrative=NARRATIVE).id


def test_a_narrative_is_sealed_and_each_showing_is_logged(db):
    testimony_id = _testimony(db)
    with db.session() as s:
        stored = s.execute(text("SELECT narrative FROM testimonies")).scalar_one()
        assert stored.startswith("enc:1:")
        shown = testimonies.get_testimony(s, INVESTIGATOR, testimony_id)
        hidden = testimonies.get_testimony(s, Actor("a", "web", frozenset({Role.ANALYST})),
                                           testimony_id)
    assert (shown.narrative, hidden.narrative) == (NARRATIVE, None)
    with db.session() as s:
        reads = s.scalars(select(Change).where(Change.action == "sensitive:read")).all()
    assert [(c.actor, c.entity_type, c.state) for c in reads] == [
        ("investigator", "testimony", '{"field":"narrative"}')]


LIST_CONTACTS = ("Дружина Вигадана Марта, +380 96 222 33 44", "сестра: вигадана@example.org")
LIST = ("Прізвище,Ім'я,Особа для повідомлення\n"
        + "".join(f"Вигаданий{n},Іван,\"{LIST_CONTACTS[n % 2]}\"\n" for n in range(8)))


def _import_and_link_witnesses(db, tmp_path) -> list[int]:
    """A list with persons to inform imported and shown; two testimonies linked to
    witnesses of it (persons 6 and 7, ids no testimony, act or source has) and shown."""
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    import_list(db, Actor("registrar", "cli", frozenset({Role.REGISTRAR})), path,
                title="Вигаданий список", origin=Origin.OWN_BUREAU)
    witnesses = [6, 7]
    with db.session() as s:
        assert len(queries.search_records(s, REGISTRAR).items) == 8  # contacts shown
        for person in witnesses:
            shown = testimonies.get_testimony(s, INVESTIGATOR, testimonies.record_testimony(
                s, INVESTIGATOR, interviewer="Інтерв'юер", interviewed_on=dt.date(2024, 3, 1),
                language="uk", witness_person_id=person).id)
            assert shown.witness_person_id == person
    return witnesses


def _numbers(value) -> set[int]:
    """Every integer in a JSON value (booleans aside)."""
    if isinstance(value, dict):
        return set().union(*map(_numbers, value.values()))
    if isinstance(value, list):
        return set().union(*map(_numbers, value))
    return {value} if isinstance(value, int) and not isinstance(value, bool) else set()


def _table_text(db, name: str) -> list[list[str]]:
    """A full-table text export: every row, every column as text."""
    with db.engine.connect() as conn:
        return [["" if v is None else str(v) for v in row]
                for row in conn.execute(text(f'SELECT * FROM "{name}"'))]


def test_a_dump_of_the_database_holds_none_of_the_contacts(db, db_url, backend, tmp_path):
    for contact in CONTACTS:
        _submit(db, contact)
    for request_id in (1, 2, 3):
        _contact(db, request_id)  # reads are logged too: the log must not hold them either
    testimony_id = _testimony(db)
    with db.session() as s:
        assert testimonies.get_testimony(s, INVESTIGATOR, testimony_id).narrative == NARRATIVE
    witnesses = _import_and_link_witnesses(db, tmp_path)
    # No witness link in clear: no testimony cell holds a witness's id, no entry about a
    # testimony or an act names one (an entry about a person may: that is the person).
    for row in _table_text(db, "testimonies"):
        assert not {str(w) for w in witnesses} & set(row), row
    for row in _table_text(db, "changes"):
        if row[5] in ("testimony", "act"):
            assert "witness_person_id" not in row[8]
            assert not set(witnesses) & _numbers(json.loads(row[8])), row[8]
    db.dispose()
    if backend == "sqlite":
        path = Path(db_url.removeprefix("sqlite:///"))
        wal = path.with_name(path.name + "-wal")
        dump = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    else:
        url = db_url.replace("postgresql+psycopg://", "postgresql://")
        dump = subprocess.run(["pg_dump", "--data-only", url], check=True,
                              capture_output=True).stdout
    assert b"enc:1:" in dump and b"[sealed]" in dump
    for contact in CONTACTS + LIST_CONTACTS:
        for needle in (contact, contact[-9:], fields.normalise(contact)):
            assert needle.encode() not in dump, needle
    for needle in (NARRATIVE, "без води", "Вигадана Марта", "вигадана@"):
        assert needle.encode() not in dump
