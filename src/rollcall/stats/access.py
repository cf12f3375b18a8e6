"""Places of detention by the access independent monitors have had to them: the
access-gap report's classes (rollcall.monitoring.access_gap.site_access), counted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.monitoring.access_gap import FULL, NEVER, PARTIAL, site_access
from rollcall.stats.results import (
    ALL,
    Definition,
    Filters,
    Group,
    Indicator,
    Kind,
    computed,
    count_cell,
)
from rollcall.web.i18n import N_

CLASSES = (NEVER, PARTIAL, FULL)

SITES_BY_ACCESS = Definition(
    code="sites_by_access",
    title=N_("Places of detention by monitor access"),
    kind=Kind.COUNT,
    dimensions=("access",),
    method=N_(
        "Places of detention by the access independent monitors have had to them: full "
        "access when a visit allowed interviews without witnesses and no premises were "
        "refused, or an access period of level full has begun (Geneva Convention III, Art. "
        "126); partial only when visited otherwise, or under an access period of level "
        "partial; never visited otherwise. The same classes as the access report."),
    period_date=N_("visits and access periods up to the end of the period (today without "
                   "one); access had once counts, so the start of the period is not used"),
    applies={"period": N_("up to its end"), "site": N_("that site only")},
    not_applicable={
        "category": N_("places are not classed by the persons held there"),
        "source": N_("access is counted from visits and access periods, whatever their "
                     "source"),
        "origin": N_("access is counted from visits and access periods, whatever their "
                     "source"),
    },
    protected=False,
)


def sites_by_access(session: Session, filters: Filters) -> Indicator:
    as_of = filters.period_to or dt.date.today()
    classes = [kind for site_id, kind in session.execute(
        site_access(as_of, PartialDate.from_date(as_of)))
        if filters.site_id is None or site_id == filters.site_id]
    total = len(classes)
    cells = [count_cell((kind,), classes.count(kind), total) for kind in CLASSES]
    cells.append(count_cell((ALL,), total, total))
    return computed(SITES_BY_ACCESS, filters, cells,
                    [Group(total=(ALL,), members=tuple((k,) for k in CLASSES))])


__all__ = ["CLASSES", "SITES_BY_ACCESS", "sites_by_access"]
