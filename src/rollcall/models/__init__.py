"""ORM tables by domain. Importing this package registers every table on `Base.metadata`."""

from rollcall.models.accounts import AuthToken, User
from rollcall.models.base import Base
from rollcall.models.changes import Change
from rollcall.models.people import Event, ImportIssue, Person, Source, SourceRecord
from rollcall.models.places import AccessPeriod, Site

__all__ = [
    "AccessPeriod",
    "AuthToken",
    "Base",
    "Change",
    "Event",
    "ImportIssue",
    "Person",
    "Site",
    "Source",
    "SourceRecord",
    "User",
]
