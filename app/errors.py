"""One error type, one shape: `{"error": {"code", "message", "details"}}` (docs/API.md,
Conventions).

Every business error is a class whose `status` and `code` are class attributes: a route's
possible errors are found by reading this file, and a code means one thing everywhere. The
generic classes (`NotFound`, `Conflict`, ...) are also what the framework's own errors map to
(`framework_code`), so a 404 for an unknown path and a 404 of ours carry related codes.
"""

from typing import Any


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """The contract's error body: the one renderer, used by every layer."""
    return {"error": {"code": code, "message": message, "details": details or []}}


class AppError(Exception):
    """A domain error that the HTTP layer renders in the contract's error shape."""

    status: int = 400
    code: str = "malformed_request"
    message: str = "Yêu cầu không hợp lệ."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.details = details or []
        self.headers = headers
        super().__init__(self.message)

    def to_body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def detail(loc: list[Any], msg: str) -> dict[str, Any]:
    """A field-level detail entry."""
    return {"loc": loc, "msg": msg}


# -- the generic classes: one per status of the contract ---------------------------------------


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


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = "Không tìm thấy."


class Conflict(AppError):
    status = 409
    code = "conflict"
    message = "Xung đột dữ liệu."


class TooLarge(AppError):
    status = 413
    code = "request_too_large"
    message = "Yêu cầu vượt quá dung lượng cho phép."


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"
    message = "Kiểu nội dung không được hỗ trợ."


class InvalidContent(AppError):
    """422 with field-level details `{"loc": [...], "msg": "..."}`."""

    status = 422
    code = "validation_error"
    message = "Dữ liệu không hợp lệ."


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    message = "Quá nhiều yêu cầu; vui lòng thử lại sau."


class DependencyDown(AppError):
    status = 503
    code = "dependency_unavailable"
    message = "Dịch vụ phụ thuộc không sẵn sàng."


GENERIC_ERRORS: tuple[type[AppError], ...] = (
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    UnsupportedMediaType,
    InvalidContent,
    TooManyRequests,
    DependencyDown,
)
_FRAMEWORK_CODES = {cls.status: cls.code for cls in GENERIC_ERRORS} | {
    405: "method_not_allowed",
    406: "not_acceptable",
}


def framework_code(status: int) -> str:
    """The code of a framework's own error (Starlette's 404 for an unknown path, 405, ...):
    the generic class's code for that status."""
    return _FRAMEWORK_CODES.get(status, "http_error")


# -- authentication and authorization ------------------------------------------------------------


class InvalidToken(Unauthenticated):
    code = "invalid_token"
    message = "Mã truy cập không hợp lệ hoặc đã hết hạn."


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"
    message = "Sai tên đăng nhập hoặc mật khẩu."


class TooManyAttempts(TooManyRequests):
    code = "too_many_attempts"
    message = "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau."


class AdminOnly(Forbidden):
    code = "admin_only"
    message = "Chỉ quản trị viên được thực hiện thao tác này."


class UnknownOfficer(Forbidden):
    code = "unknown_officer"
    message = "Tài khoản cán bộ không tồn tại hoặc đã bị khóa."


class MissingClaims(Forbidden):
    code = "missing_claims"
    message = "Mã truy cập thiếu vai trò hoặc cơ quan."


class OtherAgency(Forbidden):
    """An officer acting outside their agency's subtree."""

    code = "other_agency"
    message = "Hồ sơ thuộc cơ quan khác."


class OtherDossierToken(Forbidden):
    message = "Mã truy cập này thuộc về hồ sơ khác."


class NotYourAction(Forbidden):
    """An officer's action asked by the applicant, or the reverse."""


# -- the catalogue -------------------------------------------------------------------------------


class AgencyNotFound(NotFound):
    code = "agency_not_found"

    def __init__(self, agency_code: str) -> None:
        super().__init__(f"Không tìm thấy cơ quan có mã {agency_code}.")


class ProcedureNotFound(NotFound):
    code = "procedure_not_found"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Không tìm thấy thủ tục có mã {procedure_code}.")


class ProcedureExists(Conflict):
    code = "procedure_exists"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Thủ tục {procedure_code} đã tồn tại.")


class ProcedureRetired(Conflict):
    code = "procedure_retired"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Thủ tục {procedure_code} đã bãi bỏ.")


class ProcedureNotOnline(Conflict):
    code = "procedure_not_online"
    message = "Thủ tục này không tiếp nhận hồ sơ trực tuyến."


class CatalogueImportError(InvalidContent):
    code = "invalid_catalogue"
    message = "Danh mục không hợp lệ; không có bản ghi nào được ghi."


class OverrideNotFound(NotFound):
    code = "override_not_found"


# -- officer accounts ----------------------------------------------------------------------------


class OfficerNotFound(NotFound):
    code = "officer_not_found"

    def __init__(self, username: str) -> None:
        super().__init__(f"Không có tài khoản {username}.")


class UsernameTaken(Conflict):
    code = "username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(f"Tên đăng nhập {username} đã tồn tại.")


# -- dossiers ------------------------------------------------------------------------------------


class DossierNotFound(NotFound):
    code = "dossier_not_found"

    def __init__(self, dossier_code: str) -> None:
        super().__init__(f"Không tìm thấy hồ sơ {dossier_code[:40]}.")


class DocumentNotFound(NotFound):
    code = "document_not_found"
    message = "Không tìm thấy tài liệu."


class StaleVersion(Conflict):
    code = "stale_version"
    message = "Hồ sơ vừa được người khác cập nhật; hãy tải lại."


class IllegalTransition(Conflict):
    code = "illegal_transition"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class UnknownAction(InvalidContent):
    code = "unknown_action"


class NoteRequired(InvalidContent):
    code = "note_required"
    message = "Cần ghi rõ lý do hoặc nội dung cho người nộp hồ sơ."


class MissingField(InvalidContent):
    code = "missing_field"


class InvalidChannel(InvalidContent):
    code = "invalid_channel"


class InvalidApplicant(InvalidContent):
    code = "invalid_applicant"
    message = "Thông tin người nộp hồ sơ không hợp lệ."


class InvalidForm(InvalidContent):
    code = "invalid_form"


class MissingDocument(InvalidContent):
    code = "missing_document"


class UnknownPart(InvalidContent):
    code = "unknown_part"


class DuplicateField(InvalidContent):
    code = "duplicate_field"


class EmptySupplement(InvalidContent):
    code = "empty_supplement"
    message = "Chưa có tài liệu hoặc tờ khai bổ sung."


class FileInfected(InvalidContent):
    code = "file_infected"


class FileTypeNotAccepted(UnsupportedMediaType):
    code = "file_type_not_accepted"
    message = "Loại tệp không được chấp nhận."


class MultipartRequired(UnsupportedMediaType):
    code = "multipart_required"
    message = "Yêu cầu phải là multipart/form-data."


class FileTooLarge(TooLarge):
    code = "file_too_large"


class FieldTooLarge(TooLarge):
    code = "field_too_large"


class TooManyParts(TooLarge):
    code = "too_many_parts"


# -- statistics ----------------------------------------------------------------------------------


class InvalidPeriod(InvalidContent):
    code = "invalid_period"
    message = "Khoảng thời gian không hợp lệ."
