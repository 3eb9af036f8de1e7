"""Electronic results (DOMAIN.md §7; Decision 766/QĐ-TTg indicators 4.1 and 4.2): the files an
officer attaches to `complete`, which the applicant then downloads with the access token.

They arrive as multipart parts named `result` on the action endpoint and pass the checks of
every upload (services/dossiers/uploads.py: type from the content, size while they stream,
SHA-256, the virus scan, a temporary object promoted only at commit). They are written in the
same commit as the move, as files of kind `result`, with the dossier's `result_file_count`,
which statistics count without reading files. Refused, nothing stays: no row, no file, no
count, no event.
"""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import unit_of_work
from app.errors import (
    FileTypeNotAccepted,
    ProcedureIssuesNoResult,
    ResultsOnlyWithComplete,
    UnknownPart,
    detail,
)
from app.models.catalogue import DocumentType, Procedure, type_labels
from app.models.dossier import ActionIn, Dossier, FileKind, OfficerDossierView
from app.models.officer import Principal
from app.services.dossiers import workflow
from app.services.dossiers.submission import add_files
from app.services.dossiers.tracking import dossier_for_officer, get_dossier, officer_view
from app.services.dossiers.uploads import MB, ReceivedFile, file_too_large, staged_files
from app.services.storage import Storage

# The part name of a result file; repeat it for several files.
RESULT_PART = "result"
# An electronic result is the agency's signed electronic document, and agencies issue their
# electronic documents as PDF, version 1.4 or later (Decree 30/2020/NĐ-CP on clerical work,
# Appendix I); a digitally signed PDF is a PDF (the signature is inside the file). No other
# type: a photo or an archive of a result is not the document itself.
RESULT_TYPES = (DocumentType.pdf,)
RESULT_NAME = "kết quả giải quyết"
# The text parts of a multipart action: the fields of the JSON body, whatever they are.
ACTION_PARTS = frozenset(ActionIn.model_fields)


class ResultRules:
    """The multipart action's rules while the body streams in (uploads.UploadRules): the
    action's own fields as text parts and `result` files, refused at their first bytes when
    the procedure issues no result or the action is known not to be `complete`. Everything is
    checked again before the commit, since parts may come in any order."""

    def __init__(self, settings: Settings, issues_result: bool) -> None:
        self.limit = settings.max_file_mb * MB
        self.issues_result = issues_result
        self.action: str | None = None
        self.has_files = False

    def on_text(self, name: str, value: str) -> None:
        if name not in ACTION_PARTS:
            raise unknown_part(name)
        if name == "action":
            self.action = value
            self._check()

    def file_limit(self, key: str) -> int:
        if key != RESULT_PART:
            raise unknown_part(key)
        self.has_files = True
        self._check()
        return self.limit

    def check_type(self, key: str, content_type: str | None) -> None:
        check_result_type(key, content_type)

    def document_name(self, key: str) -> str:
        return RESULT_NAME

    def _check(self) -> None:
        if not self.has_files:
            return
        if not self.issues_result:
            raise no_result()
        # An unknown action is refused by its own name once the parts are in.
        known = self.action in workflow.Action.__members__
        if known and self.action != workflow.Action.complete:
            raise only_with_complete()


def unknown_part(name: str) -> UnknownPart:
    accepted = ", ".join(sorted(ACTION_PARTS))
    return UnknownPart(
        f"Phần '{name[:40]}' không dùng trong thao tác xử lý hồ sơ.",
        details=[detail([name], f"chỉ gửi {accepted} và các tệp '{RESULT_PART}'")],
    )


def only_with_complete() -> ResultsOnlyWithComplete:
    return ResultsOnlyWithComplete(
        details=[detail(["files", RESULT_PART], "chỉ dùng khi hoàn thành xử lý hồ sơ")]
    )


def no_result() -> ProcedureIssuesNoResult:
    return ProcedureIssuesNoResult(
        details=[detail(["files", RESULT_PART], "thủ tục không có kết quả giải quyết")]
    )


def check_result_type(key: str, content_type: str | None) -> None:
    if content_type not in RESULT_TYPES:
        accepted = type_labels(RESULT_TYPES)
        raise FileTypeNotAccepted(
            "Tệp kết quả phải là văn bản điện tử PDF.",
            details=[
                {"loc": ["files", key], "msg": f"chỉ nhận tệp {accepted}", "detected": content_type}
            ],
        )


def check_can_attach(engine: Engine, code: str, officer: Principal) -> bool:
    """Before reading a byte of the upload: the dossier exists (404) and the officer may act
    on it (403). Answers whether its procedure issues a result (result files allowed)."""
    with unit_of_work(engine) as session:
        dossier = dossier_for_officer(session, officer, code)
        return _procedure(session, dossier).issues_result


def apply_with_results(
    engine: Engine,
    storage: Storage,
    settings: Settings,
    code: str,
    actor: workflow.Actor,
    request: workflow.Request,
    files: list[ReceivedFile],
    now: datetime,
) -> OfficerDossierView:
    """`workflow.apply_action`, with the electronic result files of a `complete` written in
    the same commit as the move: 422 `results_only_with_complete` with any other action, 422
    `procedure_issues_no_result` where the procedure issues none, 415 / 413 for a file that is
    not a PDF or is too large, and the move's own errors (403, 409, 422). Whatever happens, no
    temporary object of these files survives, and on a refusal nothing is written."""
    if not files:
        return workflow.apply_action(engine, code, actor, request, now)
    with staged_files(storage, files) as staged, unit_of_work(engine, write=True) as session:
        dossier = get_dossier(session, code)
        if request.action != workflow.Action.complete:
            raise only_with_complete()
        if not _procedure(session, dossier).issues_result:
            raise no_result()
        check_results(files, settings)
        also = {"result_file_count": dossier.result_file_count + len(files)}
        workflow.move_dossier(session, dossier, actor, request, now, also=also)
        assert dossier.id is not None
        add_files(session, dossier.id, files, now, kind=FileKind.result)
        staged.promote()
        session.flush()
        return officer_view(session, dossier, now)


def check_results(files: list[ReceivedFile], settings: Settings) -> None:
    limit = settings.max_file_mb * MB
    for received in files:
        if received.key != RESULT_PART:
            raise unknown_part(received.key)
        if received.size > limit:
            raise file_too_large(received.key, limit, RESULT_NAME)
        check_result_type(received.key, received.content_type)


def _procedure(session: Session, dossier: Dossier) -> Procedure:
    procedure = session.get(Procedure, dossier.procedure_code)
    assert procedure is not None
    return procedure
