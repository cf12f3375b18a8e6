"""Evidence packages: an incident's records, proofs, checkpoint, key and files in a zip that
verifies without the database; changing any byte of any file in it fails, naming the file."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.errors import InvalidValue, NotFound
from rollcall.ledger.keys import NoteSigner, key_path, read_key_file
from rollcall.ledger.package import export_package
from rollcall.ledger.package_verify import MANIFEST, SUMS, verify_package
from rollcall.models import Change
from rollcall.services import evidence, incidents, testimonies

NARRATIVE = "Синтетична розповідь свідка, якої не має бути в пакеті"


@dataclass
class World:
    incident: int
    consenting: int  # testimony with consent to prosecution
    refusing: int  # testimony without it
    photo: int
    report: int
    redacted: int
    unrelated: int
    recording: int  # linked to the consenting testimony


@pytest.fixture
def world(db, operator) -> World:
    with db.session() as s:
        def testimony(pseudonym: str, consent: bool) -> int:
            return testimonies.record_testimony(
                s, operator, interviewer="Interviewer A", interviewed_on=dt.date(2024, 3, 1),
                language="uk", pseudonym=pseudonym, consent_prosecution=consent,
                narrative=NARRATIVE).id

        consenting, refusing = testimony("W-001", True), testimony("W-002", False)
        incident = incidents.record_incident(s, operator, type="torture",
                                             title="Beatings on admission (synthetic)",
                                             victim_count=3).id
        incidents.add_source(s, operator, incident, kind="testimony", testimony_id=consenting)
        incidents.add_source(s, operator, incident, kind="testimony", testimony_id=refusing)
        incidents.add_source(s, operator, incident, kind="document",
                             reference="Synthetic medical report no. 7", origin="Clinic")

        def receive(data: bytes, name: str, kind: str, *links: str) -> int:
            return evidence.receive(s, operator, io.BytesIO(data), kind=kind,
                                    reason="received from the mission", original_name=name,
                                    links=list(links)).item.id

        photo = receive(b"\xff\xd8synthetic photo" * 1000, "cell.jpg", "photo",
                        f"incident:{incident}")
        report = receive(b"%PDF synthetic report\n", "report.pdf", "document",
                         f"incident:{incident}")
        unrelated = receive(b"unrelated file", "other.txt", "other")
        recording = receive(b"synthetic interview audio", "w-001.ogg", "audio",
                            f"testimony:{consenting}")
        redacted = evidence.derive(s, operator, photo, io.BytesIO(b"blurred synthetic photo"),
                                   derivation="redacted", reason="faces blurred").item.id
        evidence.link(s, operator, redacted, f"incident:{incident}", reason="public version")
    return World(incident, consenting, refusing, photo, report, redacted, unrelated,
                 recording)


def _deployment_key() -> str:
    return read_key_file(key_path(get_settings())).verifier.text


def _contents(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(path, contents: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def test_an_incident_package_holds_what_it_should_and_verifies(db, operator, world, tmp_path):
    out = tmp_path / "incident.zip"
    made = export_package(db, operator, out, reason="request of the prosecutor, case 1/23",
                          incident_id=world.incident)
    contents = _contents(out)
    with db.session() as s:
        digest = {i: evidence.find_item(s, i).sha256 for i in
                  (world.photo, world.report, world.redacted, world.unrelated, world.recording)}
    files = sorted(n for n in contents if n.startswith("files/"))
    assert files == sorted(f"files/{digest[i]}" for i in
                           (world.photo, world.report, world.redacted))
    assert made.files == 3 and contents[f"files/{digest[world.photo]}"] == (
        b"\xff\xd8synthetic photo" * 1000)
    records = [json.loads(contents[n]) for n in contents if n.startswith("records/")]
    entities = {f"{r['entity_type']}:{r['entity_id']}" for r in records}
    assert f"incident:{world.incident}" in entities
    assert f"testimony:{world.consenting}" in entities
    assert f"testimony:{world.refusing}" not in entities  # no consent to prosecution
    assert {e for e in entities if e.startswith("incident_source:")} == {
        "incident_source:1", "incident_source:2", "incident_source:3"}
    assert {e for e in entities if e.startswith("evidence:")} == {
        f"evidence:{i}" for i in (world.photo, world.report, world.redacted)}
    assert not any(NARRATIVE.encode() in data for data in contents.values())
    manifest = json.loads(contents[MANIFEST])
    assert manifest["withheld"] == [f"testimony:{world.refusing}: the witness did not "
                                    "consent to use in prosecution"]
    assert len(manifest["records"]) == made.records == len(records)
    # exporting is a custody event of each file, carried in the package itself
    exported = [r for r in records if r["action"] == "evidence:exported"]
    assert sorted(int(r["entity_id"]) for r in exported) == sorted(
        (world.photo, world.report, world.redacted))
    assert all(r["state"]["custody"]["reason"] == "request of the prosecutor, case 1/23"
               and r["state"]["custody"]["package"]["name"] == "incident.zip"
               for r in exported)
    with db.session() as s:
        assert s.scalar(select(Change.id).where(Change.action == "evidence:exported",
                                                Change.entity_id == str(world.unrelated))
                        ) is None

    report = verify_package(out)
    assert report.ok, report.problems
    assert report.records == made.records and report.files == 3
    assert any("own key" in note for note in report.notes)
    trusted = verify_package(out, _deployment_key())
    assert trusted.ok and trusted.key_supplied and not trusted.notes
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(out).extractall(folder)
    assert verify_package(folder, _deployment_key()).ok


def test_changing_any_byte_of_any_file_fails_naming_that_file(db, operator, world, tmp_path):
    out = tmp_path / "incident.zip"
    export_package(db, operator, out, reason="court", incident_id=world.incident)
    contents = _contents(out)
    assert len(contents) > 20
    tampered = tmp_path / "tampered.zip"
    for name, data in sorted(contents.items()):
        for position in sorted({0, len(data) // 3, len(data) // 2, len(data) - 1}):
            for flip in (0x01, 0x20):
                changed = bytearray(data)
                changed[position] ^= flip
                _rezip(tampered, {**contents, name: bytes(changed)})
                report = verify_package(tampered)
                where = f"{name} byte {position} ^ {flip:#x}"
                assert not report.ok, where
                blamed = report.blamed()
                assert name in blamed, f"{where}: {report.problems}"
                allowed = {name} | ({MANIFEST, SUMS} if name in (MANIFEST, SUMS) else set())
                assert blamed <= allowed, f"{where}: {report.problems}"


def test_files_added_or_removed_are_named(db, operator, world, tmp_path):
    out = tmp_path / "incident.zip"
    export_package(db, operator, out, reason="court", incident_id=world.incident)
    contents = _contents(out)
    record = next(n for n in contents if n.startswith("records/"))
    _rezip(tmp_path / "less.zip", {n: d for n, d in contents.items() if n != record})
    report = verify_package(tmp_path / "less.zip")
    assert not report.ok and any(record.replace("records", "proofs") == p.file
                                 for p in report.problems)
    _rezip(tmp_path / "more.zip", {**contents, "notes.txt": b"added later"})
    report = verify_package(tmp_path / "more.zip")
    assert [p.file for p in report.problems if p.file == "notes.txt"] == ["notes.txt"]


def test_the_packages_own_key_proves_nothing_alone(db, operator, world, tmp_path):
    out = tmp_path / "incident.zip"
    export_package(db, operator, out, reason="court", incident_id=world.incident)
    stranger = NoteSigner.generate(get_settings().ledger_origin).verifier.text
    report = verify_package(out, stranger)
    assert not report.ok
    assert {p.file for p in report.problems} == {"key.txt", "checkpoint.txt"}
    with pytest.raises(InvalidValue):
        verify_package(out, "not a key")


def test_entities_packages_and_refusals(db, operator, world, tmp_path):
    out = tmp_path / "photo.zip"
    made = export_package(db, operator, out, reason="expert opinion",
                          entities=[f"evidence:{world.photo}"])
    assert made.files == 1 and verify_package(out, _deployment_key()).ok
    # a testimony's recording comes only when the testimony itself is named
    made = export_package(db, operator, tmp_path / "testimony.zip", reason="trial",
                          entities=[f"testimony:{world.consenting}"])
    assert made.files == 1 and verify_package(tmp_path / "testimony.zip").ok
    with db.session() as s:
        recording = evidence.find_item(s, world.recording).sha256
    assert f"files/{recording}" in _contents(tmp_path / "testimony.zip")
    with pytest.raises(InvalidValue, match="nothing to export"):
        export_package(db, operator, tmp_path / "z.zip", reason="trial",
                       entities=[f"testimony:{world.refusing}"])
    with pytest.raises(InvalidValue, match="exists already"):
        export_package(db, operator, out, reason="again", entities=[f"evidence:{world.photo}"])
    with pytest.raises(NotFound, match="incident 99"):
        export_package(db, operator, tmp_path / "x.zip", reason="r", incident_id=99)
    with pytest.raises(InvalidValue, match="reason"):
        export_package(db, operator, tmp_path / "y.zip", reason=" ", incident_id=world.incident)
    assert not (tmp_path / "x.zip").exists() and not (tmp_path / "y.zip").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".zip") == [
        "photo.zip", "testimony.zip"]


def test_cli_exports_and_verifies(db, db_url, world, tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()
    out = tmp_path / "cli.zip"
    made = runner.invoke(app, ["package", "export", "--incident", str(world.incident),
                               "--out", str(out), "--reason", "court"])
    assert made.exit_code == 0, made.output
    assert "3 files" in made.stdout and f"withheld testimony:{world.refusing}" in made.stdout
    key = runner.invoke(app, ["ledger", "key"]).stdout.strip()
    good = runner.invoke(app, ["package", "verify", str(out), "--key", key])
    assert good.exit_code == 0 and "OK" in good.stdout, good.output
    contents = _contents(out)
    name = next(n for n in contents if n.startswith("files/"))
    _rezip(out, {**contents, name: contents[name] + b"!"})
    bad = runner.invoke(app, ["package", "verify", str(out), "--key", key])
    assert bad.exit_code == 1 and f"BAD {name}:" in bad.stdout


def test_the_documented_shell_steps_check_a_package(db, operator, world, tmp_path):
    """docs/ledger.md's steps, run as written with sha256sum, openssl and xxd; and they
    can fail."""
    import re
    import subprocess
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Evidence packages: checking one by hand"):]
    script = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    out = tmp_path / "incident.zip"
    made = export_package(db, operator, out, reason="court", incident_id=world.incident)
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(out).extractall(folder)

    def run() -> str:
        done = subprocess.run(["bash", "-c", script], cwd=folder, capture_output=True,
                              text=True, env={"BUREAU_KEY": _deployment_key(),
                                              "PATH": "/usr/bin:/bin"}, check=False)
        return done.stdout + done.stderr

    output = run()
    lines = output.splitlines()
    assert "BAD" not in output, output
    assert "OK   SHA256SUMS" in lines and "OK   key.pem" in lines
    assert "OK   checkpoint.txt" in lines
    assert sum(line.startswith("OK   records/") for line in lines) == made.records
    assert sum(line.startswith("OK   files/") for line in lines) == made.files == 3

    record = sorted(folder.glob("records/*.json"))[0]
    record.write_bytes(record.read_bytes().replace(b'"actor":"', b'"actor":"X'))
    blob = sorted(folder.glob("files/*"))[0]
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes() + b"!")
    output = run()
    assert f"BAD  records/{record.name}" in output and f"BAD  files/{blob.name}" in output
    assert "OK   SHA256SUMS" not in output and "FAILED" in output
