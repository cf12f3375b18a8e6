"""`rollcall ledger keygen | key | checkpoint | prove`, and a proof bundle checked the way
someone without Rollcall would check it (docs/ledger.md)."""

from __future__ import annotations

import base64
import hashlib
import json

import rfc8785
from sqlalchemy import select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.ledger import merkle
from rollcall.ledger.checkpoint import open_checkpoint
from rollcall.ledger.keys import NoteVerifier
from rollcall.ledger.records import RecordedStates
from rollcall.models import SourceRecord
from rollcall.services.changes import entity_state


def test_keygen_writes_a_key_once_and_key_prints_its_verifier(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLLCALL_LEDGER_ORIGIN", "bureau.example.org/rollcall")
    monkeypatch.setenv("ROLLCALL_LEDGER_KEY_FILE", str(tmp_path / "k" / "log.key"))
    get_settings.cache_clear()
    runner = CliRunner()
    made = runner.invoke(app, ["ledger", "keygen"])
    assert made.exit_code == 0, made.output
    vkey = made.stdout.strip().splitlines()[-1]
    assert NoteVerifier.parse(vkey).name == "bureau.example.org/rollcall"
    assert runner.invoke(app, ["ledger", "key"]).stdout.strip() == vkey
    again = runner.invoke(app, ["ledger", "keygen"])
    assert again.exit_code != 0 and "exists already" in str(again.exception)


def test_prove_gives_a_bundle_checkable_without_rollcall(db, registry, cli):
    checkpoint_text = cli("ledger", "checkpoint").stdout
    result = cli("ledger", "prove", f"person:{registry.kovalenko}", "--json")
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    assert bundle["checkpoint"] == checkpoint_text
    # What an auditor does, with the verifier key they were given and generic tools only:
    vkey = NoteVerifier.parse(bundle["verifier_keys"][0])
    checkpoint = open_checkpoint(bundle["checkpoint"], [vkey])
    actions = []
    for entry in bundle["entries"]:
        data = entry["entry"].encode()
        assert data == rfc8785.dumps(json.loads(entry["entry"]))  # canonical JSON
        leaf = hashlib.sha256(b"\x00" + data).digest()
        assert leaf.hex() == entry["leaf_hash"]
        proof = [bytes.fromhex(p) for p in entry["inclusion_proof"]]
        assert merkle.verify_inclusion(entry["leaf_index"], checkpoint.size, leaf, proof,
                                       checkpoint.root)
        assert entry["verified"]
        actions.append(json.loads(entry["entry"])["action"])
    # the import that created the person, then its merge
    assert actions[0] == "record:imported" and "person:merged" in actions
    assert base64.b64encode(checkpoint.root).decode() in bundle["checkpoint"]


def test_prove_in_text_and_refusals(db, registry, cli):
    text = cli("ledger", "prove", f"site:{registry.site}")
    assert text.exit_code == 0 and "verified" in text.stdout and "proof:" in text.stdout
    assert cli("ledger", "prove", "site:999").exit_code != 0
    assert cli("ledger", "prove", "nonsense").exit_code != 0


def test_seal_command_and_empty_log(db, cli):
    assert cli("ledger", "seal").stdout.strip() == "nothing to seal"
    assert cli("ledger", "checkpoint").exit_code != 0


def test_the_fast_row_states_are_entity_state(db, registry):
    """The verifier reads rows with Core for speed: the same values entity_state gives."""
    states = RecordedStates()
    with db.session() as s:
        for name, table in states.tables.items():
            for obj in s.scalars(select(table.coverage.model)).all():
                key = obj.id
                with db.engine.connect() as conn:
                    assert states.current_state(conn, name, key) == entity_state(obj), name
        assert s.scalars(select(SourceRecord)).first() is not None


def test_the_documented_script_checks_a_bundle_without_rollcall(db, registry, cli, tmp_path):
    """docs/ledger.md's script, run as written, on a real bundle; and it can fail."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    script = tmp_path / "check_proof.py"
    script.write_text(re.search(r"```python\n(.*?)```", docs, re.S).group(1), encoding="utf-8")
    bundle = tmp_path / "bundle.json"
    bundle.write_text(cli("ledger", "prove", f"person:{registry.bondar}", "--json").stdout,
                      encoding="utf-8")
    vkey = cli("ledger", "key").stdout.strip()
    run = subprocess.run([sys.executable, str(script), str(bundle), vkey],
                         capture_output=True, text=True, check=True)
    assert run.stdout.startswith("OK ") and "BAD" not in run.stdout
    forged = json.loads(bundle.read_text(encoding="utf-8"))
    forged["entries"][0]["entry"] = forged["entries"][0]["entry"].replace("Бондар", "Бондаренко")
    bundle.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(bundle), vkey],
                         capture_output=True, text=True, check=True)
    assert run.stdout.startswith("BAD ")
