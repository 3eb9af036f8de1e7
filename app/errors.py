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
    """400: the request cannot be read (broken multipart, a text part not in UTF-8)."""

    status = 400
    code = "malformed_request"
    message = "Yêu cầu không đúng định dạng."


class Unauthenticated(AppError):
    """401: no credentials, or not valid ones; asks for a bearer token."""

    status = 401
    code = "unauthenticated"
    message = "Cần mã truy cập hợp lệ."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(AppError):
    """403: known, but not allowed to do this."""

    status = 403
    code = "forbidden"
    message = "Không có quyền truy cập."


class NotFound(AppError):
    """404: no such resource."""

    status = 404
    code = "not_found"
    message = "Không tìm thấy."


class Conflict(AppError):
    """409: the request clashes with the resource's state."""

    status = 409
    code = "conflict"
    message = "Xung đột dữ liệu."


class TooLarge(AppError):
    """413: a body (or a part of it) over its limit."""

    status = 413
    code = "request_too_large"
    message = "Yêu cầu vượt quá dung lượng cho phép."


class UnsupportedMediaType(AppError):
    """415: a body of a type the route does not read."""

    status = 415
    code = "unsupported_media_type"
    message = "Kiểu nội dung không được hỗ trợ."


class InvalidContent(AppError):
    """422 with field-level details `{"loc": [...], "msg": "..."}`."""

    status = 422
    code = "validation_error"
    message = "Dữ liệu không hợp lệ."


class RequestTimeout(AppError):
    """408: a request body that stalled or arrived too slowly (app/bodies.py)."""

    status = 408
    code = "request_timeout"
    message = "Nội dung yêu cầu gửi đến quá chậm; vui lòng gửi lại."


class TooManyRequests(AppError):
    """429: slowed down; `Retry-After` says for how long."""

    status = 429
    code = "too_many_requests"
    message = "Quá nhiều yêu cầu; vui lòng thử lại sau."


class TooManyMisses(TooManyRequests):
    """Public tracking: too many lookups of codes that do not exist from one client."""

    code = "too_many_misses"
    message = "Tra cứu quá nhiều mã hồ sơ không tồn tại; vui lòng thử lại sau."


# How long a client is asked to wait before trying again after a 503 `dependency_unavailable`:
# a database restart or a failover takes seconds.
RETRY_AFTER_S = 5


class DependencyDown(AppError):
    """503: the database or the file storage does not answer; `Retry-After` says when to try
    again."""

    status = 503
    code = "dependency_unavailable"
    message = "Dịch vụ phụ thuộc không sẵn sàng."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(RETRY_AFTER_S)})
        super().__init__(message, **kwargs)


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


# -- what any request may send ---------------------------------------------------------------


class InvalidJSON(InvalidContent):
    """A JSON body that is not JSON, or that the strict parser refuses (too deep, an integer
    too long, a number that is not finite, a lone surrogate): services/strict_json.py."""

    code = "invalid_json"
    message = "Nội dung JSON không hợp lệ."


class NulCharacter(InvalidContent):
    """A NUL character (U+0000) in a text input: the path, the query, a form field, a text
    part or a string of a JSON document. Neither database keeps it the same way (PostgreSQL
    refuses it), so no input may carry it."""

    code = "nul_character"
    message = "Dữ liệu chứa ký tự NUL (U+0000), không được chấp nhận."
    reason = "chứa ký tự NUL (U+0000)"

    @classmethod
    def at(cls, *locs: list[Any]) -> "NulCharacter":
        """The error with one detail per place the character was found."""
        return cls(details=[detail(loc, cls.reason) for loc in locs])


# -- authentication and authorization ------------------------------------------------------------


class InvalidToken(Unauthenticated):
    """A bearer token that is malformed, expired, or signed by a stranger."""

    code = "invalid_token"
    message = "Mã truy cập không hợp lệ hoặc đã hết hạn."


class InvalidCredentials(Unauthenticated):
    """A wrong username or password (never which of the two)."""

    code = "invalid_credentials"
    message = "Sai tên đăng nhập hoặc mật khẩu."


class TooManyAttempts(TooManyRequests):
    """Sign-in failures past the throttle's limit."""

    code = "too_many_attempts"
    message = "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau."


class AdminOnly(Forbidden):
    """An officer's token on an admin route."""

    code = "admin_only"
    message = "Chỉ quản trị viên được thực hiện thao tác này."


class UnknownOfficer(Forbidden):
    """A valid token whose account is unknown here or disabled."""

    code = "unknown_officer"
    message = "Tài khoản cán bộ không tồn tại hoặc đã bị khóa."


class MissingClaims(Forbidden):
    """A single sign-on token without the role or agency claim."""

    code = "missing_claims"
    message = "Mã truy cập thiếu vai trò hoặc cơ quan."


class OtherAgency(Forbidden):
    """An officer acting outside their agency's subtree."""

    code = "other_agency"
    message = "Hồ sơ thuộc cơ quan khác."


class OtherDossierToken(Forbidden):
    """The access token of another dossier."""

    message = "Mã truy cập này thuộc về hồ sơ khác."


class NotYourAction(Forbidden):
    """An officer's action asked by the applicant, or the reverse."""


class CsrfFailed(Forbidden):
    """A page's form posted without the anti-forgery field of this browser (app/web/csrf.py):
    sent from another site, or from a page older than the browser's cookie."""

    code = "csrf_failed"
    message = "Biểu mẫu không hợp lệ hoặc đã hết hiệu lực; vui lòng tải lại trang rồi gửi lại."


# -- the officers' single sign-on (app/services/officer_sso.py) ----------------------------------


class SsoStateInvalid(BadRequest):
    """A return from the provider that no sign-in of this browser started: no pending sign-in,
    an expired one, another `state`, or another issuer (`iss`)."""

    code = "sso_state_invalid"
    message = "Lượt đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại."


class SsoCancelled(Unauthenticated):
    """The officer cancelled at the provider (`error=access_denied`)."""

    code = "sso_cancelled"
    message = "Bạn đã hủy đăng nhập tại nhà cung cấp định danh."


class SsoRefused(Unauthenticated):
    """The provider answered with an error, refused the code, or sent an ID token that does
    not verify (signature, issuer, audience, nonce, expiry)."""

    code = "sso_refused"
    message = "Nhà cung cấp định danh không xác nhận được việc đăng nhập; vui lòng thử lại."


# -- the catalogue -------------------------------------------------------------------------------


class AgencyNotFound(NotFound):
    """No agency with this code."""

    code = "agency_not_found"

    def __init__(self, agency_code: str) -> None:
        super().__init__(f"Không tìm thấy cơ quan có mã {agency_code}.")


class ProcedureNotFound(NotFound):
    """No procedure with this code."""

    code = "procedure_not_found"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Không tìm thấy thủ tục có mã {procedure_code}.")


class ProcedureExists(Conflict):
    """A new procedure with the code of an existing one."""

    code = "procedure_exists"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Thủ tục {procedure_code} đã tồn tại.")


class ProcedureRetired(Conflict):
    """A dossier for a retired procedure."""

    code = "procedure_retired"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Thủ tục {procedure_code} đã bãi bỏ.")


class ProcedureNotOnline(Conflict):
    """An online dossier for a procedure below level 3 (or retired)."""

    code = "procedure_not_online"
    message = "Thủ tục này không tiếp nhận hồ sơ trực tuyến."


class EmptyQuery(InvalidContent):
    """A search query with no letter or digit: it would match everything."""

    code = "empty_query"
    message = "Từ khóa tìm kiếm phải có ít nhất một chữ cái hoặc chữ số."


class CatalogueImportError(InvalidContent):
    """An import document (or admin write) with a bad record: nothing written."""

    code = "invalid_catalogue"
    message = "Danh mục không hợp lệ; không có bản ghi nào được ghi."


class TemplateNotFound(NotFound):
    """The procedure has no document with this key, or the document has no template."""

    code = "template_not_found"

    def __init__(self, procedure_code: str, key: str) -> None:
        super().__init__(f"Thủ tục {procedure_code} không có mẫu đơn, tờ khai cho '{key}'.")


class OverrideNotFound(NotFound):
    """Removing a calendar override the day does not have."""

    code = "override_not_found"


# -- officer accounts ----------------------------------------------------------------------------


class OfficerNotFound(NotFound):
    """No account with this username."""

    code = "officer_not_found"

    def __init__(self, username: str) -> None:
        super().__init__(f"Không có tài khoản {username}.")


class CannotDisableSelf(Conflict):
    """An admin disabling their own account (they would lock themself out)."""

    code = "cannot_disable_self"
    message = "Không thể tự vô hiệu hóa tài khoản của chính mình."


class CannotDemoteSelf(Conflict):
    """An admin taking the admin role from their own account (they would lock themself out
    of the accounts, as disabling it would)."""

    code = "cannot_demote_self"
    message = "Không thể tự bỏ quyền quản trị của chính mình."


class LastAdmin(Conflict):
    """Disabling or demoting the last enabled admin account: nobody could manage accounts any
    more."""

    code = "last_admin"
    message = "Không thể vô hiệu hóa tài khoản quản trị cuối cùng còn hoạt động."
    demoted = "Không thể bỏ quyền quản trị của tài khoản quản trị cuối cùng còn hoạt động."


class UsernameTaken(Conflict):
    """A new account with a username in use."""

    code = "username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(f"Tên đăng nhập {username} đã tồn tại.")


# -- dossiers ------------------------------------------------------------------------------------


class DossierNotFound(NotFound):
    """No dossier with this exact code (a malformed code is simply unknown)."""

    code = "dossier_not_found"

    def __init__(self, dossier_code: str) -> None:
        super().__init__(f"Không tìm thấy hồ sơ {dossier_code[:40]}.")


class DocumentNotFound(NotFound):
    """No such file in this dossier."""

    code = "document_not_found"
    message = "Không tìm thấy tài liệu."


class ProcedureChanged(Conflict):
    """A procedure's edit made on a record someone else has changed since it was shown (the
    administrators' page): saving it would undo their change."""

    code = "procedure_changed"
    message = (
        "Thủ tục vừa được người khác cập nhật; trang hiện thông tin mới nhất, "
        "hãy xem lại và sửa lại nếu vẫn cần."
    )


class StaleVersion(Conflict):
    """An action on a version someone else has moved past."""

    code = "stale_version"
    message = "Hồ sơ vừa được người khác cập nhật; hãy tải lại."


class NothingToPrint(Conflict):
    """A printed form the dossier has no data for yet: a receipt before the dossier is
    received, a supplement request, refusal or apology the workflow never recorded
    (app/services/printing)."""

    code = "nothing_to_print"
    message = "Hồ sơ chưa có nội dung để in mẫu này."


class IllegalTransition(Conflict):
    """An action not allowed from the dossier's status; details list the allowed."""

    code = "illegal_transition"


class IdempotencyKeyReused(Conflict):
    """An `Idempotency-Key` replayed with a different request."""

    code = "idempotency_key_reused"


class UnknownAction(InvalidContent):
    """An action name that is not an officer's action."""

    code = "unknown_action"


class NoteRequired(InvalidContent):
    """An action that needs a reason or a note for the applicant, without one."""

    code = "note_required"
    message = "Cần ghi rõ lý do hoặc nội dung cho người nộp hồ sơ."


class ResultsOnlyWithComplete(InvalidContent):
    """Result files sent with an action other than `complete`."""

    code = "results_only_with_complete"
    message = "Chỉ được đính kèm tệp kết quả khi hoàn thành xử lý hồ sơ."


class ProcedureIssuesNoResult(InvalidContent):
    """Result files for a dossier whose procedure issues no result."""

    code = "procedure_issues_no_result"
    message = "Thủ tục này không có kết quả giải quyết để đính kèm."


class InvalidDueAt(InvalidContent):
    """A `reschedule` without a new due moment, or with one not later than the appointment,
    or a `due_at` sent with another action."""

    code = "invalid_due_at"


class DocumentsRequired(InvalidContent):
    """A `request_supplement` that names no document to supplement."""

    code = "documents_required"
    message = "Cần nêu rõ giấy tờ người nộp hồ sơ phải bổ sung."


class UnknownDocument(InvalidContent):
    """A `request_supplement` naming a document the dossier's procedure does not have."""

    code = "unknown_document"
    message = "Giấy tờ yêu cầu bổ sung không thuộc thành phần hồ sơ của thủ tục."


class InvalidDocuments(InvalidContent):
    """`documents` sent with an action other than `request_supplement`."""

    code = "invalid_documents"
    message = "Chỉ thao tác yêu cầu bổ sung hồ sơ mới nêu giấy tờ cần bổ sung."


class AmountRequired(InvalidContent):
    """A `request_fee` that names no amount to pay."""

    code = "amount_required"
    message = "Cần ghi rõ số tiền người nộp hồ sơ phải nộp."


class InvalidAmount(InvalidContent):
    """`amount_vnd` sent with an action other than `request_fee`."""

    code = "invalid_amount"
    message = "Chỉ thao tác yêu cầu thực hiện nghĩa vụ tài chính mới nêu số tiền."


class DocumentNotRequested(InvalidContent):
    """A supplement file of a document the officer did not ask for."""

    code = "document_not_requested"
    message = "Chỉ được bổ sung những giấy tờ cơ quan giải quyết đã yêu cầu."


class AppointmentPassed(Conflict):
    """A `reschedule` asked once the appointment had already passed: the apology and new
    appointment must be issued before the deadline (DOMAIN.md §4)."""

    code = "appointment_passed"


class MissingField(InvalidContent):
    """A required text part of the submission is missing."""

    code = "missing_field"


class InvalidChannel(InvalidContent):
    """A counter registration whose channel is neither counter nor postal."""

    code = "invalid_channel"


class InvalidApplicant(InvalidContent):
    """The applicant part is not a valid applicant."""

    code = "invalid_applicant"
    message = "Thông tin người nộp hồ sơ không hợp lệ."


class ApplicantKindNotAllowed(InvalidContent):
    """The procedure does not take this kind of applicant (its `applicant_kinds`)."""

    code = "applicant_kind_not_allowed"
    message = "Thủ tục này không tiếp nhận hồ sơ của đối tượng này."


class AgencyRequired(InvalidContent):
    """A dossier without `agency_code` for a procedure that several agencies offer."""

    code = "agency_required"
    message = "Thủ tục này do nhiều cơ quan thực hiện; vui lòng chọn cơ quan tiếp nhận hồ sơ."


class AgencyNotOffering(InvalidContent):
    """A dossier addressed to an agency that does not offer the procedure."""

    code = "agency_not_offering"
    message = "Cơ quan được chọn không thực hiện thủ tục này."


class ChannelNotOffered(InvalidContent):
    """A dossier through a channel the procedure does not offer (its `channels`)."""

    code = "channel_not_offered"
    message = "Thủ tục này không tiếp nhận hồ sơ qua kênh này."


class InvalidForm(InvalidContent):
    """The form part does not match the procedure's form schema."""

    code = "invalid_form"
    message = "Tờ khai chưa hợp lệ; vui lòng kiểm tra các trường được nêu."


class MissingDocument(InvalidContent):
    """A required document of the procedure has no file."""

    code = "missing_document"


class UnknownPart(InvalidContent):
    """A multipart part that the procedure does not have."""

    code = "unknown_part"


class DuplicateField(InvalidContent):
    """A text part sent twice."""

    code = "duplicate_field"


class EmptyFile(InvalidContent):
    """An uploaded file of 0 bytes (a named file with nothing in it; a file input left empty,
    without a filename, is no file at all)."""

    code = "empty_file"
    message = "Tệp đính kèm rỗng (0 byte)."


class EmptySupplement(InvalidContent):
    """A supplement with neither files nor a corrected form."""

    code = "empty_supplement"
    message = "Chưa có tài liệu hoặc tờ khai bổ sung."


class FileInfected(InvalidContent):
    """A file the virus-scan step refused."""

    code = "file_infected"


class FileTypeNotAccepted(UnsupportedMediaType):
    """A file whose content is not of a type the document accepts."""

    code = "file_type_not_accepted"
    message = "Loại tệp không được chấp nhận."


class MultipartRequired(UnsupportedMediaType):
    """A submission that is not multipart/form-data."""

    code = "multipart_required"
    message = "Yêu cầu phải là multipart/form-data."


class FileTooLarge(TooLarge):
    """A file over its document's limit (or MAX_FILE_MB)."""

    code = "file_too_large"


class FieldTooLarge(TooLarge):
    """A text part over its limit."""

    code = "field_too_large"


class TooManyParts(TooLarge):
    """More parts than a dossier may have."""

    code = "too_many_parts"


# -- statistics ----------------------------------------------------------------------------------


class InvalidPeriod(InvalidContent):
    """A period that is reversed: of statistics (or longer than ten years), of the queue's
    receipt dates."""

    code = "invalid_period"
    message = "Khoảng thời gian không hợp lệ."


# -- dependencies --------------------------------------------------------------------------------


class DatabaseDown(DependencyDown):
    """The database cannot be reached, or cannot answer now (see `app.db.unreachable`)."""

    message = "Cơ sở dữ liệu không sẵn sàng."

    def __init__(self) -> None:
        super().__init__(details=[{"dependency": "database"}])


class StorageDown(DependencyDown):
    """The file storage cannot be written or read."""

    message = "Kho lưu trữ tệp không sẵn sàng."

    def __init__(self) -> None:
        super().__init__(details=[{"dependency": "storage"}])


class ProviderDown(DependencyDown):
    """The OpenID Connect provider (OIDC_ISSUER) does not answer, or answers 5xx: its discovery
    document, its keys, or (single sign-on) its token and userinfo endpoints."""

    message = "Không kết nối được nhà cung cấp đăng nhập."

    def __init__(self) -> None:
        super().__init__(details=[{"dependency": "oidc_provider"}])
