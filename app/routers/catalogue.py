"""Catalogue: agencies, fields and procedures (public read)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import PageDep, SessionDep
from app.models.catalogue import (
    AgencyPublic,
    FieldPublic,
    ProcedureDetail,
    ProcedureListItem,
    Tier,
)
from app.models.common import Page, error_responses
from app.services import catalogue
from app.services.scope import ProcedureScope, get_agency

router = APIRouter(prefix="/api/v1", tags=["catalogue"])

Level = Annotated[int | None, Query(ge=1, le=4, description="service level 1–4")]


@router.get("/agencies", response_model=list[AgencyPublic], responses=error_responses(422))
def list_agencies(
    session: SessionDep,
    tier: Tier | None = None,
    parent: Annotated[str | None, Query(description="code of the parent agency")] = None,
) -> list[AgencyPublic]:
    """Agencies (cơ quan), optionally of one tier or directly under one parent."""
    rows = catalogue.list_agencies(session, tier, parent)
    return [AgencyPublic.model_validate(row) for row in rows]


@router.get("/agencies/{code}", response_model=AgencyPublic, responses=error_responses(404))
def read_agency(code: str, session: SessionDep) -> AgencyPublic:
    """One agency by its code (mã định danh)."""
    return AgencyPublic.model_validate(get_agency(session, code))


@router.get("/fields", response_model=list[FieldPublic])
def list_fields(session: SessionDep) -> list[FieldPublic]:
    """Fields (lĩnh vực) of the catalogue."""
    return [FieldPublic.model_validate(row) for row in catalogue.list_fields(session)]


@router.get(
    "/procedures", response_model=Page[ProcedureListItem], responses=error_responses(404, 422)
)
def list_procedures(
    session: SessionDep,
    paging: PageDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="words of the name or code; diacritics optional"),
    ] = None,
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    field: Annotated[str | None, Query(description="field code")] = None,
    level: Level = None,
    tier: Tier | None = None,
) -> Page[ProcedureListItem]:
    """Search the procedures in force: every word of `q` must start a word of the name or
    the code, ignoring case and Vietnamese diacritics; best matches first."""
    scope = ProcedureScope(agency=agency, tier=tier, field=field, level=level)
    found = catalogue.search_procedures(session, q, scope, paging.page, paging.page_size)
    return Page[ProcedureListItem](
        items=[ProcedureListItem.model_validate(row) for row in found.items],
        total=found.total,
        page=paging.page,
        page_size=paging.page_size,
    )


@router.get("/procedures/{code}", response_model=ProcedureDetail, responses=error_responses(404))
def read_procedure(code: str, session: SessionDep) -> ProcedureDetail:
    """A procedure with its steps, documents and the JSON Schema of its online form."""
    return ProcedureDetail.model_validate(catalogue.get_procedure(session, code))
