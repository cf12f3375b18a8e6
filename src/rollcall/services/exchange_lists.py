"""Importing the list of persons handed over in an exchange, and linking it.

A list goes through the ordinary import (`services.imports.import_list`: a new source,
each row a record, rejected rows reported), then the incremental linkage run
(`services.linkage_run.link`, as `rollcall link` does) so that rows join the persons the
registry already knows ("Коваленко Петр Иванович" on the list joins "Коваленко Петро
Іванович" of our own register), then the resulting persons are attached to the exchange
(`services.exchanges.attach_persons`), which records their events.

Three transactions, in that order: the import and the linkage run stand by themselves,
like `rollcall import` and `rollcall link`. Running the same file again is safe and
finishes an interrupted run: the import finds the file already imported (same SHA-256),
a linkage run starts only if a row of the list is still unlinked, and persons already
attached are skipped. Uncertain matches go to the review queue as usual: the row stays its
own person, attached to the exchange, and a reviewer's merge later carries the event to the
survivor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import InvalidValue, LinkageError
from rollcall.models import ImportIssue, LinkageRun, ReviewPair, ReviewStatus, SourceRecord
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, record_change
from rollcall.services.exchanges import attach_persons, get_exchange
from rollcall.services.imports import import_list
from rollcall.services.validation import vocabulary
from rollcall.vocabulary import ExchangeDirection, ExchangeKind, IdentificationStatus, Origin


@dataclass(frozen=True)
class RowOutcome:
    """Where one accepted row of the list ended up."""

    row_number: int
    record_id: int
    person_id: int
    #: The row joined a person the registry knew from another source.
    matched: bool


@dataclass(frozen=True)
class RejectedRow:
    row_number: int | None
    field: str | None
    reason: str


@dataclass
class ExchangeListReport:
    exchange_id: int
    source_id: int
    file: str
    already_imported: bool
    accepted: int
    rejected: int
    #: Accepted rows that joined a person the registry already knew.
    matched: int = 0
    #: Accepted rows that remain a person of their own (new to the registry).
    new: int = 0
    #: Open review pairs that involve a row of this list: uncertain matches for a human.
    review_pairs: int = 0
    linkage_run_id: int | None = None
    #: Why the linkage run failed, when it did (the rows were attached unlinked).
    linkage_error: str | None = None
    attached: list[int] = field(default_factory=list)
    already_attached: list[int] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    rejected_rows: list[RejectedRow] = field(default_factory=list)


def _needs_linking(session: Session, source_id: int) -> bool:
    """Whether a record of the source came after the last finished linkage run (all of
    them when none has run): a list imported again after its run needs none."""
    last = session.scalar(select(LinkageRun.max_record_id)
                          .where(LinkageRun.finished_at.is_not(None))
                          .order_by(LinkageRun.id.desc()).limit(1))
    newest = session.scalar(select(func.max(SourceRecord.id))
                            .where(SourceRecord.source_id == source_id))
    return newest is not None and (last is None or newest > last)


def import_exchange_list(
    db: Database,
    actor: Actor,
    exchange_id: int,
    path: Path,
    *,
    direction: ExchangeDirection | str,
    kind: ExchangeKind | str = ExchangeKind.ALIVE,
    identification: IdentificationStatus | str | None = None,
    origin: Origin | str = Origin.OWN_BUREAU,
    title: str | None = None,
    received: PartialDate | None = None,
    display_name: str | None = None,
) -> ExchangeListReport:
    """Import, link and attach one exchange list (see the module docstring). Needs the
    permissions of all three steps, checked before anything is written."""
    for permission in (Permission.REGISTRY_WRITE, Permission.SOURCES_IMPORT,
                       Permission.LINKAGE_REVIEW):
        actor.require(permission)
    direction = vocabulary(ExchangeDirection, direction, "direction")
    kind = vocabulary(ExchangeKind, kind, "kind")
    if kind is ExchangeKind.ALIVE and identification is not None:
        raise InvalidValue("identification: only a body has an identification status")
    if identification is not None:
        identification = vocabulary(IdentificationStatus, identification, "identification")
    origin = vocabulary(Origin, origin, "origin")
    with db.session() as session:
        exchange = get_exchange(session, exchange_id)
        title = (title or "").strip() or (
            f"Exchange {exchange.id} of {exchange.date.isoformat()}: "
            f"{'bodies' if kind is ExchangeKind.BODY else 'persons'} {direction.value}")

    imported = import_list(db, actor, path, title=title, origin=origin, received=received,
                           display_name=display_name)
    report = ExchangeListReport(
        exchange_id=exchange_id, source_id=imported.source_id, file=imported.file,
        already_imported=imported.already_imported, accepted=imported.accepted,
        rejected=imported.rejected)
    source_id = imported.source_id

    with db.session() as session:
        unlinked = _needs_linking(session, source_id)
    if unlinked:
        # Splink and DuckDB load only when a list is linked.
        from rollcall.services.linkage_run import link

        try:
            with db.session() as session:
                report.linkage_run_id = link(session, actor).run_id
        except LinkageError as exc:
            # The engine cannot train on a registry this small: the rows stay persons of
            # their own, attached all the same; `rollcall link` joins them later, and a
            # merge carries their events and attachments to the survivor.
            report.linkage_error = exc.message

    with db.session() as session:
        other = aliased(SourceRecord)
        known = (select(other.id).where(other.person_id == SourceRecord.person_id,
                                        other.source_id != source_id).exists())
        for row_number, record_id, person_id, matched in session.execute(
            select(SourceRecord.row_number, SourceRecord.id, SourceRecord.person_id, known)
            .where(SourceRecord.source_id == source_id).order_by(SourceRecord.row_number)
        ):
            report.rows.append(RowOutcome(row_number, record_id, person_id, bool(matched)))
        report.matched = sum(1 for r in report.rows if r.matched)
        report.new = len(report.rows) - report.matched
        report.rejected_rows = [
            RejectedRow(row, field_name, reason) for row, field_name, reason in session.execute(
                select(ImportIssue.row_number, ImportIssue.field, ImportIssue.reason)
                .where(ImportIssue.source_id == source_id, ImportIssue.level == "rejected")
                .order_by(ImportIssue.row_number, ImportIssue.id))]
        ours = select(SourceRecord.id).where(SourceRecord.source_id == source_id)
        report.review_pairs = session.scalar(
            select(func.count()).select_from(ReviewPair).where(
                ReviewPair.status == ReviewStatus.OPEN,
                or_(ReviewPair.left_record_id.in_(ours),
                    ReviewPair.right_record_id.in_(ours)))) or 0
        first_row: dict[int, int] = {}
        for outcome in report.rows:
            first_row.setdefault(outcome.person_id, outcome.record_id)
        if first_row:
            attached = attach_persons(
                session, actor, exchange_id, list(first_row), direction=direction, kind=kind,
                identification=identification, source_id=source_id, source_records=first_row)
            report.attached, report.already_attached = attached.attached, attached.already
        record_change(session, actor, Action.EXCHANGE_LIST_IMPORTED, "exchange", exchange_id, {
            "exchange_id": exchange_id, "source_id": source_id, "direction": direction,
            "kind": kind, "identification": identification,
            "already_imported": report.already_imported, "accepted": report.accepted,
            "rejected": report.rejected, "matched": report.matched, "new": report.new,
            "review_pairs": report.review_pairs, "linkage_run_id": report.linkage_run_id,
            "linkage_error": report.linkage_error,
            "attached": report.attached, "already_attached": report.already_attached})
    return report


__all__ = ["ExchangeListReport", "RejectedRow", "RowOutcome", "import_exchange_list"]
