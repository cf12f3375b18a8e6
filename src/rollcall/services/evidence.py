"""Evidence files and their chain of custody (issue 5 part 2): the only door by which a
file enters the evidence store or leaves it.

    receive(session, actor, FILE_OR_STREAM, kind=..., reason=...)      -> Received
    derive(session, actor, item_id, FILE_OR_STREAM, derivation=..., reason=...) -> Received
    link(session, actor, item_id, "incident:3", reason=...)            -> EvidenceLink
    view(session, actor, item_id, reason=...)                          -> (item, stream)
    copy_out(session, actor, item_id, DEST, reason=...)                -> bytes copied
    transfer(session, actor, item_id, recipient=..., reason=...)
    history(session, actor, item_id)                                   -> [CustodyEvent]
    check_store(session, actor)                                        -> StoreCheck

Every handling is a change entry about `evidence:<id>` (action `evidence:<event>`) whose
state is the item's columns plus `custody`: the event, its reason and, as the event has
them, the recipient, the destination, the link or the package. So the chain of custody is
in the transparency log, signed with everything else, and goes into evidence packages
with its proofs.

Permissions (rollcall.security.permissions): `evidence:write` receives files, records
derived copies and links them (registrars receive files with the lists they import;
investigators; admins); `evidence:read` opens, copies, hands over, exports and lists the
chain (investigators, auditors who export packages for courts, admins). A registrar who
received a file sees what the receipt returns (hash, size) but cannot open files later:
photos of ill-treatment are not a registrar's business, and every opening is logged.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from rollcall.config import get_settings
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.ledger.evidence_store import BadBlob, EvidenceStore, Stored
from rollcall.models import (
    Change,
    EvidenceItem,
    EvidenceLink,
    Incident,
    Person,
    Source,
    Testimony,
)
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.vocabulary import Derivation, EvidenceKind

#: What a file can be attached to, and the table that must hold the id.
LINKABLE: dict[str, type[Any]] = {
    "incident": Incident,
    "testimony": Testimony,
    "person": Person,
    "source": Source,
}
MAX_REASON = 2000
MAX_RECIPIENT = 300
MAX_NAME = 255
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}")


def evidence_store() -> EvidenceStore:
    """The store of this deployment (setting `data_dir`)."""
    return EvidenceStore(get_settings().data_dir)


@dataclass(frozen=True)
class Received:
    item: EvidenceItem
    #: False when these bytes were in the store already (same SHA-256): the existing
    #: item was received once more.
    created: bool


@dataclass(frozen=True)
class CustodyEvent:
    """One handling of a file, as the change log has it."""

    change_id: int
    at: dt.datetime
    actor: str
    via: str
    action: str
    item_id: int
    custody: dict[str, Any]

    @property
    def event(self) -> str:
        return self.action.partition(":")[2]

    @property
    def reason(self) -> str | None:
        return self.custody.get("reason")


@dataclass
class StoreCheck:
    """`check_store`: blobs whose bytes changed, items whose blob is gone or of another
    size, and blobs no item names (left by a write whose transaction failed: harmless)."""

    items: int = 0
    blobs: int = 0
    bad: list[BadBlob] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    wrong_size: list[int] = field(default_factory=list)
    unclaimed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.bad or self.missing or self.wrong_size)


# ---- checking values -------------------------------------------------------------------

def _reason(value: str | None, why: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"reason: {why} needs a reason (it goes into the chain of custody)")
    if len(value.strip()) > MAX_REASON:
        raise InvalidValue(f"reason: longer than {MAX_REASON} characters")
    return value.strip()


def _optional_text(value: str | None, name: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{name}: expected text")
    if len(value.strip()) > limit:
        raise InvalidValue(f"{name}: longer than {limit} characters")
    return value.strip() or None


def _kind(value: EvidenceKind | str) -> EvidenceKind:
    try:
        return EvidenceKind(value)
    except ValueError:
        codes = ", ".join(k.value for k in EvidenceKind)
        raise InvalidValue(f"kind: unknown kind {str(value)[:40]!r}; expected one of "
                           f"{codes}") from None


def _derivation(value: Derivation | str) -> Derivation:
    try:
        return Derivation(value)
    except ValueError:
        codes = ", ".join(d.value for d in Derivation)
        raise InvalidValue(f"derivation: unknown derivation {str(value)[:40]!r}; expected "
                           f"one of {codes}") from None


def _media_type(value: str | None, name: str | None) -> str:
    if value is None or not value.strip():
        guessed = mimetypes.guess_type(name or "")[0]
        return guessed or "application/octet-stream"
    cleaned = value.strip().lower()
    if not _MEDIA_TYPE.fullmatch(cleaned):
        raise InvalidValue(f"media_type: {value[:60]!r} is not a media type (e.g. image/jpeg)")
    return cleaned


def parse_target(text: str) -> tuple[str, int]:
    """"incident:3" -> ("incident", 3), refusing what cannot be linked."""
    entity_type, _, entity_id = str(text).partition(":")
    entity_type = entity_type.strip()
    if entity_type not in LINKABLE or not entity_id.strip().isdigit():
        kinds = ", ".join(LINKABLE)
        raise InvalidValue(f"link: {str(text)[:60]!r} is not TYPE:ID with TYPE one of {kinds}")
    return entity_type, int(entity_id)


def _check_targets(session: Session, targets: Iterable[str]) -> list[tuple[str, int]]:
    found = []
    for text in targets:
        entity_type, entity_id = parse_target(text)
        if session.get(LINKABLE[entity_type], entity_id) is None:
            raise NotFound(f"no {entity_type} {entity_id} to link the file to")
        if (entity_type, entity_id) not in found:
            found.append((entity_type, entity_id))
    return found


def find_item(session: Session, item_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, item_id)
    if item is None:
        raise NotFound(f"no evidence item {item_id}")
    return item


def _record(session: Session, actor: Actor, action: Action, item: EvidenceItem,
            **custody: Any) -> None:
    state = entity_state(item, omit=frozenset({"received_at"}))
    details = {"event": action.value.partition(":")[2],
               **{k: v for k, v in custody.items() if v is not None}}
    record_change(session, actor, action, "evidence", item.id, {**state, "custody": details})


def _name_of(source: Path | BinaryIO, original_name: str | None) -> str | None:
    if original_name is not None:
        return _optional_text(original_name, "original_name", MAX_NAME)
    if isinstance(source, Path):
        return source.name[:MAX_NAME] or None
    return None


def _store(store: EvidenceStore, source: Path | BinaryIO) -> Stored:
    return store.put_file(source) if isinstance(source, Path) else store.put_stream(source)


# ---- writes ----------------------------------------------------------------------------

def receive(
    session: Session,
    actor: Actor,
    source: Path | BinaryIO,
    *,
    kind: EvidenceKind | str,
    reason: str,
    media_type: str | None = None,
    original_name: str | None = None,
    description: str | None = None,
    source_id: int | None = None,
    links: Sequence[str] = (),
    store: EvidenceStore | None = None,
) -> Received:
    """Take a file into the store (streamed, hashed on the way) and record its receipt.
    Bytes already stored (same SHA-256) are not stored twice: the existing item is
    received once more, and the receipt says so."""
    actor.require(Permission.EVIDENCE_WRITE)
    why = _reason(reason, "receiving a file")
    the_kind = _kind(kind)
    name = _name_of(source, original_name)
    media = _media_type(media_type, name)
    text = _optional_text(description, "description", 20_000)
    if source_id is not None and session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")
    targets = _check_targets(session, links)
    stored = _store(store or evidence_store(), source)
    item = session.scalars(select(EvidenceItem)
                           .where(EvidenceItem.sha256 == stored.sha256)).one_or_none()
    created = item is None
    if item is None:
        item = EvidenceItem(sha256=stored.sha256, size=stored.size, media_type=media,
                            kind=the_kind, original_name=name, source_id=source_id,
                            description=text, received_by=actor.username)
        session.add(item)
        session.flush()
    _record(session, actor, Action.EVIDENCE_RECEIVED, item, reason=why,
            original_name=name, again=None if created else True,
            source_id=source_id if not created else None)
    for entity_type, entity_id in targets:
        _link(session, actor, item, entity_type, entity_id, why, quiet=True)
    return Received(item, created)


def derive(
    session: Session,
    actor: Actor,
    original_id: int,
    source: Path | BinaryIO,
    *,
    derivation: Derivation | str,
    reason: str,
    kind: EvidenceKind | str | None = None,
    media_type: str | None = None,
    original_name: str | None = None,
    description: str | None = None,
    store: EvidenceStore | None = None,
) -> Received:
    """Record a copy made from an item (redacted, transcoded, EXIF-stripped) as an item of
    its own pointing at its original, which stays as it is. Bytes equal to a stored item
    are refused: a derived copy that changes nothing is no derived copy."""
    actor.require(Permission.EVIDENCE_WRITE)
    why = _reason(reason, "a derived copy")
    how = _derivation(derivation)
    original = find_item(session, original_id)
    the_kind = original.kind if kind is None else _kind(kind)
    name = _name_of(source, original_name)
    media = _media_type(media_type, name) if (media_type or name) else original.media_type
    text = _optional_text(description, "description", 20_000)
    stored = _store(store or evidence_store(), source)
    existing = session.scalars(select(EvidenceItem.id)
                               .where(EvidenceItem.sha256 == stored.sha256)).first()
    if existing is not None:
        raise Conflict(f"these bytes are evidence item {existing} already: a derived copy "
                       "must differ from every stored file")
    item = EvidenceItem(sha256=stored.sha256, size=stored.size, media_type=media,
                        kind=the_kind, original_name=name, derived_from_id=original.id,
                        derivation=how, source_id=original.source_id, description=text,
                        received_by=actor.username)
    session.add(item)
    session.flush()
    _record(session, actor, Action.EVIDENCE_DERIVED, item, reason=why,
            original_sha256=original.sha256, original_name=name)
    return Received(item, True)


def _link(session: Session, actor: Actor, item: EvidenceItem, entity_type: str,
          entity_id: int, reason: str, *, quiet: bool = False) -> EvidenceLink | None:
    already = session.scalars(select(EvidenceLink).where(
        EvidenceLink.item_id == item.id, EvidenceLink.entity_type == entity_type,
        EvidenceLink.entity_id == entity_id)).one_or_none()
    if already is not None:
        if quiet:
            return None
        raise Conflict(f"evidence item {item.id} is linked to {entity_type} {entity_id} "
                       "already")
    link_row = EvidenceLink(item_id=item.id, entity_type=entity_type, entity_id=entity_id,
                            linked_by=actor.username)
    session.add(link_row)
    session.flush()
    _record(session, actor, Action.EVIDENCE_LINKED, item, reason=reason,
            link={"entity_type": entity_type, "entity_id": entity_id, "link_id": link_row.id})
    return link_row


def link(session: Session, actor: Actor, item_id: int, target: str, *,
         reason: str) -> EvidenceLink:
    """Attach an item to an incident, a testimony, a person or a source."""
    actor.require(Permission.EVIDENCE_WRITE)
    why = _reason(reason, "a link")
    item = find_item(session, item_id)
    (entity_type, entity_id), = _check_targets(session, [target])
    made = _link(session, actor, item, entity_type, entity_id, why)
    assert made is not None
    return made


def view(session: Session, actor: Actor, item_id: int, *, reason: str,
         store: EvidenceStore | None = None) -> tuple[EvidenceItem, BinaryIO]:
    """Open an item's bytes to look at them (the caller closes the stream), recorded as
    `viewed` with the reason."""
    actor.require(Permission.EVIDENCE_READ)
    why = _reason(reason, "opening a file")
    item = find_item(session, item_id)
    stream = (store or evidence_store()).open(item.sha256)
    _record(session, actor, Action.EVIDENCE_VIEWED, item, reason=why)
    return item, stream


def record_copied(session: Session, actor: Actor, item: EvidenceItem, *, reason: str,
                  destination: str) -> None:
    """Record that an item's bytes left the store (a download, a copy to a file)."""
    actor.require(Permission.EVIDENCE_READ)
    _record(session, actor, Action.EVIDENCE_COPIED, item,
            reason=_reason(reason, "copying a file"),
            destination=_optional_text(destination, "destination", 1000))


def copy_out(session: Session, actor: Actor, item_id: int, destination: Path, *,
             reason: str, store: EvidenceStore | None = None) -> int:
    """Copy an item's bytes to a new file, checking their hash on the way; recorded as
    `copied` with the reason and the destination."""
    actor.require(Permission.EVIDENCE_READ)
    why = _reason(reason, "copying a file")
    item = find_item(session, item_id)
    size = (store or evidence_store()).copy_out(item.sha256, Path(destination))
    record_copied(session, actor, item, reason=why,
                  destination=str(Path(destination).absolute()))
    return size


def transfer(session: Session, actor: Actor, item_id: int, *, recipient: str,
             reason: str) -> None:
    """Record that an item was handed over (to a prosecutor, a court, a partner)."""
    actor.require(Permission.EVIDENCE_READ)
    why = _reason(reason, "a transfer")
    to = _optional_text(recipient, "recipient", MAX_RECIPIENT)
    if to is None:
        raise InvalidValue("recipient: a transfer needs the recipient")
    item = find_item(session, item_id)
    _record(session, actor, Action.EVIDENCE_TRANSFERRED, item, reason=why, recipient=to)


def record_exported(session: Session, actor: Actor, items: Iterable[EvidenceItem], *,
                    reason: str, package: dict[str, Any]) -> None:
    """Record that items were written into an evidence package."""
    actor.require(Permission.EVIDENCE_READ)
    why = _reason(reason, "an export")
    for item in items:
        _record(session, actor, Action.EVIDENCE_EXPORTED, item, reason=why, package=package)


# ---- reads -----------------------------------------------------------------------------

def history(session: Session, actor: Actor, item_id: int) -> list[CustodyEvent]:
    """The chain of custody of an item, oldest first: its own entries, and the entries
    that made copies from it (`derived`, on the copies)."""
    actor.require(Permission.EVIDENCE_READ)
    find_item(session, item_id)
    copies = session.scalars(select(EvidenceItem.id)
                             .where(EvidenceItem.derived_from_id == item_id)).all()
    rows = session.execute(
        select(Change.id, Change.at, Change.actor, Change.via, Change.action,
               Change.entity_id, Change.state)
        .where(Change.entity_type == "evidence",
               Change.entity_id.in_([str(item_id), *(str(c) for c in copies)]))
        .order_by(Change.id)
    ).all()
    events = []
    for change_id, at, who, via, action, entity_id, state in rows:
        if entity_id != str(item_id) and action != Action.EVIDENCE_DERIVED:
            continue
        custody = orjson.loads(state).get("custody") or {}
        events.append(CustodyEvent(change_id, at, who, via, action, int(entity_id), custody))
    return events


def get_item(session: Session, actor: Actor, item_id: int) -> EvidenceItem:
    """An item's catalogue entry, for readers of evidence."""
    actor.require(Permission.EVIDENCE_READ)
    return find_item(session, item_id)


def links_of(session: Session, item_id: int) -> list[EvidenceLink]:
    return list(session.scalars(select(EvidenceLink).where(EvidenceLink.item_id == item_id)
                                .order_by(EvidenceLink.id)))


def items_linked_to(session: Session, entity_type: str, entity_ids: Iterable[int]
                    ) -> list[EvidenceItem]:
    ids = sorted(set(entity_ids))
    if not ids:
        return []
    return list(session.scalars(
        select(EvidenceItem).join(EvidenceLink, EvidenceLink.item_id == EvidenceItem.id)
        .where(EvidenceLink.entity_type == entity_type, EvidenceLink.entity_id.in_(ids))
        .distinct().order_by(EvidenceItem.id)))


def check_store(session: Session, actor: Actor, store: EvidenceStore | None = None
                ) -> StoreCheck:
    """Hash every stored file again and hold the store against the catalogue."""
    actor.require(Permission.EVIDENCE_READ)
    store = store or evidence_store()
    report = StoreCheck(bad=store.check())
    on_disk = set(store.digests())
    report.blobs = len(on_disk)
    named: set[str] = set()
    for item_id, sha256, size in session.execute(
            select(EvidenceItem.id, EvidenceItem.sha256, EvidenceItem.size)
            .order_by(EvidenceItem.id)):
        report.items += 1
        named.add(sha256)
        if sha256 not in on_disk:
            report.missing.append(item_id)
        elif store.path_of(sha256).stat().st_size != size:
            report.wrong_size.append(item_id)
    report.unclaimed = sorted(on_disk - named)
    return report
