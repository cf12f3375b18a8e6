"""The person to inform of a source record (a family contact: GC III Art. 17 and 70),
sealed at import (`services.import_rows`) and shown only through here.

Every door that shows it (a person's page, the record pages and API, the review queue, an
export) asks `shown_contacts` or `contact_opener`, which open it only for an actor holding
`contacts:read` and record each showing as a `sensitive:read` change entry (who, which
record, never the value): one per record shown, or one per export (which shows them all).
Others see the field withheld (`services.queries.record_views`).

In the verbatim row (`raw`) the contact's cell reads `import_rows.SEALED_CELL`; a view
shown to a reader of contacts puts the contact back there. A record stored before sealing
existed holds its contact in clear (in the row, its verbatim cell and its change entry,
which is permanent); `rollcall keys seal` seals such column values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rollcall.models import SourceRecord
from rollcall.security.fields import unseal
from rollcall.security.keyring import Keyring, keyring
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, record_change
from rollcall.services.import_rows import CONTACT, CONTACT_TABLE


def shown_contacts(session: Session, actor: Actor,
                   records: Sequence[SourceRecord]) -> dict[int, str]:
    """Record id -> the person to inform in clear, for the records that have one, when
    the actor may read contacts (else empty). Each showing is a change entry."""
    given = [r for r in records if r.person_to_inform is not None]
    if not given or not actor.can(Permission.CONTACTS_READ):
        return {}
    ring = keyring()
    shown = {}
    for record in given:
        if record.id in shown:
            continue
        shown[record.id] = unseal(session, ring, CONTACT_TABLE, CONTACT, record.id,
                                  record.person_to_inform)
        record_change(session, actor, Action.SENSITIVE_READ, "source_record", record.id,
                      {"field": CONTACT})
    return shown


def contact_opener(session: Session, actor: Actor) -> Callable[[int, str], str]:
    """For an export by an actor holding `contacts:read`: a function opening the person to
    inform of any record (id, stored value). One change entry records the export's
    showing of every record up to the newest one now."""
    actor.require(Permission.CONTACTS_READ)
    newest = session.scalar(select(func.max(SourceRecord.id))) or 0
    record_change(session, actor, Action.SENSITIVE_READ, "export", "records",
                  {"field": CONTACT, "records_up_to": newest})
    rings: list[Keyring] = []  # made on first need: an export without contacts needs none

    def opened(record_id: int, stored: str) -> str:
        if not rings:
            rings.append(keyring())
        return unseal(session, rings[0], CONTACT_TABLE, CONTACT, record_id, stored)

    return opened
