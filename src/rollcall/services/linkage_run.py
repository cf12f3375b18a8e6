"""`rollcall link`: run the linkage engine over the registry and apply what it finds.

A run reads every source record (streamed into an Arrow table, so a million records stay
small), hands the engine the humans' decisions (accepted pairs must link; rejected pairs
and splits cannot) and the current persons, then merges the persons each cluster spans
(in bulk: `linkage_bulk`) and stores the uncertain pairs for review.

Incremental by default: only the records added since the last run are compared (with
anything), with the model that run trained. `full=True` compares everything and retrains.
A run only ever merges; it never splits a person (a human does that, and the split's
decisions then bind every later run).

Concurrency: PostgreSQL runs are serialised by an advisory lock, and the registry tables
are locked against other writers while the merges are applied; on SQLite the run holds the
database's write lock from its start, as an import does.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import pyarrow as pa
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from rollcall.bulk import insert_rows
from rollcall.linkage import LinkageSettings, ScoredPair, load_trained_model, resolve
from rollcall.linkage.clustering import Forest
from rollcall.models import (
    DecisionKind,
    LinkageRun,
    LinkDecision,
    Person,
    ReviewPair,
    ReviewStatus,
    RunKind,
    SourceRecord,
)
from rollcall.models.base import utcnow
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.linkage_bulk import merge_groups

#: (stage, fraction done 0..1): "reading", then the engine's stages, then "merging".
Progress = Callable[[str, float], None]

_ADVISORY_KEY = 31337003
_READ_BATCH = 50_000
_LINK_SCHEMA = pa.schema(
    [("record_id", pa.int64()), ("source_id", pa.int64())]
    + [(name, pa.string()) for name in (
        "surname", "given_name", "patronymic", "sex", "birth_date", "service_number", "unit",
        "capture_date", "capture_place", "place_of_birth", "stated_status", "status_date",
        "death_date")]
)
_REVIEW_COLUMNS = ("run_id", "left_record_id", "right_record_id", "probability",
                   "match_weight", "evidence", "status", "certainty", "created_at")


@dataclass(frozen=True)
class LinkSummary:
    """What a run did, for the CLI summary and the runs list."""

    run_id: int
    kind: RunKind
    records: int
    new_records: int
    persons_before: int
    persons_after: int
    clusters_merged: int
    persons_merged: int
    review_pairs: int
    matched_pairs: int
    seconds: float
    conflicts: int = 0


def live_persons(session: Session) -> int:
    return session.scalar(select(func.count(Person.id))
                          .where(Person.merged_into_id.is_(None))) or 0


def latest_decisions(session: Session) -> dict[tuple[int, int], DecisionKind]:
    """The newest decision for each record pair: the one that counts."""
    latest: dict[tuple[int, int], DecisionKind] = {}
    rows = session.execute(select(LinkDecision.left_record_id, LinkDecision.right_record_id,
                                  LinkDecision.kind).order_by(LinkDecision.id))
    for left, right, kind in rows:
        latest[(left, right)] = DecisionKind(kind)
    return latest


_RECORDS_SQL = ("SELECT id, source_id, surname, given_name, patronymic, sex, birth_date, "
                "service_number, unit, capture_date, capture_place, place_of_birth, "
                "stated_status, status_date, death_date, person_id "
                "FROM source_records ORDER BY id")


def _driver_rows(session: Session, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of rows straight from the driver: values as stored (partial dates as ISO
    text), no per-value type processing, for a million records."""
    conn = session.connection()
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    # PostgreSQL: a server-side cursor, so the driver does not hold all rows at once.
    cursor = dbapi.cursor("link_read") if conn.dialect.name == "postgresql" else dbapi.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_READ_BATCH):
            yield rows
    finally:
        cursor.close()


def record_table(session: Session) -> tuple[pa.Table, dict[int, int]]:
    """Every source record as the engine reads it (Arrow, built in batches), and
    record id -> person id."""
    batches = []
    persons: dict[int, int] = {}
    for part in _driver_rows(session, _RECORDS_SQL):
        columns = list(zip(*part, strict=True))
        batches.append(pa.RecordBatch.from_arrays(
            [pa.array(col, type=f.type) for col, f in zip(columns[:-1], _LINK_SCHEMA,
                                                          strict=True)],
            schema=_LINK_SCHEMA))
        persons.update(zip(columns[0], columns[-1], strict=True))
    return pa.Table.from_batches(batches, schema=_LINK_SCHEMA), persons


def current_persons(session: Session) -> dict[int, int]:
    """record id -> person id, as the database holds it now."""
    persons: dict[int, int] = {}
    for part in _driver_rows(session, "SELECT id, person_id FROM source_records"):
        persons.update(part)
    return persons


def person_groups(clusters: dict[int, int], persons: dict[int, int],
                  apart: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The groups of persons to merge: those whose records one cluster holds, except where
    a "never together" decision (`apart`, record pairs) forbids the join. Records the run
    did not see (added meanwhile) are left alone. Groups come sorted, in survivor (smallest
    id) order, so a run's change entries come in a stable order."""
    forest = Forest(())
    for left, right in apart:
        a, b = persons.get(left), persons.get(right)
        if a is not None and b is not None and a != b:
            forest.add(a)
            forest.add(b)
            forest.forbid(a, b)
    joined: dict[int, None] = {}
    anchor: dict[int, int] = {}
    for record, cluster in clusters.items():
        person = persons.get(record)
        if person is None:
            continue
        first = anchor.setdefault(cluster, person)
        if first != person:
            for p in (first, person):
                forest.add(p)
                joined.setdefault(p)
            forest.union(first, person)
    groups: dict[int, list[int]] = {}
    for person in joined:
        groups.setdefault(forest.find(person), []).append(person)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _engine_progress(tell: Progress) -> Progress:
    """The engine's stages as the middle of the run's bar (reading before, merging after)."""
    def engine(stage: str, fraction: float) -> None:
        if stage != "done":
            tell(stage, 0.1 + 0.75 * fraction)
    return engine


def _lock(session: Session) -> None:
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


def _lock_registry(session: Session) -> None:
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE persons, source_records, events IN EXCLUSIVE MODE"))


def link(session: Session, actor: Actor, *, full: bool = False,
         progress: Progress | None = None, settings: LinkageSettings | None = None
         ) -> LinkSummary:
    """Link the registry's records into persons (see the module docstring)."""
    actor.require(Permission.LINKAGE_REVIEW)
    tell = progress or (lambda stage, fraction: None)
    started = time.perf_counter()
    _lock(session)
    run = LinkageRun(kind=RunKind.FULL, actor=actor.username, started_at=utcnow())
    session.add(run)
    session.flush()  # on SQLite, this takes the write lock for the run
    previous = session.scalar(select(LinkageRun).where(LinkageRun.finished_at.is_not(None))
                              .order_by(LinkageRun.id.desc()).limit(1))
    model = session.scalar(select(LinkageRun.model).where(LinkageRun.model.is_not(None))
                           .order_by(LinkageRun.id.desc()).limit(1))
    incremental = not full and previous is not None and model is not None
    settings = settings or LinkageSettings()
    if incremental:
        assert model is not None
        settings = load_trained_model(model, settings)
        run.kind = RunKind.INCREMENTAL
    persons_before = live_persons(session)

    tell("reading", 0.0)
    table, persons = record_table(session)
    run.records = table.num_rows
    run.max_record_id = max(persons, default=0)
    new_ids = ({rid for rid in persons if rid > previous.max_record_id}
               if incremental and previous is not None else None)
    run.new_records = len(new_ids) if new_ids is not None else table.num_rows
    decisions = latest_decisions(session)
    conflicts = 0
    if table.num_rows and (new_ids is None or new_ids):
        must = [pair for pair, kind in decisions.items() if kind is DecisionKind.ACCEPT]
        cannot = [pair for pair, kind in decisions.items() if kind is not DecisionKind.ACCEPT]
        if not incremental:
            persons = {}  # a full run clusters afresh; the map is read again below
        resolution = resolve(table, must_link=must, cannot_link=cannot,
                             new_record_ids=new_ids, existing_clusters=persons or None,
                             progress=_engine_progress(tell), settings=settings)
        del table
        tell("merging", 0.85)
        _lock_registry(session)
        # Re-read: a person may have been merged or split by hand while the engine ran.
        persons = current_persons(session)
        decisions = latest_decisions(session)
        apart = [pair for pair, kind in decisions.items() if kind is not DecisionKind.ACCEPT]
        groups = person_groups(resolution.clusters, persons, apart)
        merged = merge_groups(session, actor, groups, run_id=run.id)
        survivor = {pid: min(group) for group in groups for pid in group}

        def person_after(record_id: int) -> int | None:
            person = persons.get(record_id)
            return survivor.get(person, person) if person is not None else None

        run.review_pairs = _store_review(session, run.id, resolution.review, person_after,
                                         decisions, full=not incremental)
        run.clusters_merged = merged.clusters
        run.persons_merged = merged.persons_merged
        run.matched_pairs = resolution.matched_pairs
        conflicts = len(resolution.conflicts)
        if not incremental:
            run.model = resolution.model_json
    run.persons_after = live_persons(session)
    run.persons_before = persons_before
    run.finished_at = utcnow()
    run.seconds = round(time.perf_counter() - started, 3)
    session.flush()
    state = entity_state(run, omit=frozenset({"model"}))
    state["model_sha256"] = (hashlib.sha256(run.model.encode()).hexdigest()
                             if run.model else None)
    record_change(session, actor, Action.LINKAGE_RUN, "linkage_run", run.id, state,
                  {"conflicts": conflicts})
    tell("done", 1.0)
    return LinkSummary(
        run_id=run.id, kind=run.kind, records=run.records, new_records=run.new_records,
        persons_before=run.persons_before, persons_after=run.persons_after,
        clusters_merged=run.clusters_merged, persons_merged=run.persons_merged,
        review_pairs=run.review_pairs, matched_pairs=run.matched_pairs,
        seconds=run.seconds, conflicts=conflicts,
    )


def _store_review(session: Session, run_id: int, pairs: list[ScoredPair],
                  person_of: Callable[[int], int | None], decisions: dict[tuple[int, int], Any], *,
                  full: bool) -> int:
    """Store the run's uncertain pairs; supersede the open pairs they replace (all of them
    after a full run) and those whose records are now one person. Pairs a human already
    decided, or whose records are now one person, are not stored."""
    open_pairs = ReviewPair.status == ReviewStatus.OPEN
    superseded = {"status": ReviewStatus.SUPERSEDED}
    no_sync = {"synchronize_session": False}
    if full:
        session.execute(update(ReviewPair).where(open_pairs).values(**superseded),
                        execution_options=no_sync)
    else:
        left, right = SourceRecord.__table__.alias("l"), SourceRecord.__table__.alias("r")
        together = (select(left.c.person_id)
                    .where(left.c.id == ReviewPair.left_record_id).scalar_subquery()
                    == select(right.c.person_id)
                    .where(right.c.id == ReviewPair.right_record_id).scalar_subquery())
        session.execute(update(ReviewPair).where(open_pairs, together).values(**superseded),
                        execution_options=no_sync)
    keep = [p for p in pairs if (p.left_id, p.right_id) not in decisions
            and person_of(p.left_id) != person_of(p.right_id)]
    if not keep:
        return 0
    if not full:
        rescored = {(p.left_id, p.right_id) for p in keep}
        stale = [pid for pid, left_id, right_id in session.execute(
            select(ReviewPair.id, ReviewPair.left_record_id, ReviewPair.right_record_id)
            .where(open_pairs)) if (left_id, right_id) in rescored]
        for start in range(0, len(stale), 2000):
            session.execute(update(ReviewPair)
                            .where(ReviewPair.id.in_(stale[start:start + 2000]))
                            .values(**superseded), execution_options=no_sync)
    conn = session.connection()
    now: Any = utcnow()
    if conn.dialect.name == "sqlite":
        now = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = [(run_id, p.left_id, p.right_id, p.probability, p.match_weight,
             orjson.dumps(p.evidence, default=str).decode(), ReviewStatus.OPEN.value,
             abs(p.probability - 0.5), now) for p in keep]
    for start in range(0, len(rows), 5000):
        insert_rows(conn, ReviewPair.__table__, _REVIEW_COLUMNS, rows[start:start + 5000])
    return len(keep)


__all__ = ["LinkSummary", "Progress", "latest_decisions", "link", "person_groups",
           "record_table"]
