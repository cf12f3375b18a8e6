"""The tracing search on a small registry, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tracing_support import Lists, import_lists

from rollcall.errors import PermissionDenied
from rollcall.models import Person, TraceKey, TraceName
from rollcall.services import linkage
from rollcall.services.actor import Actor
from rollcall.tracing import Reason, rebuild_index, refresh_index, reindex_records, trace
from rollcall.vocabulary import Role


@pytest.fixture
def lists(db, operator, tmp_path) -> Lists:
    return import_lists(db, operator, tmp_path)


def names(result) -> list[str]:
    return [c.person.display_name for c in result.candidates]


def test_a_mothers_spelling_finds_the_ukrainian_and_the_icrc_record_first(db, operator, lists):
    own = lists.record(db, lists.own, 2)
    icrc = lists.record(db, lists.icrc, 2)
    with db.session() as s:
        result = trace(s, operator, "Александр Коваленко 1995")
        top = [c.person.id for c in result.candidates[:2]]
        assert sorted(top) == sorted([own[1], icrc[1]])
        first = result.candidates[0]
        assert {Reason.SURNAME, Reason.GIVEN_NAME, Reason.BIRTH_YEAR} <= set(first.reasons)
        # Коваленко Олексій 1995 and Коваленко Олександр 1971 follow, further down.
        assert "Коваленко Олександр Іванович" in names(result)[2:]
        assert result.candidates[0].score > result.candidates[2].score


def test_latin_and_russian_spellings_meet_the_cyrillic_record(db, operator, lists):
    own = lists.record(db, lists.own, 2)
    with db.session() as s:
        for query in ("Kovalenko Oleksandr 11.02.1995", "Коваленко Александр Петрович",
                      "OLEKSANDR KOVALENKO 1995-02-11", "Kowalenko Alexander 1995"):
            result = trace(s, operator, query)
            assert own[1] in [c.person.id for c in result.candidates[:2]], query


def test_a_full_date_of_birth_ranks_the_same_day_first(db, operator, lists):
    own = lists.record(db, lists.own, 2)
    with db.session() as s:
        result = trace(s, operator, "Коваленко Олександр 11.02.1995")
        assert result.candidates[0].person.id in (own[1], lists.record(db, lists.icrc, 2)[1])
        assert Reason.BIRTH_DATE in result.candidates[0].reasons
        conflict = next(c for c in result.candidates
                        if c.person.display_name == "Коваленко Олександр Іванович")
        assert Reason.BIRTH_DATE_CONFLICT in conflict.reasons


def test_a_misspelt_surname_is_still_found(db, operator, lists):
    own = lists.record(db, lists.own, 2)
    with db.session() as s:
        result = trace(s, operator, "Коваленкл Олександр Петрович 1995")
        hit = next(c for c in result.candidates if c.person.id == own[1])
        assert Reason.SURNAME_NEAR in hit.reasons
        assert result.candidates.index(hit) < 3


def test_a_name_written_given_name_first_is_found(db, operator, lists):
    media = lists.record(db, lists.media, 2)  # "Андрей Шевчук", read surname first
    with db.session() as s:
        result = trace(s, operator, "Шевчук Андрій 1990")
        hit = next(c for c in result.candidates if c.person.id == media[1])
        assert Reason.NAME_ORDER in hit.reasons


def test_the_unit_adds_to_the_score(db, operator, lists):
    with db.session() as s:
        plain = trace(s, operator, "Коваленко Олександр 1995").candidates[0]
        with_unit = trace(s, operator, "Коваленко Олександр 1995 А2363").candidates[0]
        assert Reason.UNIT in with_unit.reasons and with_unit.score > plain.score


def test_linked_records_are_one_candidate_with_their_other_spellings(db, operator, lists):
    own = lists.record(db, lists.own, 2)
    icrc = lists.record(db, lists.icrc, 2)
    with db.session() as s:
        survivor = linkage.merge_persons(s, operator, [own[1], icrc[1]])
        survivor_id = survivor.id
    with db.session() as s:
        result = trace(s, operator, "Oleksandr Kovalenko 1995")
        ids = [c.person.id for c in result.candidates]
        assert ids[0] == survivor_id
        assert ids.count(survivor_id) == 1
        merged_away = ({own[1], icrc[1]} - {survivor_id}).pop()
        assert merged_away not in ids
        assert "Kovalenko Oleksandr" in result.candidates[0].other_spellings


def test_an_empty_query_finds_nothing_and_a_role_without_tracing_is_refused(db, operator, lists):
    analyst = Actor("analyst", "web", frozenset({Role.ANALYST}))
    with db.session() as s:
        assert trace(s, operator, "1995 в/ч").candidates == []
        with pytest.raises(PermissionDenied):
            trace(s, analyst, "Коваленко")


def test_imports_file_their_records_and_the_index_can_be_rebuilt(db, operator, lists):
    with db.session() as s:
        filed = s.scalar(select(func.count()).select_from(TraceName))
        keys = s.scalar(select(func.count()).select_from(TraceKey))
        assert filed == 8 and keys > filed
        assert refresh_index(s) == 0  # the import already filed everything
        assert rebuild_index(s) == 8
        assert s.scalar(select(func.count()).select_from(TraceKey)) == keys
    own = lists.record(db, lists.own, 2)
    with db.session() as s:
        assert reindex_records(s, [own[0]]) == 1
        assert s.scalar(select(func.count()).select_from(TraceKey)) == keys
        assert s.get(Person, own[1]) is not None
