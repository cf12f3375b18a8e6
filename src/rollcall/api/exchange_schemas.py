"""What the exchange, prosecution and family-contact routes take and answer: input and
output models apart, separate from the ORM. Partial dates are ISO prefixes (`2023`,
`2023-05`, `2023-05-10`): the length is the precision."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rollcall.api.schemas import PartialDateText, iso
from rollcall.models import FamilyContact, Person
from rollcall.monitoring.exchange_counts import DirectionCounts, ExchangeCounts
from rollcall.services.exchange_lists import ExchangeListReport, RejectedRow, RowOutcome
from rollcall.services.exchanges import ExchangeRow, ExchangeView, HandedOver
from rollcall.services.prosecutions import ProsecutionView
from rollcall.vocabulary import (
    ContactDirection,
    ContactKind,
    CustodyStatus,
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    LegalStatus,
    Mediator,
    Verdict,
)

DATE_HELP = "yyyy, yyyy-mm or yyyy-mm-dd"


class PersonBrief(BaseModel):
    id: int
    display_name: str
    custody_status: CustodyStatus
    legal_status: LegalStatus

    @classmethod
    def of(cls, person: Person) -> PersonBrief:
        return cls(id=person.id, display_name=person.display_name,
                   custody_status=person.custody_status, legal_status=person.legal_status)


# --- exchanges -------------------------------------------------------------------------------

class ExchangeIn(BaseModel):
    date: dt.date = Field(description="The day of the exchange.")
    mediator: str | None = Field(default=None, max_length=500,
                                 description="As the announcement names it.")
    mediator_code: Mediator | None = None
    place: str | None = Field(default=None, max_length=500)
    unnamed_bodies_to_own_side: int = Field(default=0, ge=0, le=100_000,
                                            description="Bodies received that no list names.")
    unnamed_bodies_to_adversary: int = Field(default=0, ge=0, le=100_000)
    source_id: int | None = Field(default=None, description="The announcement, if imported.")
    notes: str | None = Field(default=None, max_length=20_000)


class HandedOverCounts(BaseModel):
    alive: int
    bodies: int


class ExchangeOut(BaseModel):
    id: int
    date: dt.date
    mediator: str | None
    mediator_code: Mediator | None
    place: str | None
    unnamed_bodies_to_own_side: int
    unnamed_bodies_to_adversary: int
    source_id: int | None
    notes: str | None
    to_own_side: HandedOverCounts = Field(description="Persons on the lists, distinct.")
    to_adversary: HandedOverCounts

    @classmethod
    def of(cls, row: ExchangeRow) -> ExchangeOut:
        e = row.exchange

        def counts(direction: str) -> HandedOverCounts:
            return HandedOverCounts(alive=row.count(direction, "alive"),
                                    bodies=row.count(direction, "body"))

        return cls(id=e.id, date=e.date, mediator=e.mediator, mediator_code=e.mediator_code,
                   place=e.place, unnamed_bodies_to_own_side=e.unnamed_bodies_to_own_side,
                   unnamed_bodies_to_adversary=e.unnamed_bodies_to_adversary,
                   source_id=e.source_id, notes=e.notes, to_own_side=counts("to_own_side"),
                   to_adversary=counts("to_adversary"))


class HandedOverOut(BaseModel):
    person: PersonBrief = Field(description="As the registry shows them now (the survivor).")
    attached_as: int = Field(description="The person id as attached; differs after a merge.")
    direction: ExchangeDirection
    kind: ExchangeKind
    identification: IdentificationStatus | None
    source_id: int
    source_record_id: int | None

    @classmethod
    def of(cls, h: HandedOver) -> HandedOverOut:
        return cls(person=PersonBrief.of(h.person), attached_as=h.attached_as,
                   direction=h.direction, kind=h.kind, identification=h.identification,
                   source_id=h.source_id, source_record_id=h.source_record_id)


class ExchangeDetailOut(ExchangeOut):
    persons: list[HandedOverOut]

    @classmethod
    def of_view(cls, view: ExchangeView) -> ExchangeDetailOut:
        counts: dict[tuple[ExchangeDirection, ExchangeKind], int] = {}
        for h in view.persons:
            counts[(h.direction, h.kind)] = counts.get((h.direction, h.kind), 0) + 1
        summary = ExchangeOut.of(ExchangeRow(view.exchange, counts))
        return cls(**summary.model_dump(),
                   persons=[HandedOverOut.of(h) for h in view.persons])


class AttachIn(BaseModel):
    person_ids: list[int] = Field(min_length=1, max_length=10_000)
    direction: ExchangeDirection
    kind: ExchangeKind = ExchangeKind.ALIVE
    identification: IdentificationStatus | None = Field(
        default=None, description="Bodies only; default unidentified.")
    source_id: int | None = Field(default=None, description="Default: the exchange's source.")


class AttachOut(BaseModel):
    attached: list[int]
    already: list[int] = Field(description="Held by the exchange the same way already.")


class IdentificationIn(BaseModel):
    identification: IdentificationStatus
    date: PartialDateText | None = Field(default=None, description=DATE_HELP)
    source_id: int | None = Field(default=None,
                                  description="The identification report; default the list.")


class RowOutcomeOut(BaseModel):
    row_number: int
    record_id: int
    person_id: int
    matched: bool = Field(description="Joined a person the registry knew from elsewhere.")

    @classmethod
    def of(cls, row: RowOutcome) -> RowOutcomeOut:
        return cls(row_number=row.row_number, record_id=row.record_id,
                   person_id=row.person_id, matched=row.matched)


class RejectedRowOut(BaseModel):
    row_number: int | None
    field: str | None
    reason: str

    @classmethod
    def of(cls, row: RejectedRow) -> RejectedRowOut:
        return cls(row_number=row.row_number, field=row.field, reason=row.reason)


class ExchangeListOut(BaseModel):
    exchange_id: int
    source_id: int
    file: str
    already_imported: bool
    accepted: int
    rejected: int
    matched: int
    new: int
    review_pairs: int = Field(description="Uncertain matches waiting in the review queue.")
    linkage_run_id: int | None
    linkage_error: str | None
    attached: list[int]
    already_attached: list[int]
    rows: list[RowOutcomeOut]
    rejected_rows: list[RejectedRowOut]

    @classmethod
    def of(cls, r: ExchangeListReport, file: str) -> ExchangeListOut:
        return cls(exchange_id=r.exchange_id, source_id=r.source_id, file=file,
                   already_imported=r.already_imported, accepted=r.accepted,
                   rejected=r.rejected, matched=r.matched, new=r.new,
                   review_pairs=r.review_pairs, linkage_run_id=r.linkage_run_id,
                   linkage_error=r.linkage_error, attached=r.attached,
                   already_attached=r.already_attached,
                   rows=[RowOutcomeOut.of(x) for x in r.rows],
                   rejected_rows=[RejectedRowOut.of(x) for x in r.rejected_rows])


# --- prosecutions and family contact ---------------------------------------------------------

class ProsecutionIn(BaseModel):
    source_id: int
    charges: str = Field(min_length=1, max_length=5000)
    article_codes: str | None = Field(default=None, max_length=300)
    court: str | None = Field(default=None, max_length=500)
    charged_on: PartialDateText | None = Field(default=None, description=DATE_HELP)
    trial_start: PartialDateText | None = Field(default=None, description=DATE_HELP)
    verdict: Verdict = Verdict.PENDING
    verdict_on: PartialDateText | None = Field(default=None, description=DATE_HELP)
    sentence: str | None = Field(default=None, max_length=2000)
    sentence_months: int | None = Field(default=None, ge=1, le=1200)
    concerns: list[FairTrialConcern] = Field(default_factory=list, max_length=20)
    notes: str | None = Field(default=None, max_length=20_000)


class VerdictIn(BaseModel):
    verdict: Verdict
    verdict_on: PartialDateText | None = Field(default=None, description=DATE_HELP)
    trial_start: PartialDateText | None = Field(default=None, description=DATE_HELP)
    sentence: str | None = Field(default=None, max_length=2000)
    sentence_months: int | None = Field(default=None, ge=1, le=1200)
    concerns: list[FairTrialConcern] = Field(default_factory=list, max_length=20,
                                             description="Added to those recorded.")
    source_id: int | None = Field(default=None, description="Default: the case's source.")


class ProsecutionOut(BaseModel):
    id: int
    person: PersonBrief
    charges: str
    article_codes: str | None
    court: str | None
    charged_on: PartialDateText | None
    trial_start: PartialDateText | None
    verdict: Verdict
    verdict_on: PartialDateText | None
    sentence: str | None
    sentence_months: int | None
    concerns: list[FairTrialConcern]
    source_id: int
    notes: str | None

    @classmethod
    def of(cls, view: ProsecutionView) -> ProsecutionOut:
        p = view.prosecution
        return cls(id=p.id, person=PersonBrief.of(view.person), charges=p.charges,
                   article_codes=p.article_codes, court=p.court, charged_on=iso(p.charged_on),
                   trial_start=iso(p.trial_start), verdict=p.verdict,
                   verdict_on=iso(p.verdict_on), sentence=p.sentence,
                   sentence_months=p.sentence_months, concerns=view.concerns,
                   source_id=p.source_id, notes=p.notes)


class ContactIn(BaseModel):
    source_id: int
    kind: ContactKind
    direction: ContactDirection = ContactDirection.FROM_PERSON
    date: PartialDateText | None = Field(default=None, description=DATE_HELP)
    delivered: bool | None = Field(default=None, description="It reached its addressee "
                                   "(the family, or the person); null when unknown.")
    notes: str | None = Field(default=None, max_length=20_000,
                              description="Never the family's contact details.")


class ContactOut(BaseModel):
    id: int
    person_id: int
    kind: ContactKind
    direction: ContactDirection
    date: PartialDateText | None
    delivered: bool | None
    source_id: int
    notes: str | None

    @classmethod
    def of(cls, c: FamilyContact) -> ContactOut:
        return cls(id=c.id, person_id=c.person_id, kind=c.kind, direction=c.direction,
                   date=iso(c.date), delivered=c.delivered, source_id=c.source_id,
                   notes=c.notes)


# --- counts ----------------------------------------------------------------------------------

class BodyCountsOut(BaseModel):
    unidentified: int = Field(description="Including the unnamed bodies.")
    pending: int
    identified: int
    unnamed: int
    total: int


class DirectionCountsOut(BaseModel):
    alive: int
    bodies: BodyCountsOut


class ContactCountsOut(BaseModel):
    held: int
    deprived: int = Field(description="Held, with no contact with family recorded as "
                          "delivered either way (GC III Art. 70-71).")
    in_contact: int
    released_interviewed: int = Field(description="Released persons with a testimony "
                                      "consented for statistics.")
    answered: int
    said_no_contact: int


class ProsecutionCountsOut(BaseModel):
    prosecutions: int
    persons: int
    by_verdict: dict[str, int]
    by_concern: dict[str, int]
    with_any_concern: int


class ExchangeCountsOut(BaseModel):
    """Definitions: rollcall.monitoring.exchange_counts."""

    exchanges: int
    first_exchange: dt.date | None
    last_exchange: dt.date | None
    to_own_side: DirectionCountsOut
    to_adversary: DirectionCountsOut
    contact: ContactCountsOut
    prosecution: ProsecutionCountsOut

    @classmethod
    def of(cls, c: ExchangeCounts) -> ExchangeCountsOut:
        def direction(d: DirectionCounts) -> DirectionCountsOut:
            b = d.bodies
            return DirectionCountsOut(alive=d.alive, bodies=BodyCountsOut(
                unidentified=b.unidentified, pending=b.pending, identified=b.identified,
                unnamed=b.unnamed, total=b.total))

        k = c.contact
        p = c.prosecution
        return cls(
            exchanges=c.exchanges, first_exchange=c.first_exchange,
            last_exchange=c.last_exchange, to_own_side=direction(c.to_own_side),
            to_adversary=direction(c.to_adversary),
            contact=ContactCountsOut(held=k.held, deprived=k.deprived, in_contact=k.in_contact,
                                     released_interviewed=k.released_interviewed,
                                     answered=k.answered, said_no_contact=k.said_no_contact),
            prosecution=ProsecutionCountsOut(
                prosecutions=p.prosecutions, persons=p.persons, by_verdict=p.by_verdict,
                by_concern=p.by_concern, with_any_concern=p.with_any_concern))
