"""Testimonies and their coded acts: `GET /api/methods` (the methods vocabulary), `GET/POST
/api/testimonies`, `GET /api/testimonies/{id}`, `POST /api/testimonies/{id}/acts`.

Reading needs registry:read and shows the pseudonym and the acts; the witness's person id
and the narrative come back only for testimonies:read (`identity_shown`), as
`rollcall.services.testimonies` decides. Recording needs testimonies:write.

`TestimonyIn` is also the shape of `rollcall testimony add FILE.json`: one documented
input for both doors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError
from sqlalchemy.orm import Session

from rollcall.api.schemas import Page, SiteRef, iso, page_of
from rollcall.errors import InvalidValue
from rollcall.models import Testimony
from rollcall.monitoring.methods import Method, vocabulary
from rollcall.security.permissions import Permission
from rollcall.services import testimonies as service
from rollcall.services.actor import Actor
from rollcall.services.queries import MAX_PAGE_SIZE
from rollcall.services.validation import partial_date
from rollcall.vocabulary import CaptivityStage
from rollcall.web.access import DbDep, requires

router = APIRouter(tags=["testimonies"])

Reader = Annotated[Actor, Depends(requires(Permission.REGISTRY_READ))]
Writer = Annotated[Actor, Depends(requires(Permission.TESTIMONIES_WRITE))]
PartialDateText = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                       description="yyyy, yyyy-mm or yyyy-mm-dd")]




# --- input --------------------------------------------------------------------------------

class ActIn(BaseModel):
    """One coded act. The victim is the witness unless `victim_person_id` names another
    registry person; `victim_is_witness: false` without an id is another person who is
    not in the registry."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(max_length=64, description="A code of GET /api/methods.")
    site: int | str | None = Field(default=None, description="The site's id or key.")
    period_start: PartialDateText | None = None
    period_end: PartialDateText | None = None
    stage: CaptivityStage | None = None
    perpetrator: str | None = Field(default=None, max_length=service.MAX_TEXT_CHARS,
                                    description="Affiliation, if known.")
    victim_is_witness: StrictBool | None = None
    victim_person_id: int | None = None
    monitor_seen: StrictBool | None = None
    family_contact_allowed: StrictBool | None = None

    def to_input(self, name: str) -> service.ActInput:
        return service.ActInput(
            method=self.method,
            site=int(self.site) if isinstance(self.site, str) and self.site.isdigit()
            else self.site,
            period_start=partial_date(self.period_start, f"{name}.period_start"),
            period_end=partial_date(self.period_end, f"{name}.period_end"),
            stage=self.stage, perpetrator=self.perpetrator,
            victim_is_witness=self.victim_is_witness, victim_person_id=self.victim_person_id,
            monitor_seen=self.monitor_seen, family_contact_allowed=self.family_contact_allowed)


class TestimonyIn(BaseModel):
    """One interview with its acts. Unknown keys are refused (a misspelt consent flag must
    not silently read as "no")."""

    model_config = ConfigDict(extra="forbid")

    interviewer: str = Field(max_length=service.MAX_INTERVIEWER_CHARS)
    interviewed_on: dt.date = Field(description="The day of the interview.")
    language: str = Field(max_length=8, description="ISO 639 code: uk, ru, en, ...")
    place: str | None = Field(default=None, max_length=service.MAX_TEXT_CHARS)
    witness_person_id: int | None = Field(default=None,
                                          description="The witness in the registry.")
    pseudonym: str | None = Field(default=None, max_length=40,
                                  description="Default: W-000123, generated.")
    consent_statistics: StrictBool = False
    consent_public_report: StrictBool = False
    consent_prosecution: StrictBool = False
    consent_icrc: StrictBool = False
    saw_monitor: StrictBool | None = Field(
        default=None, description="Ever saw an independent monitor in captivity.")
    family_contact: StrictBool | None = Field(
        default=None, description="Ever allowed contact with family.")
    narrative: str | None = Field(default=None, max_length=service.MAX_NARRATIVE_CHARS)
    source_id: int | None = None
    acts: list[ActIn] = Field(default_factory=list, max_length=service.MAX_ACTS)

    def record(self, session: Session, actor: Actor) -> Testimony:
        return service.record_testimony(
            session, actor, interviewer=self.interviewer, interviewed_on=self.interviewed_on,
            language=self.language, place=self.place,
            witness_person_id=self.witness_person_id, pseudonym=self.pseudonym,
            consent_statistics=self.consent_statistics,
            consent_public_report=self.consent_public_report,
            consent_prosecution=self.consent_prosecution, consent_icrc=self.consent_icrc,
            saw_monitor=self.saw_monitor, family_contact=self.family_contact,
            narrative=self.narrative, source_id=self.source_id,
            acts=[a.to_input(f"acts[{i}]") for i, a in enumerate(self.acts)])


def parse_testimony(data: object) -> TestimonyIn:
    """A testimony from parsed JSON (the CLI's file), pydantic's complaints turned into
    one InvalidValue naming the fields, never quoting their values."""
    try:
        return TestimonyIn.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'testimony'}: {err['msg']}"
            for err in e.errors(include_input=False, include_url=False))
        raise InvalidValue(problems) from None


# --- output -------------------------------------------------------------------------------

class GroupOut(BaseModel):
    code: str
    uk: str
    en: str


class MethodOut(BaseModel):
    code: str
    group: GroupOut
    uk: str
    en: str
    description: str

    @classmethod
    def of(cls, method: Method) -> MethodOut:
        group = vocabulary().groups[method.group]
        return cls(code=method.code, group=GroupOut(code=group.code, uk=group.uk, en=group.en),
                   uk=method.uk, en=method.en, description=method.description)


class ActOut(BaseModel):
    id: int
    testimony_id: int
    method: str
    site: SiteRef | None
    period_start: str | None
    period_end: str | None
    stage: CaptivityStage | None
    perpetrator: str | None
    victim_is_witness: bool
    victim_person_id: int | None = Field(description="Another registry person; never set "
                                         "when the victim is the witness.")
    monitor_seen: bool | None
    family_contact_allowed: bool | None

    @classmethod
    def of(cls, act: service.ActView) -> ActOut:
        site = SiteRef(id=act.site.id, name=act.site.display_name) if act.site else None
        return cls(id=act.id, testimony_id=act.testimony_id, method=act.method, site=site,
                   period_start=iso(act.period_start), period_end=iso(act.period_end),
                   stage=act.stage, perpetrator=act.perpetrator,
                   victim_is_witness=act.victim_is_witness,
                   victim_person_id=act.victim_person_id, monitor_seen=act.monitor_seen,
                   family_contact_allowed=act.family_contact_allowed)


class TestimonyOut(BaseModel):
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
    identity_shown: bool = Field(description="False: witness_person_id and narrative are "
                                 "withheld (needs testimonies:read; never in lists).")
    witness_person_id: int | None
    narrative: str | None
    acts: list[ActOut]

    @classmethod
    def of(cls, view: service.TestimonyView) -> TestimonyOut:
        return cls(
            id=view.id, pseudonym=view.pseudonym, interviewer=view.interviewer,
            interviewed_on=view.interviewed_on, place=view.place, language=view.language,
            consent_statistics=view.consent_statistics,
            consent_public_report=view.consent_public_report,
            consent_prosecution=view.consent_prosecution, consent_icrc=view.consent_icrc,
            saw_monitor=view.saw_monitor, family_contact=view.family_contact,
            source_id=view.source_id, recorded_at=view.recorded_at,
            witness_linked=view.witness_linked, identity_shown=view.identity_shown,
            witness_person_id=view.witness_person_id, narrative=view.narrative,
            acts=[ActOut.of(a) for a in view.acts])


# --- routes -------------------------------------------------------------------------------

@router.get("/methods", response_model=list[MethodOut],
            summary="The methods vocabulary, searched in Ukrainian and English")
def get_methods(
    actor: Reader,
    q: Annotated[str, Query(max_length=100, description="Part of a label or code; case "
                            "and accents ignored.")] = "",
) -> list[MethodOut]:
    return [MethodOut.of(m) for m in vocabulary().search(q)]


@router.get("/testimonies", response_model=Page[TestimonyOut],
            summary="Testimonies, newest interview first (pseudonyms only)")
def get_testimonies(
    db: DbDep,
    actor: Reader,
    method: Annotated[str | None, Query(max_length=64,
                                        description="Having an act of this method.")] = None,
    site_id: Annotated[int | None, Query(description="Having an act at this site.")] = None,
    interviewed_from: dt.date | None = None,
    interviewed_to: dt.date | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> Page[TestimonyOut]:
    with db.session() as session:
        paged = service.list_testimonies(
            session, actor, method=method, site_id=site_id,
            interviewed_from=interviewed_from, interviewed_to=interviewed_to, page=page,
            page_size=page_size)
        return page_of(paged, [TestimonyOut.of(v) for v in paged.items])


@router.get("/testimonies/{testimony_id}", response_model=TestimonyOut,
            summary="One testimony with its acts")
def get_testimony(testimony_id: int, db: DbDep, actor: Reader) -> TestimonyOut:
    with db.session() as session:
        return TestimonyOut.of(service.get_testimony(session, actor, testimony_id))


@router.post("/testimonies", response_model=TestimonyOut, status_code=201,
             summary="Record a testimony with its coded acts")
def post_testimony(body: TestimonyIn, db: DbDep, actor: Writer) -> TestimonyOut:
    with db.session() as session:
        testimony = body.record(session, actor)
        return TestimonyOut.of(service.get_testimony(session, actor, testimony.id))


@router.post("/testimonies/{testimony_id}/acts", response_model=ActOut, status_code=201,
             summary="Code one more act of a testimony")
def post_act(testimony_id: int, body: ActIn, db: DbDep, actor: Writer) -> ActOut:
    with db.session() as session:
        act = service.add_act(session, actor, testimony_id, body.to_input("act"))
        view = service.get_testimony(session, actor, testimony_id, reveal=False)
        return ActOut.of(next(a for a in view.acts if a.id == act.id))
