"""Controlled vocabularies of the registry (DESIGN.md section 4).

Stable string codes: they are stored in the database, written to exports and hashed into
the change log, so a code is never renamed, only added.
"""

from enum import StrEnum


class Origin(StrEnum):
    """Who produced a source."""

    OWN_BUREAU = "own_bureau"
    ADVERSARY_BUREAU = "adversary_bureau"
    ICRC = "icrc"
    FAMILY = "family"
    TESTIMONY = "testimony"
    MEDIA = "media"
    OPEN_SOURCE = "open_source"
    OTHER = "other"


class Category(StrEnum):
    """How a source classes the person (GC III / GC IV)."""

    POW = "pow"
    CIVILIAN_INTERNEE = "civilian_internee"
    CIVILIAN_DETAINEE = "civilian_detainee"
    MISSING = "missing"
    UNKNOWN = "unknown"


class EventType(StrEnum):
    """Dated facts about a person (GC III Art. 122, GC IV Art. 136).

    `held` is an addition to the brief's list: a source that places a person at a site on a
    date (a list "as of" some day) is the commonest custody fact of all, and the monitoring
    work needs it to say who was where when.
    """

    CAPTURED = "captured"
    HELD = "held"
    TRANSFERRED = "transferred"
    HOSPITALISED = "hospitalised"
    SEEN_BY_MONITOR = "seen_by_monitor"
    CHARGED = "charged"
    SENTENCED = "sentenced"
    RELEASED = "released"
    EXCHANGED = "exchanged"
    REPATRIATED = "repatriated"
    ESCAPED = "escaped"
    DIED = "died"
    BODY_REPATRIATED = "body_repatriated"
    IDENTIFIED = "identified"
    CONTACT_WITH_FAMILY = "contact_with_family"


class CustodyStatus(StrEnum):
    """Where a person stands now, derived from events, never typed in."""

    HELD = "held"
    RELEASED = "released"
    ESCAPED = "escaped"
    DEAD = "dead"
    MISSING = "missing"
    UNKNOWN = "unknown"


class LegalStatus(StrEnum):
    """The status the detaining Power gives the person (DESIGN.md section 4)."""

    POW = "pow"
    STATUS_DENIED = "status_denied"
    PENDING_TRIBUNAL = "pending_tribunal"
    CIVILIAN = "civilian"
    UNKNOWN = "unknown"


class SiteType(StrEnum):
    COLONY = "colony"
    PRETRIAL_DETENTION = "pretrial_detention"
    TEMPORARY = "temporary"
    FILTRATION = "filtration"
    HOSPITAL = "hospital"
    TRANSIT = "transit"
    OTHER = "other"


class AccessLevel(StrEnum):
    """Access an independent monitor had (GC III Art. 126 defines `full`)."""

    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class Role(StrEnum):
    ADMIN = "admin"
    REGISTRAR = "registrar"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    LIAISON = "liaison"
    AUDITOR = "auditor"


class Sex(StrEnum):
    """As GC III Art. 14/25 and the lists record it."""

    MALE = "m"
    FEMALE = "f"


class Script(StrEnum):
    """Writing system of a name as given by the source."""

    CYRILLIC = "cyrl"
    LATIN = "latn"
    MIXED = "mixed"


class Monitor(StrEnum):
    """Independent monitors who visit places of detention (GC III Art. 126)."""

    ICRC = "icrc"
    OHCHR = "ohchr"
    OMBUDSPERSON = "ombudsperson"
    OTHER = "other"


class CaptivityStage(StrEnum):
    """When in captivity an act happened (DESIGN.md section 4, Testimony)."""

    CAPTURE = "capture"
    TRANSIT = "transit"
    ADMISSION = "admission"
    DAILY_ROUTINE = "daily_routine"
    INTERROGATION = "interrogation"
    TRANSFER = "transfer"
