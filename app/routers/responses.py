"""The errors each kind of route can answer, for its `responses=` (the OpenAPI document shows
each with an example body, in Vietnamese: API.md, Conventions). A group names the errors of
one step that several routes share; a route adds its own."""

from app.errors import (
    AppError,
    ApplicantKindNotAllowed,
    BadRequest,
    DocumentNotFound,
    DossierNotFound,
    DuplicateField,
    FieldTooLarge,
    FileInfected,
    FileTooLarge,
    FileTypeNotAccepted,
    IdempotencyKeyReused,
    InvalidApplicant,
    InvalidContent,
    InvalidForm,
    InvalidJSON,
    InvalidToken,
    MissingClaims,
    MissingDocument,
    MissingField,
    MultipartRequired,
    OtherAgency,
    OtherDossierToken,
    ProcedureNotFound,
    ProcedureNotOnline,
    ProcedureRetired,
    RequestTimeout,
    StorageDown,
    TooLarge,
    TooManyParts,
    Unauthenticated,
    UnknownOfficer,
    UnknownPart,
)
from app.services.dossiers.codes import DossierCodesExhausted

Errors = tuple[type[AppError], ...]

# A JSON body (app/inputs.py): read within MAX_JSON_KB, parsed strictly.
JSON_BODY: Errors = (BadRequest, TooLarge, InvalidJSON, InvalidContent)
# An upload streamed in (app/services/dossiers/uploads.py).
UPLOAD: Errors = (
    BadRequest,
    RequestTimeout,
    TooLarge,
    FileTooLarge,
    FieldTooLarge,
    TooManyParts,
    FileTypeNotAccepted,
    MultipartRequired,
    UnknownPart,
    DuplicateField,
    FileInfected,
    InvalidContent,
    StorageDown,
)
# An officer's bearer token (app/deps.py, app/security.py).
OFFICER: Errors = (Unauthenticated, InvalidToken, UnknownOfficer, MissingClaims)
# The dossier's access token (services/dossiers/tracking.py, authorize_applicant).
APPLICANT: Errors = (Unauthenticated, InvalidToken, OtherDossierToken)
# A dossier's submission, online or at the counter (services/dossiers/submission.py).
SUBMISSION: Errors = (
    *UPLOAD,
    ProcedureNotFound,
    ProcedureNotOnline,
    ProcedureRetired,
    MissingField,
    InvalidApplicant,
    ApplicantKindNotAllowed,
    InvalidForm,
    MissingDocument,
    DossierCodesExhausted,
)
ONLINE_SUBMISSION: Errors = (*SUBMISSION, IdempotencyKeyReused)
# A download of a dossier's file, by the applicant or an officer.
DOWNLOAD: Errors = (
    *APPLICANT,
    *OFFICER,
    OtherAgency,
    DossierNotFound,
    DocumentNotFound,
    StorageDown,
)
