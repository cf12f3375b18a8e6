"""Helpers of the browser tests: the server under test (uvicorn in a thread on a free
loopback port), the staff logins, screenshots, logging in through the form."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from review_support import Pairs
from rollcall.app import create_app
from rollcall.db import Database
from rollcall.models import TracingRequest
from rollcall.services import accounts
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, Registry, add_users

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class Served:
    """The server under test and what it holds."""

    url: str
    people: Registry
    pairs: Pairs
    db: Database
    ids: dict[str, int] = field(default_factory=dict)


class Server(threading.Thread):
    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.app = create_app(db)
        config = uvicorn.Config(self.app, log_level="warning", ws="none",
                                lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        self.server.run(sockets=[self.socket])

    def __enter__(self) -> str:
        self.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.join(10)
        self.socket.close()


def add_staff(db: Database, actor: Actor) -> None:
    """The registrar (uk) and analyst (en) of webtest_support, and the other roles."""
    add_users(db, actor)
    with db.session() as s:
        accounts.add_user(s, actor, "investigator", PASSWORD, [Role.INVESTIGATOR],
                          display_name="Ірина Слідча", language="uk")
        accounts.add_user(s, actor, "liaison", PASSWORD, [Role.LIAISON],
                          display_name="Liaison officer", language="en")
        accounts.add_user(s, actor, "admin", PASSWORD, [Role.ADMIN],
                          display_name="Адміністратор", language="uk")


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def log_in(context: object, site: Served, username: str) -> object:
    """A new tab logged in as `username` through the login form, on the persons list."""
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{site.url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/persons"))
    return page


def add_monitoring(db: Database, actor: Actor, people: Registry) -> dict[str, int]:
    """One of each monitoring record, through the services, so that every page has
    something to show: a visit, a testimony with two acts, an incident citing it, an
    exchange, a prosecution and a family's tracing request. Returns their ids by the path
    parameter that names them."""
    import datetime as dt

    from rollcall.dates import PartialDate
    from rollcall.services import exchanges, incidents, prosecutions, testimonies, tracing
    from rollcall.services.visits import record_visit
    from rollcall.vocabulary import IncidentSourceKind, Monitor

    with db.session() as s:
        visit = record_visit(s, actor, site=people.site, monitor=Monitor.ICRC,
                             date=dt.date(2023, 5, 4), person_ids=[people.kovalenko],
                             source_id=people.own_source)
        testimony = testimonies.record_testimony(
            s, actor, interviewer="Ірина Слідча", interviewed_on=dt.date(2024, 2, 14),
            language="uk", witness_person_id=people.shevchuk, consent_statistics=True,
            saw_monitor=False, narrative="Побиття при прийманні.",
            acts=[testimonies.ActInput(method="beating", site=people.site,
                                       period_start=PartialDate(2022, 5), stage="admission"),
                  testimonies.ActInput(method="electric_shock", site=people.site,
                                       victim_person_id=people.kovalenko)])
        incident = incidents.record_incident(
            s, actor, type="torture", title="Катування в СІЗО-2", site=people.site,
            date_from=PartialDate(2022, 5), person_ids=[people.kovalenko], victim_count=2)
        incidents.add_source(s, actor, incident.id, kind=IncidentSourceKind.TESTIMONY,
                             testimony_id=testimony.id)
        exchange = exchanges.record_exchange(s, actor, date=dt.date(2024, 1, 3),
                                             mediator_code="icrc", place="Суми",
                                             source_id=people.own_source)
        exchanges.attach_persons(s, actor, exchange.id, [people.shevchuk],
                                 direction="to_own_side", kind="alive",
                                 source_id=people.own_source)
        case = prosecutions.record_prosecution(
            s, actor, people.bondar, source_id=people.adversary_source,
            charges="ст. 205 КК", court="Південний окружний військовий суд",
            charged_on=PartialDate(2023, 2), concerns=["no_lawyer_of_choice"])
        tracing.submit_request(s, actor, tracing.RequestForm(
            surname="Коваленко", given_name="Петро", requester_name="Ганна",
            requester_relation="мати", requester_contact="+380 67 000 00 02"))
        request_id = s.scalar(select(TracingRequest.id))
        return {"visit_id": visit.id, "testimony_id": testimony.id,
                "incident_id": incident.id, "exchange_id": exchange.id,
                "prosecution_id": case.id, "request_id": request_id}


def page_paths(app: object, ids: dict[str, int]) -> list[str]:
    """Every page (GET, not the API, not a download) with its path parameters filled in
    from `ids`; a page whose parameter has no id fails here, so a new page cannot be left
    out of the walks that use this list."""
    from rollcall.web.access import routes_of

    paths = []
    for info in routes_of(app):  # type: ignore[arg-type]
        if ("GET" not in info.methods or info.rules is None or info.path.startswith("/api")
                or info.path in ("/docs", "/review/next", "/") or "." in info.path):
            continue
        names = re.findall(r"{(\w+)}", info.path)
        missing = [n for n in names if n not in ids]
        assert not missing, f"{info.path}: no sample id for {missing}"
        paths.append(re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), info.path))
    return paths


def sample_ids(people: Registry, pairs: Pairs, monitoring: dict[str, int]) -> dict[str, int]:
    return {"person_id": people.kovalenko, "source_id": people.own_source,
            "pair_id": pairs.uncertain, "site_id": people.site, **monitoring}
