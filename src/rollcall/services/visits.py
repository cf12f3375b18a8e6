"""Recording monitoring visits (issue 4): the only door by which a visit enters the
registry, so each is validated whole and logged in the change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from rollcall.errors import InvalidValue, NotFound
from rollcall.models import Person, Site, Source, Visit, VisitPerson
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.queries import MAX_PAGE_SIZE, Paged
from rollcall.services.sites import find_site
from rollcall.vocabulary import Monitor


def resolve_persons(session: Session, person_ids: Iterable[int]) -> list[int]:
    """The registry persons presented, merged ones resolved to their survivor. Ids not in
    the registry are refused together, so the operator fixes them in one pass."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return []
    rows = session.execute(
        select(Person.id, Person.merged_into_id).where(Person.id.in_(wanted))
    ).all()
    unknown = sorted(set(wanted) - {row.id for row in rows})
    if unknown:
        raise NotFound(f"no person(s) {', '.join(map(str, unknown))}")
    return sorted({row.merged_into_id or row.id for row in rows})


def record_visit(
    session: Session,
    actor: Actor,
    *,
    site: int | str,
    monitor: Monitor,
    date: dt.date,
    person_ids: Iterable[int] = (),
    private_interviews: bool = False,
    premises_refused: str | None = None,
    source_id: int | None = None,
    notes: str | None = None,
) -> Visit:
    """Record one visit and the persons presented. Everything is checked before anything
    is written."""
    actor.require(Permission.SITES_WRITE)
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise InvalidValue("a visit needs a full date (a day)")
    if date > dt.date.today():
        raise InvalidValue("a visit cannot be dated in the future")
    try:
        target = find_site(session, site)
    except NotFound as missing:
        raise NotFound(f"{missing.message}: a visit can only be recorded to a known site"
                       ) from None
    if source_id is not None and session.get(Source, source_id) is None:
        raise NotFound(f"no source {source_id}")
    presented = resolve_persons(session, person_ids)
    visit = Visit(site_id=target.id, monitor=Monitor(monitor), date=date,
                  private_interviews=private_interviews,
                  premises_refused=(premises_refused or "").strip() or None,
                  source_id=source_id, notes=notes)
    session.add(visit)
    session.flush()
    if presented:
        session.execute(insert(VisitPerson),
                        [{"visit_id": visit.id, "person_id": p} for p in presented])
    state = entity_state(visit, omit=frozenset({"recorded_at"}))
    record_change(session, actor, Action.VISIT_RECORDED, "visit", visit.id,
                  {**state, "person_ids": presented})
    return visit


@dataclass(frozen=True)
class VisitView:
    visit: Visit
    site: Site
    person_ids: list[int]


def visit_view(session: Session, visit: Visit) -> VisitView:
    """One visit with its site and the persons presented."""
    person_ids = session.scalars(select(VisitPerson.person_id)
                                 .where(VisitPerson.visit_id == visit.id)
                                 .order_by(VisitPerson.person_id)).all()
    return VisitView(visit, find_site(session, visit.site_id), list(person_ids))


def list_visits(
    session: Session,
    actor: Actor,
    *,
    site_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[VisitView]:
    """Visits, newest first, each with the persons presented (one query for the page)."""
    actor.require(Permission.REGISTRY_READ)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    where = [Visit.site_id == site_id] if site_id is not None else []
    total = session.scalar(select(func.count()).select_from(Visit).where(*where)) or 0
    rows = session.execute(
        select(Visit, Site).join(Site, Site.id == Visit.site_id).where(*where)
        .order_by(Visit.date.desc(), Visit.id.desc())
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    presented: dict[int, list[int]] = {}
    for visit_id, person_id in session.execute(
        select(VisitPerson.visit_id, VisitPerson.person_id)
        .where(VisitPerson.visit_id.in_([v.id for v, _ in rows]))
        .order_by(VisitPerson.person_id)
    ):
        presented.setdefault(visit_id, []).append(person_id)
    return Paged(items=[VisitView(v, s, presented.get(v.id, [])) for v, s in rows],
                 total=total, page=page, page_size=page_size)
