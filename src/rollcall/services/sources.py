"""Sources that are not lists: a court's announcement, a media report, an exchange
statement, a letter. Events, prosecutions and family contacts each need a source, and a
registrar must be able to name one without a file to import (DESIGN.md section 4:
"nothing enters without a source")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue
from rollcall.models import Source
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.vocabulary import Origin

MAX_TITLE = 300
MAX_NOTES = 4000


def register_source(session: Session, actor: Actor, *, title: str, origin: Origin | str,
                    received: PartialDate | None = None, notes: str | None = None) -> Source:
    """Record a document as a source of facts, without rows of its own."""
    actor.require(Permission.REGISTRY_WRITE)
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidValue(f"title: required, at most {MAX_TITLE} characters")
    try:
        origin = Origin(origin)
    except ValueError:
        codes = ", ".join(o.value for o in Origin)
        raise InvalidValue(f"origin: unknown code; expected one of {codes}") from None
    if received is not None and received.earliest() > dt.date.today():
        raise InvalidValue("received: a date in the future")
    notes = (notes or "").strip() or None
    if notes is not None and len(notes) > MAX_NOTES:
        raise InvalidValue(f"notes: at most {MAX_NOTES} characters")
    source = Source(title=title, origin=origin, received=received, notes=notes,
                    imported_by=actor.username, header_mapping={})
    session.add(source)
    session.flush()
    record_change(session, actor, Action.SOURCE_REGISTERED, "source", source.id,
                  entity_state(source))
    return source
