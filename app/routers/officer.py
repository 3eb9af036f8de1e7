"""The one-stop-shop officers' workspace: the queue, the full view, workflow actions and
registering counter and postal dossiers."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from app.deps import (
    CurrentOfficerDep,
    EngineDep,
    OfficerDossierDep,
    PageDep,
    SessionDep,
    SettingsDep,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.common import Page, error_responses
from app.models.dossier import (
    ActionIn,
    DossierCreated,
    DossierStatus,
    OfficerDossierView,
    QueueItem,
)
from app.models.types import utcnow
from app.routers.files import (
    FILE_RESPONSES,
    SUBMISSION_BODY,
    UPLOAD_ROUTE_LIMIT,
    document_response,
    submit_multipart,
)
from app.services.dossiers import submission, tracking, workflow
from app.services.dossiers.queue import QueueFilter, list_queue

# Officers' answers carry applicants' personal data: never kept by a cache (app/headers.py).
router = APIRouter(
    prefix="/api/v1/officer", tags=["officer"], dependencies=[NoStore], route_class=CheckedRoute
)


@router.get("/dossiers", response_model=Page[QueueItem], responses=error_responses(401, 403, 422))
def queue(
    officer: CurrentOfficerDep,
    session: SessionDep,
    page: PageDep,
    status: DossierStatus | None = None,
    overdue: bool | None = None,
    procedure: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100, description="code or applicant name")] = None,
) -> Page[QueueItem]:
    """The dossiers of your agency and its subtree, earliest due first."""
    filters = QueueFilter(status=status, overdue=overdue, procedure=procedure, q=q)
    items, total = list_queue(session, officer, filters, page.page, page.page_size, utcnow())
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)


@router.get(
    "/dossiers/{code}",
    response_model=OfficerDossierView,
    responses=error_responses(401, 403, 404),
)
def read_dossier(dossier: OfficerDossierDep, session: SessionDep) -> OfficerDossierView:
    """The full dossier: applicant, form, documents, version and every event with its
    internal note."""
    return tracking.officer_view(session, dossier, utcnow())


@router.post(
    "/dossiers/{code}/actions",
    response_model=OfficerDossierView,
    responses=error_responses(401, 403, 404, 409, 422),
)
def act(
    code: str, body: ActionIn, officer: CurrentOfficerDep, engine: EngineDep
) -> OfficerDossierView:
    """Move the dossier through the official workflow (DOMAIN.md §4). 409
    `illegal_transition` names the allowed actions; 409 `stale_version` when someone acted
    first. `reschedule` (the apology and new appointment) takes `due_at`, later than the
    current appointment and asked before it passes (409 `appointment_passed`)."""
    move = workflow.officer_request(
        body.action, body.version, body.note, body.public_note, body.due_at
    )
    return workflow.apply_action(engine, code, workflow.Actor.of(officer), move, utcnow())


@router.post(
    "/dossiers",
    status_code=201,
    response_model=DossierCreated,
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422),
    openapi_extra=SUBMISSION_BODY,
    max_body_size=UPLOAD_ROUTE_LIMIT,
)
async def register_dossier(
    request: Request, officer: CurrentOfficerDep, settings: SettingsDep
) -> JSONResponse:
    """Register a dossier handed in at the counter or by post (`channel`: counter | postal):
    the same validation as online submission; it starts `accepted`, with its code and
    deadline, and an access token for the receipt."""
    return await submit_multipart(request, settings, submission.Intake(officer=officer), None)


@router.get(
    "/dossiers/{code}/documents/{document_id}",
    response_class=StreamingResponse,
    responses=FILE_RESPONSES,
)
def download(
    code: str,  # the dossier's, read by OfficerDossierDep; declared first for the docs' order
    document_id: str,
    request: Request,
    dossier: OfficerDossierDep,
    session: SessionDep,
) -> StreamingResponse:
    """One of the dossier's files."""
    return document_response(request, tracking.get_document(session, dossier, document_id))
