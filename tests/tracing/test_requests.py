"""Family tracing requests: stored without looking at the registry, answered by liaison
staff, the relative's contact kept out of the change log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from tracing_support import import_lists

from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue, NotFound, PermissionDenied
from rollcall.models import Change, RequestStatus, TracingRequest
from rollcall.services import tracing as service
from rollcall.services.actor import Actor
from rollcall.vocabulary import Role

CONTACT = "+380 99 000 11 22"
FORM = service.RequestForm(
    surname="Коваленко", given_name="Олександр", patronymic="Петрович",
    birth_date=PartialDate(1995, 2, 11), unit="в/ч А2363", last_known_place="Бахмут",
    requester_name="Ганна Коваленко", requester_relation="мати", requester_contact=CONTACT,
)
LIAISON = Actor("liaison", "web", frozenset({Role.LIAISON}))
REGISTRAR = Actor("registrar", "web", frozenset({Role.REGISTRAR}))


def test_references_are_random_codes_not_row_ids():
    codes = {service.new_reference() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"TR-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", c) for c in codes)


def test_a_request_is_stored_and_its_contact_never_enters_the_change_log(db):
    with db.session() as s:
        reference = service.submit_request(s, service.PUBLIC, FORM)
    with db.session() as s:
        stored = s.scalars(select(TracingRequest)).one()
        assert stored.reference == reference and stored.status is RequestStatus.OPEN
        assert stored.requester_contact.startswith("enc:1:")  # tests/security has the rest
        assert service.request_contact(s, LIAISON, stored.id) == CONTACT
        change = s.scalars(select(Change).where(Change.entity_type == "tracing_request")
                           .order_by(Change.id)).first()
        assert change.action == "tracing_request:received" and change.actor == "public"
        assert CONTACT not in change.state and "requester_contact" not in change.state
        assert "Ганна Коваленко" in change.state


def test_a_request_without_the_required_fields_is_refused_naming_fields_only(db):
    with db.session() as s, pytest.raises(InvalidValue) as caught:
        service.submit_request(s, service.PUBLIC, service.RequestForm(
            surname="Коваленко", given_name="", requester_contact=CONTACT))
    assert "given_name" in caught.value.message and "Коваленко" not in caught.value.message


def test_liaison_sees_candidates_records_an_answer_and_reads_the_contact(db, operator,
                                                                        tmp_path, caplog):
    lists = import_lists(db, operator, tmp_path)
    own_person = lists.record(db, lists.own, 2)[1]
    with db.session() as s:
        service.submit_request(s, service.PUBLIC, FORM)
        request_id = s.scalars(select(TracingRequest.id)).one()
    with db.session() as s:
        result = service.request_candidates(s, LIAISON, request_id)
        assert result.candidates[0].person.id == own_person  # same day of birth, same unit
        caplog.set_level("DEBUG")
        assert service.request_contact(s, LIAISON, request_id) == CONTACT
        assert CONTACT not in caplog.text
        shown = s.scalars(select(Change).where(Change.action == "sensitive:read")).one()
        assert (shown.actor, shown.entity_id, shown.state) == (
            "liaison", str(request_id), '{"field":"requester_contact"}')
        service.answer_request(s, LIAISON, request_id, status="answered",
                               answer="Внесений до списку; повідомлено матері.",
                               matched_person_id=own_person)
    with db.session() as s:
        stored = s.get(TracingRequest, request_id)
        assert stored.status is RequestStatus.ANSWERED and stored.answered_by == "liaison"
        assert stored.matched_person_id == own_person
        change = s.scalars(select(Change).where(
            Change.action == "tracing_request:answered")).one()
        assert change.diff["status"] == ["open", "answered"] and CONTACT not in change.state


def test_answers_are_checked_and_other_roles_are_refused(db, operator):
    with db.session() as s:
        service.submit_request(s, service.PUBLIC, FORM)
        request_id = s.scalars(select(TracingRequest.id)).one()
    with db.session() as s:
        with pytest.raises(InvalidValue):
            service.answer_request(s, LIAISON, request_id, status="answered", answer="")
        with pytest.raises(InvalidValue):
            service.answer_request(s, LIAISON, request_id, status="lost")
        with pytest.raises(NotFound):
            service.answer_request(s, LIAISON, request_id, status="closed",
                                   matched_person_id=999_999)
        with pytest.raises(PermissionDenied):
            service.get_request(s, REGISTRAR, request_id)
        with pytest.raises(PermissionDenied):
            service.list_requests(s, REGISTRAR)
        assert service.list_requests(s, LIAISON, status=RequestStatus.OPEN).total == 1
