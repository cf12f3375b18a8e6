"""Schemathesis against the OpenAPI document (issue 5 part 5): every API operation, called
by an administrator with bounded generated input, answers without a server error — bad
input is a 4xx with a problem document, never a 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from rollcall.app import create_app
from rollcall.services import accounts
from rollcall.vocabulary import Role
from webtest_support import PASSWORD, api_token

#: Examples per operation and backend: enough to reach every parameter, bounded in time.
EXAMPLES = 8


def test_no_operation_answers_with_a_server_error(db, operator):
    with db.session() as s:
        accounts.add_user(s, operator, "fuzz-admin", PASSWORD, [Role.ADMIN])
    headers = {"Authorization": f"Bearer {api_token(db, operator, 'fuzz-admin')}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db))
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: "
                                f"{response.status_code} {response.text[:200]}")

        call()
    assert operations > 40
    assert failures == []
