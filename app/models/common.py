"""API models shared across resources."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.errors import GENERIC_ERRORS, AppError, NulCharacter, error_body

T = TypeVar("T")
# The last page a list serves: OFFSET (page - 1) * page_size stays far inside a 64-bit integer,
# and the deepest page a database walks to is a million rows. Filters reach the rest.
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[Any] = []


class ErrorResponse(BaseModel):
    """The one error shape of the contract."""

    error: ErrorBody


def error_responses(*errors: int | type[AppError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route, so the OpenAPI document shows its errors: each status with
    an example body per error (a status alone stands for its generic error), whose message is
    the one a person reads (tests/test_vietnamese_messages.py walks them)."""
    by_status: dict[int, list[type[AppError]]] = {}
    # Every API route reads its path and query through the NUL check (app/inputs.py), so
    # any route that declares a 422 can answer this one too (the router's own declaration
    # of it is replaced by the route's 422).
    if any((e if isinstance(e, int) else e.status) == NulCharacter.status for e in errors):
        errors = (*errors, NulCharacter)
    for error in errors:
        cls = GENERIC_BY_STATUS[error] if isinstance(error, int) else error
        by_status.setdefault(cls.status, [])
        if cls not in by_status[cls.status]:
            by_status[cls.status].append(cls)
    return {status: _declared(classes) for status, classes in by_status.items()}


GENERIC_BY_STATUS: dict[int, type[AppError]] = {cls.status: cls for cls in GENERIC_ERRORS}


def _declared(classes: list[type[AppError]]) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for cls in classes:
        key = cls.code if cls.code not in examples else cls.__name__
        examples[key] = {"summary": cls.code, "value": error_body(cls.code, cls.message)}
    return {
        "model": ErrorResponse,
        "description": "; ".join(dict.fromkeys(f"`{c.code}`: {c.message}" for c in classes)),
        "content": {"application/json": {"examples": examples}},
    }
