"""Helpers of the browser tests: the server under test (uvicorn in a thread on a free
loopback port), the staff logins, screenshots, logging in through the form."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from review_support import Pairs
from rollcall.app import create_app
from rollcall.db import Database
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


class Server(threading.Thread):
    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        import uvicorn

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(create_app(db), log_level="warning", ws="none",
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
