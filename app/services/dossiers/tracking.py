"""Reading dossiers: the public tracking view and the applicant's own view (API.md, Public
tracking and Applicant)."""

import hmac
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, Select, bindparam, select
from sqlmodel import Session, col

from app.db import single_read
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
from app.services.dossiers import tokens


def get_dossier(session: Session, code: str) -> Dossier:
    """By its exact code; a malformed code is simply unknown (never a partial match)."""
    dossier = None
    if DOSSIER_CODE_RE.match(code):
        dossier = session.scalars(select(Dossier).where(col(Dossier.code) == code)).first()
    if dossier is None:
        raise _not_found(code)
    assert isinstance(dossier, Dossier)
    return dossier


def _not_found(code: str) -> NotFound:
    return NotFound(f"Không tìm thấy hồ sơ {code[:40]}.", code="dossier_not_found")


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
        col(Dossier.finished_at),
        col(Dossier.paused_at),
        col(Dossier.supplement_requests),
        col(Procedure.code).label("procedure_code"),
        col(Procedure.name).label("procedure_name"),
        col(Agency.code).label("agency_code"),
        col(Agency.name).label("agency_name"),
        col(DossierEvent.to_status).label("event_status"),
        col(DossierEvent.at).label("event_at"),
        col(DossierEvent.public_note).label("event_note"),
    )
    .join(Procedure, col(Procedure.code) == col(Dossier.procedure_code))
    .join(Agency, col(Agency.code) == col(Dossier.agency_code))
    .outerjoin(DossierEvent, col(DossierEvent.dossier_id) == col(Dossier.id))
    .where(col(Dossier.code) == bindparam("code"))
    .order_by(col(DossierEvent.at), col(DossierEvent.id))
)


def track_dossier(engine: Engine, code: str, now: datetime) -> DossierPublic:
    """The public view by exact code, read with one SELECT: what `GET /api/v1/dossiers/{code}`
    serves, the busiest public read, and the public part of every other view."""
    if not DOSSIER_CODE_RE.match(code):
        raise _not_found(code)
    with single_read(engine) as connection:
        rows = connection.execute(_TRACKING, {"code": code}).all()
    if not rows:
        raise _not_found(code)
    return _tracking_view(rows, now)


def _tracking_view(rows: Sequence[Row[Any]], now: datetime) -> DossierPublic:
    first = rows[0]
    status = DossierStatus(first.status)
    on_time, overdue = timeliness_of(
        first.finished_at, first.due_at, first.paused_at, first.supplement_requests, now
    )
    return DossierPublic(
        code=first.code,
        procedure=CodeName(code=first.procedure_code, name=first.procedure_name),
        agency=CodeName(code=first.agency_code, name=first.agency_name),
        channel=Channel(first.channel),
        status=status,
        status_label=status.label,
        submitted_at=first.submitted_at,
        received_at=first.received_at,
        due_at=first.due_at,
        finished_at=first.finished_at,
        on_time=on_time,
        overdue=overdue,
        history=[
            HistoryEntry(
                status=DossierStatus(row.event_status),
                status_label=DossierStatus(row.event_status).label,
                at=row.event_at,
                note=row.event_note or "",
            )
            for row in rows
            if row.event_status is not None
        ],
    )


def timeliness(dossier: Dossier, now: datetime) -> tuple[bool | None, bool]:
    """`(on_time, overdue)` — the one definition every view and statistic uses.

    Overdue: still in progress, the clock running (not paused for a supplement) and past the
    due moment; a dossier without a due moment (not yet accepted) is never overdue.
    On time: finished by the due moment, with at most one supplement request (a second one
    counts as late, DOMAIN.md §6); null while in progress or when no deadline was ever set.
    """
    return timeliness_of(
        dossier.finished_at, dossier.due_at, dossier.paused_at, dossier.supplement_requests, now
    )


def timeliness_of(
    finished_at: datetime | None,
    due_at: datetime | None,
    paused_at: datetime | None,
    supplement_requests: int,
    now: datetime,
) -> tuple[bool | None, bool]:
    """`timeliness` from the columns it reads, for views that load columns, not a Dossier."""
    if finished_at is not None:
        if due_at is None:
            return None, False
        return finished_at <= due_at and supplement_requests <= 1, False
    overdue = due_at is not None and paused_at is None and now > due_at
    return None, overdue


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
    # The same read as track_dossier, on this session's connection: taking a second pooled
    # connection while the request holds one deadlocked the pool under 16 concurrent officer
    # actions on SQLite (each waited for a connection another one held).
    rows = session.execute(_TRACKING, {"code": dossier.code}).all()
    return DossierDetails(
        **_tracking_view(rows, now).model_dump(),
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
