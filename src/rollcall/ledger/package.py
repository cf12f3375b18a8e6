"""Evidence packages for courts (issue 5 part 3): `rollcall package export`.

A package holds chosen records of the registry as the transparency log signed them, with
everything needed to check them without Rollcall: the change entries (the leaf bytes
exactly), their inclusion proofs against the latest checkpoint, that signed checkpoint,
the log's public key, the evidence files and a manifest (layout and checks:
`rollcall.ledger.package_verify`, docs/ledger.md).

What a selection brings in:
- `incident:N`: the incident's entries, those of its sources (`incident_source`), those
  of the testimonies among its sources, and the files linked to the incident with their
  chain of custody. Testimony entries never hold the narrative or the witness's identity
  (`services.testimonies` records a digest and a pseudonym); a testimony whose witness did
  not consent to use in prosecution is left out all the same, and the manifest says so.
  Files linked to a testimony (a recording of the interview) come only with a selection
  that names the testimony itself.
- any other `TYPE:ID`: its entries as `rollcall ledger prove` finds them (for a person,
  also the list-import entries holding its state), and the files linked to it; for
  `evidence:N`, that file.

Exporting is a custody event: each file gets an `evidence:exported` entry (reason,
package name, selection), recorded and sealed *before* the package is written, so the
package carries its own export in each file's chain. If writing then fails, the log
shows an export whose package does not exist; the package name in the entry tells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.db import Database
from rollcall.errors import InvalidValue, LedgerError, NotFound
from rollcall.ledger.checkpoint import NoteError, open_checkpoint
from rollcall.ledger.entries import utc_text
from rollcall.ledger.evidence_store import CHUNK, EvidenceStore
from rollcall.ledger.keys import NoteVerifier, load_signer
from rollcall.ledger.log import latest_checkpoint, seal
from rollcall.ledger.merkle import leaf_hash
from rollcall.ledger.package_verify import (
    CHECKPOINT,
    CHECKPOINT_BODY,
    CHECKPOINT_SIG,
    FORMAT,
    KEY_PEM,
    KEY_TEXT,
    MANIFEST,
    SUMS,
    render_json,
    render_pem,
    render_proof,
    render_sums,
    signature_of,
)
from rollcall.ledger.proofs import EntryProof, parse_entity, prove
from rollcall.models import EvidenceItem, Incident, IncidentSource, Testimony
from rollcall.security.permissions import Permission
from rollcall.services import evidence
from rollcall.services.actor import Actor


@dataclass
class Selection:
    """What a package will hold, before it is proven."""

    entities: list[str] = field(default_factory=list)  # TYPE:ID, each proven in full
    items: dict[int, EvidenceItem] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Exported:
    path: Path
    records: int
    files: int
    bytes: int
    tree_size: int
    withheld: list[str]


def _testimony(session: Session, selection: Selection, testimony_id: int, *,
               with_files: bool) -> None:
    testimony = session.get(Testimony, testimony_id)
    if testimony is None:
        raise NotFound(f"no testimony {testimony_id}")
    if not testimony.consent_prosecution:
        selection.withheld.append(f"testimony:{testimony_id}: the witness did not consent "
                                  "to use in prosecution")
        return
    selection.entities.append(f"testimony:{testimony_id}")
    if not with_files:  # a recording of the interview is as sensitive as its narrative
        return
    for item in evidence.items_linked_to(session, "testimony", [testimony_id]):
        selection.items[item.id] = item


def select_records(session: Session, *, incident_id: int | None = None,
                   entities: Sequence[str] = ()) -> Selection:
    """The entities and files a package of this incident or these entities holds."""
    selection = Selection()
    wanted = [f"incident:{incident_id}"] if incident_id is not None else []
    wanted += [e.strip() for e in entities]
    if not wanted:
        raise InvalidValue("name an incident or at least one entity (TYPE:ID)")
    for text in wanted:
        entity_type, entity_id = parse_entity(text)
        if entity_type == "incident":
            if not entity_id.isdigit() or session.get(Incident, int(entity_id)) is None:
                raise NotFound(f"no incident {entity_id}")
            selection.entities.append(f"incident:{entity_id}")
            for source in session.scalars(select(IncidentSource)
                                          .where(IncidentSource.incident_id == int(entity_id))
                                          .order_by(IncidentSource.id)):
                selection.entities.append(f"incident_source:{source.id}")
                if source.testimony_id is not None:
                    _testimony(session, selection, source.testimony_id, with_files=False)
        elif entity_type == "testimony" and entity_id.isdigit():
            _testimony(session, selection, int(entity_id), with_files=True)
            continue
        elif entity_type == "evidence":
            item = evidence.find_item(session, int(entity_id)) if entity_id.isdigit() else None
            if item is None:
                raise NotFound(f"no evidence item {entity_id}")
            selection.items[item.id] = item
            continue
        else:
            selection.entities.append(f"{entity_type}:{entity_id}")
        if entity_id.isdigit() and entity_type in evidence.LINKABLE:
            for item in evidence.items_linked_to(session, entity_type, [int(entity_id)]):
                selection.items[item.id] = item
    selection.entities = list(dict.fromkeys(selection.entities))
    if not selection.entities and not selection.items:
        raise InvalidValue("nothing to export: " + "; ".join(selection.withheld))
    return selection


def _proven(conn: Connection, selection: Selection, verifier: NoteVerifier
            ) -> tuple[str, list[EntryProof]]:
    latest = latest_checkpoint(conn)
    if latest is None:
        raise LedgerError("the log has no checkpoint yet")
    try:
        opened = open_checkpoint(latest[1], [verifier])
    except NoteError as exc:
        raise LedgerError(f"the latest checkpoint does not verify: {exc}") from None
    entries: dict[int, EntryProof] = {}
    for entity in [*selection.entities, *(f"evidence:{i}" for i in sorted(selection.items))]:
        for entry in prove(conn, entity, opened, latest[1]).entries:
            if not entry.verified:
                raise LedgerError(f"change {entry.change_id} ({entry.entity}) is not sealed "
                                  "under the latest checkpoint; run `rollcall ledger seal`")
            entries[entry.change_id] = entry
    return latest[1], [entries[k] for k in sorted(entries)]


def export_package(db: Database, actor: Actor, out: Path, *, reason: str,
                   incident_id: int | None = None, entities: Sequence[str] = (),
                   store: EvidenceStore | None = None) -> Exported:
    """Write the package of an incident or of named entities to `out` (a new file)."""
    actor.require(Permission.EVIDENCE_READ)
    out = Path(out)
    if out.exists():
        raise InvalidValue(f"{out.name!r} exists already: give a new file name")
    if not out.parent.is_dir():
        raise NotFound(f"no folder {str(out.parent)!r} to write the package in")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidValue("reason: an export needs a reason (it goes into the chain of "
                           "custody)")
    store = store or evidence.evidence_store()
    settings = get_settings()
    signer = load_signer(settings)
    exported_at = utc_text(dt.datetime.now(dt.UTC))
    with db.session() as session:
        selection = select_records(session, incident_id=incident_id, entities=entities)
        wanted = [*selection.entities, *(f"evidence:{i}" for i in sorted(selection.items))]
        evidence.record_exported(session, actor, selection.items.values(), reason=reason,
                                 package={"name": out.name, "selection": wanted,
                                          "exported_at": exported_at})
        items = [(i.id, i.sha256, i.size) for i in selection.items.values()]
    seal(db.engine, signer, settings.ledger_origin, wait=True)
    with db.engine.connect() as conn:
        note, entries = _proven(conn, selection, signer.verifier)
    checkpoint = open_checkpoint(note, [signer.verifier])
    manifest = {
        "format": FORMAT, "origin": checkpoint.origin, "tree_size": checkpoint.size,
        "root_hash": checkpoint.root.hex(), "key": signer.verifier.text,
        "exported_at": exported_at, "exported_by": actor.username, "reason": reason.strip(),
        "selection": wanted, "withheld": selection.withheld,
        "records": [{"change_id": e.change_id, "action": e.action, "entity": e.entity,
                     "path": f"records/{e.change_id}.json"} for e in entries],
        "files": [],
    }
    texts: dict[str, bytes] = {
        CHECKPOINT: note.encode(),
        CHECKPOINT_BODY: note[: note.rfind("\n\n") + 1].encode(),
        CHECKPOINT_SIG: signature_of(note, signer.verifier),
        KEY_TEXT: (signer.verifier.text + "\n").encode(),
        KEY_PEM: render_pem(signer.verifier),
    }
    for e in entries:
        assert e.leaf_index is not None and e.proof is not None
        texts[f"records/{e.change_id}.json"] = e.entry
        texts[f"proofs/{e.change_id}.json"] = render_proof(
            e.change_id, e.leaf_index, checkpoint.size, leaf_hash(e.entry), e.proof)
    with db.session() as session:
        for item_id, _sha, _size in sorted(items):
            item = evidence.find_item(session, item_id)
            manifest["files"].append({  # type: ignore[attr-defined]
                "path": f"files/{item.sha256}", "sha256": item.sha256, "item_id": item.id,
                "size": item.size, "media_type": item.media_type, "kind": item.kind.value,
                "derived_from_id": item.derived_from_id,
                "derivation": item.derivation.value if item.derivation else None})
    manifest["files"].sort(key=lambda f: f["path"])  # type: ignore[attr-defined]
    texts[MANIFEST] = render_json(manifest)
    written = _write_zip(out, texts, [(sha, size) for _i, sha, size in items], store)
    return Exported(out, len(entries), len(items), written, checkpoint.size,
                    selection.withheld)


def _write_zip(out: Path, texts: dict[str, bytes], blobs: list[tuple[str, int]],
               store: EvidenceStore) -> int:
    """Write the zip beside `out` and move it into place: files streamed from the store
    (stored, not compressed: media are compressed already), each re-hashed on the way."""
    # Closed by the `with handle` below; kept (delete=False) to be linked into place.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=out.parent, prefix=".package-", suffix=".zip", delete=False)
    temp = Path(handle.name)
    try:
        with handle:
            _fill(handle, texts, blobs, store)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, out)  # refuses to replace a file that appeared meanwhile
        except FileExistsError:
            raise InvalidValue(f"{out.name!r} exists already: give a new file name") from None
        except OSError:  # a file system without hard links
            os.rename(temp, out)
        return out.stat().st_size
    finally:
        temp.unlink(missing_ok=True)


def _fill(handle: IO[bytes], texts: dict[str, bytes], blobs: list[tuple[str, int]],
          store: EvidenceStore) -> None:
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in texts.items()}
    stamp = dt.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for sha256, size in sorted(blobs):
            name = f"files/{sha256}"
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = size
            digest = hashlib.sha256()
            with store.open(sha256) as source, archive.open(info, "w",
                                                            force_zip64=True) as sink:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    sink.write(chunk)
            if digest.hexdigest() != sha256:
                raise LedgerError(f"the stored file {sha256} no longer has its bytes "
                                  "(run `rollcall evidence check`); no package written")
            digests[name] = sha256
        for name in sorted(texts):
            archive.writestr(name, texts[name])
        archive.writestr(SUMS, render_sums(digests))
