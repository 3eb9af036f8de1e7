"""API models shared across resources."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

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


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route, so the OpenAPI document shows its errors."""
    return {status: {"model": ErrorResponse} for status in statuses}
