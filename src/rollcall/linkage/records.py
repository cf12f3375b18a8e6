"""The feature table: each record's comparison columns, computed in Python and handed to
Splink as Arrow. Names go through `rollcall.names` keys, dates are split into parts, units and
places get script-free keys. Every key is computed once per distinct value of its column and
spread back with Arrow, so a million records cost a few tens of thousands of key calls.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rollcall.linkage.units import strip_place_prefix, unit_keys

BATCH_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One source record as linkage sees it."""

    record_id: int
    source_id: int
    surname: str
    given_name: str | None
    patronymic: str | None
    sex: str | None
    birth_date: str | None  # ISO prefix as stored: "1994", "1994-03", "1994-03-12"
    service_number: str | None
    unit: str | None
    capture_date: str | None  # ISO prefix
    capture_place: str | None
    place_of_birth: str | None
    #: The status as the list states it ("утримується", "exchanged", "captured") and the
    #: date it was true as of (a media digest's "Date reported"), and a date of death: when
    #: captivity ended, or a day the person was known to be held.
    stated_status: str | None = None
    status_date: str | None = None  # ISO prefix
    death_date: str | None = None  # ISO prefix


RECORD_FIELDS = tuple(f.name for f in fields(LinkRecord))


@dataclass(frozen=True)
class NameFunctions:
    """The name layer linkage compares through (from `rollcall.names`)."""

    surname_key: Callable[[str], str]
    given_name_key: Callable[[str], str]
    patronymic_key: Callable[[str], str]
    service_number_key: Callable[[str], str]


def name_functions() -> NameFunctions:
    from rollcall.names import (
        given_name_key,
        patronymic_key,
        service_number_key,
        surname_key,
    )

    return NameFunctions(surname_key, given_name_key, patronymic_key, service_number_key)


FEATURE_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("source_id", pa.int64()),
        ("sn", pa.string()),  # surname key
        ("gn", pa.string()),  # given-name key
        ("pn", pa.string()),  # patronymic key
        ("sn_as_gn", pa.string()),  # the surname field read as a given name (order swapped)
        ("gn_as_sn", pa.string()),  # the given-name field read as a surname
        ("sn1", pa.string()),  # first letter and first three letters of the surname and
        ("gn1", pa.string()),  # given keys: a typing slip seldom hits the first letters
        ("sn3", pa.string()),
        ("gn3", pa.string()),
        ("sn_gn", pa.string()),  # surname and given keys together
        ("sn_gn_noyear", pa.string()),  # the same, only when the birth year is unknown
        ("sex", pa.string()),
        ("birth_y", pa.int32()),  # birth year, month, day
        ("birth_m", pa.int32()),
        ("birth_d", pa.int32()),
        ("bdate", pa.string()),  # full birth date only
        ("svc", pa.string()),
        ("svc_sorted", pa.string()),  # its characters sorted: a transposition keeps it
        ("unit_no", pa.string()),
        ("brigade_no", pa.int32()),
        ("brigade_kind", pa.string()),
        ("cy", pa.int32()),  # capture year, month, day number (full dates only)
        ("cm", pa.int32()),
        ("cday", pa.int32()),
        ("held_day", pa.int32()),  # a day the record says the person was held (day number)
        ("end_day", pa.int32()),  # the day captivity ended: release, exchange or death
        ("cplace", pa.string()),
        ("cplace_rare", pa.string()),  # the capture place when few records share it (set later)
        ("bplace", pa.string()),
        ("latin", pa.bool_()),  # the name is written in Latin letters
        ("is_new", pa.bool_()),
    ]
)

_VOWELS = re.compile(r"[aeiouy]+")
_NOT_DIGIT = re.compile(r"\D+")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MALE_PATRONYMIC = re.compile(r"(вич|ич|vych|vich|ovych|ich)$")
_FEMALE_PATRONYMIC = re.compile(r"(вна|чна|ична|ivna|ovna|evna|ichna|yivna)$")


@lru_cache(maxsize=65536)
def date_parts(iso: str | None) -> tuple[int | None, int | None, int | None]:
    if not iso:
        return None, None, None
    found = _ISO.match(iso.strip())
    if not found:
        return None, None, None
    y, m, d = found.groups()
    year = int(y)
    if not m or not 1 <= int(m) <= 12:
        return year, None, None  # "1950-53-09": only the year can be trusted
    if not d:
        return year, int(m), None
    try:
        dt.date(year, int(m), int(d))
    except ValueError:
        return year, int(m), None
    return year, int(m), int(d)


@lru_cache(maxsize=65536)
def _day_number(iso: str) -> int | None:
    y, m, d = date_parts(iso)
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d).toordinal()
    except ValueError:
        return None


def _sex(sex: str | None, patronymic: str | None) -> str | None:
    """'m'/'f' as stated; else read from the patronymic's ending, which always shows it."""
    if sex:
        low = sex.strip().casefold()[:1]
        if low in ("m", "ч", "м"):
            return "m"
        if low in ("f", "ж", "w"):
            return "f"
    if patronymic:
        low = patronymic.strip().casefold()
        if _FEMALE_PATRONYMIC.search(low):
            return "f"
        if _MALE_PATRONYMIC.search(low):
            return "m"
    return None


#: Stated statuses that place a person in captivity on the status date, and those that say
#: captivity ended then.
_HELD_EVENTS = frozenset({"captured", "held", "transferred", "hospitalised", "seen_by_monitor",
                          "charged", "sentenced"})
_END_EVENTS = frozenset({"released", "exchanged", "repatriated", "escaped", "died",
                         "body_repatriated"})


def status_kind(status: str | None) -> str | None:
    """'held' when a stated status says the person was in captivity on its date, 'end' when
    it says captivity ended (release, exchange, death), else None."""
    if not status:
        return None
    from rollcall.ingest.values import status_event

    event = status_event(status)
    if event is None:
        return None
    return "held" if event.value in _HELD_EVENTS else "end" if event.value in _END_EVENTS else None


def _full_date(iso: str | None) -> str | None:
    y, m, d = date_parts(iso)
    return f"{y:04d}-{m:02d}-{d:02d}" if y is not None and m and d else None


def is_latin(text: str | None) -> bool:
    """True when a name is written in Latin letters (no Cyrillic letter in it)."""
    return bool(text) and not _CYRILLIC.search(text or "") and bool(_LATIN.search(text or ""))



def _per_value(
    column: pa.ChunkedArray | pa.Array, fn: Callable[[Any], Any], out_type: pa.DataType
) -> pa.Array:
    """`fn` applied once per distinct value of `column` (names repeat heavily), spread back."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    mapped = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], type=out_type)
    return pc.take(mapped, encoded.indices)


def _key(fn: Callable[[str], str]) -> Callable[[Any], str | None]:
    return lambda v: (fn(v) or None) if v else None


class FeatureBuilder:
    """Turns a table of records into feature columns, computing each key once per distinct
    spelling (a million records hold a few tens of thousands of distinct names)."""

    def __init__(self, names: NameFunctions | None = None) -> None:
        self.names = names or name_functions()

    def place_key(self, text: str | None) -> str | None:
        """Town names differ between Ukrainian and Russian mostly in vowels (Сіверськ /
        Северск, Запоріжжя / Запорожье, Рівне / Ровно): the key is the first letter and the
        consonants of the name's sound key."""
        if not text:
            return None
        key = self.names.surname_key(strip_place_prefix(text))
        if not key:
            return _NOT_DIGIT.sub("", text) or None  # a place given by number (a postcode)
        return key[0] + _VOWELS.sub("", key[1:])

    def table(self, raw: pa.Table, new_ids: set[int] | None) -> pa.Table:
        n = self.names
        s = pa.string()
        surname, given = raw.column("surname"), raw.column("given_name")
        patronymic = raw.column("patronymic")
        birth, capture = raw.column("birth_date"), raw.column("capture_date")
        units = raw.column("unit")
        kind = _per_value(raw.column("stated_status"), status_kind, s)
        status_day = _per_value(raw.column("status_date"),
                                lambda v: _day_number(v) if v else None, pa.int32())
        death_day = _per_value(raw.column("death_date"),
                               lambda v: _day_number(v) if v else None, pa.int32())
        no_day = pa.scalar(None, pa.int32())
        sn = _per_value(surname, _key(n.surname_key), s)
        gn = _per_value(given, _key(n.given_name_key), s)
        birth_y = _per_value(birth, lambda v: date_parts(v)[0], pa.int32())
        sn_gn = pc.binary_join_element_wise(sn, gn, " ")
        brigade = _per_value(units, lambda v: unit_keys(v)[1], s)
        svc = _per_value(raw.column("service_number"), _key(n.service_number_key), s)
        ids = raw.column("record_id")
        if new_ids is None:
            is_new = pa.array(np.ones(raw.num_rows, dtype=bool))
        else:
            is_new = pc.is_in(ids, value_set=pa.array(sorted(new_ids), pa.int64()))
        columns = {
            "unique_id": ids,
            "source_id": raw.column("source_id"),
            "sn": sn,
            "gn": gn,
            "pn": _per_value(patronymic, _key(n.patronymic_key), s),
            "sn_as_gn": _per_value(surname, _key(n.given_name_key), s),
            "gn_as_sn": _per_value(given, _key(n.surname_key), s),
            "sn1": pc.utf8_slice_codeunits(sn, 0, 1),
            "gn1": pc.utf8_slice_codeunits(gn, 0, 1),
            "sn3": pc.utf8_slice_codeunits(sn, 0, 3),
            "gn3": pc.utf8_slice_codeunits(gn, 0, 3),
            "sn_gn": sn_gn,
            "sn_gn_noyear": pc.if_else(pc.is_null(birth_y), sn_gn, pa.scalar(None, s)),
            "sex": pc.coalesce(
                _per_value(raw.column("sex"), lambda v: _sex(v, None), s),
                _per_value(patronymic, lambda v: _sex(None, v), s),
            ),
            "birth_y": birth_y,
            "birth_m": _per_value(birth, lambda v: date_parts(v)[1], pa.int32()),
            "birth_d": _per_value(birth, lambda v: date_parts(v)[2], pa.int32()),
            "bdate": _per_value(birth, _full_date, s),
            "svc": svc,
            "svc_sorted": _per_value(svc, lambda v: "".join(sorted(v)) if v else None, s),
            "unit_no": _per_value(units, lambda v: unit_keys(v)[0], s),
            "brigade_no": _per_value(
                brigade, lambda v: int(v.split(":")[0]) if v else None, pa.int32()
            ),
            "brigade_kind": _per_value(
                brigade, lambda v: (v.split(":")[1] or None) if v else None, s
            ),
            "cy": _per_value(capture, lambda v: date_parts(v)[0], pa.int32()),
            "cm": _per_value(capture, lambda v: date_parts(v)[1], pa.int32()),
            "cday": _per_value(capture, lambda v: _day_number(v) if v else None, pa.int32()),
            "held_day": pc.if_else(pc.fill_null(pc.equal(kind, "held"), False), status_day,
                                   no_day),
            "end_day": pc.coalesce(death_day, pc.if_else(
                pc.fill_null(pc.equal(kind, "end"), False), status_day, no_day)),
            "cplace": _per_value(raw.column("capture_place"), self.place_key, s),
            "cplace_rare": pa.nulls(raw.num_rows, s),
            "bplace": _per_value(raw.column("place_of_birth"), self.place_key, s),
            "latin": _per_value(surname, is_latin, pa.bool_()),
            "is_new": is_new,
        }
        return pa.Table.from_pydict(columns, schema=FEATURE_SCHEMA)


RAW_SCHEMA = pa.schema(
    [("record_id", pa.int64()), ("source_id", pa.int64())]
    + [(f, pa.string()) for f in RECORD_FIELDS[2:]]
)


def raw_table(records: Iterable[LinkRecord] | pa.Table) -> pa.Table:
    """The records as an Arrow table with exactly the LinkRecord columns (missing ones null),
    read in batches so a stream of a million records never sits in memory as objects."""
    if isinstance(records, pa.Table):
        columns = {}
        for f in RAW_SCHEMA:
            if f.name in records.schema.names:
                columns[f.name] = records.column(f.name).cast(f.type)
            else:
                columns[f.name] = pa.nulls(records.num_rows, f.type)
        return pa.Table.from_pydict(columns, schema=RAW_SCHEMA)
    batches = []
    chunk: list[dict[str, Any]] = []
    for rec in records:
        chunk.append({f: getattr(rec, f) for f in RECORD_FIELDS})
        if len(chunk) >= BATCH_ROWS:
            batches.append(pa.RecordBatch.from_pylist(chunk, schema=RAW_SCHEMA))
            chunk = []
    if chunk:
        batches.append(pa.RecordBatch.from_pylist(chunk, schema=RAW_SCHEMA))
    return pa.Table.from_batches(batches, schema=RAW_SCHEMA)


def feature_table(
    records: Iterable[LinkRecord] | pa.Table,
    *,
    new_record_ids: set[int] | None = None,
    names: NameFunctions | None = None,
) -> tuple[pa.Table, pa.Table]:
    """(features, raw): the Arrow feature table Splink reads (`unique_id` = record id) and
    the records as given, kept to show reviewers the values behind each comparison."""
    raw = raw_table(records)
    return FeatureBuilder(names).table(raw, new_record_ids), raw
