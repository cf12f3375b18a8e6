"""Checkpoints: the log's signed statements "the tree of N entries has root R".

A checkpoint is a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) in a C2SP signed note
(c2sp.org/signed-note):

    <origin>
    <tree size>
    <base64 root hash>

    — <key name> <base64(4-byte key ID || Ed25519 signature of the three lines)>

The signature covers the text up to and including its last newline, not the blank line.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from rollcall.ledger.keys import NoteSigner, NoteVerifier, check_key_name
from rollcall.ledger.merkle import HASH_SIZE

EM_DASH = "\u2014"


class NoteError(ValueError):
    """A note that is malformed or not signed by a trusted key."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    @property
    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        lines = body.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
            raise NoteError("a checkpoint has at least three non-empty lines")
        origin, size_text, root_text = lines[:3]
        if not size_text.isascii() or not size_text.isdigit() or (
            size_text != "0" and size_text.startswith("0")
        ):
            raise NoteError("the tree size is not a decimal number")
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error:
            raise NoteError("the root hash is not base64") from None
        if len(root) != HASH_SIZE:
            raise NoteError("the root hash is not 32 bytes")
        return cls(origin, int(size_text), root)


def sign_note(text: str, signer: NoteSigner) -> str:
    """The signed note of `text` (which ends in a newline)."""
    signature = signer.verifier.key_id + signer.sign(text.encode())
    return f"{text}\n{EM_DASH} {signer.name} {base64.b64encode(signature).decode()}\n"


def sign_checkpoint(checkpoint: Checkpoint, signer: NoteSigner) -> str:
    check_key_name(checkpoint.origin)
    return sign_note(checkpoint.body, signer)


def open_note(note: str, verifiers: Iterable[NoteVerifier]) -> str:
    """The text of a note, if a trusted key signed it; NoteError otherwise.

    As the signed-note spec says: signatures of unknown keys are ignored; one from a known
    key (same name and key ID) must verify, else the whole note is rejected; at least one
    known signature is required.
    """
    if not note.endswith("\n") or any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise NoteError("a note is UTF-8 text ending in a newline, without control characters")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("the note has no signatures")
    text, signature_lines = note[: cut + 1], note[cut + 2 :].split("\n")[:-1]
    if not signature_lines or len(signature_lines) > 100:
        raise NoteError("the note has no signatures, or too many")
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = False
    for line in signature_lines:
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        if dash != EM_DASH or not name or not encoded or " " in encoded:
            raise NoteError("malformed signature line")
        try:
            signature = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("malformed signature line") from None
        if len(signature) < 5:
            raise NoteError("malformed signature line")
        verifier = known.get((name, signature[:4]))
        if verifier is None:
            continue
        if not verifier.verify(text.encode(), signature[4:]):
            raise NoteError(f"the signature of key {name!r} does not verify")
        verified = True
    if not verified:
        raise NoteError("no trusted key signed this note")
    return text


def open_checkpoint(note: str, verifiers: Iterable[NoteVerifier]) -> Checkpoint:
    return Checkpoint.parse(open_note(note, verifiers))
