"""`rollcall keys status | rotate | new-master`: the operator's door to key rotation."""

from __future__ import annotations

from sqlalchemy import text

from rollcall.config import get_settings
from rollcall.db import open_database
from rollcall.services import tracing as service
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role


def test_rotate_then_a_new_master_from_the_command_line(db, cli, tmp_path, monkeypatch):
    assert "no field keys yet" in cli("keys", "status").stdout
    with db.session() as s:
        service.submit_request(s, service.PUBLIC, service.RequestForm(
            surname="Мельник", given_name="Павло", requester_name="Марія",
            requester_relation="дружина", requester_contact="+380 63 555 66 77"))
    rotated = cli("keys", "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert "tracing_requests.requester_contact: 1 values re-encrypted under key 3" in rotated.stdout
    assert "destroyed keys: 1" in rotated.stdout
    status = cli("keys", "status").stdout.splitlines()
    assert [line.split()[:3] for line in status] == [
        ["1", "data", "destroyed"], ["2", "index", "in"], ["3", "data", "in"]]
    made = cli("keys", "new-master", str(tmp_path / "next.key"))
    assert made.exit_code == 0 and (tmp_path / "next.key").stat().st_mode & 0o077 == 0
    assert cli("keys", "new-master", str(tmp_path / "next.key")).exit_code != 0
    rewrapped = cli("keys", "rotate", "--new-master", str(tmp_path / "next.key"))
    assert "2 keys re-wrapped" in rewrapped.stdout
    monkeypatch.setenv("ROLLCALL_MASTER_KEY_FILE", str(tmp_path / "next.key"))
    get_settings.cache_clear()
    fresh = open_database(db.engine.url.render_as_string(hide_password=False))
    with fresh.session() as s:
        assert s.execute(text("SELECT count(*) FROM field_keys WHERE wrapped IS NOT NULL")
                         ).scalar_one() == 2
        liaison = Actor("liaison", "web", frozenset({Role.LIAISON}))
        assert service.request_contact(s, liaison, 1) == "+380 63 555 66 77"
    fresh.dispose()


def test_status_counts_values_in_clear_and_seal_seals_them(db, cli):
    with db.session() as s:
        service.submit_request(s, service.PUBLIC, service.RequestForm(
            surname="Мельник", given_name="Павло", requester_name="Марія",
            requester_relation="дружина", requester_contact="+380 63 555 66 77"))
        s.execute(text("UPDATE tracing_requests SET requester_contact = '+380 63 555 66 77'"))
    status = cli("keys", "status")
    assert "tracing_requests.requester_contact: 1 values stored before sealing" in status.stdout
    sealed = cli("keys", "seal")
    assert sealed.exit_code == 0, sealed.output
    assert "tracing_requests.requester_contact: 1 values sealed" in sealed.stdout
    assert "before sealing" not in cli("keys", "status").stdout
    with db.session() as s:
        assert s.execute(text("SELECT requester_contact FROM tracing_requests")
                         ).scalar_one().startswith("enc:1:")
        liaison = Actor("liaison", "web", frozenset({Role.LIAISON}))
        assert service.request_contact(s, liaison, 1) == "+380 63 555 66 77"
