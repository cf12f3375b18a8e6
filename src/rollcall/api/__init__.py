"""The JSON API under /api: read access to the registry for other tools. Every route
declares its access rule (rollcall.web.access); writes go through rollcall.services."""

from fastapi import APIRouter

from rollcall.api import (
    custody,
    evidence,
    exchanges,
    incidents,
    indicators,
    linkage,
    monitoring,
    persons,
    reports,
    sites,
    sources,
    system,
    testimonies,
    tracing,
)

router = APIRouter(prefix="/api")
for module in (persons, sources, sites, system, linkage, tracing, monitoring, testimonies,
               incidents, exchanges, evidence, custody, indicators, reports):
    router.include_router(module.router)

__all__ = ["router"]
