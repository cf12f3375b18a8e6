"""The link from a testimony to its witness in the registry: sealed, and opened only here
(DESIGN.md section 6, issue 5 part 4).

A testimony is pseudonymous; the person id of its witness is what names them, so
`testimonies.witness` holds it sealed (AES-256-GCM bound to the row, `security.fields`)
and `testimonies.witness_index` a blind index of it (HMAC of the id under the index key),
so the testimonies of one person are found by one indexed lookup without opening a link.

When a link may be opened, and what that leaves in the log:
- **Shown to a user** (the testimony's page, the API, `rollcall testimony show
  --identity`): through `services.testimonies`, with `testimonies:read`; each showing is a
  `sensitive:read` change entry (who, which testimony; never the id). So is every answer
  of `testimonies_of_witness`, which tells that a person gave testimonies.
- **Used inside an analysis** (`witness_links`, `witness_link_table`): the access gap's
  share of released witnesses who never saw a monitor, selective presentation's reports,
  corroboration's independence by witness, the exchange figures. The links are opened in
  one batch, joined or counted, and dropped; the analysis returns aggregates (counts,
  shares, groups numbered 1, 2, ...) that name nobody, never the ids, and logs nothing of
  them. No change entry: nobody was shown a witness.
- **Merges do not re-seal links.** A merged person keeps its row and id, pointing at the
  survivor, so a link to it still leads there (every reader resolves merges, as for any
  person id cited elsewhere); `testimonies_of_witness` looks up the person and the ids
  merged into it. Re-sealing at a merge would write an entry about the testimony beside
  the merge's own, telling any reader of the append-only log which persons are witnesses.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from rollcall.bulk import insert_rows
from rollcall.models import Person, Testimony
from rollcall.security.fields import blind_index, seal, unseal
from rollcall.security.keyring import Keyring, keyring
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, record_change
from rollcall.services.linkage import current_person_id

TABLE, WITNESS = "testimonies", "witness"
#: Links opened per query when a batch is read (ids in one IN list).
_CHUNK = 5000


def seal_witness(session: Session, ring: Keyring, testimony: Testimony,
                 person_id: int | None) -> None:
    """Store the witness link of a testimony (flushed: its id binds the value), sealed,
    with its blind index; None unlinks."""
    if person_id is None:
        testimony.witness = testimony.witness_index = None
        return
    testimony.witness = seal(session, ring, TABLE, WITNESS, testimony.id, str(person_id))
    testimony.witness_index = witness_index(session, ring, person_id)


def witness_index(session: Session, ring: Keyring, person_id: int) -> str:
    """The blind index of a witness link to `person_id`."""
    return blind_index(session, ring, TABLE, WITNESS, str(person_id), normalised=False)


def _open(session: Session, ring: Keyring, testimony_id: int, stored: str) -> int:
    return int(unseal(session, ring, TABLE, WITNESS, testimony_id, stored))


def open_witness(session: Session, testimony: Testimony) -> int | None:
    """The witness's person id of one testimony as stored (a merged id is not resolved).
    Callers decide whether this is a showing (see the module docstring)."""
    if testimony.witness is None:
        return None
    return _open(session, keyring(), testimony.id, testimony.witness)


def witness_links(session: Session,
                  testimony_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Testimony id -> its witness's person id as stored, for the linked testimonies among
    `testimony_ids` (all when None). For aggregate use inside an analysis only (see the
    module docstring): no entry is recorded, so the ids must not leave the caller."""
    stored = select(Testimony.id, Testimony.witness).where(Testimony.witness.is_not(None))
    if testimony_ids is None:
        rows = session.execute(stored.order_by(Testimony.id)).all()
    else:
        wanted = sorted(set(testimony_ids))
        rows = []
        for start in range(0, len(wanted), _CHUNK):
            rows += session.execute(
                stored.where(Testimony.id.in_(wanted[start:start + _CHUNK]))).all()
    if not rows:
        return {}  # no keyring needed (nor a master key made) when nothing is sealed
    ring = keyring()
    return {testimony_id: _open(session, ring, testimony_id, value)
            for testimony_id, value in rows}


@contextmanager
def witness_link_table(session: Session) -> Iterator[Table]:
    """Every witness link, opened into a temporary table (testimony_id, person_id) that
    SQL can join, for the length of the `with` block; dropped after. Person ids as stored:
    join `persons` to resolve merges. For aggregate use only (see the module docstring)."""
    links = Table(f"witness_links_{uuid.uuid4().hex[:12]}", MetaData(),
                  Column("testimony_id", Integer, primary_key=True),
                  Column("person_id", Integer, nullable=False, index=True),
                  prefixes=["TEMPORARY"])
    conn = session.connection()
    links.create(conn)
    try:
        insert_rows(conn, links, ("testimony_id", "person_id"),
                    sorted(witness_links(session).items()))
        if conn.dialect.name == "postgresql":  # temporary tables get no statistics
            conn.execute(text(f"ANALYZE {links.name}"))
        yield links
    finally:
        # After a failed statement PostgreSQL refuses any other until the rollback, which
        # drops the table anyway.
        with suppress(SQLAlchemyError):
            links.drop(session.connection(), checkfirst=True)


def testimonies_of_witness(session: Session, actor: Actor, person_id: int) -> list[int]:
    """The testimonies whose witness is this person as the registry knows them today (the
    survivor of `person_id`'s merges, and every person merged into it), by the blind index:
    one indexed lookup, no link opened. Telling it shows who is a witness, so it needs
    `testimonies:read` and each testimony found is a `sensitive:read` entry."""
    actor.require(Permission.TESTIMONIES_READ)
    survivor = current_person_id(session, person_id)
    persons = [survivor, *session.scalars(select(Person.id)
                                          .where(Person.merged_into_id == survivor))]
    ring = keyring()
    digests = [witness_index(session, ring, p) for p in persons]
    found = list(session.scalars(select(Testimony.id)
                                 .where(Testimony.witness_index.in_(digests))
                                 .order_by(Testimony.id)))
    for testimony_id in found:
        record_change(session, actor, Action.SENSITIVE_READ, "testimony", testimony_id,
                      {"field": WITNESS})
    return found
