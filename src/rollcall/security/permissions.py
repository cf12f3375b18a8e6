"""Least privilege by role (DESIGN.md section 6): every route and page names the
permission it needs; a role grants a fixed set. Deny by default: a permission no role
grants is granted to nobody, and a route without a rule fails the test suite."""

from __future__ import annotations

from enum import StrEnum

from rollcall.vocabulary import Role


class Permission(StrEnum):
    REGISTRY_READ = "registry:read"
    REGISTRY_WRITE = "registry:write"
    CONTACTS_READ = "contacts:read"
    SOURCES_IMPORT = "sources:import"
    SITES_WRITE = "sites:write"
    EXPORT = "registry:export"
    CHANGES_READ = "changes:read"
    USERS_MANAGE = "users:manage"
    LINKAGE_REVIEW = "linkage:review"  # decide pairs in the review queue, merge and split
    TRACE = "tracing:search"  # search the registry by any spelling
    TRACING_REQUESTS = "tracing:requests"  # family tracing requests: read, match, answer
    TESTIMONIES_WRITE = "testimonies:write"  # record testimonies and code their acts
    TESTIMONIES_READ = "testimonies:read"  # witness identities and narratives in clear
    INCIDENTS_WRITE = "incidents:write"  # allegations and incidents: record, link, grade
    INCIDENTS_VERIFY = "incidents:verify"  # sign an incident off as verified
    KEYS_MANAGE = "keys:manage"  # rotate field-encryption keys (admins only)
    EVIDENCE_WRITE = "evidence:write"  # receive evidence files, derive copies, link them
    EVIDENCE_READ = "evidence:read"  # open, copy, hand over and export evidence files
    STATS_READ = "stats:read"  # aggregate figures (indicators, dashboard), no person named
    SELF = "self"  # any logged-in user, for their own account


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.REGISTRAR: frozenset(
        {P.REGISTRY_READ, P.REGISTRY_WRITE, P.CONTACTS_READ, P.SOURCES_IMPORT, P.SITES_WRITE,
         P.EXPORT, P.LINKAGE_REVIEW, P.TRACE, P.EVIDENCE_WRITE, P.STATS_READ, P.SELF}
    ),
    Role.INVESTIGATOR: frozenset(
        {P.REGISTRY_READ, P.TRACE, P.TESTIMONIES_WRITE, P.TESTIMONIES_READ, P.INCIDENTS_WRITE,
         P.INCIDENTS_VERIFY, P.EVIDENCE_WRITE, P.EVIDENCE_READ, P.STATS_READ, P.SELF}
    ),
    Role.ANALYST: frozenset({P.REGISTRY_READ, P.EXPORT, P.STATS_READ, P.SELF}),
    Role.LIAISON: frozenset(
        {P.REGISTRY_READ, P.CONTACTS_READ, P.TRACE, P.TRACING_REQUESTS, P.STATS_READ, P.SELF}
    ),
    Role.AUDITOR: frozenset({P.REGISTRY_READ, P.CHANGES_READ, P.EXPORT, P.EVIDENCE_READ,
                           P.STATS_READ, P.SELF}),
}


def permissions_of(roles: frozenset[Role] | set[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
