"""Reading dossiers: the public tracking view and the applicant's own view (API.md, Public
tracking and Applicant)."""

import hmac
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import Forbidden, NotFound, Unauthenticated
from app.models.catalogue import Agency, Procedure
from app.models.dossier import (
    DOSSIER_CODE_RE,
    Applicant,
    Channel,
    CodeName,
    DocumentPublic,
    Dossier,
    DossierDetails,
    DossierEvent,
    DossierFile,
    DossierPublic,
    DossierStatus,
    EventView,
    HistoryEntry,
    OfficerDossierView,
)
from app.services import tokens


def get_dossier(session: Session, code: str) -> Dossier:
    """By its exact code; a malformed code is simply unknown (never a partial match)."""
    dossier = None
    if DOSSIER_CODE_RE.match(code):
        dossier = session.scalars(select(Dossier).where(col(Dossier.code) == code)).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ {code[:40]}.", code="dossier_not_found")
    assert isinstance(dossier, Dossier)
    return dossier


def public_view(session: Session, dossier: Dossier, now: datetime) -> DossierPublic:
    """Status, dates and the public history: nothing about the applicant, form or files."""
    procedure = session.get(Procedure, dossier.procedure_code)
    agency = session.get(Agency, dossier.agency_code)
    assert procedure is not None and agency is not None
    status = DossierStatus(dossier.status)
    on_time, overdue = timeliness(dossier, now)
    return DossierPublic(
        code=dossier.code,
        procedure=CodeName(code=procedure.code, name=procedure.name),
        agency=CodeName(code=agency.code, name=agency.name),
        channel=Channel(dossier.channel),
        status=status,
        status_label=status.label,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        on_time=on_time,
        overdue=overdue,
        history=_history(session, dossier),
    )


def timeliness(dossier: Dossier, now: datetime) -> tuple[bool | None, bool]:
    """`(on_time, overdue)` — the one definition every view and statistic uses.

    Overdue: still in progress, the clock running (not paused for a supplement) and past the
    due moment; a dossier without a due moment (not yet accepted) is never overdue.
    On time: finished by the due moment, with at most one supplement request (a second one
    counts as late, DOMAIN.md §6); null while in progress or when no deadline was ever set.
    """
    if dossier.finished_at is not None:
        if dossier.due_at is None:
            return None, False
        return dossier.finished_at <= dossier.due_at and dossier.supplement_requests <= 1, False
    overdue = dossier.due_at is not None and dossier.paused_at is None and now > dossier.due_at
    return None, overdue


def _history(session: Session, dossier: Dossier) -> list[HistoryEntry]:
    statement = (
        select(DossierEvent)
        .where(col(DossierEvent.dossier_id) == dossier.id)
        .order_by(col(DossierEvent.at), col(DossierEvent.id))
    )
    return [
        HistoryEntry(
            status=DossierStatus(event.to_status),
            status_label=DossierStatus(event.to_status).label,
            at=event.at,
            note=event.public_note,
        )
        for event in session.scalars(statement)
    ]


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
        raise Forbidden("Mã truy cập này thuộc về hồ sơ khác.")
    raise Unauthenticated("Mã truy cập không hợp lệ.", code="invalid_token")


def details_view(session: Session, dossier: Dossier, now: datetime) -> DossierDetails:
    """The public view plus what only the applicant may see."""
    files = _files(session, dossier)
    return DossierDetails(
        **public_view(session, dossier, now).model_dump(),
        applicant=Applicant.model_validate(dossier.applicant),
        form=dossier.form,
        documents=[
            DocumentPublic(
                id=f.id,
                key=f.key,
                filename=f.filename,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
            )
            for f in files
        ],
    )


def _files(session: Session, dossier: Dossier) -> list[DossierFile]:
    statement = (
        select(DossierFile)
        .where(col(DossierFile.dossier_id) == dossier.id)
        .order_by(col(DossierFile.created_at), col(DossierFile.key), col(DossierFile.filename))
    )
    return list(session.scalars(statement))


def get_document(session: Session, dossier: Dossier, document_id: str) -> DossierFile:
    document = session.get(DossierFile, document_id) if document_id.isalnum() else None
    if document is None or document.dossier_id != dossier.id:
        raise NotFound("Không tìm thấy tài liệu.", code="document_not_found")
    return document


def officer_view(session: Session, dossier: Dossier, now: datetime) -> OfficerDossierView:
    """The full view: details plus version, pause, and every event with its internal note."""
    statement = (
        select(DossierEvent)
        .where(col(DossierEvent.dossier_id) == dossier.id)
        .order_by(col(DossierEvent.at), col(DossierEvent.id))
    )
    events = [
        EventView(
            action=e.action,
            from_status=DossierStatus(e.from_status) if e.from_status else None,
            to_status=DossierStatus(e.to_status),
            actor=e.actor,
            note=e.note,
            public_note=e.public_note,
            at=e.at,
        )
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
