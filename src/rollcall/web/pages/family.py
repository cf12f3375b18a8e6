"""The public page where a relative asks about a missing person (no login).

The reply is always the same page, "request received, reference N": the same status, the
same shape and the same work whatever the registry holds, because submitting never reads
the registry (services.tracing). The form carries a CSRF token checked against a cookie
set with the form (double submit, as the login does), and each client address may send only
a few requests per window (`tracing_form_*` settings), answered 429 with a friendly page
beyond that.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from rollcall.config import get_settings
from rollcall.errors import InvalidValue
from rollcall.security import tokens
from rollcall.services import tracing as service
from rollcall.web.access import LOGIN_CSRF_COOKIE, DbDep, public
from rollcall.web.i18n import N_, choose_language
from rollcall.web.limits import AddressLimiter, client_address, limiter
from rollcall.web.params import optional_date
from rollcall.web.render import render

router = APIRouter()

Public = Annotated[None, Depends(public)]
FORM_PATH = "/family"
#: Longest value the form takes in any field; the service sets each field's own limit.
MAX_FIELD_CHARS = 4000
#: The form's fields, in order, with their labels; the required ones are marked.
FIELDS = {
    "surname": N_("Surname"), "given_name": N_("Given name"),
    "patronymic": N_("Patronymic (father's name)"), "birth_date": N_("Date of birth"),
    "unit": N_("Military unit"), "last_known_place": N_("Last known place"),
    "last_known_date": N_("Date of the last contact"),
    "details": N_("Anything else that may help"),
    "requester_name": N_("Your name"), "requester_relation": N_("Your relation to them"),
    "requester_contact": N_("How we can reach you (telephone or e-mail)"),
}


def limiter_of(request: Request) -> AddressLimiter:
    settings = request.app.state.settings
    return limiter(request, "family_limiter", settings.tracing_form_max_requests,
                   settings.tracing_form_window_seconds)


def _form_page(request: Request, values: dict[str, str], problems: list[str],
               status: int = 200) -> Response:
    csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or tokens.new_secret()
    response = render(request, "family.html", {
        "form_csrf": csrf, "values": values, "problems": problems, "fields": FIELDS,
        "required": service.REQUIRED,
    }, status=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                        secure=get_settings().secure_cookies, path=FORM_PATH)
    return response


@router.get(FORM_PATH)
def family_form(request: Request, _: Public) -> Response:
    return _form_page(request, {}, [])


FormText = Annotated[str, Form(max_length=MAX_FIELD_CHARS)]


@router.post(FORM_PATH)
def family_submit(
    request: Request,
    db: DbDep,
    _: Public,
    surname: FormText = "",
    given_name: FormText = "",
    patronymic: FormText = "",
    birth_date: FormText = "",
    unit: FormText = "",
    last_known_place: FormText = "",
    last_known_date: FormText = "",
    details: FormText = "",
    requester_name: FormText = "",
    requester_relation: FormText = "",
    requester_contact: FormText = "",
) -> Response:
    allowed, retry_after = limiter_of(request).allow(client_address(request))
    if not allowed:
        page = render(request, "family_limited.html", {}, status=429)
        page.headers["Retry-After"] = str(retry_after)
        return page
    values = {
        "surname": surname, "given_name": given_name, "patronymic": patronymic,
        "birth_date": birth_date, "unit": unit, "last_known_place": last_known_place,
        "last_known_date": last_known_date, "details": details,
        "requester_name": requester_name, "requester_relation": requester_relation,
        "requester_contact": requester_contact,
    }
    problems: list[str] = []
    dates = {}
    for name in ("birth_date", "last_known_date"):
        try:
            dates[name] = optional_date(values[name], name)
        except InvalidValue:
            problems.append(name)
    form = service.RequestForm(
        surname=surname.strip(), given_name=given_name.strip(), patronymic=patronymic.strip(),
        birth_date=dates.get("birth_date"), unit=unit.strip(),
        last_known_place=last_known_place.strip(), last_known_date=dates.get("last_known_date"),
        details=details.strip(), requester_name=requester_name.strip(),
        requester_relation=requester_relation.strip(),
        requester_contact=requester_contact.strip(), language=choose_language(request),
    )
    problems += service.form_problems(form)
    if problems:
        return _form_page(request, values, problems, status=400)
    with db.session() as session:
        reference = service.submit_request(session, service.PUBLIC, form)
    return render(request, "family_received.html", {"reference": reference})
