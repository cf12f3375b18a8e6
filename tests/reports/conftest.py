"""The report's doors use the shared web fixtures (tests/webtest_support.py)."""

from webtest_support import app_client, people, users  # noqa: F401  (fixtures)
