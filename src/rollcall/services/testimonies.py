"""Testimonies of released persons and the acts coded from them (issue 4 part 5): the only
door by which they are written and read.

Who sees what is decided here and nowhere else: a `TestimonyView` carries the witness's
person id and the narrative only for an actor holding `testimonies:read` (investigators,
admins). Everyone else with `registry:read` sees the pseudonym and the coded acts, never
the witness, the narrative, or a victim id on an act whose victim is the witness. The API,
the pages and the CLI all read through `get_testimony` / `list_testimonies`.

What the change log holds. It must hold every fact and act, so the ledger can prove what
was recorded; but it is append-only (the ledger hashes every entry), so whatever is written
there can never be encrypted or erased afterwards. Hence:
- the narrative is recorded as the SHA-256 of its text (`narrative_sha256`), never as
  text: a court given the narrative can check it against the ledger. (The cost: a very
  short narrative could be guessed from its digest.) The column itself is sealed
  (`rollcall.security.fields`, AES-256-GCM), and each showing of it is a `sensitive:read`
  change entry;
- the witness's person id is recorded only as `"witness_linked": true/false`: an id in an
  append-only log is an identity that could never be withdrawn. The column is sealed with
  a blind index (`services.witnesses`, which also says when a link may be opened), and
  each showing of it is a `sensitive:read` change entry;
- an act whose victim is the witness carries no person id at all (stored or logged).
No error or log line quotes a narrative, a name or a perpetrator: errors name the field
(`acts[2].method`) and, for codes and ids only, the value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from rollcall.dates import PartialDate
from rollcall.errors import Conflict, InvalidValue, NotFound
from rollcall.models import Act, Site, Source, Testimony
from rollcall.monitoring.methods import vocabulary
from rollcall.security.fields import seal, unseal
from rollcall.security.keyring import keyring
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.changes import Action, entity_state, record_change
from rollcall.services.linkage import current_person_id
from rollcall.services.queries import MAX_PAGE_SIZE, Paged
from rollcall.services.sites import find_site
from rollcall.services.witnesses import WITNESS, open_witness, seal_witness
from rollcall.vocabulary import CaptivityStage

MAX_NARRATIVE_CHARS = 200_000
MAX_TEXT_CHARS = 2000
MAX_INTERVIEWER_CHARS = 200
MAX_ACTS = 500
PSEUDONYM_PREFIX = "W-"
_PSEUDONYM = re.compile(r"^\w[\w. -]{0,39}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
#: Testimony columns the change state replaces (see the module docstring) or leaves to
#: the entry itself (`recorded_at` is the entry's `at`).
_NOT_LOGGED = frozenset({"recorded_at", "narrative", "witness", "witness_index"})
TABLE, NARRATIVE = "testimonies", "narrative"


@dataclass(frozen=True)
class ActInput:
    """One coded act as a door hands it over. `victim_is_witness` None means: the witness,
    unless a `victim_person_id` is given. An act about another person who is not in the
    registry has `victim_is_witness=False` and no id."""

    method: str
    site: int | str | None = None
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    stage: CaptivityStage | str | None = None
    perpetrator: str | None = None
    victim_is_witness: bool | None = None
    victim_person_id: int | None = None
    monitor_seen: bool | None = None
    family_contact_allowed: bool | None = None


# --- validation ---------------------------------------------------------------------------

def _flag(value: object, name: str, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        allowed = "true, false or null" if optional else "true or false"
        raise InvalidValue(f"{name}: must be {allowed}")
    return value


def _text(value: object, name: str, limit: int, *, required: bool = False) -> str | None:
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise InvalidValue(f"{name}: must be text")
    if required and not text:
        raise InvalidValue(f"{name}: required")
    if len(text) > limit:
        raise InvalidValue(f"{name}: longer than {limit} characters")
    return text or None


def _language(value: object) -> str:
    code = value.strip().lower() if isinstance(value, str) else ""
    if not _LANGUAGE.match(code):
        raise InvalidValue("language: an ISO 639 code of 2 or 3 letters (uk, ru, en, crh)")
    return code


def _interview_day(value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidValue("interviewed_on: a full date (a day) is required")
    if value > dt.date.today():
        raise InvalidValue("interviewed_on: an interview cannot be dated in the future")
    return value


def _pseudonym(session: Session, value: str | None) -> str:
    if value is None or not value.strip():
        return _next_pseudonym(session)
    text = value.strip()
    if not _PSEUDONYM.match(text):
        raise InvalidValue("pseudonym: 1-40 letters, digits, spaces, '.', '_' or '-', "
                           "starting with a letter or digit")
    if session.scalar(select(Testimony.id).where(Testimony.pseudonym == text)) is not None:
        raise Conflict(f"pseudonym {text!r} is already used by another testimony")
    return text


def _next_pseudonym(session: Session) -> str:
    """`W-000123`: the next free number from the highest testimony id. Two writers racing
    for the same number meet the unique constraint and one transaction fails whole."""
    number = (session.scalar(select(func.max(Testimony.id))) or 0) + 1
    while True:
        candidate = f"{PSEUDONYM_PREFIX}{number:06d}"
        if session.scalar(select(Testimony.id).where(Testimony.pseudonym == candidate)) is None:
            return candidate
        number += 1


def _person(session: Session, person_id: object, name: str) -> int:
    """A registry person, a merged one resolved to its survivor."""
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        raise InvalidValue(f"{name}: a person id (a number) is required")
    try:
        return current_person_id(session, person_id)
    except NotFound:
        raise NotFound(f"{name}: no person {person_id}") from None


def _site(session: Session, site: int | str | None, name: str) -> int | None:
    return None if site is None or site == "" else find_site(session, site, field=name).id


def _partial(value: object, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    raise InvalidValue(f"{name}: a date (yyyy, yyyy-mm or yyyy-mm-dd) is required")


def _stage(value: object, name: str) -> CaptivityStage | None:
    if value is None or value == "":
        return None
    try:
        return CaptivityStage(value)
    except ValueError:
        codes = ", ".join(s.value for s in CaptivityStage)
        raise InvalidValue(f"{name}: unknown stage; expected one of {codes}") from None


def _act_row(session: Session, act: ActInput, name: str, witness: int | None,
             interviewed_on: dt.date) -> dict[str, Any]:
    """An act's column values, checked whole. A victim id that resolves to the witness is
    stored as "the witness" (no id), so the witness's identity cannot reach readers
    through an act."""
    if not isinstance(act, ActInput):
        raise InvalidValue(f"{name}: not an act")
    method = vocabulary().require(act.method, f"{name}.method").code
    start = _partial(act.period_start, f"{name}.period_start")
    end = _partial(act.period_end, f"{name}.period_end")
    if start and end and start.earliest() > end.latest():
        raise InvalidValue(f"{name}: period_start {start} is after period_end {end}")
    for label, when in (("period_start", start), ("period_end", end)):
        if when and when.earliest() > interviewed_on:
            raise InvalidValue(f"{name}: {label} {when} is after the interview")
    is_witness = _flag(act.victim_is_witness, f"{name}.victim_is_witness", optional=True)
    victim = (_person(session, act.victim_person_id, f"{name}.victim_person_id")
              if act.victim_person_id is not None else None)
    if victim is not None and witness is not None and victim == witness:
        victim = None
        is_witness = True if is_witness is None else is_witness
        if not is_witness:
            raise InvalidValue(f"{name}: victim_person_id is the witness, but "
                               "victim_is_witness is false")
    elif victim is not None:
        if is_witness:
            raise InvalidValue(f"{name}: victim_is_witness is true but victim_person_id "
                               "names another person")
        is_witness = False
    elif is_witness is None:
        is_witness = True
    return {
        "method": method,
        "site_id": _site(session, act.site, f"{name}.site"),
        "period_start": start,
        "period_end": end,
        "stage": _stage(act.stage, f"{name}.stage"),
        "perpetrator": _text(act.perpetrator, f"{name}.perpetrator", MAX_TEXT_CHARS),
        "victim_person_id": victim,
        "victim_is_witness": is_witness,
        "monitor_seen": _flag(act.monitor_seen, f"{name}.monitor_seen", optional=True),
        "family_contact_allowed": _flag(act.family_contact_allowed,
                                        f"{name}.family_contact_allowed", optional=True),
    }


def _log_act(session: Session, actor: Actor, act: Act) -> None:
    record_change(session, actor, Action.ACT_RECORDED, "act", act.id, entity_state(act))


def narrative_digest(narrative: str | None) -> str | None:
    """What the change log keeps of a narrative (see the module docstring)."""
    return hashlib.sha256(narrative.encode("utf-8")).hexdigest() if narrative else None


# --- writes -------------------------------------------------------------------------------

def record_testimony(
    session: Session,
    actor: Actor,
    *,
    interviewer: str,
    interviewed_on: dt.date,
    language: str,
    place: str | None = None,
    witness_person_id: int | None = None,
    pseudonym: str | None = None,
    consent_statistics: bool = False,
    consent_public_report: bool = False,
    consent_prosecution: bool = False,
    consent_icrc: bool = False,
    saw_monitor: bool | None = None,
    family_contact: bool | None = None,
    narrative: str | None = None,
    source_id: int | None = None,
    acts: Sequence[ActInput] = (),
) -> Testimony:
    """Record one interview with its coded acts. Everything, acts included, is checked
    before anything is written, so a refused testimony leaves no trace."""
    actor.require(Permission.TESTIMONIES_WRITE)
    day = _interview_day(interviewed_on)
    values: dict[str, Any] = {
        "interviewer": _text(interviewer, "interviewer", MAX_INTERVIEWER_CHARS, required=True),
        "interviewed_on": day,
        "language": _language(language),
        "place": _text(place, "place", MAX_TEXT_CHARS),
        "consent_statistics": _flag(consent_statistics, "consent_statistics"),
        "consent_public_report": _flag(consent_public_report, "consent_public_report"),
        "consent_prosecution": _flag(consent_prosecution, "consent_prosecution"),
        "consent_icrc": _flag(consent_icrc, "consent_icrc"),
        "saw_monitor": _flag(saw_monitor, "saw_monitor", optional=True),
        "family_contact": _flag(family_contact, "family_contact", optional=True),
        "narrative": _text(narrative, "narrative", MAX_NARRATIVE_CHARS),
    }
    witness = (_person(session, witness_person_id, "witness_person_id")
               if witness_person_id is not None else None)
    if source_id is not None and session.get(Source, source_id) is None:
        raise NotFound(f"source_id: no source {source_id}")
    if len(acts) > MAX_ACTS:
        raise InvalidValue(f"acts: more than {MAX_ACTS} in one testimony")
    rows = [_act_row(session, act, f"acts[{i}]", witness, day) for i, act in enumerate(acts)]
    testimony = Testimony(pseudonym=_pseudonym(session, pseudonym), source_id=source_id,
                          **values)
    session.add(testimony)
    session.flush()
    narrative_text = values["narrative"]
    if narrative_text is not None or witness is not None:
        ring = keyring()
        if narrative_text is not None:
            testimony.narrative = seal(session, ring, TABLE, NARRATIVE, testimony.id,
                                       narrative_text)
        seal_witness(session, ring, testimony, witness)
        session.flush()
    state = entity_state(testimony, omit=_NOT_LOGGED)
    record_change(session, actor, Action.TESTIMONY_RECORDED, "testimony", testimony.id, {
        **state, "narrative_sha256": narrative_digest(narrative_text),
        "witness_linked": witness is not None,
    })
    for row in rows:
        act = Act(testimony_id=testimony.id, **row)
        session.add(act)
        session.flush()
        _log_act(session, actor, act)
    return testimony


def add_act(session: Session, actor: Actor, testimony_id: int, act: ActInput) -> Act:
    """Code one more act of a recorded testimony."""
    actor.require(Permission.TESTIMONIES_WRITE)
    testimony = session.get(Testimony, testimony_id)
    if testimony is None:
        raise NotFound(f"no testimony {testimony_id}")
    stored = open_witness(session, testimony)  # to compare with the victim: never shown
    witness = current_person_id(session, stored) if stored is not None else None
    row = _act_row(session, act, "act", witness, testimony.interviewed_on)
    added = Act(testimony_id=testimony.id, **row)
    session.add(added)
    session.flush()
    _log_act(session, actor, added)
    return added


# --- reads --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActView:
    id: int
    testimony_id: int
    method: str
    site: Site | None
    period_start: PartialDate | None
    period_end: PartialDate | None
    stage: CaptivityStage | None
    perpetrator: str | None
    victim_is_witness: bool
    #: Another registry person who suffered the act; never set when the victim is the
    #: witness.
    victim_person_id: int | None
    monitor_seen: bool | None
    family_contact_allowed: bool | None


@dataclass(frozen=True)
class TestimonyView:
    """A testimony as one reader may see it. `identity_shown` False: `witness_person_id`
    and `narrative` are None whatever is stored."""

    id: int
    pseudonym: str
    interviewer: str
    interviewed_on: dt.date
    place: str | None
    language: str
    consent_statistics: bool
    consent_public_report: bool
    consent_prosecution: bool
    consent_icrc: bool
    saw_monitor: bool | None
    family_contact: bool | None
    source_id: int | None
    recorded_at: dt.datetime
    witness_linked: bool
    identity_shown: bool
    witness_person_id: int | None
    narrative: str | None
    acts: list[ActView]

    @property
    def methods(self) -> list[str]:
        """The distinct method codes of its acts, in the order first coded."""
        return list(dict.fromkeys(a.method for a in self.acts))


def may_see_identity(actor: Actor) -> bool:
    """The one rule: witness identity and narrative in clear need testimonies:read."""
    return actor.can(Permission.TESTIMONIES_READ)


def _narrative(session: Session, actor: Actor, testimony: Testimony) -> str | None:
    """The narrative in clear; each showing is a change entry (never the text)."""
    if testimony.narrative is None:
        return None
    record_change(session, actor, Action.SENSITIVE_READ, "testimony", testimony.id,
                  {"field": NARRATIVE})
    return unseal(session, keyring(), TABLE, NARRATIVE, testimony.id, testimony.narrative)


def _witness(session: Session, actor: Actor, testimony: Testimony) -> int | None:
    """The witness's person id as stored; each showing is a change entry (never the id)."""
    if testimony.witness is None:
        return None
    record_change(session, actor, Action.SENSITIVE_READ, "testimony", testimony.id,
                  {"field": WITNESS})
    return open_witness(session, testimony)


def _views(session: Session, actor: Actor, testimonies: Sequence[Testimony], *,
           reveal: bool) -> list[TestimonyView]:
    shown = reveal and may_see_identity(actor)
    acts: dict[int, list[ActView]] = {t.id: [] for t in testimonies}
    if testimonies:
        rows = session.execute(
            select(Act, Site).outerjoin(Site, Site.id == Act.site_id)
            .where(Act.testimony_id.in_(list(acts))).order_by(Act.testimony_id, Act.id)
        ).all()
        for act, site in rows:
            acts[act.testimony_id].append(ActView(
                id=act.id, testimony_id=act.testimony_id, method=act.method, site=site,
                period_start=act.period_start, period_end=act.period_end, stage=act.stage,
                perpetrator=act.perpetrator, victim_is_witness=act.victim_is_witness,
                victim_person_id=None if act.victim_is_witness else act.victim_person_id,
                monitor_seen=act.monitor_seen,
                family_contact_allowed=act.family_contact_allowed))
    return [TestimonyView(
        id=t.id, pseudonym=t.pseudonym, interviewer=t.interviewer,
        interviewed_on=t.interviewed_on, place=t.place, language=t.language,
        consent_statistics=t.consent_statistics,
        consent_public_report=t.consent_public_report,
        consent_prosecution=t.consent_prosecution, consent_icrc=t.consent_icrc,
        saw_monitor=t.saw_monitor, family_contact=t.family_contact, source_id=t.source_id,
        recorded_at=t.recorded_at, witness_linked=t.witness is not None,
        identity_shown=shown, witness_person_id=_witness(session, actor, t) if shown else None,
        narrative=_narrative(session, actor, t) if shown else None, acts=acts[t.id],
    ) for t in testimonies]


def get_testimony(session: Session, actor: Actor, testimony_id: int, *,
                  reveal: bool = True) -> TestimonyView:
    """One testimony with its acts. `reveal=False` hides the identity even from an actor
    who may see it (the CLI shows it only when asked)."""
    actor.require(Permission.REGISTRY_READ)
    testimony = session.get(Testimony, testimony_id)
    if testimony is None:
        raise NotFound(f"no testimony {testimony_id}")
    return _views(session, actor, [testimony], reveal=reveal)[0]


def list_testimonies(
    session: Session,
    actor: Actor,
    *,
    method: str | None = None,
    site_id: int | None = None,
    interviewed_from: dt.date | None = None,
    interviewed_to: dt.date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Paged[TestimonyView]:
    """Testimonies, newest interview first, with their acts; filtered by a method or a
    site of any of their acts and by the interview date (both ends included). Lists never
    carry identities or narratives: only `get_testimony` shows them."""
    actor.require(Permission.REGISTRY_READ)
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    where: list[ColumnElement[bool]] = []
    if method:
        code = vocabulary().require(method).code
        where.append(exists().where(Act.testimony_id == Testimony.id, Act.method == code))
    if site_id is not None:
        where.append(exists().where(Act.testimony_id == Testimony.id, Act.site_id == site_id))
    if interviewed_from and interviewed_to and interviewed_from > interviewed_to:
        raise InvalidValue("interviewed_from is after interviewed_to")
    if interviewed_from:
        where.append(Testimony.interviewed_on >= interviewed_from)
    if interviewed_to:
        where.append(Testimony.interviewed_on <= interviewed_to)
    total = session.scalar(select(func.count()).select_from(Testimony).where(*where)) or 0
    items = session.scalars(
        select(Testimony).where(*where)
        .order_by(Testimony.interviewed_on.desc(), Testimony.id.desc())
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    return Paged(items=_views(session, actor, items, reveal=False), total=total, page=page,
                 page_size=page_size)


@dataclass(frozen=True)
class MethodCount:
    method: str
    acts: int
    testimonies: int


def acts_by_method_counts(session: Session, actor: Actor) -> list[MethodCount]:
    """Acts and testimonies per method, over the testimonies whose witness consented to
    statistics only; most reported first. Raw counts: shares with intervals are the
    statistics work's."""
    actor.require(Permission.REGISTRY_READ)
    rows = session.execute(
        select(Act.method, func.count(Act.id), func.count(func.distinct(Act.testimony_id)))
        .join(Testimony, Testimony.id == Act.testimony_id)
        .where(Testimony.consent_statistics.is_(True))
        .group_by(Act.method)
    ).all()
    return sorted((MethodCount(m, a, t) for m, a, t in rows),
                  key=lambda c: (-c.testimonies, -c.acts, c.method))
