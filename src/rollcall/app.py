"""The web application: the JSON API under /api and the pages, in one FastAPI app.

    uvicorn rollcall.app:create_app --factory      (or `rollcall serve`)

Built by a factory so tests hand it their own database. At the end of the build every
route is checked for an access rule: a route without one stops the app from starting.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rollcall import __version__, api
from rollcall.config import get_settings
from rollcall.db import Database, open_database
from rollcall.web import pages
from rollcall.web.access import check_routes
from rollcall.web.errors import CatchAll, install_error_handlers
from rollcall.web.i18n import translations

STATIC = Path(__file__).parent / "web" / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds the security headers to every answer, and `Cache-Control: no-store` to all
    but the static files: pages and API answers hold registry data. An answer that sets
    its own Content-Security-Policy keeps it: the periodic report's allows less than the
    pages' (nothing fetched at all, only its inline style sheet by hash)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name == "Content-Security-Policy" and name in headers:
                        continue  # an answer's own, stricter policy (the periodic report)
                    headers[name] = value
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, add_headers)


class _NoQueryStrings(logging.Filter):
    """Uvicorn's access log would write search queries (people's names) to the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def _quiet_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryStrings) for f in access.filters):
        access.addFilter(_NoQueryStrings())


def create_app(db: Database | None = None) -> FastAPI:
    settings = get_settings()
    owned = db is None
    database = db if db is not None else open_database()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            database.dispose()

    app = FastAPI(
        title="Rollcall",
        version=__version__,
        description="Information bureau for prisoners of war and detained civilians.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.db = database
    app.state.settings = settings
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: also on CatchAll's 500
    translations()  # compile the catalogs now: a broken .po fails the start, not a page
    _quiet_access_log()
    check_routes(app)
    return app


def serve_app() -> FastAPI:
    """The app as `rollcall serve` runs it, in each worker: it also builds the name tables
    of the tracing search (1-2 s) before taking requests, so that no one's first search
    after a start waits for them (seen as 2-6 s searches in the load benchmark)."""
    from rollcall.names.keys import given_index, patronymic_index
    from rollcall.tracing.query import parse_query

    app = create_app()
    given_index()
    patronymic_index()
    parse_query("Коваленко Андрій Миколайович 1990")  # and whatever else the parser loads
    return app
