"""ORM tables by domain. Importing this package registers every table on `Base.metadata`."""

from rollcall.models.accounts import AuthToken, User
from rollcall.models.base import Base
from rollcall.models.changes import Change
from rollcall.models.custody import CustodyPeriod
from rollcall.models.evidence import EvidenceItem, EvidenceLink
from rollcall.models.exchanges import Exchange, ExchangePerson, FamilyContact
from rollcall.models.incidents import (
    Incident,
    IncidentSource,
    IncidentStatusChange,
    IncidentVictim,
)
from rollcall.models.keys import FieldKey, KeyPurpose
from rollcall.models.ledger import LedgerCheckpoint, LedgerLeaf, LedgerNode
from rollcall.models.linkage import (
    DecisionKind,
    LinkageRun,
    LinkDecision,
    ReviewPair,
    ReviewStatus,
    RunKind,
)
from rollcall.models.monitoring import Visit, VisitPerson
from rollcall.models.people import Event, ImportIssue, Person, Source, SourceRecord
from rollcall.models.places import AccessPeriod, Site
from rollcall.models.prosecutions import Prosecution, ProsecutionConcern
from rollcall.models.testimonies import Act, Testimony
from rollcall.models.tracing import RequestStatus, TraceKey, TraceName, TracingRequest

__all__ = [
    "AccessPeriod",
    "Act",
    "AuthToken",
    "Base",
    "Change",
    "CustodyPeriod",
    "DecisionKind",
    "Event",
    "EvidenceItem",
    "EvidenceLink",
    "Exchange",
    "ExchangePerson",
    "FamilyContact",
    "FieldKey",
    "ImportIssue",
    "Incident",
    "IncidentSource",
    "IncidentStatusChange",
    "IncidentVictim",
    "KeyPurpose",
    "LedgerCheckpoint",
    "LedgerLeaf",
    "LedgerNode",
    "LinkDecision",
    "LinkageRun",
    "Person",
    "Prosecution",
    "ProsecutionConcern",
    "RequestStatus",
    "ReviewPair",
    "ReviewStatus",
    "RunKind",
    "Site",
    "Source",
    "SourceRecord",
    "Testimony",
    "TraceKey",
    "TraceName",
    "TracingRequest",
    "User",
    "Visit",
    "VisitPerson",
]
