"""Registering a source that is not a list (a court's announcement, a media report): the
service, its API route and its command; refusals leave nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, PermissionDenied
from rollcall.models import Change, Source
from rollcall.services.actor import Actor
from rollcall.services.sources import register_source
from rollcall.vocabulary import Origin, Role
from webtest_support import api_token


def _counts(db) -> tuple[int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Source)),
                s.scalar(select(func.count()).select_from(Change)))


def test_a_source_is_registered_and_logged(db, operator):
    with db.session() as s:
        source = register_source(s, operator, title="  Оголошення суду  ", origin="media",
                                 received=PartialDate(2024, 3), notes="сайт суду")
        source_id = source.id
    with db.session() as s:
        stored = s.get(Source, source_id)
        assert (stored.title, stored.origin, stored.received, stored.file_sha256) == (
            "Оголошення суду", Origin.MEDIA, PartialDate(2024, 3), None)
        change = s.scalars(select(Change).where(Change.entity_type == "source")).one()
        assert change.action == "source:registered" and '"title":"Оголошення суду"' in change.state


@pytest.mark.parametrize("kwargs, message", [
    ({"title": " ", "origin": "media"}, "title"),
    ({"title": "x", "origin": "rumour"}, "origin: unknown code"),
    ({"title": "x", "origin": "media", "received": PartialDate(2999)}, "future"),
])
def test_bad_input_is_refused_and_nothing_written(db, operator, kwargs, message):
    before = _counts(db)
    with db.session() as s, pytest.raises(InvalidValue, match=message):
        register_source(s, operator, **kwargs)
    with db.session() as s, pytest.raises(PermissionDenied):
        register_source(s, Actor("a", "web", frozenset({Role.ANALYST})), title="x",
                        origin="media")
    assert _counts(db) == before


def test_the_api_and_the_command(db, operator, users, app_client, monkeypatch, db_url):
    token = api_token(db, operator, "registrar")
    made = app_client.post("/api/sources", headers={"Authorization": f"Bearer {token}"},
                           json={"title": "Заява омбудсмана", "origin": "other",
                                 "received": "2024-05-02"})
    assert made.status_code == 201 and made.json()["received"] == "2024-05-02"
    bad = app_client.post("/api/sources", headers={"Authorization": f"Bearer {token}"},
                          json={"title": "x", "origin": "other", "received": "2024-13"})
    assert bad.status_code == 422 and "received" in bad.text
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    ran = CliRunner().invoke(app, ["source", "add", "--title", "Лист", "--origin", "family"])
    assert ran.exit_code == 0 and ran.stdout.strip() == f"source {made.json()['id'] + 1}"
