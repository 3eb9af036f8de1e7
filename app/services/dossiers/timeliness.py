"""On time and overdue (DOMAIN.md §5–§6): the one definition that the public and officer
views, the officers' queue and the statistics counters all use.

A dossier with no deadline was never received (still `new`, or refused or stopped before
acceptance). It is never overdue. Finished, its `on_time` is null in the views, since there was
no appointment to keep; the statistics must count each finished dossier as on time or late,
and count it as not late (`counts_as_on_time`).
"""

from datetime import datetime

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from app.models.dossier import Dossier

# A second supplement request makes a dossier late, finished or not (DOMAIN.md §6).
MAX_SUPPLEMENT_REQUESTS_ON_TIME = 1


def on_time(
    finished_at: datetime, due_at: datetime | None, supplement_requests: int
) -> bool | None:
    """A finished dossier: by its due moment (which supplement pauses have moved) and with at
    most one supplement request; None when it never had a deadline."""
    if due_at is None:
        return None
    return finished_at <= due_at and supplement_requests <= MAX_SUPPLEMENT_REQUESTS_ON_TIME


def counts_as_on_time(
    finished_at: datetime, due_at: datetime | None, supplement_requests: int
) -> bool:
    """Indicator 2.1's test for a finished dossier: on time, or never given a deadline."""
    return on_time(finished_at, due_at, supplement_requests) is not False


def clock_running(
    finished_at: datetime | None, due_at: datetime | None, paused_at: datetime | None
) -> bool:
    """In progress with a deadline and the clock not paused for a supplement."""
    return finished_at is None and due_at is not None and paused_at is None


def is_overdue(
    finished_at: datetime | None,
    due_at: datetime | None,
    paused_at: datetime | None,
    now: datetime,
) -> bool:
    """In progress, the clock running, and past the due moment."""
    return clock_running(finished_at, due_at, paused_at) and due_at is not None and now > due_at


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """`is_overdue` in SQL, for the officers' queue."""
    return and_(
        col(Dossier.finished_at).is_(None),
        col(Dossier.paused_at).is_(None),
        col(Dossier.due_at).is_not(None),
        col(Dossier.due_at) < now,
    )


def timeliness_of(
    finished_at: datetime | None,
    due_at: datetime | None,
    paused_at: datetime | None,
    supplement_requests: int,
    now: datetime,
) -> tuple[bool | None, bool]:
    """`(on_time, overdue)` of a view: `on_time` null while in progress."""
    if finished_at is not None:
        return on_time(finished_at, due_at, supplement_requests), False
    return None, is_overdue(finished_at, due_at, paused_at, now)


def timeliness(dossier: Dossier, now: datetime) -> tuple[bool | None, bool]:
    """`timeliness_of` a loaded dossier."""
    return timeliness_of(
        dossier.finished_at, dossier.due_at, dossier.paused_at, dossier.supplement_requests, now
    )
