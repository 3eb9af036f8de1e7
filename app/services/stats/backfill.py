"""What migration 4a307082c97f leaves to the app: measuring indicator 2.2 for the dossiers
that were finished before dossiers kept their own measure (`Dossier.time_used`).

A migration does not import the app, and these need the working calendar. `app.migrate.upgrade`
runs `measure_existing` before it rebuilds the counters that the measures feed. Each step
selects only the rows it has not done yet, so an interrupted run picks up where it stopped.

What the dossiers did not record is estimated, and the estimate is the one the app made then:
the time paused is the working time by which the pauses moved the due moment (from
`original_due_at` to `due_at`; before this revision a pause after the due moment moved it too,
until revision d8a4f2c6b1e3). For a dossier counted in calendar days or months, whose pauses
count every hour from now on, that working time stands in for them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Engine,
    Float,
    Integer,
    Select,
    bindparam,
    column,
    select,
    update,
    values,
)
from sqlmodel import Session

from app.db import unit_of_work
from app.models.catalogue import ProcessingUnit
from app.models.dossier import Dossier
from app.services.calendar import WorkingCalendar, load_calendar
from app.services.dossiers.deadlines import time_used

BATCH = 5000
TABLE = Dossier.__table__  # type: ignore[attr-defined]
C = TABLE.c


@dataclass(frozen=True)
class Measured:
    paused: int  # dossiers whose pauses were measured
    finished: int  # finished dossiers whose time was measured


def measure_existing(engine: Engine) -> Measured:
    """Fill `paused_seconds` of the received dossiers whose pauses moved their due moment, then
    `time_used` of the received, finished dossiers that have none, in batches of `BATCH`."""
    with unit_of_work(engine) as session:
        calendar = load_calendar(session)
    return Measured(_pauses(engine, calendar), _times(engine, calendar))


def _pauses(engine: Engine, calendar: WorkingCalendar) -> int:
    def moved(rows: list[Any]) -> list[tuple[int, Any]]:
        return [
            (ident, round(calendar.working_time_between(original, due).total_seconds()))
            for ident, original, due in rows
        ]

    query = select(C.id, C.original_due_at, C.due_at).where(
        C.received_at.is_not(None), C.paused_seconds == 0, C.due_at > C.original_due_at
    )
    return _in_batches(engine, query, moved, "paused_seconds", Integer)


def _times(engine: Engine, calendar: WorkingCalendar) -> int:
    def measured(rows: list[Any]) -> list[tuple[int, Any]]:
        return [
            (
                ident,
                time_used(
                    calendar,
                    received,
                    finished,
                    timedelta(seconds=paused),
                    ProcessingUnit(unit or ProcessingUnit.working_days),
                ),
            )
            for ident, received, finished, paused, unit in rows
        ]

    query = select(C.id, C.received_at, C.finished_at, C.paused_seconds, C.processing_unit).where(
        C.received_at.is_not(None), C.finished_at.is_not(None), C.time_used.is_(None)
    )
    return _in_batches(engine, query, measured, "time_used", Float)


def _in_batches(
    engine: Engine,
    query: Select[Any],
    compute: Callable[[list[Any]], list[tuple[int, Any]]],
    name: str,
    kind: Any,
) -> int:
    """Read the rows of `query` by id, `BATCH` at a time, and set column `name` to what
    `compute` makes of them, one transaction per batch. Returns the rows done."""
    done, last = 0, 0
    while True:
        with unit_of_work(engine, write=True) as session:
            rows = list(session.execute(query.where(C.id > last).order_by(C.id).limit(BATCH)))
            if not rows:
                return done
            _write(session, name, compute(rows), kind)
        done, last = done + len(rows), rows[-1].id


def _write(session: Session, name: str, rows: list[tuple[int, Any]], kind: Any) -> None:
    """Set column `name` of each dossier id to its value. PostgreSQL gets one statement per
    batch, `UPDATE ... FROM (VALUES ...)`: a statement per row made most of the migration's
    time there at 10,000,000 dossiers. SQLite, in process, runs one per row (executemany); it
    does not take the column names of a VALUES list."""
    if session.get_bind().dialect.name == "postgresql":
        given = values(column("id", Integer), column("value", kind), name="given").data(rows)
        session.execute(update(TABLE).where(C.id == given.c.id).values({name: given.c.value}))
        return
    statement = update(TABLE).where(C.id == bindparam("b_id")).values({name: bindparam("b_v")})
    session.execute(statement, [{"b_id": ident, "b_v": value} for ident, value in rows])
