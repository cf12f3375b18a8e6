"""Page routers. Pages work without JavaScript; every form posts its CSRF token."""

from fastapi import APIRouter

from rollcall.web.pages import auth, docs, family, persons, review, sites, sources, tracing

router = APIRouter(include_in_schema=False)
for module in (auth, persons, sources, sites, docs, review, tracing, family):
    router.include_router(module.router)

__all__ = ["router"]
