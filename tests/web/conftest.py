"""The page tests share the API tests' fixtures: users, a small registry, clients."""

from webtest_support import app_client, people, users  # noqa: F401  (fixtures)
