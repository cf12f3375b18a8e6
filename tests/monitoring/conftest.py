"""The monitoring tests use the shared web fixtures (tests/webtest_support.py)."""

from webtest_support import app_client, users  # noqa: F401  (fixtures)
