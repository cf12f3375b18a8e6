"""Page routers. Pages work without JavaScript; every form posts its CSRF token."""

from fastapi import APIRouter

from rollcall.web.pages import (
    access,
    auth,
    custody,
    dashboard,
    docs,
    exchanges,
    family,
    incidents,
    lists,
    monitoring,
    persons,
    reports,
    review,
    sites,
    sources,
    testimonies,
    tracing,
)

router = APIRouter(include_in_schema=False)
for module in (auth, persons, lists, sources, sites, docs, review, tracing, family, monitoring,
               testimonies, incidents, exchanges, access, custody, dashboard, reports):
    router.include_router(module.router)

__all__ = ["router"]
