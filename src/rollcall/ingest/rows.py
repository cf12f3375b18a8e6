"""Validate and normalise one list row into record values and derived events.

A row is accepted or rejected as a whole: `problems` (non-empty = rejected) and
`warnings` name the header and the reason in plain words, quoting at most the offending
cell cut to 40 characters - the report goes to a registrar, never the whole row.

This is the hot path of an import (a million rows), so the column plan is computed once
per HeaderMap, each cell goes through one branch, and coded values hit per-text caches.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rollcall.dates import PartialDate
from rollcall.ingest.fields import DATE_FIELDS, MAX_CELL_CHARS, Field
from rollcall.ingest.headers import HeaderMap
from rollcall.ingest.namesplit import names_script, script_cache, split_full_name
from rollcall.ingest.readers import RawRow
from rollcall.ingest.values import (
    category_cache,
    date_cache,
    parse_category,
    parse_date,
    parse_sex,
    refused_words,
    sex_cache,
    show,
    status_cache,
    status_event,
)
from rollcall.vocabulary import EventType

#: Fields where a prisoner may decline to answer (GC III Art. 17 beyond the names, and the
#: Art. 70 capture-card details): "refused" is then the recorded answer, not an error.
REFUSABLE_FIELDS = frozenset({
    Field.BIRTH_DATE, Field.RANK, Field.SERVICE_NUMBER, Field.UNIT, Field.PLACE_OF_BIRTH,
    Field.FATHER_NAME, Field.MOTHER_MAIDEN_NAME, Field.PERSON_TO_INFORM,
})
REFUSED = "refused"
EVENT_FIELDS = frozenset({
    Field.CAPTURE_DATE, Field.CAPTURE_PLACE, Field.STATED_STATUS, Field.SITE_NAMED,
    Field.DEATH_DATE, Field.DEATH_PLACE, Field.DEATH_CAUSE, Field.BURIAL_PLACE,
})
_DEATH_FIELDS = (Field.DEATH_DATE, Field.DEATH_PLACE, Field.DEATH_CAUSE, Field.BURIAL_PLACE)
_SITE_EVENTS = frozenset({EventType.HELD, EventType.HOSPITALISED})

# Column kinds: one integer compare per cell instead of per-cell field lookups.
_UNMAPPED, _TEXT, _REFUSABLE_TEXT, _DATE, _REFUSABLE_DATE, _CATEGORY, _SEX, _FULL = range(8)


@dataclass(slots=True)
class RowProblem:
    field: str | None  # header text (or field name) the problem is in; None = whole row
    reason: str


@dataclass(slots=True)
class EventDraft:
    """An event the row reports, before it is attached to a person."""

    type: EventType
    date: PartialDate | None
    place: str | None
    site_named: str | None
    details: dict[str, str]


@dataclass(slots=True)
class ParsedRow:
    """A row ready to store. `raw` is verbatim (header text -> cell, empty cells left out)
    except cells the reader rejected: undecodable bytes shown as U+FFFD, cut to
    MAX_CELL_CHARS. `values` holds field name -> str, PartialDate, "refused" (birth date
    only), category code or "m"/"f", plus "name_script"."""

    row_number: int
    source_key: str | None
    raw: dict[str, str]
    values: dict[str, object]
    events: list[EventDraft]
    problems: list[RowProblem]
    warnings: list[RowProblem]


class _Plan:
    """What parse_row needs from a HeaderMap, precomputed once."""

    __slots__ = (
        "dates",
        "fields",
        "has_capture",
        "has_death",
        "has_events",
        "header_map",
        "keys",
        "kinds",
        "refused",
        "status_key",
        "today",
    )

    def __init__(self, hm: HeaderMap, today: dt.date) -> None:
        self.header_map = hm
        self.today = today
        self.dates = date_cache(today)
        self.refused = refused_words()
        self.keys = hm.raw_keys
        self.fields = tuple(f.value if f is not None else None for f in hm.fields)
        self.kinds = tuple(_kind(f) for f in hm.fields)
        status = hm.column_of(Field.STATED_STATUS)
        self.status_key = hm.raw_keys[status] if status is not None else Field.STATED_STATUS.value
        self.has_events = any(f in EVENT_FIELDS for f in hm.fields)
        self.has_capture = Field.CAPTURE_DATE in hm.fields or Field.CAPTURE_PLACE in hm.fields
        self.has_death = any(f in _DEATH_FIELDS for f in hm.fields)


def _kind(f: Field | None) -> int:
    if f is None:
        return _UNMAPPED
    if f in DATE_FIELDS:
        return _REFUSABLE_DATE if f in REFUSABLE_FIELDS else _DATE
    if f is Field.CATEGORY:
        return _CATEGORY
    if f is Field.SEX:
        return _SEX
    if f is Field.FULL_NAME:
        return _FULL
    return _REFUSABLE_TEXT if f in REFUSABLE_FIELDS else _TEXT


_plans: dict[int, _Plan] = {}


def _plan_for(hm: HeaderMap, today: dt.date) -> _Plan:
    """The cached plan for this HeaderMap and day (imports in threads each get their own)."""
    plan = _plans.get(id(hm))
    if plan is None or plan.header_map is not hm or plan.today != today:
        if len(_plans) > 16:
            _plans.clear()
        plan = _plans[id(hm)] = _Plan(hm, today)
    return plan


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def parse_row(raw: RawRow, header_map: HeaderMap, *, today: dt.date) -> ParsedRow:
    """Trim, normalise and check every mapped cell; derive events (GC III Art. 122)."""
    plan = _plans.get(id(header_map))
    if plan is None or plan.header_map is not header_map or plan.today is not today:
        plan = _plan_for(header_map, today)
    keys = plan.keys
    dates = plan.dates
    refused = plan.refused
    out_raw: dict[str, str] = {}
    values: dict[str, object] = {}
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    cells = raw.cells
    if raw.problems:
        cells = _drop_bad_cells(raw, keys, out_raw, problems)
    if raw.warnings:
        warnings.extend(RowProblem(_key(keys, i), r) for i, r in raw.warnings)
    full = None
    is_nfc = unicodedata.is_normalized
    nfc = unicodedata.normalize
    for key, kind, field, cell in zip(keys, plan.kinds, plan.fields, cells, strict=True):
        if not cell:
            continue
        v = cell.strip()
        if not v:
            continue
        out_raw[key] = cell
        if kind == _TEXT:
            values[field] = v if v.isascii() or is_nfc("NFC", v) else nfc("NFC", v)
        elif _DATE <= kind <= _REFUSABLE_DATE:
            value, problem, warning = dates.get(v) or parse_date(v, today, dates)
            if problem is not None:
                problems.append(RowProblem(key, problem))
            elif kind == _DATE and type(value) is str:  # "refused" where no refusal is due
                problems.append(RowProblem(key, f"{show(v)} is not a date"))
            else:
                values[field] = value
                if warning is not None:
                    warnings.append(RowProblem(key, warning))
        elif kind == _REFUSABLE_TEXT:
            if len(v) <= 12 and v.casefold() in refused:
                values[field] = REFUSED
            else:
                values[field] = v if v.isascii() or is_nfc("NFC", v) else nfc("NFC", v)
        elif kind == _CATEGORY:
            code, problem = category_cache.get(v) or parse_category(v)
            if problem is None:
                values[field] = code
            else:
                problems.append(RowProblem(key, problem))
        elif kind == _SEX:
            code, problem = sex_cache.get(v) or parse_sex(v)
            if problem is None:
                values[field] = code
            else:
                problems.append(RowProblem(key, problem))
        elif kind == _FULL:
            full = _nfc(v)

    if full is not None and "surname" not in values:
        surname, given, patronymic = split_full_name(full)
        if surname:
            values["surname"] = surname
        if given and "given_name" not in values:
            values["given_name"] = given
        if patronymic and "patronymic" not in values:
            values["patronymic"] = patronymic
    surname = values.get("surname")
    if surname:
        given, patronymic = values.get("given_name"), values.get("patronymic")
        script = script_cache.get(surname)  # type: ignore[call-overload]
        if not script or (given is not None and script_cache.get(given) != script) or (
                patronymic is not None and script_cache.get(patronymic) != script):
            script = names_script(surname, given, patronymic)  # type: ignore[arg-type]
        if script is not None:
            values["name_script"] = script
    else:
        problems.append(RowProblem("surname", "no surname"))
    events = _events(values, warnings, plan) if plan.has_events else []
    source_key = values.get("source_key")
    return ParsedRow(raw.row_number, source_key, out_raw, values, events,  # type: ignore[arg-type]
                     problems, warnings)


def _drop_bad_cells(
    raw: RawRow, keys: tuple[str, ...], out_raw: dict[str, str], problems: list[RowProblem]
) -> list[str | None]:
    """Report reader problems; keep bad cells out of parsing (in `raw` only, sanitised)."""
    cells = list(raw.cells)
    for i, reason in raw.problems:
        problems.append(RowProblem(_key(keys, i), reason))
        if i is not None and i < len(cells) and i < len(keys) and cells[i]:
            text = str(cells[i]).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            out_raw[keys[i]] = text[:MAX_CELL_CHARS]
            cells[i] = None
    return cells


def _key(keys: tuple[str, ...], i: int | None) -> str | None:
    if i is None:
        return None
    return keys[i] if i < len(keys) else f"column {i + 1}"


def _events(values: dict[str, object], warnings: list[RowProblem],
            plan: _Plan) -> list[EventDraft]:
    """Events the row reports: capture, the stated status, death, a detention site."""
    get = values.get
    events: list[EventDraft] = []
    if plan.has_capture:
        capture_date, capture_place = get("capture_date"), get("capture_place")
        if capture_date is not None or capture_place is not None:
            events.append(EventDraft(EventType.CAPTURED, capture_date,  # type: ignore[arg-type]
                                     capture_place, None, {}))  # type: ignore[arg-type]
    status = get("stated_status")
    status_date = get("status_date")
    kind = None
    if status is not None:
        kind = status_cache.get(status) or status_event(status)  # type: ignore[arg-type]
        if kind is None:
            warnings.append(RowProblem(
                plan.status_key, f"status {show(status)} not recognised; kept as text, "  # type: ignore[arg-type]
                "no event derived"))
    if kind is EventType.DIED or (plan.has_death and _any_death(get)):
        details = {}
        if (cause := get("death_cause")) is not None:
            details["cause"] = cause
        if (burial := get("burial_place")) is not None:
            details["burial_place"] = burial
        when = get("death_date")
        if when is None and kind is EventType.DIED:
            when = status_date
        events.append(EventDraft(EventType.DIED, when, get("death_place"),  # type: ignore[arg-type]
                                 None, details))  # type: ignore[arg-type]
    if kind is None:
        site = get("site_named")
        if site is not None:
            events.append(EventDraft(EventType.HELD, status_date, None, site, {}))  # type: ignore[arg-type]
    elif kind is EventType.CAPTURED:
        if not events or events[0].type is not EventType.CAPTURED:
            events.append(EventDraft(EventType.CAPTURED, status_date, None, None, {}))  # type: ignore[arg-type]
    elif kind is not EventType.DIED:
        site = get("site_named") if kind in _SITE_EVENTS else None
        events.append(EventDraft(kind, status_date, None, site, {}))  # type: ignore[arg-type]
    return events


def _any_death(get: Callable[[str], object]) -> bool:
    return (get("death_date") is not None or get("death_place") is not None
            or get("death_cause") is not None or get("burial_place") is not None)
