"""What every command shares: the database it opens and the operator it acts as."""

from __future__ import annotations

from dataclasses import dataclass

from rollcall.db import Database, open_database
from rollcall.services.actor import Actor, local_operator


@dataclass
class _State:
    as_user: str | None = None


state = _State()


def database() -> Database:
    return open_database()


def operator() -> Actor:
    return local_operator(state.as_user)
