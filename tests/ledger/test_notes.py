"""Keys and signed notes, against the known answer in the documentation of Go's reference
implementation, golang.org/x/mod/sumdb/note (note.go, "Example"): its key, its text, and
the exact signed note (Ed25519 is deterministic, so our signature must be the same)."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from rollcall.errors import Conflict, InvalidValue, LedgerError
from rollcall.ledger.checkpoint import (
    Checkpoint,
    NoteError,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)
from rollcall.ledger.keys import (
    NoteSigner,
    NoteVerifier,
    check_key_name,
    create_key_file,
    key_id,
    read_key_file,
)
from rollcall.ledger.merkle import EMPTY_ROOT

GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n")
GO_NOTE = (GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIu"
           "GUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def test_the_go_reference_key_note_and_signature_are_reproduced():
    signer = NoteSigner.parse(GO_SKEY)
    assert signer.text == GO_SKEY
    assert signer.verifier.text == GO_VKEY
    assert signer.verifier.key_id.hex() == "c74f20a3"
    assert key_id("PeterNeumann", signer.verifier.public_key).hex() == "c74f20a3"
    assert sign_note(GO_TEXT, signer) == GO_NOTE
    assert open_note(GO_NOTE, [NoteVerifier.parse(GO_VKEY)]) == GO_TEXT


def test_notes_with_changed_text_bad_or_unknown_signatures_are_refused():
    good = NoteVerifier.parse(GO_VKEY)
    other = NoteSigner.generate("PeterNeumann").verifier  # same name, another key
    with pytest.raises(NoteError, match="does not verify"):
        open_note(GO_NOTE.replace("answer", "Answer"), [good])
    with pytest.raises(NoteError, match="no trusted key"):
        open_note(GO_NOTE, [other])
    stranger = sign_note(GO_TEXT, NoteSigner.generate("example.org/other"))
    assert open_note(GO_NOTE[:-1] + "\n" + stranger.split("\n\n")[1], [good]) == GO_TEXT
    for broken in (GO_TEXT, GO_NOTE[:-1], GO_NOTE.replace("\u2014", "-"),
                   GO_NOTE.replace("x08go", "x08go "), GO_NOTE.replace("\n\n", "\n\t\n")):
        with pytest.raises(NoteError):
            open_note(broken, [good])


def test_checkpoint_body_is_the_tlog_checkpoint_format():
    signer = NoteSigner.generate("bureau.example.org/rollcall")
    checkpoint = Checkpoint("bureau.example.org/rollcall", 20852163, EMPTY_ROOT)
    note = sign_checkpoint(checkpoint, signer)
    body = note.split("\n\n")[0] + "\n"
    assert body == ("bureau.example.org/rollcall\n20852163\n"
                    + base64.b64encode(EMPTY_ROOT).decode() + "\n")
    assert note.split("\n\n")[1].startswith("\u2014 bureau.example.org/rollcall ")
    assert open_checkpoint(note, [signer.verifier]) == checkpoint
    for bad in ("o\n01\nAAAA\n", "o\n1\n" + base64.b64encode(b"short").decode() + "\n",
                "o\n\n1\n", "o\n1\n"):
        with pytest.raises(NoteError):
            Checkpoint.parse(bad)


def test_key_names_and_verifier_keys_are_checked():
    for bad in ("", "has space", "a+b", "tab\there"):
        with pytest.raises(InvalidValue):
            check_key_name(bad)
    with pytest.raises(InvalidValue, match="ID does not match"):
        NoteVerifier.parse(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(InvalidValue):
        NoteVerifier.parse("PeterNeumann+c74f20a3")


def test_key_file_is_private_never_overwritten_and_refused_if_readable(tmp_path):
    path = tmp_path / "keys" / "ledger.key"
    signer = create_key_file(path, "bureau.example.org/rollcall")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_key_file(path).verifier == signer.verifier
    with pytest.raises(Conflict):
        create_key_file(path, "bureau.example.org/rollcall")
    assert read_key_file(path).verifier == signer.verifier
    os.chmod(path, 0o644)
    with pytest.raises(LedgerError, match="chmod 600"):
        read_key_file(path)
