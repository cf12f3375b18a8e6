"""The security tests use the page tests' client fixture."""

from webtest_support import app_client  # noqa: F401  (a fixture)
