"""A real browser against a real server: Debian's Chromium (`/usr/bin/chromium`, which
`make test` installs) driven by Playwright, and the app served by uvicorn in a thread on
a free loopback port, over the `db` fixture's database (so each test runs on SQLite and on
PostgreSQL). The registry is the small one of `webtest_support`, built through the
services, with review pairs and a login for each staff role.

Screenshots go to `test-artifacts/screenshots/` at the top of the working tree (README);
a failing test leaves one of each open tab, named after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Served, Server, add_monitoring, add_staff, sample_ids, shot

from review_support import add_review_pairs
from rollcall.db import Database
from rollcall.services.actor import Actor
from webtest_support import build_registry

CHROMIUM = os.environ.get("ROLLCALL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the session; each test gets its own context (cookies apart)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install "
                    "chromium); the browser tests never download a browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(db: Database, operator: Actor, tmp_path: Path) -> Iterator[Served]:
    people = build_registry(db, operator, tmp_path)
    add_staff(db, operator)
    pairs = add_review_pairs(db, people)
    with Server(db) as url:
        yield Served(url, people, pairs, db)


@pytest.fixture
def full_site(db: Database, operator: Actor, tmp_path: Path) -> Iterator[Served]:
    """The same registry with one of each monitoring record, for the walks over every
    page; `ids` names a sample for each path parameter."""
    people = build_registry(db, operator, tmp_path)
    add_staff(db, operator)
    pairs = add_review_pairs(db, people)
    ids = sample_ids(people, pairs, add_monitoring(db, operator, people))
    with Server(db) as url:
        yield Served(url, people, pairs, db, ids)


@pytest.fixture
def context(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)  # a loaded 2-core machine is slow, not wrong
    yield context
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for number, page in enumerate(context.pages):
            shot(page, f"FAILED-{request.node.name}-{number}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


