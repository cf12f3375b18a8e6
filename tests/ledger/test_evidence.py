"""Evidence items and their chain of custody, on both databases: every handling is a
change entry with who, when and why; refusals leave nothing behind."""

from __future__ import annotations

import hashlib
import io
import json
import os

import pytest
from sqlalchemy import func, select

from rollcall.errors import Conflict, InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, EvidenceItem, EvidenceLink
from rollcall.services import evidence, incidents
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role

PHOTO = b"\xff\xd8\xff synthetic photograph of a cell"


def _counts(db):
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(EvidenceItem)),
                s.scalar(select(func.count()).select_from(EvidenceLink)),
                s.scalar(select(func.count()).select_from(Change)))


def _entries(db, item_id):
    with db.session() as s:
        rows = s.execute(select(Change.action, Change.actor, Change.state)
                         .where(Change.entity_type == "evidence",
                                Change.entity_id == str(item_id))
                         .order_by(Change.id)).all()
    return [(action, who, json.loads(state)) for action, who, state in rows]


@pytest.fixture
def incident_id(db, operator):
    with db.session() as s:
        return incidents.record_incident(s, operator, type="torture", title="Beatings on "
                                         "arrival (synthetic)", victim_count=2).id


def test_receive_link_derive_view_copy_transfer_each_leave_an_entry_with_reason(
        db, operator, incident_id, tmp_path):
    photo = tmp_path / "cell.jpg"
    photo.write_bytes(PHOTO)
    with db.session() as s:
        got = evidence.receive(s, operator, photo, kind="photo", reason="from the lawyer",
                               links=[f"incident:{incident_id}"])
        original = got.item.id
        assert got.created and got.item.media_type == "image/jpeg"
        assert got.item.original_name == "cell.jpg" and got.item.size == len(PHOTO)
    with db.session() as s:
        copy = evidence.derive(s, operator, original, io.BytesIO(b"blurred copy"),
                               derivation="redacted", reason="faces blurred",
                               original_name="cell-redacted.jpg").item
        assert (copy.derived_from_id, copy.derivation.value) == (original, "redacted")
        assert copy.kind.value == "photo" and copy.id != original
        derived = copy.id
    with db.session() as s:
        item, stream = evidence.view(s, operator, original, reason="checking the date")
        with stream:
            assert stream.read() == PHOTO
        assert evidence.copy_out(s, operator, original, tmp_path / "out.jpg",
                                 reason="for the expert") == len(PHOTO)
        evidence.transfer(s, operator, original, recipient="Prosecutor's office, case 1/23",
                          reason="requested for trial")
    assert (tmp_path / "out.jpg").read_bytes() == PHOTO

    entries = _entries(db, original)
    assert [a for a, _w, _s in entries] == ["evidence:received", "evidence:linked",
                                            "evidence:viewed", "evidence:copied",
                                            "evidence:transferred"]
    reasons = [s["custody"]["reason"] for _a, _w, s in entries]
    assert reasons == ["from the lawyer", "from the lawyer", "checking the date",
                       "for the expert", "requested for trial"]
    assert all(who == "test-operator" for _a, who, _s in entries)
    received, linked, _viewed, copied, transferred = (s for _a, _w, s in entries)
    assert received["sha256"] == item.sha256 and received["custody"]["event"] == "received"
    assert linked["custody"]["link"]["entity_type"] == "incident"
    assert linked["custody"]["link"]["entity_id"] == incident_id
    assert copied["custody"]["destination"].endswith("out.jpg")
    assert transferred["custody"]["recipient"] == "Prosecutor's office, case 1/23"
    (derived_entry,) = _entries(db, derived)
    assert derived_entry[0] == "evidence:derived"
    assert derived_entry[2]["derived_from_id"] == original
    assert derived_entry[2]["custody"]["original_sha256"] == item.sha256

    with db.session() as s:
        chain = evidence.history(s, operator, original)
        assert [e.event for e in chain] == ["received", "linked", "derived", "viewed",
                                            "copied", "transferred"]
        assert chain[2].item_id == derived and chain[2].reason == "faces blurred"
        assert [i.id for i in evidence.items_linked_to(s, "incident", [incident_id])] == [
            original]


def test_the_same_bytes_twice_are_one_blob_and_one_item_received_twice(db, operator):
    with db.session() as s:
        first = evidence.receive(s, operator, io.BytesIO(PHOTO), kind="photo",
                                 reason="by mail", original_name="a.jpg")
        second = evidence.receive(s, operator, io.BytesIO(PHOTO), kind="document",
                                  reason="again by courier", original_name="b.jpg")
        assert first.created and not second.created
        assert second.item.id == first.item.id and second.item.kind.value == "photo"
        item_id = first.item.id
    store = evidence.evidence_store()
    assert len(list(store.digests())) == 1
    entries = _entries(db, item_id)
    assert [a for a, _w, _s in entries] == ["evidence:received", "evidence:received"]
    assert entries[1][2]["custody"] == {"event": "received", "reason": "again by courier",
                                        "original_name": "b.jpg", "again": True}


def test_a_derived_copy_must_differ_from_every_stored_file(db, operator):
    with db.session() as s:
        item = evidence.receive(s, operator, io.BytesIO(PHOTO), kind="photo",
                                reason="r").item.id
    before = _counts(db)
    with pytest.raises(Conflict, match=f"evidence item {item}"), db.session() as s:
        evidence.derive(s, operator, item, io.BytesIO(PHOTO), derivation="exif_stripped",
                        reason="nothing to strip")
    assert _counts(db) == before


@pytest.mark.parametrize("call, error, message", [
    (lambda s, a, i: evidence.receive(s, a, io.BytesIO(b"x"), kind="photo", reason=" "),
     InvalidValue, "reason"),
    (lambda s, a, i: evidence.receive(s, a, io.BytesIO(b"x"), kind="hologram", reason="r"),
     InvalidValue, "kind"),
    (lambda s, a, i: evidence.receive(s, a, io.BytesIO(b"x"), kind="photo", reason="r",
                                      links=["incident:999"]), NotFound, "incident 999"),
    (lambda s, a, i: evidence.receive(s, a, io.BytesIO(b"x"), kind="photo", reason="r",
                                      links=["visit:1"]), InvalidValue, "link"),
    (lambda s, a, i: evidence.receive(s, a, io.BytesIO(b"x"), kind="photo", reason="r",
                                      media_type="not a type"), InvalidValue, "media_type"),
    (lambda s, a, i: evidence.derive(s, a, i, io.BytesIO(b"y"), derivation="cropped",
                                     reason="r"), InvalidValue, "derivation"),
    (lambda s, a, i: evidence.derive(s, a, 999, io.BytesIO(b"y"), derivation="redacted",
                                     reason="r"), NotFound, "evidence item 999"),
    (lambda s, a, i: evidence.link(s, a, i, "incident:1", reason="r"), Conflict, "already"),
    (lambda s, a, i: evidence.view(s, a, i, reason=""), InvalidValue, "reason"),
    (lambda s, a, i: evidence.transfer(s, a, i, recipient=" ", reason="r"), InvalidValue,
     "recipient"),
])
def test_bad_input_is_refused_and_nothing_changes(db, operator, incident_id, call, error,
                                                 message):
    with db.session() as s:
        item = evidence.receive(s, operator, io.BytesIO(PHOTO), kind="photo", reason="r",
                                links=[f"incident:{incident_id}"]).item.id
    before = _counts(db)
    blobs = sorted(evidence.evidence_store().digests())
    with pytest.raises(error, match=message), db.session() as s:
        call(s, operator, item)
    assert _counts(db) == before
    assert sorted(evidence.evidence_store().digests()) == blobs


def test_registrars_receive_but_do_not_open_analysts_neither(db, operator):
    registrar = Actor("reg", "api", frozenset({Role.REGISTRAR}))
    analyst = Actor("ana", "api", frozenset({Role.ANALYST}))
    investigator = Actor("inv", "api", frozenset({Role.INVESTIGATOR}))
    auditor = Actor("aud", "api", frozenset({Role.AUDITOR}))
    with db.session() as s:
        item = evidence.receive(s, registrar, io.BytesIO(PHOTO), kind="photo",
                                reason="came with the list").item.id
    with pytest.raises(PermissionDenied), db.session() as s:
        evidence.view(s, registrar, item, reason="curious")
    with pytest.raises(PermissionDenied), db.session() as s:
        evidence.receive(s, analyst, io.BytesIO(b"other"), kind="photo", reason="r")
    with pytest.raises(PermissionDenied), db.session() as s:
        evidence.history(s, analyst, item)
    with db.session() as s:
        assert len(evidence.history(s, auditor, item)) == 1
        _item, stream = evidence.view(s, investigator, item, reason="coding the incident")
        stream.close()
    assert [a for a, _w, _s in _entries(db, item)] == ["evidence:received", "evidence:viewed"]


def test_check_store_finds_a_changed_and_a_missing_file(db, operator):
    with db.session() as s:
        kept = evidence.receive(s, operator, io.BytesIO(b"one"), kind="document",
                                reason="r").item
        changed = evidence.receive(s, operator, io.BytesIO(b"two"), kind="document",
                                   reason="r").item
        gone = evidence.receive(s, operator, io.BytesIO(b"three"), kind="document",
                                reason="r").item
        ids = kept.id, changed.id, gone.id
        digests = kept.sha256, changed.sha256, gone.sha256
    store = evidence.evidence_store()
    with db.session() as s:
        assert evidence.check_store(s, operator).ok
    path = store.path_of(digests[1])
    os.chmod(path, 0o640)
    path.write_bytes(b"TWO")
    os.chmod(store.path_of(digests[2]), 0o640)
    store.path_of(digests[2]).unlink()
    with db.session() as s:
        report = evidence.check_store(s, operator)
    assert not report.ok and report.items == 3 and report.blobs == 2
    assert [b.sha256 for b in report.bad] == [digests[1]]
    assert report.missing == [ids[2]] and report.wrong_size == []


def test_cli_commands(db, db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from rollcall.cli import app
    from rollcall.config import get_settings

    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def cli(*args: str):
        return runner.invoke(app, ["--as", "clerk", *map(str, args)])

    photo = tmp_path / "cell.jpg"
    photo.write_bytes(PHOTO)
    (tmp_path / "blurred.jpg").write_bytes(b"blurred")
    added = cli("evidence", "add", photo, "--kind", "photo", "--reason", "from the lawyer")
    assert added.exit_code == 0 and added.stdout.startswith("evidence 1: "), added.output
    assert cli("evidence", "derive", 1, tmp_path / "blurred.jpg", "--derivation", "redacted",
               "--reason", "faces blurred").exit_code == 0
    assert cli("evidence", "copy", 1, tmp_path / "out.jpg", "--reason", "expert").exit_code == 0
    assert cli("evidence", "transfer", 1, "--to", "Court", "--reason", "trial").exit_code == 0
    refused = cli("evidence", "transfer", 1, "--to", "Court", "--reason", " ")
    assert refused.exit_code != 0 and "reason" in str(refused.exception)
    shown = cli("evidence", "show", 1)
    assert shown.exit_code == 0, shown.output
    chain = [line.split("Z ", 1)[1] for line in shown.stdout.splitlines() if "Z " in line]
    assert [c.split(" ")[0] for c in chain] == ["received", "derived", "copied", "transferred"]
    assert all(" by clerk via cli: " in c for c in chain)
    assert cli("evidence", "check").exit_code == 0
    blob = evidence.evidence_store().path_of(hashlib.sha256(PHOTO).hexdigest())
    os.chmod(blob, 0o640)
    blob.write_bytes(b"changed")
    checked = cli("evidence", "check")
    assert checked.exit_code == 1 and f"CHANGED {blob.name}" in checked.stdout
