"""The checks a request's own inputs pass inside its route, before FastAPI reads them (API.md,
Conventions: text and JSON): no NUL character in the path, the query or a form field, and every
JSON body parsed by the one strict parser (`services/strict_json.py`), which the `form` and
`applicant` parts of a submission go through as well.

Every router is built with `route_class=CheckedRoute` (tests/test_inputs.py holds every API
route to it). FastAPI parses a JSON body with `Request.json()` at the start of the route's
handler; `CheckedRoute` hands the handler a `StrictJSONRequest`, whose `json()` is the strict
parser, after parsing it once itself: a refusal raised inside FastAPI's body reading would
become its generic 400.
"""

import email.message
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request, Response, params
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect

from app.errors import BadRequest, InvalidJSON, NulCharacter, TooLarge, UnsupportedMediaType
from app.services import strict_json

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class StrictJSONRequest(Request):
    """A request whose JSON body is parsed by the strict parser, once."""

    _strict_json: Any

    async def json(self) -> Any:
        if not hasattr(self, "_strict_json"):
            try:
                self._strict_json = strict_json.loads(await self.body())
            except strict_json.JSONRefused as refused:
                raise strict_json.refusal(refused, ["body"], InvalidJSON) from None
        return self._strict_json


class CheckedRoute(APIRoute):
    """An API route whose path, query and body pass the input checks before its handler."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        body = self.body_field
        reads_form = body is not None and isinstance(body.field_info, params.Form)
        reads_json = body is not None and not reads_form

        async def checked(request: Request) -> Response:
            check_path_and_query(request)
            if reads_json:
                request = StrictJSONRequest(request.scope, request.receive)
            if body is not None:
                await check_body(request, form=reads_form)
            return await handler(request)

        return checked


async def check_body(request: Request, *, form: bool) -> None:
    """Read the body (FastAPI would, first thing) and check it: a form for NUL, JSON by
    parsing it strictly. A client gone mid-body is the 400 FastAPI answered, not a 500."""
    content_type = request.headers.get("content-type")
    try:
        raw = await request.body()
    except ClientDisconnect:
        raise BadRequest("Kết nối bị ngắt trước khi nhận đủ nội dung yêu cầu.") from None
    if form:
        check_form_body(content_type, raw)
    elif raw and is_json(content_type):
        await request.json()


@dataclass(frozen=True)
class JSONOrMultipart:
    """The body of a route that takes JSON or a multipart upload: `multipart`, left for the
    route to stream, or the JSON `document` (None for an empty body)."""

    multipart: bool
    document: Any = None


MULTIPART = "multipart/form-data"


async def json_or_multipart(request: Request) -> JSONOrMultipart:
    """A dependency for a route that takes a JSON body or a multipart upload (the officers'
    action, which may carry result files), declared with the upload's body limit and before
    the route's authentication. A multipart body is left for the route to stream and check;
    any other is read here within MAX_JSON_KB (the 413 of every JSON route) and parsed by the
    strict parser, as `CheckedRoute` does for a JSON body. As FastAPI does, a body without a
    content type is read as JSON; a body of another type is a 415."""
    content_type = request.headers.get("content-type")
    if _mime(content_type) == MULTIPART:
        return JSONOrMultipart(multipart=True)
    if content_type and not is_json(content_type):
        raise UnsupportedMediaType("Nội dung yêu cầu phải là JSON hoặc multipart/form-data.")
    raw = await _bounded_body(request, request.app.state.settings.max_json_kb * 1024)
    if not raw:
        return JSONOrMultipart(multipart=False)
    try:
        return JSONOrMultipart(multipart=False, document=strict_json.loads(raw))
    except strict_json.JSONRefused as refused:
        raise strict_json.refusal(refused, ["body"], InvalidJSON) from None


JSONOrMultipartDep = Annotated[JSONOrMultipart, Depends(json_or_multipart)]


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                # Refused mid-body: the rest is never read, so the connection cannot be reused.
                raise TooLarge(headers={"Connection": "close"})
    except ClientDisconnect:
        raise BadRequest("Kết nối bị ngắt trước khi nhận đủ nội dung yêu cầu.") from None
    return bytes(body)


def check_path_and_query(request: Request) -> None:
    if "\x00" in request.scope["path"]:
        raise NulCharacter.at(["path"])
    query: bytes = request.scope["query_string"]
    if _encoded_nul(query):
        raise NulCharacter.at(*_nul_places("query", query))


def check_form_body(content_type: str | None, body: bytes) -> None:
    """A form FastAPI parses (the officers' sign-in): URL-encoded, as a query string is; as
    multipart, a NUL byte anywhere (these forms carry text only, never files)."""
    mime = _mime(content_type)
    if mime == "application/x-www-form-urlencoded" and _encoded_nul(body):
        raise NulCharacter.at(*_nul_places("body", body))
    if mime == "multipart/form-data" and b"\x00" in body:
        raise NulCharacter.at(["body"])


def is_json(content_type: str | None) -> bool:
    """What FastAPI reads as JSON (`application/json`, `application/*+json`)."""
    mime = _mime(content_type)
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _mime(content_type: str | None) -> str:
    if not content_type:
        return ""
    message = email.message.Message()
    message["content-type"] = content_type
    return message.get_content_type()


def _encoded_nul(encoded: bytes) -> bool:
    # URL encoding is decoded once: "%00" is always a NUL, and "%2500" never is.
    return b"%00" in encoded or b"\x00" in encoded


def _nul_places(where: str, encoded: bytes) -> list[list[Any]]:
    """The fields of a URL-encoded text that carry the NUL (`["query", "q"]`)."""
    pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True)
    names = dict.fromkeys(name for name, value in pairs if "\x00" in name + value)
    return [[where, name] for name in names] or [[where]]
