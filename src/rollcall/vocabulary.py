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


class IncidentType(StrEnum):
    """What an allegation or incident is about (DESIGN.md section 4, Allegation/Incident)."""

    KILLING = "killing"
    DEATH_IN_CUSTODY = "death_in_custody"
    TORTURE = "torture"
    SEXUAL_VIOLENCE = "sexual_violence"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance"
    DENIAL_OF_MEDICAL_CARE = "denial_of_medical_care"
    INCOMMUNICADO = "incommunicado"
    STATUS_DENIED = "status_denied"
    PROSECUTION_FOR_HOSTILITIES = "prosecution_for_hostilities"
    UNFAIR_TRIAL = "unfair_trial"


class IncidentStatus(StrEnum):
    """How far an incident is established. `reported` -> `credible` (the corroboration rule
    is met) -> `verified` (an investigator signed it off, OHCHR's "reasonable grounds to
    believe"). Nothing is deleted: an allegation withdrawn or shown unfounded is
    `retracted`, kept and counted apart; any move down or back needs a reason."""

    REPORTED = "reported"
    CREDIBLE = "credible"
    VERIFIED = "verified"
    RETRACTED = "retracted"


class IncidentSourceKind(StrEnum):
    """What an incident's source is."""

    TESTIMONY = "testimony"
    DOCUMENT = "document"
    MEDIA = "media"
    OTHER = "other"


class Mediator(StrEnum):
    """Who mediated an exchange, when a known one did (the free-text name says more)."""

    ICRC = "icrc"
    UAE = "uae"
    QATAR = "qatar"
    SAUDI_ARABIA = "saudi_arabia"
    TURKEY = "turkey"
    VATICAN = "vatican"
    OTHER = "other"


class ExchangeDirection(StrEnum):
    """Which way a person was handed over in an exchange."""

    TO_OWN_SIDE = "to_own_side"
    TO_ADVERSARY = "to_adversary"


class ExchangeKind(StrEnum):
    """Handed over alive, or a body repatriated."""

    ALIVE = "alive"
    BODY = "body"


class IdentificationStatus(StrEnum):
    """Where the identification of a repatriated body stands; it only moves forward."""

    UNIDENTIFIED = "unidentified"
    PENDING = "pending"  # DNA samples taken, result awaited
    IDENTIFIED = "identified"


class Verdict(StrEnum):
    """The outcome of a prosecution, `pending` until a court decides."""

    PENDING = "pending"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISMISSED = "dismissed"


class FairTrialConcern(StrEnum):
    """Fair-trial guarantees a prosecution is recorded as missing (GC III Art. 84, 99,
    104-106; AP I Art. 75(4))."""

    NO_LAWYER_OF_CHOICE = "no_lawyer_of_choice"
    NO_INTERPRETER = "no_interpreter"
    COERCED_CONFESSION = "coerced_confession"
    CLOSED_HEARING = "closed_hearing"
    PROTECTING_POWER_NOT_NOTIFIED = "protecting_power_not_notified"  # Art. 104
    INSUFFICIENT_TIME_FOR_DEFENCE = "insufficient_time_for_defence"
    COURT_NOT_REGULARLY_CONSTITUTED = "court_not_regularly_constituted"
    TRIAL_IN_ABSENTIA = "trial_in_absentia"
    OTHER = "other"


class ContactKind(StrEnum):
    """How a person in captivity and their family were in touch (GC III Art. 70-72)."""

    CAPTURE_CARD = "capture_card"
    LETTER = "letter"
    CALL = "call"
    PARCEL = "parcel"
    MESSAGE_VIA_ICRC = "message_via_icrc"
    OTHER = "other"


class ContactDirection(StrEnum):
    FROM_PERSON = "from_person"
    TO_PERSON = "to_person"


class EvidenceKind(StrEnum):
    """What an evidence file is (rollcall.models.evidence)."""

    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    AUDIO = "audio"
    OTHER = "other"


class Derivation(StrEnum):
    """How a derived evidence file was made from its original."""

    REDACTED = "redacted"
    TRANSCODED = "transcoded"
    EXIF_STRIPPED = "exif_stripped"
    OTHER = "other"
