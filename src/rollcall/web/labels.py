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
    CaptivityStage,
    Category,
    ContactDirection,
    ContactKind,
    CustodyStatus,
    Derivation,
    EventType,
    EvidenceKind,
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    IncidentSourceKind,
    IncidentStatus,
    IncidentType,
    LegalStatus,
    Mediator,
    Monitor,
    Origin,
    Role,
    Sex,
    SiteType,
    Verdict,
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
    Monitor: {
        "icrc": N_("ICRC"), "ohchr": N_("OHCHR"), "ombudsperson": N_("ombudsperson"),
        "other": N_("other monitor"),
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
    Mediator: {
        "icrc": N_("ICRC"), "uae": N_("United Arab Emirates"), "qatar": N_("Qatar"),
        "saudi_arabia": N_("Saudi Arabia"), "turkey": N_("Türkiye"),
        "vatican": N_("Holy See"), "other": N_("other mediator"),
    },
    ExchangeDirection: {
        "to_own_side": N_("returned to our side"), "to_adversary": N_("handed to the adversary"),
    },
    ExchangeKind: {"alive": N_("alive"), "body": N_("body")},
    IdentificationStatus: {
        "unidentified": N_("not identified"), "pending": N_("identification pending (DNA)"),
        "identified": N_("identified"),
    },
    Verdict: {
        "pending": N_("no verdict yet"), "convicted": N_("convicted"),
        "acquitted": N_("acquitted"), "dismissed": N_("case dismissed"),
    },
    FairTrialConcern: {
        "no_lawyer_of_choice": N_("no lawyer of their choice"),
        "no_interpreter": N_("no interpreter"),
        "coerced_confession": N_("confession under duress"),
        "closed_hearing": N_("closed hearing"),
        "protecting_power_not_notified": N_("Protecting Power not notified (Art. 104)"),
        "insufficient_time_for_defence": N_("too little time to prepare a defence"),
        "court_not_regularly_constituted": N_("court not regularly constituted"),
        "trial_in_absentia": N_("tried in absentia"), "other": N_("other concern"),
    },
    ContactKind: {
        "capture_card": N_("capture card (Art. 70)"), "letter": N_("letter"),
        "call": N_("call"), "parcel": N_("parcel"),
        "message_via_icrc": N_("message through the ICRC"), "other": N_("other contact"),
    },
    ContactDirection: {
        "from_person": N_("from the person to the family"),
        "to_person": N_("from the family to the person"),
    },
    IncidentType: {
        "killing": N_("killing or execution"), "death_in_custody": N_("death in custody"),
        "torture": N_("torture or ill-treatment"), "sexual_violence": N_("sexual violence"),
        "enforced_disappearance": N_("enforced disappearance"),
        "denial_of_medical_care": N_("denial of medical care"),
        "incommunicado": N_("incommunicado detention"),
        "status_denied": N_("denial of prisoner-of-war status"),
        "prosecution_for_hostilities": N_("prosecution for taking part in hostilities"),
        "unfair_trial": N_("unfair trial"),
    },
    IncidentStatus: {
        "reported": N_("reported"), "credible": N_("credible"), "verified": N_("verified"),
        "retracted": N_("retracted"),
    },
    IncidentSourceKind: {
        "testimony": N_("testimony"), "document": N_("document"), "media": N_("media"),
        "other": N_("other"),
    },
    EvidenceKind: {
        "photo": N_("photo"), "video": N_("video"), "document": N_("document"),
        "audio": N_("audio"), "other": N_("other"),
    },
    Derivation: {
        "redacted": N_("redacted"), "transcoded": N_("transcoded"),
        "exif_stripped": N_("EXIF stripped"), "other": N_("other"),
    },
    CaptivityStage: {
        "capture": N_("at capture"), "transit": N_("in transit"),
        "admission": N_("on admission"), "daily_routine": N_("daily routine"),
        "interrogation": N_("during interrogation"), "transfer": N_("during transfer"),
    },
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
    # comparisons of the review evidence that are not a single record field
    "reported_in_captivity": N_("Reported in captivity"),
    "end_of_captivity": N_("End of captivity"),
    "same_list": N_("Same list"),
}


def label_msgid(value: object) -> str:
    """The English label of a vocabulary code (or the code itself if it has none)."""
    if isinstance(value, Enum):
        return VOCABULARY.get(type(value), {}).get(str(value.value), str(value.value))
    return str(value)


def choices(enum: type[Enum]) -> list[tuple[str, str]]:
    """(code, English label) of every member, for a select box."""
    return [(str(m.value), label_msgid(m)) for m in enum]
