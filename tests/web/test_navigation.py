"""The main navigation offers what the user's roles allow, and nothing else."""

from __future__ import annotations

import re

from rollcall.db import Database
from rollcall.services import accounts
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, TestClient, log_in

NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)


def nav_links(client: TestClient) -> set[str]:
    html = client.get("/persons", params={"lang": "en"}).text
    match = NAV.search(html)
    assert match, "no main navigation on the page"
    return set(re.findall(r'href="([^"]+)"', match.group(1)))


def test_navigation_follows_the_roles(db: Database, operator: Actor, app_client: TestClient):
    with db.session() as s:
        accounts.add_user(s, operator, "liaison", PASSWORD, [Role.LIAISON])
        accounts.add_user(s, operator, "analyst", PASSWORD, [Role.ANALYST])
    log_in(app_client, "liaison")
    liaison = nav_links(app_client)
    app_client.cookies.clear()
    log_in(app_client, "analyst")
    analyst = nav_links(app_client)

    assert {"/persons", "/tracing", "/tracing/requests", "/review"} <= liaison
    assert "/persons" in analyst and "/review" in analyst
    assert not {"/tracing", "/tracing/requests"} & analyst
