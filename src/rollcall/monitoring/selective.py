"""Selective presentation (issue 4 part 4): for each monitoring visit, were the prisoners
shown to the monitor representative of those the registry places at the site that day?

Definitions (one SQL statement computes the counts for every visit at once):
- *Roster*: the persons the registry places at the visit's site on the visit's day
  (`rollcall.monitoring.custody`: stays from events, recorded periods winning on the days
  they cover).
- *Presented*: the persons recorded as presented in the visit, merged ids resolved to the
  survivor. Those on the roster make the 2x2 table; those not on it are a gap in the
  registry (the monitor saw someone we do not place there) and are counted apart.
- *Report of ill-health or ill-treatment*, for a person on the roster, about the stay that
  places them there (from its first day to its last, the day it ended included, so a
  transfer to hospital counts for the site left):
  1. an act coded from a testimony whose victim is the person (`acts.victim_person_id`, or
     the testimony's witness when `victim_is_witness`), at that site, whose period could
     touch the stay (an undated act at the site counts); or
  2. an event `hospitalised` of the person dated within the stay (a partial date that
     could fall within it counts; an undated one does not).
  The whole stay counts, before and after the visit: testimonies seldom date an act to the
  day, and the question is whether those the site ill-treated were kept from the monitor.
  Health notes on source records are free text ("задовільний", satisfactory, is their
  commonest value) and are not read as reports.
- The 2x2 table: presented (on the roster) / not presented x with / without a report:
      a = presented with a report      b = presented without
      c = not presented with a report  d = not presented without
- Test: Fisher's exact test, one-sided (presented *less* likely to have a report), i.e.
  the hypergeometric P(X <= a) with the table's margins fixed, vectorised over the visits
  (`scipy.stats.hypergeom`; equal to `scipy.stats.fisher_exact(..., alternative="less")`).
- Effect sizes: the risk difference a/(a+b) - c/(c+d) with Newcombe's hybrid-score 95%
  interval, and the odds ratio ad/bc with Woolf's 95% interval, adding 0.5 to every cell
  when one is zero (Haldane-Anscombe).
- *Too few to tell*: the roster has fewer than `MIN_ROSTER` persons, or even the most
  one-sided table these margins allow (the presented having the fewest reports possible)
  would have a p-value above alpha: nobody presented on the roster, all presented, nobody
  with a report, everybody with one, or simply too few. Such a visit gets no verdict.
- Multiple testing: a report tests many visits, so by chance alone some would fall below
  alpha. The p-values of the testable visits in the report (not the too-few ones, which
  can never reach alpha: Tarone's point) are adjusted by Benjamini-Hochberg; a visit is
  flagged when its adjusted p-value (q) is at most alpha (setting `selective_alpha`). The
  correction depends on which visits the report holds: one visit alone has q = p.

Persons' individual reports are never shown, only the counts: a report may come from a
testimony, and who gave testimony is protected (`rollcall.services.testimonies`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import hypergeom
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from statsmodels.stats.multitest import multipletests

from rollcall.config import get_settings
from rollcall.errors import NotFound
from rollcall.models import Person, Site, Visit, VisitPerson
from rollcall.monitoring.custody import persons_at_site_on
from rollcall.monitoring.selective_counts import VisitFilter, visit_counts, visits_of
from rollcall.stats.intervals import wilson_bounds
from rollcall.vocabulary import Monitor

#: A roster smaller than this is "too few to tell" whatever the table.
MIN_ROSTER = 5
Z95 = 1.959963984540054
SELECTIVE, NOT_FLAGGED, TOO_FEW = "selective", "not_flagged", "too_few"
#: Why a visit is too few to tell, in the order they are checked.
REASONS = ("roster_too_small", "none_presented", "all_presented", "no_reports",
           "all_reported", "not_attainable")


@dataclass(frozen=True)
class VisitPresentation:
    visit_id: int
    site_id: int
    site_name: str
    monitor: Monitor
    date: dt.date
    private_interviews: bool
    premises_refused: bool
    #: Persons the registry places at the site that day, and how many have a report.
    roster: int
    roster_with_reports: int
    #: Persons presented (merged resolved), those on the roster, those with a report.
    presented: int
    presented_on_roster: int
    presented_with_reports: int
    verdict: str
    #: Why too few to tell (one of REASONS), else None.
    reason: str | None
    p_value: float | None
    #: The smallest p-value the margins allow (the most one-sided table).
    p_min: float | None
    #: Benjamini-Hochberg adjusted p-value over the testable visits of the report.
    q_value: float | None
    risk_difference: float | None
    risk_difference_ci: tuple[float, float] | None
    odds_ratio: float | None
    odds_ratio_ci: tuple[float, float] | None

    @property
    def presented_not_on_roster(self) -> int:
        return self.presented - self.presented_on_roster

    @property
    def not_presented(self) -> int:
        return self.roster - self.presented_on_roster

    @property
    def table(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """((a, b), (c, d)): rows presented / not presented, columns report / none."""
        a = self.presented_with_reports
        b = self.presented_on_roster - a
        c = self.roster_with_reports - a
        return ((a, b), (c, self.not_presented - c))


@dataclass(frozen=True)
class SelectiveReport:
    alpha: float
    visits: int
    testable: int
    flagged: int
    too_few: int
    items: list[VisitPresentation] = field(default_factory=list)
    min_roster: int = MIN_ROSTER


# --- the statistics, vectorised over the visits --------------------------------------------

def fisher_less(a: np.ndarray, roster: np.ndarray, reported: np.ndarray,
                shown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-sided Fisher p-value P(X <= a) and the smallest p-value the margins allow,
    X hypergeometric (roster, reported, shown). 1 where the roster is empty."""
    total = np.maximum(roster, 1)
    lowest = np.maximum(0, shown - (roster - reported))
    p = hypergeom.cdf(a, total, reported, shown)
    p_min = hypergeom.pmf(lowest, total, reported, shown)
    empty = roster == 0
    return np.where(empty, 1.0, np.minimum(p, 1.0)), np.where(empty, 1.0, np.minimum(p_min, 1.0))


def effect_sizes(a: np.ndarray, b: np.ndarray, c: np.ndarray,
                 d: np.ndarray) -> dict[str, np.ndarray]:
    """Risk difference with Newcombe's hybrid-score interval (NaN where a row is empty),
    odds ratio with Woolf's interval, 0.5 added to every cell of a table with a zero."""
    shown, hidden = a + b, c + d
    ok = (shown > 0) & (hidden > 0)
    n1, n2 = np.where(ok, shown, 1), np.where(ok, hidden, 1)
    k1, k2 = np.where(ok, a, 0), np.where(ok, c, 0)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_bounds(k1, n1)
    l2, u2 = wilson_bounds(k2, n2)
    rd = p1 - p2
    rd_low = rd - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    rd_high = rd + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    shift = np.where((a == 0) | (b == 0) | (c == 0) | (d == 0), 0.5, 0.0)
    aa, bb, cc, dd = a + shift, b + shift, c + shift, d + shift
    with np.errstate(divide="ignore", invalid="ignore"):
        log_or = np.log(aa * dd / (bb * cc))
        se = np.sqrt(1 / aa + 1 / bb + 1 / cc + 1 / dd)
    nan = np.nan
    return {
        "rd": np.where(ok, rd, nan), "rd_low": np.where(ok, rd_low, nan),
        "rd_high": np.where(ok, rd_high, nan),
        "or": np.where(ok, np.exp(log_or), nan),
        "or_low": np.where(ok, np.exp(log_or - Z95 * se), nan),
        "or_high": np.where(ok, np.exp(log_or + Z95 * se), nan),
    }


def _reasons(roster: np.ndarray, reported: np.ndarray, shown: np.ndarray,
             p_min: np.ndarray, alpha: float) -> list[str | None]:
    """Why each visit is too few to tell (the first reason that holds), None if testable."""
    checks = [roster < MIN_ROSTER, shown == 0, shown == roster, reported == 0,
              reported == roster, np.nan_to_num(p_min, nan=1.0) > alpha]
    found = np.select(checks, list(REASONS), default="")
    return [str(r) or None for r in found]


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _interval(low: float, high: float) -> tuple[float, float] | None:
    return None if np.isnan(low) or np.isnan(high) else (float(low), float(high))


def selective_presentation(
    session: Session,
    where: VisitFilter | None = None,
    *,
    alpha: float | None = None,
    flagged_only: bool = False,
) -> SelectiveReport:
    """The analysis over the visits of the filter, newest first. `flagged_only` keeps
    only flagged visits in `items`; the multiple-testing correction and the totals still
    count every visit of the filter. Read-only: the doors check `registry:read`."""
    where = where or VisitFilter()
    alpha = get_settings().selective_alpha if alpha is None else alpha
    counts = visit_counts(session, where)
    meta = session.execute(
        select(Visit, Site).join(Site, Site.id == Visit.site_id)
        .where(Visit.id.in_(visits_of(where).with_only_columns(Visit.id)))
        .order_by(Visit.date.desc(), Visit.id.desc())
    ).all()
    if not meta:
        return SelectiveReport(alpha=alpha, visits=0, testable=0, flagged=0, too_few=0)
    rows = [counts[visit.id] for visit, _ in meta]

    def column(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in rows], dtype=np.int64)

    roster, reported = column("roster"), column("roster_with_reports")
    shown, a = column("presented_on_roster"), column("presented_with_reports")
    b, c = shown - a, reported - a
    d = roster - reported - b
    p, p_min = fisher_less(a, roster, reported, shown)
    reasons = _reasons(roster, reported, shown, p_min, alpha)
    testable = np.array([r is None for r in reasons])
    q = np.full(len(rows), np.nan)
    if testable.any():
        q[testable] = multipletests(p[testable], method="fdr_bh")[1]
    flagged = testable & (q <= alpha)
    effects = effect_sizes(a, b, c, d)

    items = []
    for i, (visit, site) in enumerate(meta):
        if flagged_only and not flagged[i]:
            continue
        items.append(VisitPresentation(
            visit_id=visit.id, site_id=site.id, site_name=site.display_name,
            monitor=visit.monitor, date=visit.date,
            private_interviews=bool(visit.private_interviews),
            premises_refused=bool(visit.premises_refused),
            roster=int(roster[i]), roster_with_reports=int(reported[i]),
            presented=int(rows[i].presented), presented_on_roster=int(shown[i]),
            presented_with_reports=int(a[i]),
            verdict=SELECTIVE if flagged[i] else NOT_FLAGGED if testable[i] else TOO_FEW,
            reason=reasons[i],
            p_value=float(p[i]) if testable[i] else None,
            p_min=float(p_min[i]),
            q_value=_number(q[i]),
            risk_difference=_number(effects["rd"][i]),
            risk_difference_ci=_interval(effects["rd_low"][i], effects["rd_high"][i]),
            odds_ratio=_number(effects["or"][i]),
            odds_ratio_ci=_interval(effects["or_low"][i], effects["or_high"][i]),
        ))
    return SelectiveReport(alpha=alpha, visits=len(rows), testable=int(testable.sum()),
                           flagged=int(flagged.sum()), too_few=int((~testable).sum()),
                           items=items)


# --- one visit, with its persons -----------------------------------------------------------

@dataclass(frozen=True)
class PersonRef:
    id: int
    display_name: str


@dataclass(frozen=True)
class VisitDetail:
    """One visit's analysis (tested alone: q = p) and its persons: the roster not
    presented, the presented on the roster, the presented the registry does not place
    there. Lists hold at most `limit` persons each, by id; the counts are whole."""

    presentation: VisitPresentation
    premises_refused: str | None
    notes: str | None
    not_presented: list[PersonRef]
    presented_on_roster: list[PersonRef]
    presented_not_on_roster: list[PersonRef]
    alpha: float


def visit_detail(session: Session, visit_id: int, *, limit: int = 200,
                 alpha: float | None = None) -> VisitDetail:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"no visit {visit_id}")
    report = selective_presentation(session, VisitFilter(visit_id=visit_id), alpha=alpha)
    roster = {p for p, _ in persons_at_site_on(session, [visit.site_id], visit.date)}
    shown = set(session.scalars(
        select(func.coalesce(Person.merged_into_id, Person.id))
        .join(VisitPerson, VisitPerson.person_id == Person.id)
        .where(VisitPerson.visit_id == visit_id)))

    def people(ids: set[int]) -> list[PersonRef]:
        chosen = sorted(ids)[:limit]
        names = {p.id: p.display_name for p in session.scalars(
            select(Person).where(Person.id.in_(chosen)))}
        return [PersonRef(i, names[i]) for i in chosen]

    return VisitDetail(
        presentation=report.items[0], premises_refused=visit.premises_refused,
        notes=visit.notes, not_presented=people(roster - shown),
        presented_on_roster=people(roster & shown),
        presented_not_on_roster=people(shown - roster), alpha=report.alpha)


# --- in words -------------------------------------------------------------------------------

_REASON_WORDS = {
    "roster_too_small": "the registry places fewer than {min} persons at the site that day",
    "none_presented": "none of the persons presented is one the registry places there",
    "all_presented": "everyone the registry places there was presented",
    "no_reports": "nobody the registry places there has a report of ill-health or "
                  "ill-treatment",
    "all_reported": "everyone the registry places there has a report",
    "not_attainable": "even if the persons presented had been the ones with the fewest "
                      "reports, chance could explain it (smallest possible p = {p_min:.3g})",
}


def verdict_words(item: VisitPresentation, alpha: float) -> str:
    """The verdict in plain English (the pages say it in the user's language)."""
    (a, b), (c, d) = item.table
    shown, hidden = a + b, c + d
    if item.verdict == TOO_FEW:
        reason = _REASON_WORDS[item.reason or "not_attainable"].format(
            min=MIN_ROSTER, p_min=item.p_min or 1.0)
        return f"Too few to tell: {reason}."
    facts = (f"{a} of the {shown} presented had a report of ill-health or ill-treatment, "
             f"against {c} of the {hidden} not presented (one-sided Fisher p = "
             f"{item.p_value:.3g}, adjusted for the visits tested q = {item.q_value:.3g})")
    if item.verdict == SELECTIVE:
        return (f"Selective presentation likely: {facts}. A difference this large is "
                f"unlikely by chance (q <= {alpha:g}).")
    return (f"No clear sign of selective presentation: {facts}. This does not show the "
            "presentation was fair.")


__all__ = [
    "MIN_ROSTER", "NOT_FLAGGED", "REASONS", "SELECTIVE", "TOO_FEW", "PersonRef",
    "SelectiveReport", "VisitDetail", "VisitFilter", "VisitPresentation", "effect_sizes",
    "fisher_less", "selective_presentation", "verdict_words", "visit_detail",
]
