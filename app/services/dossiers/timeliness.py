"""On time and late (DOMAIN.md §5–§6): the one definition that the public and officer views,
the officers' queue and the statistics counters all use.

A received dossier carries `late_at`: the moment it is late, or will be if its clock keeps
running. It is set by every move (`late_at_after`), and once passed it never moves again:

- running (received, not finished, clock not paused): its due moment;
- the clock paused (a supplement asked; a fee where the procedure pauses the clock): none, the
  dossier being judged at the moment the pause began — unless it was already late then;
- a second supplement request: late from that moment, finished or not;
- finished: none when it finished before being late, else the moment it became late.

So "late at moment t" is `late_at < t`, for any t up to now: a closed period, judged at its end,
reads the same later (a pause, a resumption or a finish after t moves only a `late_at` still
ahead of t, to another moment after t). A dossier that was never received (still `new`,
refused at intake, withdrawn before acceptance) has no deadline and no `late_at`.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from app.models.dossier import Dossier

# A second supplement request makes a dossier late, finished or not (DOMAIN.md §6).
MAX_SUPPLEMENT_REQUESTS_ON_TIME = 1


def late_at_after(
    late_at: datetime | None, after: dict[str, Any], now: datetime
) -> datetime | None:
    """The `late_at` of a dossier after a move at `now`, from its `late_at` before it and its
    fields after it (`due_at`, `paused_at`, `finished_at`, `supplement_requests`)."""
    if late_at is not None and late_at < now:
        return late_at  # already late: nothing undoes it
    if after.get("due_at") is None:
        return None  # never received
    if after.get("supplement_requests", 0) > MAX_SUPPLEMENT_REQUESTS_ON_TIME:
        return now
    if after.get("finished_at") is not None or after.get("paused_at") is not None:
        return None
    due_at: datetime = after["due_at"]
    return due_at


def on_time(received: bool, finished_at: datetime | None, late_at: datetime | None) -> bool | None:
    """A finished received dossier: whether it finished before being late; None while in
    progress or when it never had a deadline."""
    if not received or finished_at is None:
        return None
    return late_at is None or late_at >= finished_at


def is_overdue(finished_at: datetime | None, late_at: datetime | None, now: datetime) -> bool:
    """In progress and late: the clock passed the due moment (paused since or not), or a
    second supplement was asked."""
    return finished_at is None and late_at is not None and late_at < now


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """`is_overdue` in SQL, for the officers' queue."""
    # `late_at IS NOT NULL` keeps the clause two-valued, so that its negation (the queue's
    # overdue=false) also finds the dossiers that have no `late_at`.
    return and_(
        col(Dossier.finished_at).is_(None),
        col(Dossier.late_at).is_not(None),
        col(Dossier.late_at) < now,
    )


def timeliness_of(
    received: bool, finished_at: datetime | None, late_at: datetime | None, now: datetime
) -> tuple[bool | None, bool]:
    """`(on_time, overdue)` of a view: `on_time` null while in progress."""
    return on_time(received, finished_at, late_at), is_overdue(finished_at, late_at, now)


def timeliness(dossier: Dossier, now: datetime) -> tuple[bool | None, bool]:
    """`timeliness_of` a loaded dossier."""
    received = dossier.received_at is not None
    return timeliness_of(received, dossier.finished_at, dossier.late_at, now)
