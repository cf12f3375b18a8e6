"""The service tests that reach the API use the shared web fixtures."""

from webtest_support import app_client, users  # noqa: F401  (fixtures)
