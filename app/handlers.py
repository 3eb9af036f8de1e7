"""Render every error in the contract's one shape (API.md, Conventions)."""

import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.db import unreachable
from app.errors import (
    GENERIC_ERRORS,
    AppError,
    DatabaseDown,
    InvalidContent,
    NotFound,
    error_body,
    framework_code,
)
from app.headers import SECURITY_HEADERS
from app.http_cache import Answered
from app.services.messages import validation_details
from app.web.errors import is_page_path, page_error

log = logging.getLogger("app.errors")
METHOD_NOT_ALLOWED = 405
SECURITY_HEADER_MAP = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}


async def app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(exc.to_body(), status_code=exc.status, headers=exc.headers)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where and what, in Vietnamese: never echo the submitted value back (it may be
    # personal data), nor pydantic's English.
    return JSONResponse(
        error_body(InvalidContent.code, InvalidContent.message, validation_details(exc.errors())),
        status_code=InvalidContent.status,
    )


# The framework's own errors (Starlette and FastAPI write their `detail` in English: "Not
# Found", "Method Not Allowed", "There was an error parsing the body"): the message of their
# status, in Vietnamese.
FRAMEWORK_MESSAGES: dict[int, str] = {
    **{cls.status: cls.message for cls in GENERIC_ERRORS},
    NotFound.status: "Không tìm thấy địa chỉ được yêu cầu.",
    406: "Không có nội dung ở định dạng mà yêu cầu chấp nhận (Accept).",
    408: "Nội dung yêu cầu gửi đến quá chậm; vui lòng gửi lại.",
    500: "Lỗi hệ thống; vui lòng thử lại sau.",
}


def framework_message(status: int) -> str:
    """The Vietnamese message of a framework error of this status."""
    return FRAMEWORK_MESSAGES.get(status, f"Yêu cầu không được xử lý (mã HTTP {status}).")


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = framework_code(exc.status_code)
    message = framework_message(exc.status_code)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == METHOD_NOT_ALLOWED:
        message = f"Phương thức {request.method} không dùng được ở địa chỉ này."
        if allowed := allowed_methods(request):
            headers["Allow"] = ", ".join(allowed)
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method the requested path has (RFC 9110 §15.5.6), from the OpenAPI document's
    paths. Starlette's own 405 names only the methods of the first route whose path matched,
    and a path here is often several routes (GET and PUT of one procedure)."""
    app = request.app
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "allowed_methods", None
    )
    if table is None:
        table = [
            (compile_path(path)[0], frozenset(method.upper() for method in operations))
            for path, operations in app.openapi().get("paths", {}).items()
        ]
        app.state.allowed_methods = table
    path = request.scope["path"]
    found: set[str] = set()
    for pattern, methods in table:
        if pattern.match(path):
            found |= methods
    return sorted(found)


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """The one place where a database that cannot be reached becomes a 503, whichever route
    met it; any other database error is a bug, and goes on to `unexpected_error`."""
    if not unreachable(exc):
        raise exc
    log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
    return await app_error(request, DatabaseDown())


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    # The worker's state after a bug is unknown (a connection, a half-read body): a keep-alive
    # client must not send its next request on this connection.
    return JSONResponse(
        error_body("internal_error", framework_message(500)),
        status_code=500,
        # Sent by Starlette's outermost layer, around the security headers' middleware.
        headers={"Connection": "close", **SECURITY_HEADER_MAP},
    )


async def answered(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Answered)
    return exc.response


Handler = Callable[[Request, Exception], Awaitable[Response]]


def for_pages(handler: Handler) -> Handler:
    """`handler`, whose answer becomes an HTML page for the web pages' paths (app/web/errors.py):
    the same status and headers, so that a page and the API never disagree on an error."""

    async def handle(request: Request, exc: Exception) -> Response:
        answer = await handler(request, exc)
        if not is_page_path(request.url.path):
            return answer
        try:
            return page_error(request, answer)
        except Exception:  # a broken error page must not hide the error: the JSON answer
            log.exception("error page failed")
            return answer

    return handle


def install(app: FastAPI) -> None:
    app.add_exception_handler(Answered, answered)
    app.add_exception_handler(AppError, for_pages(app_error))
    app.add_exception_handler(RequestValidationError, for_pages(validation_error))
    app.add_exception_handler(StarletteHTTPException, for_pages(http_error))
    for database_exception in (SQLAlchemyError, sqlite3.Error, psycopg.Error):
        app.add_exception_handler(database_exception, for_pages(database_error))
    app.add_exception_handler(Exception, for_pages(unexpected_error))
