"""Human labels for vocabulary codes and record fields, as English msgids.

Codes stay stable in the database and the API; people read these labels, translated at
render time. A code without a label is shown as the code itself, so a vocabulary a
mission extends never breaks a page.
"""

from __future__ import annotations

from enum import Enum

from rollcall.dates import Precision
from rollcall.vocabulary import (
    AccessLevel,
    Category,
    CustodyStatus,
    EventType,
    LegalStatus,
    Origin,
    Role,
    Sex,
    SiteType,
)
from rollcall.web.i18n import N_

VOCABULARY: dict[type[Enum], dict[str, str]] = {
    CustodyStatus: {
        "held": N_("held"), "released": N_("released"), "escaped": N_("escaped"),
        "dead": N_("dead"), "missing": N_("missing"), "unknown": N_("unknown"),
    },
    Category: {
        "pow": N_("prisoner of war"), "civilian_internee": N_("civilian internee"),
        "civilian_detainee": N_("civilian detainee"), "missing": N_("missing person"),
        "unknown": N_("category unknown"),
    },
    LegalStatus: {
        "pow": N_("POW status"), "status_denied": N_("POW status denied"),
        "pending_tribunal": N_("pending tribunal (Art. 5)"), "civilian": N_("civilian"),
        "unknown": N_("legal status unknown"),
    },
    EventType: {
        "captured": N_("capture"), "held": N_("listed as held"), "transferred": N_("transfer"),
        "hospitalised": N_("hospital admission"), "seen_by_monitor": N_("seen by a monitor"),
        "charged": N_("charge"), "sentenced": N_("sentence"), "released": N_("release"),
        "exchanged": N_("exchange"), "repatriated": N_("repatriation"),
        "escaped": N_("escape"), "died": N_("death"),
        "body_repatriated": N_("body repatriated"), "identified": N_("identification"),
        "contact_with_family": N_("contact with family"),
    },
    Origin: {
        "own_bureau": N_("own bureau"), "adversary_bureau": N_("adversary's bureau"),
        "icrc": N_("ICRC"), "family": N_("family"), "testimony": N_("testimony"),
        "media": N_("media"), "open_source": N_("open source"), "other": N_("other"),
    },
    SiteType: {
        "colony": N_("penal colony"), "pretrial_detention": N_("pre-trial detention centre"),
        "temporary": N_("temporary or informal site"), "filtration": N_("filtration point"),
        "hospital": N_("hospital"), "transit": N_("transit site"), "other": N_("other site"),
    },
    Sex: {"m": N_("male"), "f": N_("female")},
    AccessLevel: {
        "none": N_("no access"), "partial": N_("partial access"), "full": N_("full access"),
    },
    Role: {
        "admin": N_("administrator"), "registrar": N_("registrar"),
        "investigator": N_("investigator"), "analyst": N_("analyst"),
        "liaison": N_("family liaison"), "auditor": N_("auditor"),
    },
    Precision: {"year": N_("year"), "month": N_("month"), "day": N_("day")},
}

ISSUE_LEVELS = {"rejected": N_("rejected"), "warning": N_("warning")}

FIELDS = {
    "source_key": N_("Key in source"),
    "surname": N_("Surname"),
    "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"),
    "full_name": N_("Full name"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "place_of_birth": N_("Place of birth"),
    "service_number": N_("Service number"),
    "rank": N_("Rank"),
    "unit": N_("Unit"),
    "power_depended_on": N_("Power depended on"),
    "father_name": N_("Father's first name"),
    "mother_maiden_name": N_("Mother's maiden name"),
    "person_to_inform": N_("Person to inform"),
    "capture_date": N_("Date of capture"),
    "capture_place": N_("Place of capture"),
    "category": N_("Category"),
    "stated_status": N_("Status as stated"),
    "status_date": N_("Status date"),
    "health_notes": N_("Health"),
    "site_named": N_("Place of detention named"),
    "death_date": N_("Date of death"),
    "death_place": N_("Place of death"),
    "death_cause": N_("Cause of death"),
    "burial_place": N_("Burial place"),
    "notes": N_("Notes"),
}


def label_msgid(value: object) -> str:
    """The English label of a vocabulary code (or the code itself if it has none)."""
    if isinstance(value, Enum):
        return VOCABULARY.get(type(value), {}).get(str(value.value), str(value.value))
    return str(value)


def choices(enum: type[Enum]) -> list[tuple[str, str]]:
    """(code, English label) of every member, for a select box."""
    return [(str(m.value), label_msgid(m)) for m in enum]
