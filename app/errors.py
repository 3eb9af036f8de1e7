"""One error type, one shape: `{"error": {"code", "message", "details"}}` (API.md, Conventions)."""

from typing import Any


class AppError(Exception):
    """A domain error that the HTTP layer renders in the contract's error shape."""

    status: int = 400
    code: str = "bad_request"
    message: str = "Yêu cầu không hợp lệ."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details or []
        self.headers = headers
        super().__init__(self.message)

    def to_body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = "Không tìm thấy."


class InvalidContent(AppError):
    """422 with field-level details `{"loc": [...], "msg": "..."}`."""

    status = 422
    code = "validation_error"
    message = "Dữ liệu không hợp lệ."


class CatalogueImportError(InvalidContent):
    code = "invalid_catalogue"
    message = "Danh mục không hợp lệ; không có bản ghi nào được ghi."


class Conflict(AppError):
    status = 409
    code = "conflict"
    message = "Xung đột dữ liệu."


class BadRequest(AppError):
    status = 400
    code = "malformed_request"
    message = "Yêu cầu không đúng định dạng."


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    message = "Cần mã truy cập hợp lệ."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message = "Không có quyền truy cập."


class TooLarge(AppError):
    status = 413
    code = "request_too_large"
    message = "Yêu cầu vượt quá dung lượng cho phép."


class UnsupportedType(AppError):
    status = 415
    code = "file_type_not_accepted"
    message = "Loại tệp không được chấp nhận."


class DependencyDown(AppError):
    status = 503
    code = "dependency_unavailable"
    message = "Dịch vụ phụ thuộc không sẵn sàng."


def detail(loc: list[Any], msg: str) -> dict[str, Any]:
    """A field-level detail entry."""
    return {"loc": loc, "msg": msg}
