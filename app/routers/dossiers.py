"""Dossiers: online submission, public tracking and the applicant's access."""

import base64
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from app.config import Settings
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, InvalidContent, TooLarge, detail
from app.models.common import error_responses
from app.models.dossier import (
    DossierCreated,
    DossierDetails,
    DossierFile,
    DossierPublic,
    WithdrawIn,
)
from app.models.types import utcnow
from app.services.dossiers import applicant, submission, tracking
from app.services.dossiers.uploads import MB, MultipartReceiver, UploadRules, receive_multipart
from app.services.storage import iter_object

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])

bearer = HTTPBearer(auto_error=False, description="the dossier's access_token")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

SUBMISSION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["procedure_code", "applicant", "form"],
                    "properties": {
                        "procedure_code": {"type": "string", "example": "1.001193.H20"},
                        "applicant": {
                            "type": "string",
                            "description": "JSON: full_name, id_number (9 or 12 digits), "
                            "phone, email, address",
                        },
                        "form": {
                            "type": "string",
                            "description": "JSON object valid against the procedure's form_schema",
                        },
                    },
                    "additionalProperties": {
                        "type": "string",
                        "format": "binary",
                        "description": "one or more files per document key",
                    },
                },
                "encoding": {"procedure_code": {"contentType": "text/plain"}},
            }
        },
    }
}


@router.post(
    "",
    status_code=201,
    response_model=DossierCreated,
    responses={
        200: {"model": DossierCreated, "description": "replay of an Idempotency-Key"},
        **error_responses(400, 404, 409, 413, 415, 422, 503),
    },
    openapi_extra=SUBMISSION_BODY,
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
    received = await receive_submission(request, settings, submission.ONLINE)
    result = await run_in_threadpool(
        submission.submit_dossier,
        request.app.state.engine,
        request.app.state.storage,
        settings,
        received,
        idempotency_key,
        utcnow(),
    )
    created = result.created
    if not result.replayed:
        request.app.state.metrics.dossiers_submitted.labels("online").inc()
    return JSONResponse(
        created.model_dump(mode="json"),
        status_code=200 if result.replayed else 201,
        headers={"Location": f"/api/v1/dossiers/{created.code}"},
    )


async def receive_submission(
    request: Request, settings: Settings, intake: submission.Intake
) -> submission.Received:
    """Stream the multipart body in, with the submission rules of this intake."""
    rules = submission.SubmissionRules(request.app.state.engine, settings, intake)
    return await receive_parts(request, settings, rules)


async def receive_parts(
    request: Request, settings: Settings, rules: UploadRules
) -> submission.Received:
    limit = settings.max_request_mb * MB
    _check_content_length(request, limit)
    receiver = MultipartReceiver(
        request.headers.get("content-type", ""),
        request.app.state.storage,
        request.app.state.scanner,
        rules,
        max_request_bytes=limit,
    )
    try:
        await receive_multipart(request.stream(), receiver)
    except AppError as exc:
        # Refused mid-body: close the connection, or the server would have to read (and the
        # client send) the rest of a possibly huge upload just to keep the connection alive.
        exc.headers = {**(exc.headers or {}), "Connection": "close"}
        raise
    return submission.Received(fields=receiver.fields, files=receiver.files)


def _check_content_length(request: Request, limit: int) -> None:
    # Refuse before reading a byte when the client announces too much.
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"Tổng dung lượng hồ sơ vượt quá {limit // MB} MB.")


@router.get("/{code}", response_model=DossierPublic, responses=error_responses(404))
def track_dossier(code: str, request: Request) -> Response:
    """Public status of a dossier by its code: no personal data, form values or files."""
    # The busiest public endpoint: no dependencies (each sync one is a thread hop of its own)
    # and the body serialised once, here, rather than validated again by FastAPI; the
    # response_model keeps it documented. Designs measured: bench/out-notes-tracking.md.
    view = tracking.track_dossier(request.app.state.engine, code, utcnow())
    return Response(view.model_dump_json(), media_type="application/json")


@router.get(
    "/{code}/details", response_model=DossierDetails, responses=error_responses(401, 403, 404)
)
def dossier_details(code: str, session: SessionDep, credentials: BearerDep) -> DossierDetails:
    """The applicant's view: the public view plus applicant, form and documents."""
    token = credentials.credentials if credentials else None
    dossier = tracking.authorize_applicant(session, code, token)
    return tracking.details_view(session, dossier, utcnow())


@router.get(
    "/{code}/documents/{document_id}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **error_responses(401, 403, 404),
    },
)
def download_document(
    code: str, document_id: str, request: Request, session: SessionDep, credentials: BearerDep
) -> StreamingResponse:
    """One of the dossier's files, with its original filename and content type."""
    token = credentials.credentials if credentials else None
    dossier = tracking.authorize_applicant(session, code, token)
    return document_response(request, tracking.get_document(session, dossier, document_id))


def document_response(request: Request, document: DossierFile) -> StreamingResponse:
    return StreamingResponse(
        iter_object(request.app.state.storage, document.storage_key),
        media_type=document.content_type,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": _attachment(document.filename),
            "Repr-Digest": f"sha-256=:{_b64(document.sha256)}:",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _attachment(filename: str) -> str:
    # RFC 6266/5987: an ASCII fallback and the exact UTF-8 name for Vietnamese filenames.
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


@router.post(
    "/{code}/supplement",
    response_model=DossierPublic,
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"form": {"type": "string", "description": "optional"}},
                        "additionalProperties": {"type": "string", "format": "binary"},
                    }
                }
            },
        }
    },
)
async def supplement(
    code: str, request: Request, settings: SettingsDep, credentials: BearerDep
) -> DossierPublic:
    """Send the documents an officer asked for (and, optionally, a corrected form) while the
    dossier is `supplement_requested`; it returns to where it was and the deadline moves by
    the paused working time."""
    token = credentials.credentials if credentials else None
    engine = request.app.state.engine
    procedure = await run_in_threadpool(applicant.check_supplement_allowed, engine, code, token)
    rules = applicant.SupplementRules(engine, settings, procedure)
    received = await receive_parts(request, settings, rules)
    now = utcnow()
    await run_in_threadpool(
        applicant.supplement_dossier,
        engine,
        request.app.state.storage,
        settings,
        code,
        token,
        received,
        now,
    )
    return await run_in_threadpool(_public, engine, code, now)


@router.post(
    "/{code}/withdraw",
    response_model=DossierPublic,
    responses=error_responses(401, 403, 404, 409, 422),
)
def withdraw(
    code: str, body: WithdrawIn, request: Request, credentials: BearerDep
) -> DossierPublic:
    """Ask to withdraw the dossier; an officer confirms or denies."""
    token = credentials.credentials if credentials else None
    now = utcnow()
    applicant.withdraw_dossier(request.app.state.engine, code, token, body.reason, now)
    return _public(request.app.state.engine, code, now)


def _public(engine: Engine, code: str, now: datetime) -> DossierPublic:
    return tracking.track_dossier(engine, code, now)
