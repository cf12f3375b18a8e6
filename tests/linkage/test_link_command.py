"""`rollcall link` end to end on a small synthetic registry (the real engine, no stand-in):
the summary, bulk merges with their change entries, incremental runs, review pairs, and
human decisions that bind every later run."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from rollcall.cli import app
from rollcall.config import get_settings
from rollcall.linkage import LinkageSettings
from rollcall.models import (
    Change,
    DecisionKind,
    LinkageRun,
    Person,
    ReviewPair,
    ReviewStatus,
    RunKind,
    Source,
    SourceRecord,
)
from rollcall.services.changes import canonical_json, entity_state
from rollcall.services.imports import import_list
from rollcall.services.linkage import decide_records, split_person
from rollcall.services.linkage_run import link
from rollcall.synth import generate

ORIGINS = {"own_bureau.csv": "own_bureau", "adversary_bureau.csv": "adversary_bureau",
           "icrc.csv": "icrc", "family_reports.csv": "family", "media_monitoring.csv": "media"}


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    generate(120, 5, folder)
    return folder


def import_lists(db, operator, synth, names):
    for name in names:
        import_list(db, operator, synth / "lists" / name, title=name, origin=ORIGINS[name])


def truth_of_records(db, synth) -> dict[int, str]:
    """record id -> true person, through (list file, row number)."""
    with (synth / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["list"], int(r["row_number"])): r["person_id"] for r in csv.DictReader(handle)}
    with db.session() as s:
        rows = s.execute(select(SourceRecord.id, Source.title, SourceRecord.row_number)
                         .join(Source, SourceRecord.source_id == Source.id)).all()
    return {rid: truth[(title, row)] for rid, title, row in rows}


def persons_of_records(db) -> dict[int, int]:
    with db.session() as s:
        return {r: p for r, p in s.execute(select(SourceRecord.id, SourceRecord.person_id))}


def live(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Person.id)).where(Person.merged_into_id.is_(None)))


def test_rollcall_link_prints_the_summary_and_merges_in_bulk(db, db_url, operator, synth,
                                                            monkeypatch):
    import_lists(db, operator, synth, ORIGINS)
    before = live(db)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["--as", "linker", "link"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    after = live(db)
    assert f"persons: {before} before, {after} after" in result.output
    assert "clusters merged:" in result.output and "pairs sent to review:" in result.output
    with db.session() as s:
        run = s.scalars(select(LinkageRun)).one()
        merged_away = s.scalar(select(func.count(Person.id))
                               .where(Person.merged_into_id.is_not(None)))
        entries = Counter(s.scalars(select(Change.action).where(Change.actor == "linker")))
        empty = s.scalar(select(func.count(Person.id)).where(
            Person.merged_into_id.is_(None),
            ~Person.id.in_(select(SourceRecord.person_id))))
    assert run.kind is RunKind.FULL and run.model
    assert (run.persons_before, run.persons_after) == (before, after)
    assert merged_away == run.persons_merged == before - after > 0
    # One change entry per person merged away and per survivor; one for the run.
    assert entries["person:merged"] == run.persons_merged + run.clusters_merged
    assert entries["linkage:run"] == 1
    assert empty == 0
    with db.session() as s:
        # The bulk path records the same state a merge by hand would (`entity_state`).
        merged = select(Change).where(Change.action == "person:merged")
        for order in (Change.id, Change.id.desc()):  # survivors first, merged away last
            for entry in s.scalars(merged.order_by(order).limit(20)):
                person = s.get(Person, int(entry.entity_id))
                assert entry.state == canonical_json(entity_state(person))

    truth = truth_of_records(db, synth)
    members: dict[int, set[str]] = defaultdict(set)
    for record, person in persons_of_records(db).items():
        members[person].add(truth[record])
    pure = sum(1 for people in members.values() if len(people) == 1)
    assert pure / len(members) >= 0.95
    assert after <= len(set(truth.values())) * 1.15


def test_an_incremental_run_links_only_new_records_into_existing_persons(db, operator, synth):
    import_lists(db, operator, synth, ["own_bureau.csv", "adversary_bureau.csv"])
    with db.session() as s:
        first = link(s, operator)
    assert first.kind is RunKind.FULL
    import_lists(db, operator, synth, ["icrc.csv"])
    with db.session() as s:
        icrc = s.scalar(select(func.count(SourceRecord.id)).join(Source).where(
            Source.title == "icrc.csv"))
        second = link(s, operator)
    assert second.kind is RunKind.INCREMENTAL
    assert (second.records, second.new_records) == (first.records + icrc, icrc)
    assert second.persons_before == first.persons_after + icrc
    # Most ICRC records name people already on our lists: they join existing persons.
    assert second.persons_merged > icrc // 2
    with db.session() as s:
        third = link(s, operator)
    assert (third.new_records, third.persons_merged) == (0, 0)


def test_a_rejected_pair_stays_apart_and_an_accepted_pair_together_after_relinking(
        db, operator, synth):
    import_lists(db, operator, synth, ["own_bureau.csv", "icrc.csv"])
    truth = truth_of_records(db, synth)
    by_truth: dict[str, list[int]] = defaultdict(list)
    for record, person in sorted(truth.items()):
        by_truth[person].append(record)
    twins = [records for records in by_truth.values() if len(records) == 2]
    rejected, other = twins[0], twins[1]
    strangers = (by_truth[sorted(by_truth)[0]][0], by_truth[sorted(by_truth)[-1]][0])
    with db.session() as s:
        decide_records(s, operator, *rejected, DecisionKind.REJECT, reason="test")
        decide_records(s, operator, *strangers, DecisionKind.ACCEPT, reason="test")
    for full in (False, True):
        with db.session() as s:
            link(s, operator, full=full)
        persons = persons_of_records(db)
        assert persons[rejected[0]] != persons[rejected[1]]
        assert persons[strangers[0]] == persons[strangers[1]]
        assert persons[other[0]] == persons[other[1]]  # the engine does merge such pairs


def test_a_split_binds_later_runs(db, operator, synth):
    import_lists(db, operator, synth, ["own_bureau.csv", "adversary_bureau.csv"])
    with db.session() as s:
        link(s, operator)
    persons = persons_of_records(db)
    groups: dict[int, list[int]] = defaultdict(list)
    for record, person in sorted(persons.items()):
        groups[person].append(record)
    person, records = next((p, r) for p, r in groups.items() if len(r) == 2)
    with db.session() as s:
        new = split_person(s, operator, person, [records[1]]).id
    with db.session() as s:
        link(s, operator, full=True)
    persons = persons_of_records(db)
    assert (persons[records[0]], persons[records[1]]) == (person, new)


def write_namesakes(synth: Path, folder: Path) -> Path:
    """Persons with the names and birth years of our list's first rows but another
    patronymic and birth day: the pairs a human has to look at."""
    with (synth / "lists" / "own_bureau.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:15]
    path = folder / "namesakes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Прізвище", "Ім'я", "По батькові", "Дата народження"])
        for row in rows:
            year = row["Дата народження"][-4:]
            out.writerow([row["Прізвище"], row["Ім'я"], "Тарасович", f"01.01.{year}"])
    return path


def test_uncertain_pairs_are_stored_for_review_and_superseded_by_a_full_run(
        db, operator, synth, tmp_path):
    import_lists(db, operator, synth, ["own_bureau.csv", "adversary_bureau.csv"])
    import_list(db, operator, write_namesakes(synth, tmp_path), title="namesakes",
                origin="other")
    wide = LinkageSettings(review_probability=0.001)
    with db.session() as s:
        summary = link(s, operator, settings=wide)
    assert summary.review_pairs > 0
    with db.session() as s:
        pairs = s.scalars(select(ReviewPair)).all()
        persons = {r: p for r, p in s.execute(select(SourceRecord.id, SourceRecord.person_id))}
    assert len(pairs) == summary.review_pairs
    for pair in pairs:
        assert pair.status is ReviewStatus.OPEN and pair.left_record_id < pair.right_record_id
        assert 0.001 <= pair.probability < 0.9
        assert persons[pair.left_record_id] != persons[pair.right_record_id]
        assert {"level", "weight", "left", "right"} <= set(pair.evidence["surname"])
    with db.session() as s:
        again = link(s, operator, full=True, settings=wide)
        statuses = Counter(p.status for p in s.scalars(select(ReviewPair)))
    assert statuses[ReviewStatus.SUPERSEDED] == summary.review_pairs
    assert statuses[ReviewStatus.OPEN] == again.review_pairs
