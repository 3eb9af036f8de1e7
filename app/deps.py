"""FastAPI dependencies shared by the routers."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session

from app.config import Settings
from app.db import session_scope, writer
from app.errors import Forbidden, Unauthenticated
from app.models.officer import Principal, Role
from app.services.officers import principal_for


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.engine)


def get_writer_session(request: Request) -> Iterator[Session]:
    """The session of a route that writes: on SQLite its transactions take the write lock when
    they begin (`db.writer`), so a write committed by another connection meanwhile makes it
    wait rather than fail."""
    yield from session_scope(writer(request.app.state.engine))


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
WriterSessionDep = Annotated[Session, Depends(get_writer_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


class PageParams(BaseModel):
    page: int
    page_size: int


def page_params(
    page: Annotated[int, Query(ge=1, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="items per page, at most 100")] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(page_params)]


# ---------------------------------------------------------------------------------------------
# Officers

_bearer = HTTPBearer(auto_error=False, description="an officer token (local or single sign-on)")


def current_officer(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The calling officer: 401 without a valid token, 403 for an unknown or disabled account."""
    if credentials is None:
        raise Unauthenticated("Cần đăng nhập (Authorization: Bearer …).")
    verified = request.app.state.authenticator.verify(credentials.credentials)
    principal = principal_for(session, request.app.state.settings, verified)
    # End the read transaction now, handing its pooled connection back: routes that write
    # take a writer connection of their own (workflow, submission), and a request holding one
    # connection while it waits for a second deadlocked the pool once as many requests ran as
    # it has connections (16 concurrent actions on SQLite's 15). The session reconnects if
    # the route reads again.
    session.commit()
    return principal


CurrentOfficerDep = Annotated[Principal, Depends(current_officer)]


def current_admin(officer: CurrentOfficerDep) -> Principal:
    if officer.role != Role.admin:
        raise Forbidden("Chỉ quản trị viên được thực hiện thao tác này.", code="admin_only")
    return officer


AdminDep = Annotated[Principal, Depends(current_admin)]
