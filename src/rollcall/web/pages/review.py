"""The review queue: uncertain pairs from linkage runs, one at a time, with both records,
both persons and the evidence; accept, reject, or split a wrongly merged person.

Works without JavaScript (plain forms); a small script adds keys: a accept, r reject,
n next.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from rollcall.security.permissions import Permission
from rollcall.services import linkage, review
from rollcall.services.actor import Actor
from rollcall.services.linkage import MAX_REASON_CHARS
from rollcall.web.access import DbDep, requires
from rollcall.web.pages.persons import compare
from rollcall.web.render import render

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Reviewer = Annotated[Actor, Depends(requires(Permission.LINKAGE_REVIEW))]
Reason = Annotated[str, Form(max_length=MAX_REASON_CHARS)]


@router.get("/review")
def queue_page(request: Request, db: DbDep, actor: Reader,
               page: Annotated[int, Query(ge=1)] = 1) -> Response:
    with db.session() as session:
        paged = review.list_pairs(session, actor, page=page,
                                  page_size=request.app.state.settings.page_size_default)
        runs = review.list_runs(session, actor, page=1, page_size=1)
        return render(request, "review.html", {
            "section": "review", "paged": paged,
            "last_run": runs.items[0] if runs.items else None,
            "may_decide": actor.can(Permission.LINKAGE_REVIEW),
        })


@router.get("/review/next")
def next_pair(db: DbDep, actor: Reader,
              after: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The next open pair after `after` (skipping it), or the queue when none is left."""
    with db.session() as session:
        found = review.next_open_pair(session, actor, after)
    return RedirectResponse(f"/review/{found}" if found else "/review", status_code=303)


@router.get("/review/{pair_id}")
def pair_page(request: Request, pair_id: int, db: DbDep, actor: Reader) -> Response:
    with db.session() as session:
        detail = review.get_pair(session, actor, pair_id)
        return render(request, "review_pair.html", {
            "section": "review", "detail": detail, "pair": detail.pair,
            "comparison": compare([detail.left.record, detail.right.record]),
            "may_decide": actor.can(Permission.LINKAGE_REVIEW),
            "max_reason": MAX_REASON_CHARS,
        })


def _after_decision(db: DbDep, actor: Actor, pair_id: int) -> Response:
    with db.session() as session:
        found = review.next_open_pair(session, actor, pair_id)
    return RedirectResponse(f"/review/{found}" if found else "/review", status_code=303)


@router.post("/review/{pair_id}/accept")
def accept(pair_id: int, db: DbDep, actor: Reviewer, reason: Reason = "") -> Response:
    with db.session() as session:
        linkage.accept_pair(session, actor, pair_id, reason=reason)
    return _after_decision(db, actor, pair_id)


@router.post("/review/{pair_id}/reject")
def reject(pair_id: int, db: DbDep, actor: Reviewer, reason: Reason = "") -> Response:
    with db.session() as session:
        linkage.reject_pair(session, actor, pair_id, reason=reason)
    return _after_decision(db, actor, pair_id)


@router.post("/review/{pair_id}/split")
def split(
    pair_id: int,
    db: DbDep,
    actor: Reviewer,
    person_id: Annotated[int, Form()],
    record_ids: Annotated[list[int] | None, Form()] = None,
    reason: Reason = "",
) -> Response:
    """Move the chosen records of one side's person to a new person; back to the pair,
    which stays open for its own decision."""
    with db.session() as session:
        linkage.split_person(session, actor, person_id, record_ids or [], reason=reason)
    return RedirectResponse(f"/review/{pair_id}", status_code=303)
