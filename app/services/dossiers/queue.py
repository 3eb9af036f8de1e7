"""The officers' queue: dossiers of the agency's subtree, earliest due first.

One set of conditions (`_Where`) and one order (`_ordered`) serve every reader: a page of the queue
with its total (`list_queue`, the API and the officers' page), a count alone (`count_queue`:
the page's count of new online dossiers waiting for intake) and every row of a filtered queue
in order (`iter_queue`: the page's CSV).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, func, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.errors import InvalidPeriod, detail
from app.models.applicant import applicant_display_name
from app.models.catalogue import Agency
from app.models.dossier import Channel, Dossier, DossierStatus, QueueItem
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services.calendar import WORKING_DAY, WorkingCalendar, load_calendar
from app.services.catalogue.scope import agency_subtree
from app.services.dossiers.timeliness import overdue_clause, timeliness
from app.services.text import fold

# INTAKE_CHECK_HOURS' default (app/config.py).
DEFAULT_INTAKE_CHECK = timedelta(hours=8)
# "Due soon": the clock is running and the due moment comes within the next working day of
# desk time (8 desk hours, calendar.WORKING_DAY), counted on the working calendar, so that
# a dossier due on Monday at 17:00 is due soon from Friday at 17:00 (docs/API.md, The queue).
DUE_SOON = WORKING_DAY
# A subtree's page merges one index walk per agency (`_Where.page`); SQLite allows at most
# 500 SELECTs in one compound statement. A province has a few hundred agencies at most.
MAX_MERGED_AGENCIES = 400


class QueueFilter(BaseModel):
    """The queue's filters: the API's query parameters (GET /api/v1/officer/dossiers) and the
    officers' page's form, validated by this one model."""

    model_config = ConfigDict(frozen=True)

    status: DossierStatus | None = None
    overdue: bool | None = None
    procedure: str | None = Field(default=None, max_length=64)
    channel: Channel | None = None
    received_from: date | None = Field(
        default=None, description="received on or after this Vietnam date (YYYY-MM-DD)"
    )
    received_to: date | None = Field(
        default=None, description="received on or before this Vietnam date (YYYY-MM-DD)"
    )
    q: str | None = Field(default=None, max_length=100, description="code or applicant name")

    def check(self) -> None:
        """422 `invalid_period` when the receipt dates are reversed."""
        first, last = self.received_from, self.received_to
        if first is not None and last is not None and first > last:
            problem = detail(["query", "received_from"], "phải trước hoặc bằng 'received_to'")
            raise InvalidPeriod(details=[problem])


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
    where = _Where.of(session, officer, filters, now)
    total = _count(session, where.conditions)
    rows = list(session.scalars(where.page(filters, (page - 1) * page_size, page_size)))
    needed = any(_waiting(d) or _running(d, now) for d in rows)
    flags = _Flags(session, now, intake_check, read=needed)
    return [flags.item(d) for d in rows], total


def count_queue(session: Session, officer: Principal, filters: QueueFilter, now: datetime) -> int:
    """The total of `list_queue` alone."""
    return _count(session, _Where.of(session, officer, filters, now).conditions)


def iter_queue(
    session: Session,
    officer: Principal,
    filters: QueueFilter,
    now: datetime,
    limit: int,
    intake_check: timedelta = DEFAULT_INTAKE_CHECK,
) -> Iterator[QueueItem]:
    """Every item of the filtered queue in its order, at most `limit`, read in batches (the
    page's CSV: all pages, never the whole list in memory)."""
    where = _Where.of(session, officer, filters, now)
    statement = _ordered(Dossier, where.conditions, filters).limit(limit)
    flags = _Flags(session, now, intake_check, read=True)
    for dossier in session.scalars(statement.execution_options(yield_per=500)):
        yield flags.item(dossier)


def _count(session: Session, conditions: list[Any]) -> int:
    return session.scalar(select(func.count()).select_from(Dossier).where(*conditions)) or 0


def _ordered(entity: Any, conditions: list[Any], filters: QueueFilter) -> Select[Any]:
    """`entity`'s rows (the table, or the merge of `_Where.page`) in the queue's order.

    Earliest due first; dossiers not yet accepted (no deadline) after, oldest first. The
    order of the indexes ix_dossier_queue*, so a page of one agency is an index walk that
    stops after `page_size` rows. Overdue dossiers all have a deadline: their order is the
    partial index's."""
    order: list[Any] = [entity.due_at, entity.submitted_at, entity.id]
    if not filters.overdue:
        order.insert(0, entity.due_at.is_(None))
    return select(entity).where(*conditions).order_by(*order)


@dataclass(frozen=True)
class _Where:
    """The queue's conditions: the officer's agencies (None for an admin: every dossier) and
    the filters'."""

    agencies: list[str] | None
    filtered: list[Any]

    @classmethod
    def of(
        cls, session: Session, officer: Principal, filters: QueueFilter, now: datetime
    ) -> "_Where":
        filters.check()
        agencies = None
        if officer.role != Role.admin:
            # The subtree's codes first (a few agencies), so the dossier query has an
            # equality or a short list on agency_code, which the queue indexes lead with; a
            # subquery there made both databases sort every dossier of the subtree.
            own = session.get(Agency, officer.agency_code)
            agencies = list(session.scalars(agency_subtree(session, own.code))) if own else []
        return cls(agencies, _filtered(filters, now))

    @property
    def conditions(self) -> list[Any]:
        if self.agencies is None:
            return self.filtered
        if len(self.agencies) == 1:
            return [col(Dossier.agency_code) == self.agencies[0], *self.filtered]
        return [col(Dossier.agency_code).in_(self.agencies), *self.filtered]

    def page(self, filters: QueueFilter, offset: int, limit: int) -> Select[Any]:
        """The rows of one page. For a subtree of several agencies, `agency_code IN (…)`
        takes the index's order away: both databases then sorted every dossier of the
        subtree for a page of 20 (docs/PERFORMANCE.md, the officers' queue page). So each
        agency's rows come from a walk of its own index range that stops after
        `offset + limit` rows, and only those are merged and sorted."""
        agencies = self.agencies
        if agencies is None or len(agencies) < 2 or len(agencies) > MAX_MERGED_AGENCIES:
            return _ordered(Dossier, self.conditions, filters).offset(offset).limit(limit)
        walks = [
            _ordered(Dossier, [col(Dossier.agency_code) == code, *self.filtered], filters)
            .limit(offset + limit)
            .subquery()
            for code in agencies
        ]
        merged = union_all(*(select(walk) for walk in walks)).subquery()
        return _ordered(aliased(Dossier, merged), [], filters).offset(offset).limit(limit)


def _waiting(dossier: Dossier) -> bool:
    """Submitted online and still waiting for the intake check."""
    return dossier.status == DossierStatus.new and dossier.channel == Channel.online


def _running(dossier: Dossier, now: datetime) -> bool:
    """In progress with its clock running, and not late yet (timeliness.py: `late_at`)."""
    return dossier.finished_at is None and dossier.late_at is not None and dossier.late_at >= now


def _filtered(filters: QueueFilter, now: datetime) -> list[Any]:
    conditions: list[Any] = []
    if filters.status:
        conditions.append(col(Dossier.status) == filters.status.value)
    if filters.procedure:
        conditions.append(col(Dossier.procedure_code) == filters.procedure)
    if filters.channel:
        conditions.append(col(Dossier.channel) == filters.channel.value)
    if filters.overdue is not None:
        clause = overdue_clause(now)
        conditions.append(clause if filters.overdue else ~clause)
    conditions += _received_between(filters.received_from, filters.received_to)
    if filters.q and filters.q.strip():
        folded = fold(filters.q)
        conditions.append(
            or_(
                col(Dossier.code).contains(filters.q.strip(), autoescape=True),
                col(Dossier.applicant_name).contains(folded, autoescape=True),
            )
        )
    return conditions


def _received_between(first: date | None, last: date | None) -> list[Any]:
    """Received on the Vietnam days from `first` to `last`, both included; a dossier not
    received yet (no `received_at`) is in no such period."""
    conditions: list[Any] = []
    if first is not None:
        start = _day_start(first)
        conditions.append(
            col(Dossier.received_at) >= start
            if start is not None
            else col(Dossier.received_at).is_not(None)
        )
    if last is not None:
        end = _day_start(last, after=True)
        conditions.append(
            col(Dossier.received_at) < end
            if end is not None
            else col(Dossier.received_at).is_not(None)
        )
    return conditions


def _day_start(day: date, *, after: bool = False) -> datetime | None:
    """The moment the Vietnam day `day` (or, `after`, the day after it) begins, in UTC; None
    at the ends of the calendar (the first day of year 1 begins before any UTC moment, the
    last day of year 9999 has no day after), where the bound keeps out nothing."""
    try:
        if after:
            day += timedelta(days=1)
        return datetime.combine(day, time(0), tzinfo=VN_TZ).astimezone(UTC)
    except OverflowError:
        return None


class _Flags:
    """What an item says beyond its row: overdue, due soon, intake overdue. The working
    calendar is read once, and only when a row needs it."""

    def __init__(
        self, session: Session, now: datetime, intake_check: timedelta, *, read: bool
    ) -> None:
        self.session, self.now, self.intake_check = session, now, intake_check
        self._calendar: WorkingCalendar | None = None
        self._soon_until: datetime | None = None
        if read:  # before the rows stream in (iter_queue): no query between their batches
            self.soon_until()

    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = load_calendar(self.session)
        return self._calendar

    def soon_until(self) -> datetime:
        """The end of the next working day of desk time from now (`DUE_SOON`)."""
        if self._soon_until is None:
            self._soon_until = self.calendar().add_working_time(self.now, DUE_SOON)
        return self._soon_until

    def item(self, dossier: Dossier) -> QueueItem:
        now = self.now
        waited = (
            self.calendar().working_time_between(dossier.submitted_at, now)
            if _waiting(dossier)
            else None
        )
        due_soon = (
            _running(dossier, now)
            and dossier.late_at is not None
            and (dossier.late_at <= self.soon_until())
        )
        status = dossier.status
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
            due_soon=due_soon,
            intake_overdue=waited is not None and waited > self.intake_check,
            version=dossier.version,
        )
