"""One error answer for every door: problem+json (RFC 9457) for the API and for clients
asking for JSON, an HTML page in the reader's language otherwise, and a redirect to the
login for a page that needs one. Details come from RollcallError messages, which name
fields and rows but never a person's data; anything unexpected answers a bare 500."""

from __future__ import annotations

import logging
import traceback
import uuid
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from psycopg.errors import NumericValueOutOfRange
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rollcall.errors import RollcallError
from rollcall.web.access import SESSION_COOKIE, is_api
from rollcall.web.i18n import N_
from rollcall.web.render import render

log = logging.getLogger("rollcall.web")

PROBLEM_JSON = "application/problem+json"

#: Explanations for the error page (the title comes from the status).
EXPLANATIONS = {
    400: N_("The request could not be understood."),
    401: N_("Please log in."),
    403: N_("Your role does not allow this, or the form expired. Reload the page and try "
            "again."),
    404: N_("There is no such page or record."),
    405: N_("This page does not accept that kind of request."),
    409: N_("This contradicts what is already stored."),
    422: N_("Some values are not valid."),
    500: N_("Something went wrong on our side. The error has been logged."),
}
TITLES = {
    400: N_("Bad request"), 401: N_("Login required"), 403: N_("Not allowed"),
    404: N_("Not found"), 405: N_("Method not allowed"), 409: N_("Conflict"),
    422: N_("Invalid value"), 500: N_("Internal error"),
}


def wants_json(request: Request) -> bool:
    if is_api(request):
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(request: Request, status: int, title: str, detail: str, *,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _login_redirect(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    if request.method != "GET":
        target = "/"
    response = RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
    if SESSION_COOKIE in request.cookies:
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def error_answer(request: Request, status: int, title: str, detail: str, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """The one place that shapes an error, as JSON or as a page."""
    if wants_json(request):
        if status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        return problem(request, status, title, detail, headers=headers, **extra)
    if status == 401:
        return _login_redirect(request)
    shown = detail if status in (400, 409, 422) else None
    page = render(request, "error.html", {
        "status": status,
        "title_msgid": TITLES.get(status, _phrase(status)),
        "explanation_msgid": EXPLANATIONS.get(status, EXPLANATIONS[500]),
        "detail": shown,
        "errors": extra.get("errors", []),
    }, status=status)
    for key, value in (headers or {}).items():
        page.headers[key] = value
    return page


async def _rollcall_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RollcallError)
    if exc.status >= 500:
        log.error("%s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_answer(request, exc.status, exc.title, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    phrase = _phrase(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) else phrase
    return error_answer(request, exc.status_code, phrase, detail, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """Field locations and messages only: the rejected input may be a person's name."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": [str(part) for part in e.get("loc", ())], "msg": e.get("msg", ""),
               "type": e.get("type", "")} for e in exc.errors()]
    return error_answer(request, 422, "Invalid request",
                        f"{len(errors)} invalid value(s) in the request", errors=errors)


def _out_of_range(exc: BaseException) -> bool:
    """A number too large for the database's integers: SQLite's driver refuses it before
    the query (OverflowError), PostgreSQL after (numeric value out of range)."""
    if isinstance(exc, OverflowError):
        return True
    return isinstance(exc, DBAPIError) and isinstance(exc.orig, NumericValueOutOfRange)


async def _number_out_of_range(request: Request, exc: Exception) -> Response:
    if not _out_of_range(exc):
        raise exc
    return error_answer(request, 422, "Invalid request",
                        "a number in the request is larger than any id or count can be")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(OverflowError, _number_out_of_range)
    app.add_exception_handler(DBAPIError, _number_out_of_range)
    app.add_exception_handler(RollcallError, _rollcall_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


class CatchAll:
    """Innermost net for unexpected errors: logs the exception type and the code path (its
    message may quote SQL parameters, i.e. names) under a reference, answers a bare 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            reference = uuid.uuid4().hex[:12]
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("unhandled %s on %s %s (ref %s)\n%s", type(exc).__name__,
                      scope.get("method"), scope.get("path"), reference, frames)
            if started:
                raise
            response: Response
            try:
                response = error_answer(Request(scope), 500, "Internal error",
                                        f"unexpected error (reference {reference})")
            except Exception:  # the error page itself failed: answer in plain text
                response = PlainTextResponse(f"Internal error (reference {reference})", 500)
            await response(scope, receive, send)
