"""Dossiers: online submission, public tracking and the applicant's access."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.deps import EngineDep, SessionDep, SettingsDep
from app.errors import (
    DossierNotFound,
    EmptySupplement,
    IllegalTransition,
    InvalidContent,
    InvalidForm,
    NoteRequired,
    TooManyMisses,
    detail,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.common import error_responses
from app.models.dossier import (
    DossierCreated,
    DossierDetail,
    DossierPublic,
    WithdrawIn,
)
from app.models.types import utcnow
from app.ratelimit import client_of
from app.routers.files import (
    FILE_RESPONSES,
    SUBMISSION_BODY,
    SUPPLEMENT_BODY,
    UPLOAD_ROUTE_LIMIT,
    document_response,
    receive_parts,
    submit_multipart,
)
from app.routers.responses import APPLICANT, JSON_BODY, ONLINE_SUBMISSION, UPLOAD
from app.services.dossiers import applicant, submission, tracking

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"], route_class=CheckedRoute)

bearer = HTTPBearer(auto_error=False, description="the dossier's access_token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@router.post(
    "",
    status_code=201,
    response_model=DossierCreated,
    responses={
        200: {"model": DossierCreated, "description": "replay of an Idempotency-Key"},
        **error_responses(*ONLINE_SUBMISSION),
    },
    openapi_extra=SUBMISSION_BODY,
    max_body_size=UPLOAD_ROUTE_LIMIT,
    dependencies=[NoStore],  # the answer carries the access token
)
async def submit_dossier(
    request: Request,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> JSONResponse:
    """Submit a dossier online (level 3–4 procedures). Put `procedure_code` first: files are
    then checked (type by content, size) while they upload. Nothing is stored unless the whole
    dossier is accepted. The `access_token` in the answer is shown once."""
    if idempotency_key is not None and not idempotency_key.strip():
        raise InvalidContent(details=[detail(["header", "Idempotency-Key"], "rỗng")])
    return await submit_multipart(request, settings, submission.ONLINE, idempotency_key)


@router.get(
    "/{code}",
    response_model=DossierPublic,
    responses=error_responses(DossierNotFound, TooManyMisses, InvalidContent),
)
async def track_dossier(code: str, request: Request) -> Response:
    """Public status of a dossier by its code: no personal data, form values or files."""
    # The busiest public endpoint: read on the event loop (db.LoopReader), no dependencies
    # (each sync one is a thread hop of its own), and the body serialised once, here, rather
    # than validated again by FastAPI; the response_model keeps it documented. Designs
    # measured: docs/PERFORMANCE-HISTORY.md.
    state = request.app.state
    view = await tracking.track_dossier(
        state.reader, state.tracking_misses, client_of(request), code, utcnow()
    )
    return Response(view.model_dump_json(), media_type="application/json")


@router.get(
    "/{code}/details",
    response_model=DossierDetail,
    responses=error_responses(*APPLICANT, DossierNotFound, InvalidContent),
    dependencies=[NoStore],
)
def dossier_details(code: str, session: SessionDep, credentials: BearerDep) -> DossierDetail:
    """The applicant's view: the public view plus applicant, form and documents."""
    token = credentials.credentials if credentials else None
    dossier = tracking.authorize_applicant(session, code, token)
    return tracking.details_view(session, dossier, utcnow())


@router.get(
    "/{code}/documents/{document_id}",
    response_class=StreamingResponse,
    responses=FILE_RESPONSES,
    dependencies=[NoStore],
)
def download_document(
    code: str, document_id: str, request: Request, session: SessionDep, credentials: BearerDep
) -> StreamingResponse:
    """One of the dossier's files, with its original filename and content type."""
    token = credentials.credentials if credentials else None
    dossier = tracking.authorize_applicant(session, code, token)
    return document_response(request, tracking.get_document(session, dossier, document_id))


@router.post(
    "/{code}/supplement",
    response_model=DossierPublic,
    responses=error_responses(
        *APPLICANT, *UPLOAD, DossierNotFound, IllegalTransition, EmptySupplement, InvalidForm
    ),
    openapi_extra=SUPPLEMENT_BODY,
    max_body_size=UPLOAD_ROUTE_LIMIT,
)
async def supplement(
    code: str, request: Request, settings: SettingsDep, credentials: BearerDep
) -> DossierPublic:
    """Send the documents an officer asked for (and, optionally, a corrected form) while the
    dossier is `supplement_requested`: only those (422 `document_not_requested`; the
    applicant's view lists them in `requested_documents`); an empty `form` part is ignored. It
    returns to where it was and the deadline moves by the paused working time."""
    token = credentials.credentials if credentials else None
    engine = request.app.state.engine
    expected = await run_in_threadpool(applicant.check_supplement_allowed, engine, code, token)
    rules = applicant.SupplementRules(engine, settings, expected)
    received = await receive_parts(request, settings, rules)
    return await run_in_threadpool(
        applicant.supplement_dossier,
        engine,
        request.app.state.storage,
        settings,
        code,
        token,
        received,
        utcnow(),
    )


@router.post(
    "/{code}/withdraw",
    response_model=DossierPublic,
    responses=error_responses(
        *APPLICANT, *JSON_BODY, DossierNotFound, IllegalTransition, NoteRequired
    ),
)
def withdraw(
    code: str, body: WithdrawIn, engine: EngineDep, credentials: BearerDep
) -> DossierPublic:
    """Ask to withdraw the dossier; an officer confirms or denies."""
    token = credentials.credentials if credentials else None
    return applicant.withdraw_dossier(engine, code, token, body.reason, utcnow())
