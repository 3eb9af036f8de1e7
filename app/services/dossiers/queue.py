"""The officers' queue: dossiers of the agency's subtree, earliest due first."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from app.models.applicant import applicant_display_name
from app.models.catalogue import Agency
from app.models.dossier import Channel, Dossier, DossierStatus, QueueItem
from app.models.officer import Principal, Role
from app.services.calendar import WorkingCalendar, load_calendar
from app.services.catalogue.scope import agency_subtree
from app.services.dossiers.timeliness import overdue_clause, timeliness
from app.services.text import fold

# INTAKE_CHECK_HOURS' default (app/config.py).
DEFAULT_INTAKE_CHECK = timedelta(hours=8)


@dataclass(frozen=True)
class QueueFilter:
    status: DossierStatus | None = None
    overdue: bool | None = None
    procedure: str | None = None
    q: str | None = None


def list_queue(
    session: Session,
    officer: Principal,
    filters: QueueFilter,
    page: int,
    page_size: int,
    now: datetime,
    intake_check: timedelta = DEFAULT_INTAKE_CHECK,
) -> tuple[list[QueueItem], int]:
    """A page of the queue and its total. `intake_check`: the working time a new online
    dossier may wait for its intake check before it is flagged `intake_overdue`."""
    conditions = _conditions(session, officer, filters, now)
    total = session.scalar(select(func.count()).select_from(Dossier).where(*conditions)) or 0
    # Earliest due first; dossiers not yet accepted (no deadline) after, oldest first. The
    # order of the indexes ix_dossier_queue*, so a page of one agency is an index walk that
    # stops after `page_size` rows. Overdue dossiers all have a deadline: their order is the
    # partial index's.
    order: list[Any] = [col(Dossier.due_at), col(Dossier.submitted_at), col(Dossier.id)]
    if not filters.overdue:
        order.insert(0, col(Dossier.due_at).is_(None))
    statement = (
        select(Dossier)
        .where(*conditions)
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = list(session.scalars(statement))
    calendar = load_calendar(session) if any(_waiting(d) for d in rows) else None
    items = [_item(d, now, calendar, intake_check) for d in rows]
    return items, total


def _waiting(dossier: Dossier) -> bool:
    """Submitted online and still waiting for the intake check."""
    return dossier.status == DossierStatus.new and dossier.channel == Channel.online


def _conditions(
    session: Session, officer: Principal, filters: QueueFilter, now: datetime
) -> list[Any]:
    conditions: list[Any] = []
    if officer.role != Role.admin:
        # The subtree's codes first (a few agencies), so the dossier query has an equality
        # or a short list on agency_code, which the queue indexes lead with; a subquery there
        # made both databases sort every dossier of the subtree.
        own = session.get(Agency, officer.agency_code)
        codes = list(session.scalars(agency_subtree(session, own.code))) if own else []
        if len(codes) == 1:
            conditions.append(col(Dossier.agency_code) == codes[0])
        else:
            conditions.append(col(Dossier.agency_code).in_(codes))
    if filters.status:
        conditions.append(col(Dossier.status) == filters.status.value)
    if filters.procedure:
        conditions.append(col(Dossier.procedure_code) == filters.procedure)
    if filters.overdue is not None:
        clause = overdue_clause(now)
        conditions.append(clause if filters.overdue else ~clause)
    if filters.q and filters.q.strip():
        folded = fold(filters.q)
        conditions.append(
            or_(
                col(Dossier.code).contains(filters.q.strip(), autoescape=True),
                col(Dossier.applicant_name).contains(folded, autoescape=True),
            )
        )
    return conditions


def _item(
    dossier: Dossier, now: datetime, calendar: WorkingCalendar | None, intake_check: timedelta
) -> QueueItem:
    status = dossier.status
    waited = (
        calendar.working_time_between(dossier.submitted_at, now)
        if calendar is not None and _waiting(dossier)
        else None
    )
    return QueueItem(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        agency_code=dossier.agency_code,
        channel=dossier.channel,
        status=status,
        status_label=status.label,
        applicant_name=applicant_display_name(dossier.applicant),
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        overdue=timeliness(dossier, now)[1],
        intake_overdue=waited is not None and waited > intake_check,
        version=dossier.version,
    )
