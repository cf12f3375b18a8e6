"""The whole permission matrix (issue 5 part 5): every route, by every role and by nobody,
is allowed or refused exactly as `ROLE_PERMISSIONS` says.

"Allowed" means the access rule let the request through: the answer may still be 404
(the ids used here do not exist), 400 or 422 (the bodies are empty), never 401 or 403.
"""

from __future__ import annotations

import re
import warnings

import pytest

from rollcall.app import create_app
from rollcall.security.permissions import ROLE_PERMISSIONS, Permission
from rollcall.services import accounts
from rollcall.vocabulary import Role
from rollcall.web.access import routes_of
from webtest_support import PASSWORD, api_token, log_in

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: Routes that end the client's session: asked last, so they don't spoil the others.
ENDS_SESSION = {("POST", "/logout")}
#: Routes whose service asks for a second permission beyond the route's rule.
ALSO_NEEDS: dict[tuple[str, str], Permission] = {}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _routes(app):
    found = []
    for info in routes_of(app):
        if info.rules is None or info.rules[0].permission is None:
            continue
        for method in info.methods:
            if method != "HEAD":
                found.append((method, info.path, info.rules[0].permission))
    return sorted(found, key=lambda r: ((r[0], r[1]) in ENDS_SESSION, r[1], r[0]))


def _ask(client: TestClient, method: str, path: str, *, token: str | None = None,
         csrf: str | None = None):
    url = _concrete(path)
    if url.startswith("/api"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.request(method, url, headers=headers,
                              json={} if method in UNSAFE else None)
    data = {"csrf_token": csrf} if method in UNSAFE and csrf else None
    return client.request(method, url, data=data, follow_redirects=False)


def test_every_route_by_every_role(db, operator):
    app = create_app(db)
    with db.session() as s:
        for role in Role:
            accounts.add_user(s, operator, f"u-{role.value}", PASSWORD, [role])
    tokens = {role: api_token(db, operator, f"u-{role.value}") for role in Role}
    wrong: list[str] = []
    routes = _routes(app)
    assert len(routes) > 40
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as anonymous:
        for method, path, _ in routes:
            answer = _ask(anonymous, method, path)
            if answer.status_code not in (401, 303, 403):
                wrong.append(f"nobody {method} {path}: {answer.status_code}")
    for role in Role:
        granted = ROLE_PERMISSIONS[role]
        with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
            csrf = log_in(client, f"u-{role.value}")
            for method, path, permission in routes:
                needed = {permission, ALSO_NEEDS.get((method, path), permission)}
                allowed = needed <= granted
                answer = _ask(client, method, path, token=tokens[role], csrf=csrf)
                refused = answer.status_code in (401, 403)
                if refused == allowed or answer.status_code >= 500:
                    wrong.append(f"{role.value} {method} {path} ({permission.value}): "
                                 f"{answer.status_code}")
    assert wrong == []


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_what_the_design_gives_it(role):
    """The matrix itself, spelled out: a change to a role's rights must change this test."""
    P = Permission
    expected = {
        Role.ADMIN: set(P),
        Role.REGISTRAR: {P.REGISTRY_READ, P.REGISTRY_WRITE, P.CONTACTS_READ, P.SOURCES_IMPORT,
                         P.SITES_WRITE, P.EXPORT, P.LINKAGE_REVIEW, P.TRACE,
                         P.EVIDENCE_WRITE, P.STATS_READ, P.SELF},
        Role.INVESTIGATOR: {P.REGISTRY_READ, P.TRACE, P.TESTIMONIES_WRITE, P.TESTIMONIES_READ,
                            P.INCIDENTS_WRITE, P.INCIDENTS_VERIFY, P.EVIDENCE_WRITE,
                            P.EVIDENCE_READ, P.STATS_READ, P.SELF},
        Role.ANALYST: {P.REGISTRY_READ, P.EXPORT, P.STATS_READ, P.SELF},
        Role.LIAISON: {P.REGISTRY_READ, P.CONTACTS_READ, P.TRACE, P.TRACING_REQUESTS,
                       P.STATS_READ, P.SELF},
        Role.AUDITOR: {P.REGISTRY_READ, P.CHANGES_READ, P.EXPORT, P.EVIDENCE_READ,
                       P.STATS_READ, P.SELF},
    }[role]
    assert set(ROLE_PERMISSIONS[role]) == expected
