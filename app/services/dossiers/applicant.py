"""What the applicant does with the dossier's access token after submitting: supplement
missing documents and ask to withdraw (API.md, Applicant; DOMAIN.md §4)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from app.config import Settings
from app.db import unit_of_work
from app.errors import EmptySupplement, UnknownPart, detail
from app.models.catalogue import Procedure, RequiredDocument
from app.models.dossier import DossierPublic, DossierStatus
from app.services.dossiers import workflow
from app.services.dossiers.submission import (
    Received,
    SubmissionRules,
    add_files,
    check_files,
    documents_of,
    parse_form,
)
from app.services.dossiers.supplement_requests import check_requested, open_request_documents
from app.services.dossiers.tracking import authorize_applicant, public_view
from app.services.dossiers.uploads import staged_files
from app.services.storage import Storage


@dataclass(frozen=True)
class Expected:
    """What a supplement may send: the dossier's procedure and the document keys the open
    request asked for (None: any of the procedure's documents)."""

    procedure: Procedure
    asked: list[str] | None


class SupplementRules(SubmissionRules):
    """Only files of the documents asked for and, optionally, a corrected form."""

    def __init__(self, engine: Engine, settings: Settings, expected: Expected) -> None:
        super().__init__(engine, settings)
        self.expected = expected
        self.documents = documents_of(expected.procedure)

    def file_limit(self, key: str) -> int | None:
        # Called for every chunk: the document is checked at its first bytes only.
        limit = super().file_limit(key)
        asked = self.expected.asked
        if asked is not None and key not in asked:
            check_requested(self.expected.procedure, asked, key)
        return limit

    def on_text(self, name: str, value: str) -> None:
        if name != "form":
            raise UnknownPart(
                f"Phần '{name}' không dùng khi bổ sung hồ sơ.",
                details=[detail([name], "chỉ gửi tệp và (nếu cần) 'form'")],
            )


def check_supplement_allowed(engine: Engine, code: str, token: str | None) -> Expected:
    """Before reading a byte of the upload: the token is right and a supplement is expected;
    answers what it may send."""
    with unit_of_work(engine) as session:
        dossier = authorize_applicant(session, code, token)
        if dossier.status != DossierStatus.supplement_requested:
            raise workflow.illegal(dossier, workflow.Action.supplement, by_officer=False)
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None
        return Expected(procedure, open_request_documents(session, dossier))


def supplement_dossier(
    engine: Engine,
    storage: Storage,
    settings: Settings,
    code: str,
    token: str | None,
    received: Received,
    now: datetime,
) -> DossierPublic:
    """Add the new files (and the corrected form), and return the dossier to the status the
    request came from, with its deadline moved by the paused working time — in one commit.
    Only the documents the request asked for (422 `document_not_requested`); an empty `form`
    part is no form (what a web form sends for a field left empty). Answers with the public
    view, read in the same transaction."""
    with (
        staged_files(storage, received.files) as staged,
        unit_of_work(engine, write=True) as session,
    ):
        dossier = authorize_applicant(session, code, token)
        procedure = session.get(Procedure, dossier.procedure_code)
        assert procedure is not None
        documents: dict[str, RequiredDocument] = documents_of(procedure)
        check_files(documents, received.files, settings)
        asked = open_request_documents(session, dossier)
        for received_file in received.files:
            check_requested(procedure, asked, received_file.key)
        form = received.fields.get("form")
        if form is not None and not form.strip():
            form = None
        if not received.files and form is None:
            raise EmptySupplement(details=[detail(["files"], "cần ít nhất một tệp hoặc tờ khai")])
        if form is not None:
            dossier.form = parse_form(procedure, form)
        request = workflow.Request(workflow.Action.supplement, None)
        files = {"file_count": dossier.file_count + len(received.files)}
        workflow.move_dossier(
            session, dossier, workflow.Actor.applicant(), request, now, also=files
        )
        assert dossier.id is not None
        add_files(session, dossier.id, received.files, now)
        staged.promote()
        session.flush()
        return public_view(session, code, now)


def withdraw_dossier(
    engine: Engine, code: str, token: str | None, reason: str, now: datetime
) -> DossierPublic:
    """The applicant asks to withdraw; an officer confirms (→ stopped) or denies (→ back).
    Answers with the public view, read in the same transaction."""
    with unit_of_work(engine, write=True) as session:
        dossier = authorize_applicant(session, code, token)
        # The reason is for the officers: the public history shows a fixed text instead.
        request = workflow.Request(workflow.Action.withdraw, None, note=reason)
        workflow.move_dossier(session, dossier, workflow.Actor.applicant(), request, now)
        session.flush()
        return public_view(session, code, now)
