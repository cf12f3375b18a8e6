"""Exchange lists: imported through the ordinary import, linked by the linkage run so rows
join the persons the registry knows (a Russian spelling joins our Ukrainian record), then
attached to the exchange with their events. The real engine, no stand-in."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from exchange_world import EXCHANGE_LIST
from sqlalchemy import func, select

from rollcall.errors import InvalidValue, NotFound, PermissionDenied
from rollcall.models import (
    Change,
    Event,
    ExchangePerson,
    LinkageRun,
    Person,
    ReviewPair,
    ReviewStatus,
    Source,
    SourceRecord,
)
from rollcall.services import exchanges, linkage
from rollcall.services.actor import Actor
from rollcall.services.exchange_lists import RejectedRow, import_exchange_list
from rollcall.vocabulary import CustodyStatus, EventType, IdentificationStatus, Origin, Role
from webtest_support import build_registry

BODIES_LIST = """Фамилия,Имя,Дата рождения
Бондар,Сергей,1979
"""


@pytest.fixture
def registry_and_exchange(db, operator, tmp_path):
    reg = build_registry(db, operator, tmp_path)
    with db.session() as s:
        exchange_id = exchanges.record_exchange(s, operator, date=dt.date(2024, 1, 3),
                                                mediator="ОАЕ").id
    return reg, exchange_id


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _table_counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (Source, SourceRecord, Person, Event, ExchangePerson, LinkageRun,
                               Change))


def test_a_list_in_russian_joins_the_persons_we_know(db, operator, tmp_path,
                                                     registry_and_exchange):
    reg, exchange_id = registry_and_exchange
    path = _write(tmp_path, "exchange.csv", EXCHANGE_LIST)
    report = import_exchange_list(db, operator, exchange_id, path, direction="to_own_side",
                                  origin=Origin.ADVERSARY_BUREAU)
    assert (report.accepted, report.rejected, report.matched, report.new) == (3, 2, 2, 1)
    assert report.rejected_rows[0] == RejectedRow(5, "surname", "no surname")
    assert [(r.row_number, r.field) for r in report.rejected_rows] == [
        (5, "surname"), (6, "Дата рождения")]
    assert report.linkage_run_id is not None and not report.already_imported
    by_row = {r.row_number: r for r in report.rows}
    assert (by_row[2].person_id, by_row[2].matched) == (reg.kovalenko, True)
    assert (by_row[3].person_id, by_row[3].matched) == (reg.shevchuk, True)
    assert not by_row[4].matched
    newcomer = by_row[4].person_id
    assert sorted(report.attached) == sorted([reg.kovalenko, reg.shevchuk, newcomer])

    with db.session() as s:
        source = s.get(Source, report.source_id)
        assert source.origin is Origin.ADVERSARY_BUREAU
        assert source.title == "Exchange 1 of 2024-01-03: persons to_own_side"
        for person_id in (reg.kovalenko, reg.shevchuk, newcomer):
            person = s.get(Person, person_id)
            assert person.custody_status is CustodyStatus.RELEASED, person_id
            row = s.get(ExchangePerson, (exchange_id, person_id))
            assert row.source_id == report.source_id
        assert s.get(ExchangePerson, (exchange_id, reg.kovalenko)).source_record_id == \
            by_row[2].record_id
        exchanged = s.scalar(select(func.count()).select_from(Event).where(
            Event.type == EventType.EXCHANGED, Event.source_id == report.source_id))
        entry = s.scalars(select(Change).where(Change.action == "exchange:list_imported")).one()
    assert exchanged == 3
    state = json.loads(entry.state)
    assert (state["matched"], state["new"], state["rejected"]) == (2, 1, 2)


def test_importing_the_same_list_again_changes_nothing(db, operator, tmp_path,
                                                       registry_and_exchange):
    _, exchange_id = registry_and_exchange
    path = _write(tmp_path, "exchange.csv", EXCHANGE_LIST)
    first = import_exchange_list(db, operator, exchange_id, path, direction="to_own_side")
    before = _table_counts(db)
    again = import_exchange_list(db, operator, exchange_id, path, direction="to_own_side")
    assert again.already_imported and again.linkage_run_id is None
    assert (again.attached, sorted(again.already_attached)) == ([], sorted(first.attached))
    assert (again.matched, again.new) == (2, 1)
    assert _table_counts(db)[:-1] == before[:-1]  # only the list_imported entry is added


def test_an_uncertain_body_goes_to_review_and_the_merge_carries_it(db, operator, tmp_path,
                                                                   registry_and_exchange):
    """With the model trained on the first list, "Бондар Сергей 1979" is only a possible
    match for our "Бондар Сергій 1979": it stays a person of its own, dead, attached with
    its identification, and a pair waits for review. Accepting the pair makes Бондар dead."""
    reg, exchange_id = registry_and_exchange
    import_exchange_list(db, operator, exchange_id, _write(tmp_path, "alive.csv", EXCHANGE_LIST),
                         direction="to_own_side")
    path = _write(tmp_path, "bodies.csv", BODIES_LIST)
    report = import_exchange_list(db, operator, exchange_id, path, direction="to_own_side",
                                  kind="body", identification="pending")
    assert report.linkage_error is None and report.linkage_run_id is not None
    assert (report.matched, report.new, report.review_pairs) == (0, 1, 1)
    body = report.rows[0].person_id
    with db.session() as s:
        assert s.get(Person, body).custody_status is CustodyStatus.DEAD
        assert s.get(Person, reg.bondar).custody_status is CustodyStatus.HELD
        pair = s.scalars(select(ReviewPair).where(ReviewPair.status == ReviewStatus.OPEN)).one()
        assert {pair.left_record_id, pair.right_record_id} == {
            report.rows[0].record_id,
            s.scalar(select(SourceRecord.id).where(SourceRecord.person_id == reg.bondar))}
        linkage.accept_pair(s, operator, pair.id)
    with db.session() as s:
        assert s.get(Person, reg.bondar).custody_status is CustodyStatus.DEAD
        view = exchanges.exchange_view(s, operator, exchange_id)
    bodies = view.of("to_own_side", "body")
    assert [(h.person.id, h.attached_as, h.identification) for h in bodies] == [
        (reg.bondar, body, IdentificationStatus.PENDING)]


def test_when_linkage_cannot_run_the_rows_are_attached_unlinked_and_said_so(
        db, operator, tmp_path, registry_and_exchange):
    """Seven records are too few for the engine to train on: the body is attached as a
    person of its own (dead), the report says why nothing matched, and a later merge
    carries the event to the person we knew."""
    reg, exchange_id = registry_and_exchange
    path = _write(tmp_path, "bodies.csv", BODIES_LIST)
    report = import_exchange_list(db, operator, exchange_id, path, direction="to_own_side",
                                  kind="body")
    assert "too few records" in report.linkage_error
    assert (report.linkage_run_id, report.matched, report.new) == (None, 0, 1)
    body = report.rows[0].person_id
    assert body != reg.bondar and report.attached == [body]
    with db.session() as s:
        assert s.get(Person, body).custody_status is CustodyStatus.DEAD
        assert s.get(Person, reg.bondar).custody_status is CustodyStatus.HELD
        linkage.merge_persons(s, operator, [reg.bondar, body])
    with db.session() as s:
        assert s.get(Person, reg.bondar).custody_status is CustodyStatus.DEAD
        view = exchanges.exchange_view(s, operator, exchange_id)
    assert [(h.person.id, h.attached_as) for h in view.persons] == [(reg.bondar, body)]


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"exchange_id": 999_999}, NotFound, "no exchange 999999"),
    ({"direction": "both"}, InvalidValue, "direction: unknown code 'both'"),
    ({"kind": "alive", "identification": "pending"}, InvalidValue, "only a body"),
    ({"kind": "body", "identification": "maybe"}, InvalidValue, "identification: unknown"),
    ({"origin": "rumour"}, InvalidValue, "origin: unknown code"),
    ({"actor": Actor("analyst", "api", frozenset({Role.ANALYST}))}, PermissionDenied,
     "registry:write"),
    ({"actor": Actor("investigator", "api", frozenset({Role.INVESTIGATOR}))},
     PermissionDenied, "registry:write"),
])
def test_a_bad_import_is_refused_before_the_list_is_read(db, operator, tmp_path,
                                                         registry_and_exchange, change, error,
                                                         message):
    _, exchange_id = registry_and_exchange
    path = _write(tmp_path, "exchange.csv", EXCHANGE_LIST)
    arguments = {"actor": operator, "exchange_id": exchange_id, "direction": "to_own_side",
                 **change}
    before = _table_counts(db)
    with pytest.raises(error, match=message):
        import_exchange_list(db, arguments.pop("actor"), arguments.pop("exchange_id"), path,
                             **arguments)
    assert _table_counts(db) == before
