"""The one-stop-shop officers' workspace: the queue, the full view, workflow actions and
registering counter and postal dossiers."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from app.deps import (
    CurrentOfficerDep,
    OfficerDossierDep,
    PageDep,
    SessionDep,
    SettingsDep,
)
from app.errors import (
    AmountRequired,
    AppointmentPassed,
    DossierNotFound,
    IllegalTransition,
    InvalidAmount,
    InvalidChannel,
    InvalidContent,
    InvalidDueAt,
    InvalidPeriod,
    NoteRequired,
    OtherAgency,
    ProcedureIssuesNoResult,
    ResultsOnlyWithComplete,
    StaleVersion,
    UnknownAction,
    UnsupportedMediaType,
)
from app.headers import NoStore
from app.inputs import CheckedRoute, JSONOrMultipartDep
from app.models.common import Page, error_responses
from app.models.dossier import (
    DossierCreated,
    OfficerDossierView,
    QueueItem,
)
from app.models.types import utcnow
from app.routers.files import (
    ACTION_BODY,
    FILE_RESPONSES,
    SUBMISSION_BODY,
    UPLOAD_ROUTE_LIMIT,
    action_in,
    discarded_on_error,
    document_response,
    multipart_action_fields,
    receive_parts,
    submit_multipart,
)
from app.routers.responses import JSON_BODY, OFFICER, SUBMISSION, UPLOAD
from app.services.dossiers import results, submission, tracking, workflow
from app.services.dossiers.queue import QueueFilter, list_queue
from app.services.dossiers.uploads import ReceivedFile

# An officer's move (services/dossiers/workflow.py, results.py), JSON or with result files.
ACTION_ERRORS = (
    *OFFICER,
    *JSON_BODY,
    *UPLOAD,
    UnsupportedMediaType,
    OtherAgency,
    DossierNotFound,
    StaleVersion,
    IllegalTransition,
    AppointmentPassed,
    UnknownAction,
    NoteRequired,
    InvalidDueAt,
    AmountRequired,
    InvalidAmount,
    ResultsOnlyWithComplete,
    ProcedureIssuesNoResult,
)
# Officers' answers carry applicants' personal data: never kept by a cache (app/headers.py).
router = APIRouter(
    prefix="/api/v1/officer", tags=["officer"], dependencies=[NoStore], route_class=CheckedRoute
)


@router.get(
    "/dossiers",
    response_model=Page[QueueItem],
    responses=error_responses(*OFFICER, InvalidContent, InvalidPeriod),
)
def queue(
    officer: CurrentOfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    filters: Annotated[QueueFilter, Query()],
) -> Page[QueueItem]:
    """The dossiers of your agency and its subtree, earliest due first; `intake_overdue` flags
    new online dossiers waiting longer than INTAKE_CHECK_HOURS working hours for intake, and
    `due_soon` those whose due moment comes within the next working day. `received_from` and
    `received_to` (Vietnam dates, both included) filter on the day received; reversed, a 422
    `invalid_period`."""
    intake_check = timedelta(hours=settings.intake_check_hours)
    items, total = list_queue(
        session, officer, filters, page.page, page.page_size, utcnow(), intake_check
    )
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)


@router.get(
    "/dossiers/{code}",
    response_model=OfficerDossierView,
    responses=error_responses(*OFFICER, OtherAgency, DossierNotFound, InvalidContent),
)
def read_dossier(dossier: OfficerDossierDep, session: SessionDep) -> OfficerDossierView:
    """The full dossier: applicant, form, documents, version and every event with its
    internal note."""
    return tracking.officer_view(session, dossier, utcnow())


@router.post(
    "/dossiers/{code}/actions",
    response_model=OfficerDossierView,
    responses=error_responses(*ACTION_ERRORS),
    openapi_extra=ACTION_BODY,
    max_body_size=UPLOAD_ROUTE_LIMIT,  # result files; a JSON body keeps MAX_JSON_KB
)
async def act(
    code: str,
    request: Request,
    body: JSONOrMultipartDep,  # before authentication, like every body limit
    officer: CurrentOfficerDep,
    settings: SettingsDep,
) -> OfficerDossierView:
    """Move the dossier through the official workflow (DOMAIN.md §4). 409
    `illegal_transition` names the allowed actions; 409 `stale_version` when someone acted
    first. JSON, or multipart/form-data with the same fields as text parts and, for
    `complete`, the electronic result files as parts named `result` (PDF; checked like
    uploads, stored in the same commit as the move, or not at all). `request_supplement`
    names the documents asked for in `documents` (keys of the procedure's documents, at least
    one; 422 `documents_required` / `unknown_document`). `reschedule` (the apology
    and new appointment) takes `due_at`, later than the current appointment and asked before
    it passes (409 `appointment_passed`)."""
    engine, storage = request.app.state.engine, request.app.state.storage
    files: list[ReceivedFile] = []
    fields = body.document
    if body.multipart:
        # 404 / 403 before reading a byte of the upload.
        issues_result = await run_in_threadpool(results.check_can_attach, engine, code, officer)
        received = await receive_parts(
            request, settings, results.ResultRules(settings, issues_result)
        )
        fields, files = multipart_action_fields(received.fields), received.files
    with discarded_on_error(storage, files):
        action = action_in(fields)
        move = workflow.officer_request(
            action.action,
            action.version,
            action.note,
            action.public_note,
            action.due_at,
            action.documents,
            action.amount_vnd,
        )
    return await run_in_threadpool(
        results.apply_with_results,
        engine,
        storage,
        settings,
        code,
        workflow.Actor.of(officer),
        move,
        files,
        utcnow(),
    )


@router.post(
    "/dossiers",
    status_code=201,
    response_model=DossierCreated,
    responses=error_responses(*OFFICER, *SUBMISSION, OtherAgency, InvalidChannel),
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
