"""Prosecutions (the list, with the fair-trial concerns), the forms that record a
prosecution, a verdict and a contact with family, and the section of a person's page that
shows their exchanges, prosecutions and contacts (`person_section`). Included by
`web.pages.exchanges`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rollcall.errors import InvalidValue, RollcallError
from rollcall.monitoring.exchange_counts import exchange_counts
from rollcall.security.permissions import Permission
from rollcall.services import exchanges, family_contact, prosecutions
from rollcall.services.actor import Actor
from rollcall.services.registry import get_person
from rollcall.vocabulary import ContactDirection, ContactKind, FairTrialConcern, Verdict
from rollcall.web.access import DbDep, requires
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.REGISTRY_WRITE))]
Field = Annotated[str, Form(max_length=500)]
LongField = Annotated[str, Form(max_length=20_000)]
Concerns = Annotated[list[str] | None, Form(max_length=20)]
Text = Annotated[str, Query(max_length=40)]

PROSECUTION_FIELDS = ("person_id", "source_id", "charges", "article_codes", "court",
                      "charged_on", "trial_start", "verdict", "verdict_on", "sentence",
                      "sentence_months", "notes")
VERDICT_FIELDS = ("verdict", "verdict_on", "trial_start", "sentence", "sentence_months",
                  "source_id")
CONTACT_FIELDS = ("person_id", "source_id", "kind", "direction", "date", "delivered", "notes")
DELIVERED = {"yes": True, "no": False, "": None}


def _number(value: str, name: str) -> int:
    number = optional_int(value, name)
    if number is None:
        raise InvalidValue(f"{name}: give a number")
    return number


def _delivered(value: str) -> bool | None:
    if value not in DELIVERED:
        raise InvalidValue("delivered: yes, no, or empty when unknown")
    return DELIVERED[value]


def vocabularies() -> dict[str, Any]:
    return {"Verdict": Verdict, "FairTrialConcern": FairTrialConcern,
            "ContactKind": ContactKind, "ContactDirection": ContactDirection}


def person_section(session: Session, actor: Actor, person_id: int) -> dict[str, Any]:
    """What the person page shows of exchanges, prosecutions and contact with family."""
    return {
        "exchanges": exchanges.person_exchanges(session, actor, person_id),
        "prosecutions": prosecutions.list_prosecutions(session, actor, person_id=person_id,
                                                       page_size=100).items,
        "contacts": family_contact.person_contacts(session, actor, person_id),
        "may_write": actor.can(Permission.REGISTRY_WRITE),
    }


@router.get("/prosecutions")
def prosecutions_page(request: Request, db: DbDep, actor: Reader, verdict: Text = "",
                      concern: Text = "", page: Annotated[int, Query(ge=1)] = 1) -> Response:
    with db.session() as session:
        paged = prosecutions.list_prosecutions(
            session, actor, verdict=optional_enum(Verdict, verdict, "verdict"),
            concern=optional_enum(FairTrialConcern, concern, "concern"), page=page,
            page_size=request.app.state.settings.page_size_default)
        return render(request, "prosecutions.html", {
            "section": "exchanges", "paged": paged,
            "counts": exchange_counts(session).prosecution,
            "filters": {"verdict": verdict, "concern": concern},
            "may_write": actor.can(Permission.REGISTRY_WRITE), **vocabularies(),
        })


def _form(request: Request, db: DbDep, actor: Actor, template: str, values: dict[str, Any],
          *, problem: str | None = None, status: int = 200, **context: Any) -> Response:
    person = None
    with db.session() as session:
        number = values.get("person_id")
        if number and str(number).isdigit():
            try:
                person = get_person(session, int(number))
            except RollcallError:
                person = None
        return render(request, template, {
            "section": "exchanges", "values": values, "problem": problem, "person": person,
            **vocabularies(), **context,
        }, status=status)


@router.get("/prosecutions/new")
def new_prosecution(request: Request, db: DbDep, actor: Writer,
                    person_id: Text = "") -> Response:
    values = {**dict.fromkeys(PROSECUTION_FIELDS, ""), "person_id": person_id,
              "verdict": "pending", "concerns": []}
    return _form(request, db, actor, "prosecution_form.html", values)


@router.post("/prosecutions/new")
def create_prosecution(
    request: Request, db: DbDep, actor: Writer, person_id: Field, source_id: Field,
    charges: LongField, article_codes: Field = "", court: Field = "", charged_on: Field = "",
    trial_start: Field = "", verdict: Field = "pending", verdict_on: Field = "",
    sentence: Field = "", sentence_months: Field = "", notes: LongField = "",
    concerns: Concerns = None,
) -> Response:
    values = {"person_id": person_id, "source_id": source_id, "charges": charges,
              "article_codes": article_codes, "court": court, "charged_on": charged_on,
              "trial_start": trial_start, "verdict": verdict, "verdict_on": verdict_on,
              "sentence": sentence, "sentence_months": sentence_months, "notes": notes,
              "concerns": concerns or []}
    try:
        with db.session() as session:
            case = prosecutions.record_prosecution(
                session, actor, _number(person_id, "person_id"),
                source_id=_number(source_id, "source_id"), charges=charges,
                article_codes=article_codes, court=court,
                charged_on=optional_date(charged_on, "charged_on"),
                trial_start=optional_date(trial_start, "trial_start"), verdict=verdict,
                verdict_on=optional_date(verdict_on, "verdict_on"), sentence=sentence,
                sentence_months=optional_int(sentence_months, "sentence_months"),
                concerns=concerns or [], notes=notes)
            person = case.person_id
    except RollcallError as exc:
        return _form(request, db, actor, "prosecution_form.html", values, problem=exc.message,
                     status=exc.status)
    return RedirectResponse(f"/persons/{person}#monitoring", status_code=303)


@router.get("/prosecutions/{prosecution_id}/verdict")
def verdict_form(request: Request, prosecution_id: int, db: DbDep, actor: Writer) -> Response:
    with db.session() as session:
        case = prosecutions.prosecution_view(session, actor, prosecution_id)
    values = {**dict.fromkeys(VERDICT_FIELDS, ""), "verdict": "convicted", "concerns": []}
    return _form(request, db, actor, "verdict_form.html", values, case=case)


@router.post("/prosecutions/{prosecution_id}/verdict")
def record_verdict(
    request: Request, prosecution_id: int, db: DbDep, actor: Writer, verdict: Field,
    verdict_on: Field = "", trial_start: Field = "", sentence: Field = "",
    sentence_months: Field = "", source_id: Field = "", concerns: Concerns = None,
) -> Response:
    values = {"verdict": verdict, "verdict_on": verdict_on, "trial_start": trial_start,
              "sentence": sentence, "sentence_months": sentence_months,
              "source_id": source_id, "concerns": concerns or []}
    try:
        with db.session() as session:
            case = prosecutions.record_verdict(
                session, actor, prosecution_id, verdict=verdict,
                verdict_on=optional_date(verdict_on, "verdict_on"),
                trial_start=optional_date(trial_start, "trial_start"), sentence=sentence,
                sentence_months=optional_int(sentence_months, "sentence_months"),
                concerns=concerns or [], source_id=optional_int(source_id, "source_id"))
            person = case.person_id
    except RollcallError as exc:
        with db.session() as session:
            case_view = prosecutions.prosecution_view(session, actor, prosecution_id)
        return _form(request, db, actor, "verdict_form.html", values, problem=exc.message,
                     status=exc.status, case=case_view)
    return RedirectResponse(f"/persons/{person}#monitoring", status_code=303)


@router.get("/family-contacts/new")
def new_contact(request: Request, db: DbDep, actor: Writer, person_id: Text = "") -> Response:
    values = {**dict.fromkeys(CONTACT_FIELDS, ""), "person_id": person_id,
              "kind": "capture_card", "direction": "from_person"}
    return _form(request, db, actor, "contact_form.html", values)


@router.post("/family-contacts/new")
def create_contact(
    request: Request, db: DbDep, actor: Writer, person_id: Field, source_id: Field,
    kind: Field, direction: Field = "from_person", date: Field = "", delivered: Field = "",
    notes: LongField = "",
) -> Response:
    values = {"person_id": person_id, "source_id": source_id, "kind": kind,
              "direction": direction, "date": date, "delivered": delivered, "notes": notes}
    try:
        with db.session() as session:
            contact = family_contact.record_contact(
                session, actor, _number(person_id, "person_id"),
                source_id=_number(source_id, "source_id"), kind=kind,
                direction=direction, date=optional_date(date, "date"),
                delivered=_delivered(delivered), notes=notes)
            person = contact.person_id
    except RollcallError as exc:
        return _form(request, db, actor, "contact_form.html", values, problem=exc.message,
                     status=exc.status)
    return RedirectResponse(f"/persons/{person}#monitoring", status_code=303)
