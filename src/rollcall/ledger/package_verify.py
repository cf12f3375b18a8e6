"""Checking an evidence package without the database (`rollcall package verify`).

A package (written by `rollcall.ledger.package`) is a zip, or the folder it unzips to:

    SHA256SUMS          `sha256sum` lines over every other file, sorted by name
    manifest.json       what is inside: the checkpoint's figures, the records, the files
    checkpoint.txt      the log's signed checkpoint (C2SP signed note)
    checkpoint.body     the text that signature covers (for openssl)
    checkpoint.sig      the raw 64-byte Ed25519 signature (for openssl)
    key.txt             the log's verifier key, NAME+KEYID+BASE64 (C2SP signed-note)
    key.pem             the same public key as PEM (for openssl)
    records/<id>.json   change entries, each exactly the bytes of its leaf in the log
    proofs/<id>.json    each record's inclusion proof in the checkpoint's tree
    files/<sha256>      evidence files, named by the SHA-256 of their bytes

What makes it evidence: the checkpoint is signed; each record's leaf hash and proof give
the signed root; the records of evidence files name each file's SHA-256; each file's bytes
give that hash. SHA256SUMS and the manifest are conveniences held to the same bytes.

Every byte counts, and the blame goes to the file that was changed: each file is checked
on its own first (signature, proof, hash, or exact re-rendering of what it must say); a
line of SHA256SUMS that disagrees with a file that checks out blames SHA256SUMS. The one
case that cannot be settled is the manifest's own line when the manifest checks out on
everything it can be held to (its export time, reason and selection are stated by
nobody else): the message then names both files.

A package's own key proves only that the package is intact: anyone can sign a package with
a key of their own. Pass the bureau's verifier key, obtained apart from the package, to
know who signed it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from rollcall.errors import InvalidValue
from rollcall.ledger.checkpoint import Checkpoint, NoteError, open_checkpoint
from rollcall.ledger.keys import NoteVerifier
from rollcall.ledger.merkle import HASH_SIZE, leaf_hash, verify_inclusion

FORMAT = "rollcall-evidence-package/1"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
CHECKPOINT = "checkpoint.txt"
CHECKPOINT_BODY = "checkpoint.body"
CHECKPOINT_SIG = "checkpoint.sig"
KEY_TEXT = "key.txt"
KEY_PEM = "key.pem"
FIXED = (SUMS, MANIFEST, CHECKPOINT, CHECKPOINT_BODY, CHECKPOINT_SIG, KEY_TEXT, KEY_PEM)
CHUNK = 1 << 20
#: Actions whose records name an evidence file by its SHA-256.
FILE_ACTIONS = ("evidence:received", "evidence:derived")


# ---- how each file is written (the exporter uses the same functions) ----------------

def render_json(value: Any) -> bytes:
    """The one way a package writes JSON of its own: sorted keys, two-space indent."""
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def inclusion_steps(index: int, size: int, proof: Sequence[bytes]) -> list[str]:
    """The proof as steps for someone walking it by hand: "left H" means the next hash is
    SHA-256(0x01 || H || current), "right H" SHA-256(0x01 || current || H). The sides
    follow from index and size alone (RFC 9162 2.1.3.2)."""
    steps = []
    fn, sn = index, size - 1
    for p in proof:
        if fn & 1 or fn == sn:
            steps.append(f"left {p.hex()}")
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            steps.append(f"right {p.hex()}")
        fn >>= 1
        sn >>= 1
    return steps


def render_proof(change_id: int, index: int, size: int, leaf: bytes,
                 proof: Sequence[bytes]) -> bytes:
    return render_json({
        "change_id": change_id, "leaf_index": index, "tree_size": size,
        "leaf_hash": leaf.hex(), "inclusion_proof": [p.hex() for p in proof],
        "steps": inclusion_steps(index, size, proof),
    })


def render_sums(digests: dict[str, str]) -> bytes:
    """SHA256SUMS in `sha256sum` format (text mode: two spaces), sorted by name."""
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)).encode()


def render_pem(verifier: NoteVerifier) -> bytes:
    return Ed25519PublicKey.from_public_bytes(verifier.public_key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A signed note's text and its signature lines as (key name, key ID || signature)."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("the note has no signatures")
    lines = []
    for line in note[cut + 2:].split("\n")[:-1]:
        _dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        try:
            lines.append((name, base64.b64decode(encoded, validate=True)))
        except binascii.Error:
            raise NoteError("malformed signature line") from None
    return note[: cut + 1], lines


def signature_of(note: str, verifier: NoteVerifier) -> bytes:
    """The raw Ed25519 signature the verifier's key made in a note."""
    for name, blob in split_note(note)[1]:
        if name == verifier.name and blob[:4] == verifier.key_id:
            return blob[4:]
    raise NoteError("the note has no signature of this key")


# ---- reading a package ----------------------------------------------------------------

class _Files:
    """A package's files, from a zip or from the folder it was unzipped to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self.names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*")
                                if p.is_file())
        else:
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InvalidValue(f"{path.name}: not a zip file ({exc})") from None
            listed = [i.filename for i in self.zip.infolist() if not i.is_dir()]
            doubles = sorted({n for n in listed if listed.count(n) > 1})
            if doubles:
                raise InvalidValue(f"{path.name}: the zip holds two files named {doubles[0]}")
            self.names = sorted(listed)

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self.zip is not None:
            with self.zip.open(name) as stream:
                yield stream
        else:
            with open(self.path / name, "rb") as stream:
                yield stream

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            return stream.read()

    def sha256(self, name: str) -> str:
        digest = hashlib.sha256()
        with self.open(name) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass
class PackageReport:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    records: int = 0
    files: int = 0
    checkpoint: Checkpoint | None = None
    key: NoteVerifier | None = None
    #: The checkpoint was checked with a key the verifier supplied, not only the package's.
    key_supplied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def bad(self, file: str, reason: str) -> None:
        self.problems.append(Problem(file, reason))

    def blamed(self) -> set[str]:
        return {p.file for p in self.problems}


class _Check:
    def __init__(self, files: _Files, supplied: NoteVerifier | None) -> None:
        self.files = files
        self.supplied = supplied
        self.report = PackageReport(key_supplied=supplied is not None)
        self.digests: dict[str, str] = {}
        #: Files whose every byte was held to something independent of SHA256SUMS.
        self.settled: set[str] = set()
        self.entries: dict[int, dict[str, Any]] = {}  # proven records by change id
        self.own_key: NoteVerifier | None = None  # key.txt, if it holds up

    def bad(self, file: str, reason: str) -> None:
        self.report.bad(file, reason)

    def text(self, name: str) -> str | None:
        if name not in self.files.names:
            self.bad(name, "missing from the package")
            return None
        try:
            return self.files.read(name).decode("utf-8")
        except UnicodeDecodeError:
            self.bad(name, "not UTF-8 text")
            return None

    # -- key and checkpoint ------------------------------------------------------------

    def key(self) -> NoteVerifier | None:
        text = self.text(KEY_TEXT)
        own = None
        if text is not None:
            try:
                own = NoteVerifier.parse(text.removesuffix("\n"))
                if text != own.text + "\n":
                    raise InvalidValue("not exactly one verifier key and a newline")
            except InvalidValue as exc:
                self.bad(KEY_TEXT, exc.message)
                own = None
            else:
                self.settled.add(KEY_TEXT)
                self.own_key = own
        if own is not None and self.supplied is not None and own != self.supplied:
            self.bad(KEY_TEXT, "not the verifier key you gave: the checkpoint is checked "
                               "with yours")
        if own is not None and KEY_PEM in self.files.names:
            if self.files.read(KEY_PEM) != render_pem(own):
                self.bad(KEY_PEM, "not the public key of key.txt in PEM form")
            else:
                self.settled.add(KEY_PEM)
        elif KEY_PEM not in self.files.names:
            self.bad(KEY_PEM, "missing from the package")
        self.report.key = self.supplied or own
        return self.supplied or own

    def checkpoint(self, key: NoteVerifier | None) -> Checkpoint | None:
        note = self.text(CHECKPOINT)
        if note is None:
            return None
        if key is None:
            self.report.notes.append("the checkpoint was not checked: no usable key")
            return None
        try:
            checkpoint = open_checkpoint(note, [key])
        except NoteError as exc:
            whose = "the key you gave" if self.supplied else "key.txt"
            self.bad(CHECKPOINT, f"its signature does not verify with {whose}: {exc}")
            return None
        self.settled.add(CHECKPOINT)
        body, signature = note[: note.rfind("\n\n") + 1], signature_of(note, key)
        for name, expected in ((CHECKPOINT_BODY, body.encode()),
                               (CHECKPOINT_SIG, signature)):
            if name not in self.files.names:
                self.bad(name, "missing from the package")
            elif self.files.read(name) != expected:
                self.bad(name, "not the " + ("signed text" if name == CHECKPOINT_BODY
                                             else "signature") + " of checkpoint.txt")
            else:
                self.settled.add(name)
        self.report.checkpoint = checkpoint
        return checkpoint

    # -- records and proofs -------------------------------------------------------------

    def records(self, checkpoint: Checkpoint | None) -> None:
        ids = {}
        for name in self.files.names:
            folder, _, base = name.partition("/")
            if folder in ("records", "proofs"):
                stem = base.removesuffix(".json")
                if not base.endswith(".json") or not stem.isdigit() or str(int(stem)) != stem:
                    self.bad(name, "not a record or proof name (<change id>.json)")
                    continue
                ids.setdefault(int(stem), set()).add(folder)
        for change_id in sorted(ids):
            record, proof = f"records/{change_id}.json", f"proofs/{change_id}.json"
            if ids[change_id] != {"records", "proofs"}:
                lone = record if "records" in ids[change_id] else proof
                other = proof if lone == record else record
                self.bad(lone, f"{other} is missing")
                continue
            self.report.records += 1
            if checkpoint is not None:
                self.record(change_id, record, proof, checkpoint)

    def record(self, change_id: int, record: str, proof_name: str,
               checkpoint: Checkpoint) -> None:
        data = self.files.read(record)
        actual = leaf_hash(data)
        raw = self.files.read(proof_name)
        try:
            proof = json.loads(raw)
            index, size = proof["leaf_index"], proof["tree_size"]
            stated = bytes.fromhex(proof["leaf_hash"])
            path = [bytes.fromhex(p) for p in proof["inclusion_proof"]]
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (index, size)):
                raise ValueError("leaf_index and tree_size are whole numbers")
            if len(stated) != HASH_SIZE or any(len(p) != HASH_SIZE for p in path):
                raise ValueError("a hash is not 32 bytes")
            if raw != render_proof(change_id, index, size, stated, path):
                raise ValueError("not in the package's exact format")
        except (ValueError, KeyError, TypeError) as exc:
            self.bad(proof_name, f"not a proof: {exc}")
            return
        if size != checkpoint.size or proof["change_id"] != change_id:
            self.bad(proof_name, f"is for a tree of {size} entries, not the checkpoint's "
                                 f"{checkpoint.size}" if size != checkpoint.size
                     else "names another change")
            return
        if not verify_inclusion(index, size, stated, path, checkpoint.root):
            if verify_inclusion(index, size, actual, path, checkpoint.root):
                self.bad(proof_name, "its leaf_hash is not the record's")
            else:
                self.bad(proof_name, "the inclusion proof does not lead to the checkpoint's "
                                     "root")
            return
        self.settled.add(proof_name)
        if actual != stated:
            self.bad(record, "its bytes are not the entry the log sealed: their leaf hash "
                             "is not the one the proof leads from to the signed root")
            return
        try:
            entry = json.loads(data)
        except ValueError:  # proven bytes that are not JSON: the log's own doing
            self.bad(record, "proven, but not JSON")
            return
        if entry.get("id") != change_id:
            self.bad(record, f"holds change {entry.get('id')}, not {change_id}")
            return
        self.settled.add(record)
        self.entries[change_id] = entry

    # -- evidence files -----------------------------------------------------------------

    def evidence(self, checked: bool) -> dict[str, dict[str, Any]]:
        """Each file's latest proven evidence state, by SHA-256. Unless `checked` (the
        records could all be held to a good checkpoint), a file without a proven record
        is not blamed: the fault lies with what was blamed already."""
        named: dict[str, dict[str, Any]] = {}
        for _change_id, entry in sorted(self.entries.items()):
            if entry.get("entity_type") != "evidence" or not isinstance(entry.get("state"),
                                                                          dict):
                continue
            digest = entry["state"].get("sha256")
            if isinstance(digest, str) and (entry.get("action") in FILE_ACTIONS
                                            or digest in named):
                named[digest] = entry["state"]
        for name in self.files.names:
            if not name.startswith("files/"):
                continue
            self.report.files += 1
            digest = self.digests[name]
            stem = name.removeprefix("files/")
            if digest != stem:
                self.bad(name, f"its bytes do not give its name: they hash to {digest}")
            elif stem not in named and checked:
                self.bad(name, "no record in the package names this file (no proven "
                               "evidence:received or evidence:derived entry with its hash)")
            elif stem in named:
                self.settled.add(name)
        return named

    # -- manifest and sums --------------------------------------------------------------

    def manifest(self, checkpoint: Checkpoint | None, key: NoteVerifier | None,
                 named: dict[str, dict[str, Any]]) -> bool:
        """True if the manifest holds up on everything it can be held to."""
        if MANIFEST not in self.files.names:
            self.bad(MANIFEST, "missing from the package")
            return False
        raw = self.files.read(MANIFEST)
        try:
            manifest = json.loads(raw)
            if raw != render_json(manifest):
                raise ValueError("not in the package's exact format")
        except ValueError as exc:
            self.bad(MANIFEST, f"not a manifest: {exc}")
            return False
        wrong = self._manifest_wrong(manifest, checkpoint, key, named)
        if wrong:
            self.bad(MANIFEST, wrong)
            return False
        return True

    def _manifest_wrong(self, manifest: Any, checkpoint: Checkpoint | None,
                        key: NoteVerifier | None, named: dict[str, dict[str, Any]]
                        ) -> str | None:
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return f"not a manifest of format {FORMAT}"
        if checkpoint is not None and (
                manifest.get("origin"), manifest.get("tree_size"), manifest.get("root_hash")
        ) != (checkpoint.origin, checkpoint.size, checkpoint.root.hex()):
            return "its origin, tree size or root hash are not the checkpoint's"
        if self.own_key is not None and manifest.get("key") != self.own_key.text:
            return "its key is not key.txt's"
        records = manifest.get("records")
        files = manifest.get("files")
        if not isinstance(records, list) or not isinstance(files, list) or not all(
                isinstance(item, dict) for item in [*records, *files]):
            return "its records and files are not lists of objects"
        present = sorted(int(n[8:-5]) for n in self.files.names
                         if n.startswith("records/") and n[8:-5].isdigit())
        if [r.get("change_id") for r in records] != present:
            return "its list of records is not the records in the package"
        for listed in records:
            entry = self.entries.get(listed["change_id"])
            if entry is not None and listed != {
                    "change_id": entry["id"], "action": entry.get("action"),
                    "entity": f"{entry.get('entity_type')}:{entry.get('entity_id')}",
                    "path": f"records/{entry['id']}.json"}:
                return f"its entry for change {entry['id']} does not describe that record"
        present_files = sorted(n for n in self.files.names if n.startswith("files/"))
        if sorted(str(f.get("path")) for f in files) != present_files:
            return "its list of files is not the files in the package"
        for listed in files:
            state = named.get(str(listed.get("sha256")))
            if listed.get("path") != f"files/{listed.get('sha256')}":
                return f"its entry for {listed.get('path')} names another hash"
            if state is not None and any(listed.get(k) != state.get(v) for k, v in (
                    ("item_id", "id"), ("size", "size"), ("media_type", "media_type"),
                    ("kind", "kind"), ("derived_from_id", "derived_from_id"),
                    ("derivation", "derivation"))):
                return f"its entry for {listed['path']} differs from the file's record"
        return None

    def sums(self, manifest_ok: bool) -> None:
        if SUMS not in self.files.names:
            self.bad(SUMS, "missing from the package")
            return
        others = {n: d for n, d in self.digests.items() if n != SUMS}
        raw = self.files.read(SUMS)
        if raw == render_sums(others):
            return
        listed: dict[str, str] = {}
        for number, line in enumerate(raw.decode("utf-8", "replace").split("\n")[:-1], 1):
            digest, sep, name = line.partition("  ")
            if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                self.bad(SUMS, f"line {number} is not `<sha256>  <file>`")
                return
            if name in listed:
                self.bad(SUMS, f"lists {name} twice")
                return
            listed[name] = digest
        if render_sums(listed) != raw:
            self.bad(SUMS, "not in the package's exact format")
        blamed = self.report.blamed()
        for name in sorted(set(listed) | set(others)):
            if name in blamed:
                continue  # that file's own check failed and said why
            if name not in listed:
                self.bad(SUMS, f"has no line for {name}")
            elif name not in others:
                self.bad(SUMS, f"lists {name}, which is not in the package")
            elif listed[name] != others[name]:
                if name in self.settled:
                    self.bad(SUMS, f"its line for {name} does not match that file, which "
                                   "checks out on its own")
                elif name == MANIFEST and manifest_ok:
                    self.bad(SUMS, "its line for manifest.json does not match manifest.json: "
                                   "one of the two files was changed")
                    self.bad(MANIFEST, "does not match its line in SHA256SUMS")
                else:
                    self.bad(name, "its bytes do not match its line in SHA256SUMS")

    def unknown(self) -> None:
        for name in self.files.names:
            folder = name.partition("/")[0] if "/" in name else None
            known = name in FIXED or (folder in ("records", "proofs", "files")
                                       and name.count("/") == 1)
            if not known:
                self.bad(name, "not part of an evidence package")


def verify_package(path: Path, verifier_key: str | NoteVerifier | None = None
                   ) -> PackageReport:
    """Check a package (zip or unzipped folder) without any database."""
    supplied = (NoteVerifier.parse(verifier_key) if isinstance(verifier_key, str)
                else verifier_key)
    files = _Files(Path(path))
    try:
        check = _Check(files, supplied)
        try:
            for name in files.names:
                check.digests[name] = files.sha256(name)
        except zipfile.BadZipFile as exc:  # a byte of the zip itself changed (CRC)
            check.bad(Path(path).name, str(exc))
            return check.report
        check.unknown()
        key = check.key()
        checkpoint = check.checkpoint(key)
        check.records(checkpoint)
        named = check.evidence(checkpoint is not None and not any(
            p.file.startswith(("records/", "proofs/")) for p in check.report.problems))
        manifest_ok = check.manifest(checkpoint, key, named)
        check.sums(manifest_ok)
        if check.report.checkpoint is not None and supplied is None:
            check.report.notes.append(
                "checked with the package's own key (key.txt) only: that shows the package "
                "is intact, not who made it. Compare key.txt with the verifier key the bureau "
                "published, or pass it with --key.")
        return check.report
    finally:
        files.close()
