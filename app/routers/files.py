"""HTTP helpers for files in both directions, shared by the dossier and officer routers (this
module is not a router): the multipart submission body (its OpenAPI description and the
streaming receiver) and the download response of a stored document."""

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError

from app.config import Settings
from app.errors import AppError, TooLarge
from app.models.catalogue import DocumentType
from app.models.common import error_responses
from app.models.dossier import ActionIn, DossierFile
from app.models.types import utcnow
from app.routers.responses import DOWNLOAD
from app.services.dossiers import submission
from app.services.dossiers.results import RESULT_PART
from app.services.dossiers.uploads import (
    MB,
    MultipartReceiver,
    ReceivedFile,
    UploadRules,
    receive_multipart,
)
from app.services.storage import Storage, iter_object


def multipart_body(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """`openapi_extra` of a route that reads its multipart body itself (streaming), so that
    the OpenAPI document still shows the parts."""
    content = {"multipart/form-data": {"schema": schema, **extra}}
    return {"requestBody": {"required": True, "content": content}}


FILE_PARTS = {
    "type": "string",
    "format": "binary",
    "description": "one or more files per document key",
}
SUBMISSION_BODY = multipart_body(
    {
        "type": "object",
        "required": ["procedure_code", "applicant", "form"],
        "properties": {
            "procedure_code": {"type": "string", "example": "1.001193.H60"},
            "applicant": {
                "type": "string",
                "description": "JSON: {kind: individual, full_name, birth_date, id_number (12 "
                "digits) | passport_number, phone, email, address} or {kind: organisation, name, "
                "tax_code, representative: {full_name, title, id_number}, phone, email, "
                "address}; kind defaults to individual",
            },
            "form": {
                "type": "string",
                "description": "JSON object valid against the procedure's form_schema",
            },
        },
        "additionalProperties": FILE_PARTS,
    },
    encoding={"procedure_code": {"contentType": "text/plain"}},
)
SUPPLEMENT_BODY = multipart_body(
    {
        "type": "object",
        "properties": {"form": {"type": "string", "description": "optional"}},
        "additionalProperties": {"type": "string", "format": "binary"},
    }
)


def _action_body() -> dict[str, Any]:
    """The officer's action: the JSON body, or the same fields as multipart text parts plus
    the electronic result files of `complete`."""
    fields = ActionIn.model_json_schema()
    result_files = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "electronic result files (PDF), only with `complete`",
    }
    parts = {
        **fields,
        "title": "ActionParts",
        "properties": {**fields["properties"], RESULT_PART: result_files},
    }
    content = {"application/json": {"schema": fields}, "multipart/form-data": {"schema": parts}}
    return {"requestBody": {"required": True, "content": content}}


ACTION_BODY = _action_body()
# A download: the stored file, or the applicant's or officer's access errors.
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}},
    **error_responses(*DOWNLOAD),
}


async def submit_multipart(
    request: Request, settings: Settings, intake: submission.Intake, idempotency_key: str | None
) -> JSONResponse:
    """A dossier's multipart body streamed in and submitted (online, or registered by an
    officer): 201 with its `Location`, or 200 for the replay of an `Idempotency-Key`."""
    received = await receive_submission(request, settings, intake)
    result = await run_in_threadpool(
        submission.submit_dossier,
        request.app.state.engine,
        request.app.state.storage,
        settings,
        received,
        idempotency_key,
        utcnow(),
        intake,
    )
    created = result.created
    if not result.replayed:
        request.app.state.metrics.dossiers_submitted.labels(created.channel.value).inc()
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


# The framework's body limit for the upload routes (their real limit, MAX_REQUEST_MB, at most
# 2 GiB, is enforced by the multipart receiver while the body streams in, with the upload's
# own errors); every other route has the app's MAX_JSON_KB (app/main.py).
UPLOAD_ROUTE_LIMIT = 2048 * MB + MB


def _check_content_length(request: Request, limit: int) -> None:
    # Refuse before reading a byte when the client announces too much.
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"Tổng dung lượng hồ sơ vượt quá {limit // MB} MB.")


def action_in(document: Any) -> ActionIn:
    """The officer's action from its JSON body or its multipart text parts, validated as
    FastAPI validates a JSON body: the same 422 either way."""
    if document is None:
        missing = {"type": "missing", "loc": ("body",), "msg": "bắt buộc", "input": None}
        raise RequestValidationError([missing])
    try:
        return ActionIn.model_validate(document)
    except ValidationError as exc:
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()]
        raise RequestValidationError(errors) from None


def multipart_action_fields(fields: dict[str, str]) -> dict[str, Any]:
    """The text parts of a multipart action as its JSON body: `documents`, one text part,
    holds the document keys separated by commas."""
    if "documents" not in fields:
        return dict(fields)
    keys = [key.strip() for key in fields["documents"].split(",") if key.strip()]
    return {**fields, "documents": keys}


@contextmanager
def discarded_on_error(storage: Storage, files: list[ReceivedFile]) -> Iterator[None]:
    """Received files whose request is refused before its use case takes them over (which
    then owns them: `uploads.staged_files`): their temporary objects are removed."""
    try:
        yield
    except BaseException:
        for received in files:
            storage.discard(received.pending)
        raise


def document_response(
    request: Request, document: DossierFile, *, inline: bool = False
) -> StreamingResponse:
    """The stored file as a download (`attachment`), or, `inline`, for the browser to show
    (the caller decides which types it trusts a browser to show: its type is the one detected
    from the content)."""
    # Cache-Control: no-store and nosniff come from app/headers.py (the routes are NoStore).
    return StreamingResponse(
        iter_object(request.app.state.storage, document.storage_key),
        media_type=document.content_type,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": _disposition(
                "inline" if inline else "attachment", download_name(document)
            ),
            "Repr-Digest": f"sha-256=:{_b64(document.sha256)}:",
        },
    )


def download_name(document: DossierFile) -> str:
    """The uploaded name's stem with the extension of the type detected from the content:
    `poly.html` whose bytes are a PDF downloads as `poly.pdf`, so that no browser or desktop
    opens it as what its name claims."""
    stem, dot, _extension = document.filename.rpartition(".")
    if not dot or not stem:
        stem = document.filename
    try:
        wanted = DocumentType(document.content_type).extension
    except ValueError:  # a type no procedure accepts today: keep the name as it was stored
        return document.filename
    return stem + wanted


def _disposition(kind: str, filename: str) -> str:
    # RFC 6266/5987: an ASCII fallback and the exact UTF-8 name for Vietnamese filenames.
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()
