"""Administration (role `admin`): catalogue writes, the calendar's overrides, officer accounts."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, BeforeValidator

from app.deps import AdminDep, EngineDep, PageDep, SessionDep, SettingsDep
from app.errors import (
    AdminOnly,
    AgencyNotFound,
    CannotDemoteSelf,
    CannotDisableSelf,
    CatalogueImportError,
    InvalidContent,
    LastAdmin,
    OfficerNotFound,
    OverrideNotFound,
    ProcedureExists,
    ProcedureNotFound,
    UsernameTaken,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.calendar import CalendarDay, CalendarOverrideCreate, CalendarOverridePublic
from app.models.catalogue import (
    CatalogueImport,
    ImportReport,
    ProcedureCreate,
    ProcedureDetail,
    ProcedureUpdate,
)
from app.models.common import Page, error_responses
from app.models.officer import OfficerCreate, OfficerPublic, OfficerUpdate
from app.models.types import utcnow
from app.routers.responses import JSON_BODY, OFFICER
from app.services import calendar, officers
from app.services.catalogue import importing
from app.services.dossiers.uploads import MB

router = APIRouter(
    prefix="/api/v1", tags=["admin"], dependencies=[NoStore], route_class=CheckedRoute
)
# Every admin route: an admin's token; each adds what its service refuses.
ADMIN = (*OFFICER, AdminOnly)
PROCEDURE_WRITE = (*ADMIN, *JSON_BODY, CatalogueImportError)


def _documented_as(model: type[BaseModel]) -> BeforeValidator:
    """For a JSON object body that OpenAPI documents as `model` but that reaches the route as
    parsed: the catalogue import validates it itself, so that a bad record gets the import's
    error (code `invalid_catalogue`, each detail naming the record), as it always has, rather
    than FastAPI's `validation_error`."""
    return BeforeValidator(lambda raw: raw, json_schema_input_type=model)


AS_IMPORTED = "a procedure as in the import document"
NewProcedure = Annotated[
    dict[str, Any], _documented_as(ProcedureCreate), Body(description=AS_IMPORTED)
]
ReplacedProcedure = Annotated[
    dict[str, Any], _documented_as(ProcedureUpdate), Body(description=AS_IMPORTED)
]
ImportDocument = Annotated[dict[str, Any], _documented_as(CatalogueImport), Body()]


@router.post(
    "/procedures",
    status_code=201,
    response_model=ProcedureDetail,
    responses=error_responses(*PROCEDURE_WRITE, ProcedureExists),
)
def create_procedure(
    body: NewProcedure, _admin: AdminDep, engine: EngineDep, settings: SettingsDep
) -> ProcedureDetail:
    """Add a procedure (the same validation as an import; 409 if the code exists)."""
    return importing.create_procedure(engine, body, Path(settings.templates_dir))


@router.put(
    "/procedures/{code}",
    response_model=ProcedureDetail,
    responses=error_responses(*PROCEDURE_WRITE, ProcedureNotFound),
)
def replace_procedure(
    code: str,
    body: ReplacedProcedure,
    _admin: AdminDep,
    engine: EngineDep,
    settings: SettingsDep,
) -> ProcedureDetail:
    """Replace a procedure's record."""
    return importing.replace_procedure(engine, code, body, Path(settings.templates_dir))


@router.delete(
    "/procedures/{code}",
    response_model=ProcedureDetail,
    responses=error_responses(*ADMIN, ProcedureNotFound, InvalidContent),
)
def retire_procedure(code: str, _admin: AdminDep, engine: EngineDep) -> ProcedureDetail:
    """Retire a procedure: it takes no new dossiers; existing dossiers keep their history."""
    return importing.retire_procedure(engine, code, utcnow())


@router.post(
    "/catalogue/import",
    response_model=ImportReport,
    responses=error_responses(*PROCEDURE_WRITE),
    max_body_size=importing.MAX_IMPORT_MB * MB,  # a whole province's catalogue
)
def import_catalogue(
    body: ImportDocument, _admin: AdminDep, engine: EngineDep, settings: SettingsDep
) -> ImportReport:
    """Agencies, fields and procedures, all or nothing; importing twice changes nothing.
    `warnings` names the procedures written without a complete record. The document may be
    up to 16 MB (`MAX_IMPORT_MB`), not only `MAX_JSON_KB`: a province's whole catalogue."""
    return importing.import_catalogue(engine, body, Path(settings.templates_dir))


# -- calendar ---------------------------------------------------------------------------------


@router.get(
    "/admin/calendar",
    response_model=list[CalendarDay],
    responses=error_responses(*ADMIN, InvalidContent),
)
def list_calendar(
    _admin: AdminDep, session: SessionDep, year: Annotated[int, Query(ge=1901, le=2100)]
) -> list[CalendarDay]:
    """The year's public holidays and overrides."""
    return calendar.list_calendar(session, year)


@router.put(
    "/admin/calendar",
    response_model=CalendarOverridePublic,
    responses=error_responses(*ADMIN, *JSON_BODY),
)
def set_override(
    body: CalendarOverrideCreate, _admin: AdminDep, engine: EngineDep
) -> CalendarOverridePublic:
    """Add or change an override of the working-day calendar."""
    row = calendar.add_override(engine, body.day, body.working, body.note)
    return CalendarOverridePublic.model_validate(row)


@router.delete(
    "/admin/calendar/{day}",
    status_code=204,
    responses=error_responses(*ADMIN, OverrideNotFound, InvalidContent),
)
def remove_override(day: date, _admin: AdminDep, engine: EngineDep) -> None:
    """Remove an override; 404 when the day has none."""
    calendar.delete_override(engine, day)


# -- officer accounts ---------------------------------------------------------------------------


@router.post(
    "/admin/officers",
    status_code=201,
    response_model=OfficerPublic,
    responses=error_responses(*ADMIN, *JSON_BODY, AgencyNotFound, UsernameTaken),
)
def create_officer(body: OfficerCreate, _admin: AdminDep, engine: EngineDep) -> OfficerPublic:
    """A new officer or admin account."""
    return OfficerPublic.model_validate(officers.create_officer(engine, body), from_attributes=True)


@router.get(
    "/admin/officers",
    response_model=Page[OfficerPublic],
    responses=error_responses(*ADMIN, InvalidContent),
)
def list_officers(_admin: AdminDep, session: SessionDep, page: PageDep) -> Page[OfficerPublic]:
    """Every account, by username, paginated."""
    items, total = officers.list_officers(session, page.page, page.page_size)
    return Page(
        items=[OfficerPublic.model_validate(o, from_attributes=True) for o in items],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


@router.patch(
    "/admin/officers/{username}",
    response_model=OfficerPublic,
    responses=error_responses(
        *ADMIN,
        *JSON_BODY,
        OfficerNotFound,
        AgencyNotFound,
        CannotDisableSelf,
        CannotDemoteSelf,
        LastAdmin,
    ),
)
def update_officer(
    username: str, body: OfficerUpdate, admin: AdminDep, engine: EngineDep
) -> OfficerPublic:
    """Change an account's `role`, `agency_code` or `disabled` (a field left out stays as it
    is). A disabled account's tokens and page sessions stop at once; a new role or agency
    applies at once. An admin can neither disable nor demote their own account, nor the last
    enabled admin account (409)."""
    officer = officers.update_officer(engine, username, body, admin)
    return OfficerPublic.model_validate(officer, from_attributes=True)
