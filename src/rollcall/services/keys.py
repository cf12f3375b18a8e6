"""Rotating the field-encryption keys (issue 5 part 4), without stopping the service.

- `rotate_data_key`: a new data key is made and used for every new value at once; the
  protected columns are re-encrypted under it in small batches, each its own transaction,
  so readers and writers carry on meanwhile (both keys open values until the end); then
  the old keys' material is destroyed. Values stored before encryption existed are
  encrypted on the way. With `index=True` the blind-index key is renewed likewise and the
  indexes recomputed (a search may miss a row whose index is not yet recomputed).
- `rewrap_master_key`: the data keys are re-wrapped under a new master key in one
  transaction; values are untouched. Processes already running keep working; point
  `ROLLCALL_MASTER_KEY` or `master_key_file` at the new key before starting new ones.
- `seal_clear_values`: values stored before their column was sealed (a database older
  than the encryption of that column: a migration has no key to seal them) are sealed
  under the key in use, and their blind indexes computed, in the same batches; values
  already sealed are left alone. `clear_values` counts them (`rollcall keys status`).

Each step is a change entry naming the keys (never their material).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import column, func, select, table, text, update
from sqlalchemy.orm import Session

from rollcall.db import Database
from rollcall.models.base import utcnow
from rollcall.models.keys import FieldKey, KeyPurpose
from rollcall.security.fields import (
    PREFIX,
    PROTECTED,
    ProtectedColumn,
    blind_index,
    seal,
    unseal,
)
from rollcall.security.keyring import (
    Keyring,
    create_key,
    keyring,
    master_fingerprint,
    unwrap,
    wrap,
)
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, record_change

BATCH = 500


@dataclass
class RotationReport:
    data_key: int
    index_key: int | None
    #: Values re-encrypted (or encrypted for the first time) per "table.column".
    reencrypted: dict[str, int] = field(default_factory=dict)
    destroyed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class KeyStatus:
    id: int
    purpose: KeyPurpose
    master_fingerprint: str
    live: bool
    in_use: bool  # the key new values get


def key_status(session: Session, actor: Actor) -> list[KeyStatus]:
    actor.require(Permission.KEYS_MANAGE)
    rows = session.scalars(select(FieldKey).order_by(FieldKey.id)).all()
    newest = {p: max((r.id for r in rows if r.purpose == p and r.destroyed_at is None),
                     default=None) for p in KeyPurpose}
    return [KeyStatus(r.id, r.purpose, r.master_fingerprint, r.destroyed_at is None,
                      newest[r.purpose] == r.id) for r in rows]


def _new_key(session: Session, actor: Actor, ring: Keyring, purpose: KeyPurpose) -> int:
    key_id, key = create_key(session, ring.master, purpose)
    ring.keys[key_id] = key
    record_change(session, actor, Action.FIELD_KEY_CREATED, "field_key", key_id,
                  {"purpose": purpose.value, "master": master_fingerprint(ring.master)})
    return key_id


def _reencrypt_column(db: Database, ring: Keyring, protected: ProtectedColumn, data_key: int,
                      index_key: int | None, *, clear_only: bool = False) -> int:
    """Re-encrypt, batch by batch in id order, every value not yet under `data_key` (and,
    when the index key is renewed, every value, to recompute its index; with `clear_only`,
    only the values not sealed at all)."""
    values = column(protected.column)
    rows_of = table(protected.table, column("id"), values,
                    *([column(protected.index_column)] if protected.index_column else []))
    current = PREFIX if clear_only else f"{PREFIX}{data_key}:"
    done, after = 0, 0
    while True:
        with db.session() as session:
            query = (select(rows_of.c.id, values).where(rows_of.c.id > after,
                                                        values.is_not(None))
                     .order_by(rows_of.c.id).limit(BATCH))
            if index_key is None:
                query = query.where(~values.startswith(current))
            batch = session.execute(query).all()
            if not batch:
                return done
            for row_id, stored in batch:
                clear = unseal(session, ring, protected.table, protected.column, row_id, stored)
                changes = {protected.column: seal(session, ring, protected.table,
                                                  protected.column, row_id, clear)}
                if protected.index_column:
                    changes[protected.index_column] = blind_index(
                        session, ring, protected.table, protected.column, clear,
                        normalised=protected.normalised)
                session.execute(update(rows_of).where(rows_of.c.id == row_id).values(changes))
            done += len(batch)
            after = batch[-1][0]


def _destroy_older(session: Session, actor: Actor, purpose: KeyPurpose, keep: int) -> list[int]:
    old = session.scalars(select(FieldKey).where(
        FieldKey.purpose == purpose, FieldKey.id != keep, FieldKey.destroyed_at.is_(None))).all()
    for row in old:
        row.wrapped = None
        row.destroyed_at = utcnow()
        record_change(session, actor, Action.FIELD_KEY_DESTROYED, "field_key", row.id,
                      {"purpose": purpose.value, "replaced_by": keep})
    return [row.id for row in old]


def rotate_data_key(db: Database, actor: Actor, *, index: bool = False) -> RotationReport:
    """Encrypt every protected value under a new data key; destroy the old ones."""
    actor.require(Permission.KEYS_MANAGE)
    ring = keyring()
    with db.session() as session:
        data_key = _new_key(session, actor, ring, KeyPurpose.DATA)
        index_key = _new_key(session, actor, ring, KeyPurpose.INDEX) if index else None
    report = RotationReport(data_key, index_key)
    for protected in PROTECTED:
        report.reencrypted[f"{protected.table}.{protected.column}"] = _reencrypt_column(
            db, ring, protected, data_key, index_key)
    while True:
        with db.session() as session:
            # A writer that sealed under an old key just before the new one was committed
            # may commit after the pass above: check again under a lock before destroying.
            if session.get_bind().dialect.name == "postgresql":
                for name in sorted({p.table for p in PROTECTED}):
                    session.execute(text(f'LOCK TABLE "{name}" IN SHARE MODE'))
            if any(_left_behind(session, p, data_key) for p in PROTECTED):
                late = True
            else:
                late = False
                report.destroyed = _destroy_older(session, actor, KeyPurpose.DATA, data_key)
                if index_key is not None:
                    report.destroyed += _destroy_older(session, actor, KeyPurpose.INDEX,
                                                       index_key)
        if not late:
            return report
        for protected in PROTECTED:
            report.reencrypted[f"{protected.table}.{protected.column}"] += _reencrypt_column(
                db, ring, protected, data_key, None)


def _left_behind(session: Session, protected: ProtectedColumn, data_key: int) -> bool:
    values = column(protected.column)
    rows_of = table(protected.table, column("id"), values)
    return session.execute(select(rows_of.c.id).where(
        values.is_not(None), ~values.startswith(f"{PREFIX}{data_key}:")).limit(1)
    ).first() is not None


def clear_values(session: Session, actor: Actor) -> dict[str, int]:
    """Values not yet sealed, per "table.column" (only the columns that have some)."""
    actor.require(Permission.KEYS_MANAGE)
    found = {}
    for protected in PROTECTED:
        values = column(protected.column)
        count = session.scalar(select(func.count()).select_from(table(protected.table, values))
                               .where(values.is_not(None), ~values.startswith(PREFIX))) or 0
        if count:
            found[f"{protected.table}.{protected.column}"] = count
    return found


def seal_clear_values(db: Database, actor: Actor) -> dict[str, int]:
    """Seal every value stored in clear in a protected column (see the module docstring),
    online, in batches; returns how many per "table.column". One change entry names the
    key and the counts (never a value)."""
    actor.require(Permission.KEYS_MANAGE)
    ring = keyring()
    with db.session() as session:
        data_key, _ = ring.current(session, KeyPurpose.DATA)
    sealed = {f"{p.table}.{p.column}": _reencrypt_column(db, ring, p, data_key, None,
                                                         clear_only=True)
              for p in PROTECTED}
    if any(sealed.values()):
        with db.session() as session:
            record_change(session, actor, Action.FIELDS_SEALED, "field_key", data_key,
                          {"purpose": KeyPurpose.DATA.value, "sealed": sealed})
    return sealed


def rewrap_master_key(db: Database, actor: Actor, new_master: bytes) -> int:
    """Re-wrap every live data key under `new_master`; returns how many."""
    actor.require(Permission.KEYS_MANAGE)
    ring = keyring()
    with db.session() as session:
        rows = session.scalars(select(FieldKey).where(FieldKey.destroyed_at.is_(None))
                               .order_by(FieldKey.id)).all()
        for row in rows:
            key = unwrap(ring.master, row)
            row.wrapped = wrap(new_master, row.id, row.purpose, key)
            row.master_fingerprint = master_fingerprint(new_master)
        record_change(session, actor, Action.MASTER_KEY_ROTATED, "master_key",
                      master_fingerprint(new_master),
                      {"previous": master_fingerprint(ring.master), "keys": [r.id for r in rows]})
    return len(rows)
