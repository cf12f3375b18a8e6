"""Family tracing requests: received from the public form, matched and answered by liaison
staff (DESIGN.md sections 1 and 6).

Two rules shape this module:
- Submitting never looks at the registry. The family gets the same answer, in the same
  time, whether or not the person is known; matching happens when staff open a request.
- The relative's contact is one column, read and written only here, stored encrypted
  (`rollcall.security.fields`) with a blind index to find a request by it. It never enters
  a log or the change log (whose entries are permanent): the change entry says a contact
  was given, not what it is. Showing it needs `contacts:read`, and each showing is itself a
  change entry (who, which request; never the value).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, NotFound
from rollcall.models import Person, RequestStatus, TracingRequest
from rollcall.models.base import utcnow
from rollcall.security.fields import blind_index, seal, unseal
from rollcall.security.keyring import keyring
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, diff_states, entity_state, record_change
from rollcall.services.queries import MAX_PAGE_SIZE, Paged
from rollcall.tracing import TraceQuery, TraceResult, trace_query
from rollcall.tracing.query import MAX_NAME_TOKENS, name_token, unit_numbers

#: Who submits through the public form: nobody logged in, no permissions.
PUBLIC = Actor(username="public", via="web")
TABLE = "tracing_requests"
CONTACT = "requester_contact"
CONTACT_INDEX = "requester_contact_index"
_SECRET = frozenset({CONTACT, CONTACT_INDEX})
#: Crockford's base 32: no I, L, O or U to misread when a relative reads it out.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE_GROUPS = (5, 5)  # 50 random bits
LIMITS = {
    "surname": 200, "given_name": 200, "patronymic": 200, "unit": 300,
    "last_known_place": 300, "details": 2000, "requester_name": 200,
    "requester_relation": 100, "requester_contact": 300, "answer": 4000,
}  # fmt: skip
REQUIRED = ("surname", "given_name", "requester_name", "requester_relation", CONTACT)


@dataclass(frozen=True)
class RequestForm:
    """What a relative tells us, as the public form sends it (text trimmed by the form)."""

    surname: str
    given_name: str
    patronymic: str = ""
    birth_date: PartialDate | None = None
    unit: str = ""
    last_known_place: str = ""
    last_known_date: PartialDate | None = None
    details: str = ""
    requester_name: str = ""
    requester_relation: str = ""
    requester_contact: str = ""
    language: str = "uk"


def form_problems(form: RequestForm) -> list[str]:
    """The fields a form lacks or overfills (names of fields, never their values)."""
    problems = [name for name in REQUIRED if not getattr(form, name).strip()]
    problems += [name for name, most in LIMITS.items()
                 if len(getattr(form, name, "") or "") > most and name not in problems]
    return problems


def new_reference() -> str:
    """A reference a family can read out, that nobody can guess: TR-XXXXX-XXXXX."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(n)) for n in _REFERENCE_GROUPS)
    return "TR-" + "-".join(groups)


def _text(value: str) -> str | None:
    return value.strip() or None


def submit_request(session: Session, actor: Actor, form: RequestForm) -> str:
    """Store a family's request and return its reference. Open to anyone (the public
    form); never reads the registry."""
    problems = form_problems(form)
    if problems:
        raise InvalidValue("missing or too long: " + ", ".join(problems))
    reference = new_reference()
    while session.scalar(select(TracingRequest.id).where(TracingRequest.reference == reference)):
        reference = new_reference()  # 1 in 10^15 per request: never, in practice
    request = TracingRequest(
        reference=reference, language=form.language if form.language in ("uk", "en") else "uk",
        surname=form.surname.strip(), given_name=_text(form.given_name),
        patronymic=_text(form.patronymic), birth_date=form.birth_date, unit=_text(form.unit),
        last_known_place=_text(form.last_known_place), last_known_date=form.last_known_date,
        details=_text(form.details), requester_name=form.requester_name.strip(),
        requester_relation=form.requester_relation.strip(),
        requester_contact="", status=RequestStatus.OPEN,
    )
    session.add(request)
    session.flush()
    ring = keyring()
    contact = form.requester_contact.strip()
    request.requester_contact = seal(session, ring, TABLE, CONTACT, request.id, contact)
    request.requester_contact_index = blind_index(session, ring, TABLE, CONTACT, contact)
    session.flush()
    record_change(session, actor, Action.TRACING_REQUEST_RECEIVED, "tracing_request",
                  request.id, public_state(request), {"contact_given": True})
    return reference


def public_state(request: TracingRequest) -> dict[str, object]:
    """The request as the change log records it: everything but the contact."""
    return entity_state(request, omit=_SECRET)


# --- liaison staff -------------------------------------------------------------------------

def list_requests(session: Session, actor: Actor, *, status: RequestStatus | None = None,
                  page: int = 1, page_size: int = 50) -> Paged[TracingRequest]:
    """Requests, oldest open first within a status, newest first overall."""
    actor.require(Permission.TRACING_REQUESTS)
    conds: list[ColumnElement[bool]] = []
    if status is not None:
        conds.append(TracingRequest.status == status)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    total = session.scalar(select(func.count(TracingRequest.id)).where(*conds)) or 0
    items = list(session.scalars(
        select(TracingRequest).where(*conds)
        .order_by(TracingRequest.received_at.desc(), TracingRequest.id.desc())
        .limit(page_size).offset((page - 1) * page_size)))
    return Paged(items, total, page, page_size)


def get_request(session: Session, actor: Actor, request_id: int) -> TracingRequest:
    actor.require(Permission.TRACING_REQUESTS)
    request = session.get(TracingRequest, request_id)
    if request is None:
        raise NotFound(f"no tracing request {request_id}")
    return request


def request_contact(session: Session, actor: Actor, request_id: int) -> str | None:
    """The relative's contact, for an actor allowed to see it (else None). Each showing is
    a change entry, so the ledger says who saw whose contact when."""
    request = get_request(session, actor, request_id)
    if not actor.can(Permission.CONTACTS_READ):
        return None
    contact = unseal(session, keyring(), TABLE, CONTACT, request.id, request.requester_contact)
    record_change(session, actor, Action.SENSITIVE_READ, "tracing_request", request.id,
                  {"field": CONTACT})
    return contact


def find_requests_by_contact(session: Session, actor: Actor, contact: str) -> list[int]:
    """Requests whose relative gave this contact (a family calling back), through the
    blind index: the contacts themselves are never decrypted to search."""
    actor.require(Permission.TRACING_REQUESTS)
    actor.require(Permission.CONTACTS_READ)
    if not contact.strip():
        raise InvalidValue("contact: empty")
    digest = blind_index(session, keyring(), TABLE, CONTACT, contact)
    return list(session.scalars(select(TracingRequest.id)
                                .where(TracingRequest.requester_contact_index == digest)
                                .order_by(TracingRequest.id)))


def request_query(request: TracingRequest) -> TraceQuery:
    """The tracing query a request amounts to: its names, date of birth and unit."""
    words = " ".join(p for p in (request.surname, request.given_name, request.patronymic) if p)
    names = []
    for word in words.split():
        token = name_token(word)
        if token is not None and len(names) < MAX_NAME_TOKENS:
            names.append(token)
    return TraceQuery(tuple(names), request.birth_date, unit_numbers(request.unit))


def request_candidates(session: Session, actor: Actor, request_id: int, *,
                       limit: int = 10) -> TraceResult:
    """Persons the registry might hold for this request, from the tracing search. Only
    staff see them; the family is told what staff decide to tell."""
    request = get_request(session, actor, request_id)
    actor.require(Permission.TRACE)
    return trace_query(session, request_query(request), limit=limit)


def answer_request(
    session: Session,
    actor: Actor,
    request_id: int,
    *,
    status: RequestStatus | str,
    answer: str | None = None,
    matched_person_id: int | None = None,
) -> TracingRequest:
    """Record what was answered (or that the request is closed), and the person matched."""
    request = get_request(session, actor, request_id)
    try:
        status = RequestStatus(status)
    except ValueError:
        codes = ", ".join(s.value for s in RequestStatus)
        raise InvalidValue(f"status: unknown code; expected one of {codes}") from None
    answer = (answer or "").strip() or None
    if answer is not None and len(answer) > LIMITS["answer"]:
        raise InvalidValue(f"answer: longer than {LIMITS['answer']} characters")
    if status is RequestStatus.ANSWERED and answer is None:
        raise InvalidValue("answer: an answered request needs the answer given")
    if matched_person_id is not None:
        person = session.get(Person, matched_person_id)
        if person is None or person.merged_into_id is not None:
            raise NotFound(f"no person {matched_person_id}")
    before = public_state(request)
    request.status = status
    request.answer = answer
    request.matched_person_id = matched_person_id
    if status is RequestStatus.ANSWERED:
        request.answered_by = actor.username
        request.answered_at = utcnow()
    after = public_state(request)
    changed = diff_states(before, after)
    if changed:
        session.flush()
        record_change(session, actor, Action.TRACING_REQUEST_ANSWERED, "tracing_request",
                      request.id, after, changed)
    return request
