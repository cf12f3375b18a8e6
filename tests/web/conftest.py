"""The page tests share the API tests' fixtures: users, a small registry, clients."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from webtest_support import app_client, people, users  # noqa: F401  (fixtures)
