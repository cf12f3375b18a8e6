"""Who am I, and is the service up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from rollcall.api.schemas import HealthOut, MeOut
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.web.access import DbDep, public, requires

router = APIRouter(tags=["system"])


@router.get("/me", response_model=MeOut, summary="The caller: roles and permissions")
def me(request: Request, actor: Annotated[Actor, Depends(requires(Permission.SELF))]) -> MeOut:
    login = request.state.login
    return MeOut(username=actor.username, display_name=login.display_name,
                 roles=sorted(r.value for r in actor.roles),
                 permissions=sorted(p.value for p in actor.permissions),
                 language=login.language)


@router.get("/health", response_model=HealthOut, summary="Liveness and database reachability",
            responses={503: {"model": HealthOut}})
def health(db: DbDep, _: Annotated[None, Depends(public)]) -> HealthOut | JSONResponse:
    """Public on purpose (load balancers ask it); says nothing but ok/unreachable."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        body = HealthOut(status="degraded", database="unreachable")
        return JSONResponse(body.model_dump(), status_code=503)
    return HealthOut(status="ok", database="ok")
