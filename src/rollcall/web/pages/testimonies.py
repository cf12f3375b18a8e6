"""Testimonies: the list (pseudonym, date, interviewer, acts, methods), one testimony with
its coded acts, and the investigators' form for a new one.

The form works without JavaScript: a fixed number of blank act rows, the method chosen
from a select box of the vocabulary grouped and sorted by label in the reader's language.
A refused form comes back with what was typed and the problems listed at the top. The
witness and the narrative appear only where `services.testimonies` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from rollcall.db import Database
from rollcall.errors import InputError, RollcallError
from rollcall.models import Site
from rollcall.monitoring.methods import vocabulary
from rollcall.security.permissions import Permission
from rollcall.services import testimonies as service
from rollcall.services.actor import Actor
from rollcall.services.testimony_incidents import cite_testimony
from rollcall.vocabulary import CaptivityStage, IncidentType
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import N_, choose_language
from rollcall.web.params import optional_date, optional_int
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.TESTIMONIES_WRITE))]
IncidentWriter = Annotated[Actor, Depends(requires(Permission.INCIDENTS_WRITE))]
PageNo = Annotated[int, Query(ge=1)]
Text = Annotated[str, Query(max_length=100)]

#: Blank act rows on the new-testimony form; more are added on the testimony's page.
ACT_ROWS = 5
#: Sites offered as suggestions beside the site field (a datalist, no script needed).
SITE_SUGGESTIONS = 500
ACT_FIELDS = ("method", "site", "period_start", "period_end", "stage", "perpetrator",
              "victim", "victim_person_id", "monitor_seen", "family_contact_allowed")
TESTIMONY_FIELDS = ("interviewer", "interviewed_on", "language", "place", "pseudonym",
                    "witness_person_id", "saw_monitor", "family_contact", "narrative")
CONSENTS = {
    "consent_statistics": N_("use in statistics"),
    "consent_public_report": N_("use in a public report"),
    "consent_prosecution": N_("use for prosecution"),
    "consent_icrc": N_("sharing with the ICRC"),
}
#: Labels of the form's fields, for the list of problems.
LABELS = {
    "interviewer": N_("Interviewer"), "interviewed_on": N_("Date of the interview"),
    "language": N_("Language of the interview"), "place": N_("Place of the interview"),
    "pseudonym": N_("Pseudonym"), "witness_person_id": N_("Witness (person number)"),
    "saw_monitor": N_("Saw an independent monitor"),
    "family_contact": N_("Allowed contact with family"), "narrative": N_("Narrative"),
    "method": N_("Method"), "site": N_("Site"), "period_start": N_("From"),
    "period_end": N_("Until"), "stage": N_("Stage of captivity"),
    "perpetrator": N_("Perpetrator (affiliation)"), "victim": N_("Victim"),
    "victim_person_id": N_("Victim (person number)"), "monitor_seen": N_("Monitor seen"),
    "family_contact_allowed": N_("Family contact allowed"),
}
VICTIMS = {"witness": N_("the witness"), "person": N_("another person in the registry"),
           "other": N_("another person, not in the registry")}


@dataclass
class FormState:
    """What was typed, and what is wrong with it: (field key, label msgid, detail)."""

    values: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str, str | None]] = field(default_factory=list)
    message: str | None = None
    #: Which form of the page was refused: "acts" or "incident".
    form: str = "acts"

    def flag(self, key: str, label: str, detail: str | None = None) -> None:
        self.problems.append((key, label, detail))


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _int(state: FormState, key: str, label: str) -> int | None:
    try:
        return optional_int(state.values.get(key), key)
    except InputError:
        state.flag(key, label, N_("not a number"))
        return None


def _date(state: FormState, key: str, label: str) -> Any:
    try:
        return optional_date(state.values.get(key), key)
    except InputError:
        state.flag(key, label, N_("not a date"))
        return None


def _method(state: FormState, key: str, typed: str) -> str:
    """The method's code from what was typed: a code, a label in either language, or a
    part of one that only one method has. Several or none: the form says so."""
    if not typed:
        state.flag(key, LABELS["method"], N_("choose a method"))
        return ""
    found = vocabulary().find(typed)
    if len(found) == 1:
        return found[0].code
    state.flag(key, LABELS["method"], N_("several methods match; choose one from the list")
               if found else N_("no method of the vocabulary matches"))
    return typed


def _act(state: FormState, prefix: str) -> service.ActInput | None:
    """One act row; None when the row was left blank."""
    key = {name: f"{prefix}{name}" for name in ACT_FIELDS}
    typed = {name: state.values.get(k, "") for name, k in key.items()}
    if not any(v for n, v in typed.items() if n != "victim" or v not in ("", "witness")):
        return None
    method = _method(state, key["method"], typed["method"])
    victim = typed["victim"] or "witness"
    person = _int(state, key["victim_person_id"], LABELS["victim_person_id"])
    if victim == "person" and person is None:
        state.flag(key["victim_person_id"], LABELS["victim_person_id"],
                   N_("give the person's number"))
    site = typed["site"]
    return service.ActInput(
        method=method, site=int(site) if site.isdigit() else (site or None),
        period_start=_date(state, key["period_start"], LABELS["period_start"]),
        period_end=_date(state, key["period_end"], LABELS["period_end"]),
        stage=typed["stage"] or None, perpetrator=typed["perpetrator"] or None,
        victim_is_witness=victim == "witness",
        victim_person_id=person if victim == "person" else None,
        monitor_seen=_tristate(typed["monitor_seen"]),
        family_contact_allowed=_tristate(typed["family_contact_allowed"]))


def _typed(form: FormData) -> dict[str, str]:
    return {k: v.strip() if k != "narrative" else v
            for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _form_context(request: Request, db: Database, state: FormState, *,
                  with_sites: bool = True) -> dict[str, Any]:
    language = choose_language(request)
    sites = []
    if with_sites:
        with db.session() as session:
            sites = list(session.execute(
                select(Site.key, Site.name_uk, Site.name_en).where(Site.key.is_not(None))
                .order_by(Site.key).limit(SITE_SUGGESTIONS)))
    return {
        "section": "testimonies", "state": state, "values": state.values,
        "problem_keys": {key for key, _, _ in state.problems},
        "groups": vocabulary().grouped(language), "CaptivityStage": CaptivityStage,
        "victims": VICTIMS,
        "consents": CONSENTS, "labels": LABELS, "rows": range(ACT_ROWS),
        "sites": [(s.key, (s.name_en if language == "en" else s.name_uk) or s.name_uk
                   or s.name_en or s.key) for s in sites],
        "method_text": _method_label(request),
    }


def _method_label(request: Request) -> Any:
    language = choose_language(request)

    def label(code: str) -> str:
        method = vocabulary().get(code)
        return method.label(language) if method else code

    return label


@router.get("/testimonies")
def list_page(request: Request, db: DbDep, actor: Reader, method: Text = "",
              site_id: Text = "", since: Text = "", until: Text = "",
              page: PageNo = 1) -> Response:
    site = optional_int(site_id, "site_id")
    start, end = optional_date(since, "since"), optional_date(until, "until")
    with db.session() as session:
        paged = service.list_testimonies(
            session, actor, method=method or None, site_id=site,
            interviewed_from=start.earliest() if start else None,
            interviewed_to=end.latest() if end else None, page=page,
            page_size=request.app.state.settings.page_size_default)
        return render(request, "testimonies.html", {
            "section": "testimonies", "paged": paged, "method_label": _method_label(request),
            "groups": vocabulary().grouped(choose_language(request)),
            "filters": {"method": method, "site_id": site_id, "since": since, "until": until},
        })


@router.get("/methods")
def methods_page(request: Request, actor: Reader, q: Text = "") -> Response:
    """The methods vocabulary, searched in Ukrainian and English (a plain GET form)."""
    found = {m.code for m in vocabulary().search(q)}
    groups = [(group, [m for m in methods if m.code in found])
              for group, methods in vocabulary().grouped(choose_language(request))]
    return render(request, "methods.html", {
        "section": "testimonies", "q": q, "total": len(found),
        "groups": [(g, ms) for g, ms in groups if ms]})


@router.get("/testimonies/new")
def new_form(request: Request, db: DbDep, actor: Writer) -> Response:
    state = FormState(values={"language": "uk"})
    return render(request, "testimony_form.html", _form_context(request, db, state))


def _record(db: Database, actor: Actor, state: FormState) -> int | None:
    """Parse the typed form and record it; None (and `state` telling why) if refused."""
    v = state.values
    day = _date(state, "interviewed_on", LABELS["interviewed_on"])
    if (day is None or day.day is None) and not state.problems:
        state.flag("interviewed_on", LABELS["interviewed_on"], N_("give the day"))
    witness = _int(state, "witness_person_id", LABELS["witness_person_id"])
    acts = [a for i in range(ACT_ROWS) if (a := _act(state, f"act-{i}-")) is not None]
    if state.problems or day is None:
        return None
    with db.session() as session:
        testimony = service.record_testimony(
            session, actor, interviewer=v.get("interviewer", ""),
            interviewed_on=day.earliest(),
            language=v.get("language", ""), place=v.get("place"),
            witness_person_id=witness, pseudonym=v.get("pseudonym"),
            consent_statistics="consent_statistics" in v,
            consent_public_report="consent_public_report" in v,
            consent_prosecution="consent_prosecution" in v, consent_icrc="consent_icrc" in v,
            saw_monitor=_tristate(v.get("saw_monitor", "")),
            family_contact=_tristate(v.get("family_contact", "")),
            narrative=v.get("narrative"), acts=acts)
        return testimony.id


@router.post("/testimonies/new")
async def submit_form(request: Request, db: DbDep, actor: Writer) -> Response:
    state = FormState(values=_typed(await request.form()))
    status = 400
    try:
        created = await run_in_threadpool(_record, db, actor, state)
    except RollcallError as exc:
        if exc.status >= 500:
            raise
        created, state.message, status = None, exc.message, exc.status
    if created is not None:
        return RedirectResponse(f"/testimonies/{created}", status_code=303)
    context = await run_in_threadpool(_form_context, request, db, state)
    return render(request, "testimony_form.html", context, status=status)


def _detail(request: Request, db: Database, actor: Actor, testimony_id: int,
            state: FormState | None = None, status: int = 200) -> Response:
    state = state or FormState()
    may_write = actor.can(Permission.TESTIMONIES_WRITE)
    context = _form_context(request, db, state, with_sites=may_write)
    with db.session() as session:
        view = service.get_testimony(session, actor, testimony_id)
        return render(request, "testimony.html", {
            **context, "t": view, "method_label": _method_label(request),
            "may_write": may_write, "IncidentType": IncidentType,
            "may_cite": actor.can(Permission.INCIDENTS_WRITE),
        }, status=status)


@router.get("/testimonies/{testimony_id}")
def detail_page(request: Request, testimony_id: int, db: DbDep, actor: Reader) -> Response:
    return _detail(request, db, actor, testimony_id)


def _add_act(db: Database, actor: Actor, testimony_id: int, state: FormState) -> bool:
    act = _act(state, "act-0-")
    if act is None:
        state.flag("act-0-method", LABELS["method"], N_("choose a method"))
    if state.problems or act is None:
        return False
    with db.session() as session:
        service.add_act(session, actor, testimony_id, act)
    return True


@router.post("/testimonies/{testimony_id}/acts")
async def add_act(request: Request, testimony_id: int, db: DbDep, actor: Writer) -> Response:
    state = FormState(values=_typed(await request.form()))
    status = 400
    try:
        added = await run_in_threadpool(_add_act, db, actor, testimony_id, state)
    except RollcallError as exc:
        if exc.status >= 500:
            raise
        added, state.message, status = False, exc.message, exc.status
    if added:
        return RedirectResponse(f"/testimonies/{testimony_id}#acts", status_code=303)
    return await run_in_threadpool(_detail, request, db, actor, testimony_id, state, status)


def _cite(db: Database, actor: Actor, testimony_id: int, state: FormState) -> int:
    v = state.values
    incident = optional_int(v.get("incident_id"), "incident_id")
    with db.session() as session:
        return cite_testimony(session, actor, testimony_id, incident_id=incident,
                              type=v.get("type") or None, title=v.get("title")).id


@router.post("/testimonies/{testimony_id}/incident")
async def cite_in_incident(request: Request, testimony_id: int, db: DbDep,
                           actor: IncidentWriter) -> Response:
    """Open a new incident from this testimony, or attach it to one (`incident_id`)."""
    state = FormState(values=_typed(await request.form()))
    try:
        incident = await run_in_threadpool(_cite, db, actor, testimony_id, state)
    except RollcallError as exc:
        if exc.status >= 500:
            raise
        state.message, state.form = exc.message, "incident"
        return await run_in_threadpool(_detail, request, db, actor, testimony_id, state,
                                       exc.status)
    return RedirectResponse(f"/incidents/{incident}", status_code=303)
