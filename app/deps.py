"""FastAPI dependencies shared by the routers."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import unit_of_work
from app.errors import AdminOnly, Unauthenticated
from app.models.common import MAX_PAGE, MAX_PAGE_SIZE
from app.models.dossier import Dossier
from app.models.officer import Principal, Role
from app.services.dossiers import tracking
from app.services.officers import principal_for


def get_session(request: Request) -> Iterator[Session]:
    """A read-only session for the request (rolled back at the end: it never commits). Use
    cases that write open their own `unit_of_work` from the engine."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


# The query parameters of every paged list (API.md, Conventions: lists).
PageQuery = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description=f"1-based page number, at most {MAX_PAGE}")
]
PageSizeQuery = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"items per page, at most {MAX_PAGE_SIZE}")
]


class PageParams(BaseModel):
    page: int
    page_size: int


def page_params(page: PageQuery = 1, page_size: PageSizeQuery = 20) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(page_params)]


# ---------------------------------------------------------------------------------------------
# Officers

_bearer = HTTPBearer(auto_error=False, description="an officer token (local or single sign-on)")


def current_officer(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The calling officer: 401 without a valid token, 403 for an unknown or disabled account."""
    if credentials is None:
        raise Unauthenticated("Cần đăng nhập (Authorization: Bearer …).")
    verified = request.app.state.authenticator.verify(credentials.credentials)
    # A read of its own, ended before the route runs: routes that write open a writer unit of
    # their own, and a request holding one pooled connection while it waits for a second
    # deadlocked the pool once as many requests ran as it has connections (16 concurrent
    # actions on SQLite's 15).
    with unit_of_work(engine) as session:
        return principal_for(session, request.app.state.settings, verified)


CurrentOfficerDep = Annotated[Principal, Depends(current_officer)]


def current_admin(officer: CurrentOfficerDep) -> Principal:
    if officer.role != Role.admin:
        raise AdminOnly()
    return officer


AdminDep = Annotated[Principal, Depends(current_admin)]


def officer_dossier(code: str, officer: CurrentOfficerDep, session: SessionDep) -> Dossier:
    """The dossier of the path, if the calling officer may act on it: 404 unknown, 403
    `other_agency` outside the officer's agency subtree."""
    return tracking.dossier_for_officer(session, officer, code)


OfficerDossierDep = Annotated[Dossier, Depends(officer_dossier)]
