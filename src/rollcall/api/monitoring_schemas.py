"""What the selective-presentation routes of `api/monitoring.py` answer. Definitions:
rollcall.monitoring.selective."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rollcall.api.schemas import SiteRef
from rollcall.monitoring.selective import (
    REASONS,
    PersonRef,
    SelectiveReport,
    VisitDetail,
    VisitPresentation,
    verdict_words,
)
from rollcall.vocabulary import Monitor


class TwoByTwo(BaseModel):
    """Persons on the roster: presented or not, with a report of ill-health or
    ill-treatment or without."""

    presented_with_report: int
    presented_without: int
    not_presented_with_report: int
    not_presented_without: int


class VisitPresentationOut(BaseModel):
    visit_id: int
    site: SiteRef
    monitor: Monitor
    date: dt.date
    private_interviews: bool
    premises_refused: bool
    roster: int = Field(description="Persons the registry places at the site that day.")
    roster_with_reports: int
    presented: int = Field(description="Persons presented (merged ids resolved).")
    presented_on_roster: int
    presented_not_on_roster: int = Field(
        description="Presented, but the registry does not place them there: a registry gap.")
    not_presented: int = Field(description="On the roster, not presented.")
    table: TwoByTwo
    verdict: str = Field(description="`selective` (flagged), `not_flagged`, or `too_few`.")
    reason: str | None = Field(description="Why too few to tell: one of "
                               + ", ".join(f"`{r}`" for r in REASONS) + ".")
    verdict_text: str = Field(description="The verdict in plain English.")
    p_value: float | None = Field(description="One-sided Fisher's exact test (presented "
                                  "less likely to have a report); none when too few.")
    p_min: float | None = Field(description="The smallest p-value the margins allow.")
    q_value: float | None = Field(description="Benjamini-Hochberg adjusted over the "
                                  "testable visits of this answer.")
    risk_difference: float | None = Field(description="Share with a report among the "
                                          "presented minus among those not presented.")
    risk_difference_ci: tuple[float, float] | None = Field(description="Newcombe 95%.")
    odds_ratio: float | None = Field(description="Haldane-corrected when a cell is zero.")
    odds_ratio_ci: tuple[float, float] | None = Field(description="Woolf 95%.")

    @classmethod
    def of(cls, item: VisitPresentation, alpha: float) -> VisitPresentationOut:
        (a, b), (c, d) = item.table
        return cls(
            visit_id=item.visit_id, site=SiteRef(id=item.site_id, name=item.site_name),
            monitor=item.monitor, date=item.date, private_interviews=item.private_interviews,
            premises_refused=item.premises_refused, roster=item.roster,
            roster_with_reports=item.roster_with_reports, presented=item.presented,
            presented_on_roster=item.presented_on_roster,
            presented_not_on_roster=item.presented_not_on_roster,
            not_presented=item.not_presented,
            table=TwoByTwo(presented_with_report=a, presented_without=b,
                           not_presented_with_report=c, not_presented_without=d),
            verdict=item.verdict, reason=item.reason,
            verdict_text=verdict_words(item, alpha), p_value=item.p_value, p_min=item.p_min,
            q_value=item.q_value, risk_difference=item.risk_difference,
            risk_difference_ci=item.risk_difference_ci, odds_ratio=item.odds_ratio,
            odds_ratio_ci=item.odds_ratio_ci)


class SelectiveReportOut(BaseModel):
    """Definitions: rollcall.monitoring.selective."""

    alpha: float
    min_roster: int
    visits: int = Field(description="Visits matching the filter (all are tested together).")
    testable: int
    flagged: int
    too_few: int
    listed: int = Field(description="Visits in `items` before the limit.")
    items: list[VisitPresentationOut] = Field(description="Newest first, at most `limit`.")

    @classmethod
    def of(cls, report: SelectiveReport, limit: int) -> SelectiveReportOut:
        return cls(alpha=report.alpha, min_roster=report.min_roster, visits=report.visits,
                   testable=report.testable, flagged=report.flagged, too_few=report.too_few,
                   listed=len(report.items),
                   items=[VisitPresentationOut.of(i, report.alpha)
                          for i in report.items[:limit]])


class PersonRefOut(BaseModel):
    id: int
    display_name: str


class VisitPresentationDetailOut(VisitPresentationOut):
    """One visit tested alone (q = p), with its persons (each list at most `limit`, by id;
    the counts above are whole). Nobody's individual reports are shown."""

    premises_refused_text: str | None
    notes: str | None
    not_presented_persons: list[PersonRefOut]
    presented_on_roster_persons: list[PersonRefOut]
    presented_not_on_roster_persons: list[PersonRefOut]

    @classmethod
    def of_detail(cls, detail: VisitDetail) -> VisitPresentationDetailOut:
        base = VisitPresentationOut.of(detail.presentation, detail.alpha)

        def refs(people: list[PersonRef]) -> list[PersonRefOut]:
            return [PersonRefOut(id=p.id, display_name=p.display_name) for p in people]

        return cls(**base.model_dump(), premises_refused_text=detail.premises_refused,
                   notes=detail.notes, not_presented_persons=refs(detail.not_presented),
                   presented_on_roster_persons=refs(detail.presented_on_roster),
                   presented_not_on_roster_persons=refs(detail.presented_not_on_roster))
