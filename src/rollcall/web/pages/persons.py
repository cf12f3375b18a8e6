"""The persons list and a person's page: all source records side by side, differences
marked, and the event timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from rollcall.dates import PartialDate
from rollcall.errors import NotFound
from rollcall.names import fold
from rollcall.security.permissions import Permission
from rollcall.services import queries
from rollcall.services.actor import Actor
from rollcall.vocabulary import Category, CustodyStatus, Sex
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import choose_language
from rollcall.web.pages.custody import custody_section
from rollcall.web.pages.prosecutions import person_section
from rollcall.web.pages.sources import COUNT_LIMIT
from rollcall.web.params import optional_date, optional_enum, optional_int
from rollcall.web.render import render
from rollcall.web.scripts import Spelling, in_script, spellings

router = APIRouter()

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Text = Annotated[str, Query(max_length=200)]

#: Rows shown on a person's page even when every record leaves them empty.
ALWAYS_SHOWN = frozenset({
    "surname", "given_name", "patronymic", "sex", "birth_date", "service_number", "rank",
    "unit", "person_to_inform", "capture_date", "capture_place", "category",
    "stated_status", "site_named", "health_notes", "death_date", "notes",
})


@router.get("/persons")
def persons_page(
    request: Request,
    db: DbDep,
    actor: Reader,
    q: Text = "",
    status: Text = "",
    category: Text = "",
    source_id: Text = "",
    born_from: Text = "",
    born_to: Text = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    source_number = optional_int(source_id, "source_id")
    with db.session() as session:
        paged = queries.search_persons(
            session, actor, q=q or None,
            status=optional_enum(CustodyStatus, status, "status"),
            category=optional_enum(Category, category, "category"),
            source_id=source_number,
            born_from=optional_date(born_from, "born_from"),
            born_to=optional_date(born_to, "born_to"),
            page=page, page_size=request.app.state.settings.page_size_default,
            count_limit=COUNT_LIMIT,
        )
        source = None
        if source_number is not None:
            try:
                source = queries.get_source(session, actor, source_number).source
            except NotFound:
                source = None
        return render(request, "persons.html", {
            "section": "persons", "paged": paged, "source": source,
            "CustodyStatus": CustodyStatus, "Category": Category,
            "filters": {"q": q, "status": status, "category": category,
                        "source_id": source_id, "born_from": born_from, "born_to": born_to},
        })


def _comparable(value: Any) -> str:
    return fold(value) if isinstance(value, str) else str(value)


def _dates_conflict(dates: list[PartialDate]) -> bool:
    """Dates conflict when no one day fits them all: "1994" and "12.03.1994" agree."""
    return max(d.earliest() for d in dates) > min(d.latest() for d in dates)


_SEX_CODES = frozenset(s.value for s in Sex)


def compare(records: list[queries.RecordView]) -> list[dict[str, Any]]:
    """One row per field, one cell per record; a row differs when the records give two
    or more distinct values (case, apostrophes and spacing aside; dates when they cannot
    be the same day)."""
    rows = []
    for name in queries.RECORD_FIELDS:
        cells = []
        for view in records:
            value = view.fields[name]
            if name == "sex" and value in _SEX_CODES:
                value = Sex(value)
            cells.append({
                "value": value,
                "withheld": name in view.withheld,
                "precision": value.precision if isinstance(value, PartialDate) else None,
            })
        values = [c["value"] for c in cells if c["value"] not in (None, "")]
        if all(isinstance(v, PartialDate) for v in values) and values:
            differs = _dates_conflict(values)
        else:
            differs = len({_comparable(v) for v in values}) > 1
        if values or name in ALWAYS_SHOWN:
            rows.append({"field": name, "cells": cells, "differs": differs})
    return rows


def names_of(person_name: str, records: list[queries.RecordView],
             language: str) -> tuple[str, list[Spelling]]:
    """The name as this reader sees it, and every other spelling with where it is from."""
    written = [(r.record.display_name, r.source.title, r.record.row_number) for r in records
               if r.record.display_name]
    shown = in_script(person_name, language, cyrillic=[text for text, _, _ in written])
    return shown, spellings(shown, person_name, written)


@router.get("/persons/{person_id}")
def person_page(request: Request, person_id: int, db: DbDep, actor: Reader) -> Response:
    with db.session() as session:
        detail = queries.get_person(session, actor, person_id)
        if detail.person.id != person_id:  # merged into another person: show that one
            return RedirectResponse(f"/persons/{detail.person.id}", status_code=302)
        shown, others = names_of(detail.person.display_name, detail.records,
                                 choose_language(request))
        return render(request, "person.html", {
            "section": "persons", "person": detail.person, "records": detail.records,
            "shown_name": shown, "spellings": others,
            "comparison": compare(detail.records), "events": detail.events,
            "monitoring": person_section(session, actor, person_id),
            "custody": custody_section(session, actor, person_id),
        })
