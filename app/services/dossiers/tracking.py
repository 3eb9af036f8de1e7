"""Reading dossiers: the public tracking view and the applicant's own view (API.md, Public
tracking and Applicant)."""

import hmac
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlmodel import Session, col

from app.db import LoopReader
from app.errors import (
    DocumentNotFound,
    DossierNotFound,
    InvalidToken,
    OtherDossierToken,
    TooManyMisses,
    Unauthenticated,
)
from app.models.applicant import applicant_public
from app.models.catalogue import Agency, Procedure
from app.models.dossier import (
    DOSSIER_CODE_RE,
    Channel,
    CodeName,
    DocumentPublic,
    Dossier,
    DossierDetail,
    DossierEvent,
    DossierEventPublic,
    DossierFile,
    DossierPublic,
    DossierStatus,
    FileKind,
    HistoryEntry,
    OfficerDossierView,
    RequestedDocument,
    ResultPublic,
    public_note_of,
)
from app.models.officer import Principal
from app.ratelimit import Failures
from app.services.catalogue.scope import check_can_act
from app.services.dossiers import tokens
from app.services.dossiers.supplement_requests import open_request_documents, requested_documents
from app.services.dossiers.timeliness import timeliness_of


def normalise_code(code: str) -> str:
    """The code as a person types it: surrounding spaces dropped, the agency letter in
    capitals (`000.00.00.h20-…` is `000.00.00.H20-…`). Nothing else is forgiven: a code that is
    still malformed is unknown, never a partial match. A code has no other letter, so upper-
    casing the whole of it changes only that one."""
    return code.strip().upper()


def get_dossier(session: Session, code: str) -> Dossier:
    """By its exact code (as typed: `normalise_code`); a malformed code is simply unknown
    (never a partial match)."""
    exact = normalise_code(code)
    dossier = None
    if DOSSIER_CODE_RE.fullmatch(exact):
        dossier = session.scalars(select(Dossier).where(col(Dossier.code) == exact)).first()
    if dossier is None:
        raise DossierNotFound(code.strip())  # as the person typed it
    assert isinstance(dossier, Dossier)
    return dossier


def dossier_for_officer(session: Session, officer: Principal, code: str) -> Dossier:
    """The dossier if the officer may act on it: 404 unknown, 403 `other_agency`."""
    dossier = get_dossier(session, code)
    check_can_act(session, officer, dossier.agency_code)
    return dossier


# Public tracking in one statement: the dossier with its procedure's and agency's names, one
# row per event (outer join: a dossier always has its first event, but the view must not
# depend on it). Only the columns of the public view are read: never the applicant, form or
# files.
_TRACKING: Select[*tuple[Any, ...]] = (
    select(
        col(Dossier.code),
        col(Dossier.channel),
        col(Dossier.status),
        col(Dossier.submitted_at),
        col(Dossier.received_at),
        col(Dossier.due_at),
        col(Dossier.rescheduled_due_at),
        col(Dossier.finished_at),
        col(Dossier.late_at),
        col(Dossier.result_file_count),
        col(Procedure.code).label("procedure_code"),
        col(Procedure.name).label("procedure_name"),
        col(Agency.code).label("agency_code"),
        col(Agency.name).label("agency_name"),
        col(DossierEvent.to_status).label("event_status"),
        col(DossierEvent.at).label("event_at"),
        col(DossierEvent.public_note).label("event_note"),
        col(DossierEvent.due_at).label("event_due_at"),
        col(DossierEvent.action).label("event_action"),
        col(DossierEvent.amount_vnd).label("event_amount_vnd"),
    )
    .join(Procedure, col(Procedure.code) == col(Dossier.procedure_code))
    .join(Agency, col(Agency.code) == col(Dossier.agency_code))
    .outerjoin(DossierEvent, col(DossierEvent.dossier_id) == col(Dossier.id))
    .where(col(Dossier.code) == bindparam("code"))
    .order_by(col(DossierEvent.at), col(DossierEvent.id))
)
_EVENT = 14  # the position of event_status; event_at, _note, _due_at, _action, _amount_vnd follow


async def track_dossier(
    reader: LoopReader, misses: Failures, client: str, code: str, now: datetime
) -> DossierPublic:
    """The public view by exact code, read with one SELECT on the event loop
    (`db.LoopReader`): what `GET /api/v1/dossiers/{code}` serves, the busiest public read.
    A client whose lookups missed too often is answered 429 `too_many_misses` for a while,
    whatever it asks: dossier codes are sequential, and guessing them is mostly misses."""
    wait = misses.retry_after(client)
    if wait is not None:
        raise TooManyMisses(headers={"Retry-After": str(wait)})
    exact = normalise_code(code)
    rows = await reader.all(_TRACKING, {"code": exact}) if DOSSIER_CODE_RE.fullmatch(exact) else []
    if not rows:
        misses.failed(client)
        raise DossierNotFound(code.strip())  # as the person typed it
    return _tracking_view(rows, now)


def _tracking_view(rows: Sequence[Sequence[Any]], now: datetime) -> DossierPublic:
    # Rows by position, in _TRACKING's column order: the loop reader's tuples and the
    # session's rows alike.
    (
        code,
        channel,
        status,
        submitted_at,
        received_at,
        due_at,
        rescheduled_due_at,
        finished_at,
        late_at,
        result_file_count,
        procedure_code,
        procedure_name,
        agency_code,
        agency_name,
        *_event,
    ) = rows[0]
    status = DossierStatus(status)
    on_time, overdue = timeliness_of(received_at is not None, finished_at, late_at, now)
    return DossierPublic(
        code=code,
        procedure=CodeName(code=procedure_code, name=procedure_name),
        agency=CodeName(code=agency_code, name=agency_name),
        channel=Channel(channel),
        channel_label=Channel(channel).label,
        status=status,
        status_label=status.label,
        submitted_at=submitted_at,
        received_at=received_at,
        due_at=due_at,
        rescheduled_due_at=rescheduled_due_at,
        finished_at=finished_at,
        on_time=on_time,
        overdue=overdue,
        has_electronic_result=result_file_count > 0,
        history=[
            HistoryEntry(
                status=DossierStatus(row[_EVENT]),
                status_label=DossierStatus(row[_EVENT]).label,
                at=row[_EVENT + 1],
                note=public_note_of(row[_EVENT + 4], row[_EVENT + 2]),
                due_at=row[_EVENT + 3],
                amount_vnd=row[_EVENT + 5],
            )
            for row in rows
            if row[_EVENT] is not None
        ],
    )


def authorize_applicant(session: Session, code: str, token: str | None) -> Dossier:
    """The dossier if `token` is its access token: 401 without a valid token, 403 with the
    token of another dossier, 404 for an unknown dossier."""
    dossier = get_dossier(session, code)
    if not token:
        raise Unauthenticated("Cần mã truy cập của hồ sơ (Authorization: Bearer …).")
    presented = tokens.token_hash(token)
    if hmac.compare_digest(presented, dossier.access_token_hash):
        return dossier
    statement = select(col(Dossier.id)).where(col(Dossier.access_token_hash) == presented)
    if session.scalars(statement).first() is not None:
        raise OtherDossierToken()
    raise InvalidToken("Mã truy cập không hợp lệ.")


def public_view(session: Session, code: str, now: datetime) -> DossierPublic:
    """The public view by exact code, in the caller's transaction (the same statement as
    `track_dossier`): a use case that has just written answers with what it wrote."""
    rows = session.execute(_TRACKING, {"code": normalise_code(code)}).all()
    if not rows:
        raise DossierNotFound(code.strip())
    return _tracking_view(rows, now)


def details_view(session: Session, dossier: Dossier, now: datetime) -> DossierDetail:
    """The public view plus what only the applicant may see."""
    files = _files(session, dossier)
    documents = [f for f in files if f.kind is FileKind.document]
    results = [f for f in files if f.kind is FileKind.result]
    # On this session's connection: taking a second pooled connection while the request holds
    # one deadlocked the pool under 16 concurrent officer actions on SQLite (each waited for a
    # connection another one held).
    return DossierDetail(
        **public_view(session, dossier.code, now).model_dump(),
        applicant=applicant_public(dossier.applicant),
        form=dossier.form,
        documents=[DocumentPublic.model_validate(f, from_attributes=True) for f in documents],
        results=[ResultPublic.model_validate(f, from_attributes=True) for f in results],
        requested_documents=_requested(session, dossier),
    )


def _requested(session: Session, dossier: Dossier) -> list[RequestedDocument]:
    if dossier.status != DossierStatus.supplement_requested:
        return []
    procedure = session.get(Procedure, dossier.procedure_code)
    assert procedure is not None
    return requested_documents(procedure, open_request_documents(session, dossier))


def _files(session: Session, dossier: Dossier) -> list[DossierFile]:
    statement = (
        select(DossierFile)
        .where(col(DossierFile.dossier_id) == dossier.id)
        .order_by(col(DossierFile.created_at), col(DossierFile.key), col(DossierFile.filename))
    )
    return list(session.scalars(statement))


def get_document(session: Session, dossier: Dossier, document_id: str) -> DossierFile:
    """One of the dossier's files by its id: a document or an electronic result (one id space,
    random ids); 404 for another dossier's file."""
    document = session.get(DossierFile, document_id) if document_id.isalnum() else None
    if document is None or document.dossier_id != dossier.id:
        raise DocumentNotFound()
    return document


def officer_view(session: Session, dossier: Dossier, now: datetime) -> OfficerDossierView:
    """The full view: details plus version, pause, and every event with its internal note."""
    statement = (
        select(DossierEvent)
        .where(col(DossierEvent.dossier_id) == dossier.id)
        .order_by(col(DossierEvent.at), col(DossierEvent.id))
    )
    events = [
        DossierEventPublic.model_validate(e, from_attributes=True)
        for e in session.scalars(statement)
    ]
    return OfficerDossierView(
        **details_view(session, dossier, now).model_dump(),
        version=dossier.version,
        original_due_at=dossier.original_due_at,
        paused=dossier.paused_at is not None,
        supplement_requests=dossier.supplement_requests,
        events=events,
    )
