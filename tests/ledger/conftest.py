"""A small registry written through the services, so that its change log holds every kind
of entry the services write today: sites and access, two imported lists, a merge of two
persons, an event and its derived status, users, logins, tokens and a password change."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.config import get_settings
from rollcall.db import Database
from rollcall.ledger.keys import NoteVerifier, key_path, read_key_file
from rollcall.services import accounts
from rollcall.services.actor import Actor
from webtest_support import PASSWORD, Registry, add_users, api_token, build_registry


@pytest.fixture
def registry(db: Database, operator: Actor, tmp_path: Path) -> Registry:
    built = build_registry(db, operator, tmp_path)
    add_users(db, operator)
    api_token(db, operator, "analyst")
    with db.session() as s:
        accounts.login(s, "registrar", PASSWORD)
    with db.session() as s:
        accounts.set_password(s, operator, "analyst", PASSWORD + "!")
    return built


@pytest.fixture
def verifier() -> NoteVerifier:
    """The public half of the key the tests' seals were signed with."""
    return read_key_file(key_path(get_settings())).verifier
