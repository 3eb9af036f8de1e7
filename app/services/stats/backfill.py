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

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, bindparam, select, update

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
    statement = (
        update(TABLE).where(C.id == bindparam("b_id")).values(paused_seconds=bindparam("b_s"))
    )
    done, last = 0, 0
    while True:
        with unit_of_work(engine, write=True) as session:
            rows = session.execute(
                select(C.id, C.original_due_at, C.due_at)
                .where(
                    C.id > last,
                    C.received_at.is_not(None),
                    C.paused_seconds == 0,
                    C.due_at > C.original_due_at,
                )
                .order_by(C.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return done
            params = [
                {
                    "b_id": ident,
                    "b_s": round(calendar.working_time_between(original, due).total_seconds()),
                }
                for ident, original, due in rows
            ]
            session.execute(statement, params)
        done, last = done + len(rows), rows[-1].id


def _times(engine: Engine, calendar: WorkingCalendar) -> int:
    statement = update(TABLE).where(C.id == bindparam("b_id")).values(time_used=bindparam("b_t"))
    done, last = 0, 0
    while True:
        with unit_of_work(engine, write=True) as session:
            rows = session.execute(
                select(C.id, C.received_at, C.finished_at, C.paused_seconds, C.processing_unit)
                .where(
                    C.id > last,
                    C.received_at.is_not(None),
                    C.finished_at.is_not(None),
                    C.time_used.is_(None),
                )
                .order_by(C.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return done
            params = [
                {
                    "b_id": ident,
                    "b_t": time_used(
                        calendar,
                        received,
                        finished,
                        timedelta(seconds=paused),
                        ProcessingUnit(unit or ProcessingUnit.working_days),
                    ),
                }
                for ident, received, finished, paused, unit in rows
            ]
            session.execute(statement, params)
        done, last = done + len(rows), rows[-1].id
