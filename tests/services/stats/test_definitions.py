"""The indicator definitions of Decision 766 (DOMAIN.md §6) on hand-made histories: received
means accepted, a period is judged at its end, carried-over dossiers, two supplement requests,
the level at receipt."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session

from app.config import Settings
from app.models.catalogue import Procedure
from app.models.officer import Principal, Role
from app.models.types import VN_TZ, utcnow
from app.services.catalogue.scope import ProcedureScope
from app.services.dossiers.submission import Intake, submit_dossier
from app.services.dossiers.workflow import Action, Actor, Request, apply_action
from app.services.stats.indicators import ON_TIME, ONLINE_RATIO, on_time_row, online_ratio_row
from app.services.stats.queries import GroupBy, StatsQuery, compute
from tests.factories import (
    ONLINE_PROCEDURE,
    make_dossier,
    make_online_procedure,
    move,
    submission,
)
from tests.memory_storage import MemoryStorage


def vn(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=VN_TZ)


def on_time(engine: Engine, first: date, last: date, now: datetime, **scope: Any) -> Any:
    query = StatsQuery(first, last, GroupBy.none, ProcedureScope(include_retired=True, **scope))
    with Session(engine) as session:
        _groups, total = compute(session, query, now, ON_TIME)
    return on_time_row(total)


def march(engine: Engine, now: datetime) -> Any:
    return on_time(engine, date(2025, 3, 1), date(2025, 3, 31), now)


def april(engine: Engine, now: datetime) -> Any:
    return on_time(engine, date(2025, 4, 1), date(2025, 4, 30), now)


def test_only_accepted_dossiers_are_received(session: Session, engine: Engine) -> None:
    """The issue's example: one refused and one unaccepted online dossier next to one counter
    dossier give an online ratio of 0/1, not 0.667."""
    make_online_procedure(session)
    make_dossier(engine, "refused")
    make_dossier(engine, "new")
    storage = MemoryStorage()
    desk = submission(storage)
    desk.fields["channel"] = "counter"
    officer = Principal(username="lan", role=Role.officer, agency_code="000.00.00.H20", issuer="t")
    intake = Intake(officer=officer)
    submit_dossier(engine, storage, Settings(_env_file=None), desk, None, utcnow(), intake)
    query = StatsQuery(date(2020, 1, 1), date(2029, 12, 31), GroupBy.none, ProcedureScope())
    with Session(engine) as s:
        _groups, total = compute(s, query, datetime.now(VN_TZ), ONLINE_RATIO)
    row = online_ratio_row(total)
    assert (row["online"], row["total"], row["online_ratio"]) == (0, 1, 0.0)
    assert (row["submitted"], row["refused_at_intake"]) == (2, 1)


def test_a_closed_period_reads_the_same_later(session: Session, engine: Engine) -> None:
    """Received Thursday 27 March, 3 working days: due Tuesday 1 April 17:00. March, judged at
    its end, has it in progress and not yet due, whenever March is asked; April has it
    carried over, and late once 1 April has passed."""
    make_online_procedure(session, processing_days=3)
    made = make_dossier(engine, "accepted", now=vn(3, 27))
    assert made.dossier.due_at == vn(4, 1, 17)
    for now in (vn(3, 31, 12), vn(4, 20), vn(5, 6)):
        row = march(engine, now)
        assert (row["received"], row["in_progress"], row["overdue_in_progress"]) == (1, 1, 0)
        assert row["on_time_ratio"] == 1.0
    assert april(engine, vn(4, 1, 12))["on_time_ratio"] == 1.0  # not yet due: on time now
    row = april(engine, vn(4, 20))
    assert (row["carried_over"], row["received"], row["to_process"]) == (1, 0, 1)
    assert (row["overdue_in_progress"], row["on_time_ratio"]) == (1, 0.0)
    # Finished late in May: May shows it (carried over, finished late); March and April stay.
    move(engine, made.code, "start_processing", now=vn(5, 5))
    move(engine, made.code, "complete", now=vn(5, 5, 10))
    may = on_time(engine, date(2025, 5, 1), date(2025, 5, 31), vn(5, 6))
    assert (may["carried_over"], may["finished"], may["late"], may["on_time_ratio"]) == (
        1,
        1,
        1,
        0.0,
    )
    assert march(engine, vn(5, 6))["on_time_ratio"] == 1.0
    assert april(engine, vn(5, 6))["on_time_ratio"] == 0.0
    # The whole spring at once: one dossier to process, finished late.
    spring = on_time(engine, date(2025, 3, 1), date(2025, 5, 31), vn(5, 6))
    assert (spring["to_process"], spring["late"], spring["on_time_ratio"]) == (1, 1, 0.0)


def test_two_supplement_requests_make_it_late_at_once(session: Session, engine: Engine) -> None:
    make_online_procedure(session, processing_days=10)
    made = make_dossier(engine, "accepted", now=vn(3, 3))
    move(engine, made.code, "request_supplement", now=vn(3, 4))
    assert march(engine, vn(3, 5))["on_time_ratio"] == 1.0  # once: judged when asked, on time
    # Resumed by the applicant's supplement, then asked again.
    apply_action(engine, made.code, Actor.applicant(), Request(Action.supplement, None), vn(3, 5))
    move(engine, made.code, "request_supplement", now=vn(3, 6))
    row = march(engine, vn(3, 7))
    assert (row["in_progress"], row["overdue_in_progress"], row["on_time_ratio"]) == (1, 1, 0.0)


def test_a_supplement_asked_after_the_due_moment_hides_nothing(
    session: Session, engine: Engine
) -> None:
    make_online_procedure(session, processing_days=1)
    made = make_dossier(engine, "accepted", now=vn(3, 3))  # due Tuesday 4 March 17:00
    move(engine, made.code, "request_supplement", now=vn(3, 10))
    row = march(engine, vn(3, 11))
    assert (row["overdue_in_progress"], row["on_time_ratio"]) == (1, 0.0)


def test_statistics_by_level_use_the_level_at_receipt(session: Session, engine: Engine) -> None:
    make_online_procedure(session)
    make_dossier(engine, "accepted", now=vn(3, 3))
    with Session(engine) as s:
        s.execute(update(Procedure).values(level=4).where(Procedure.code == ONLINE_PROCEDURE))  # type: ignore[arg-type]
        s.commit()
    make_dossier(engine, "accepted", now=vn(3, 4))
    assert march(engine, vn(3, 5))["received"] == 2
    level_3 = on_time(engine, date(2025, 3, 1), date(2025, 3, 31), vn(3, 5), level=3)
    level_4 = on_time(engine, date(2025, 3, 1), date(2025, 3, 31), vn(3, 5), level=4)
    assert (level_3["received"], level_4["received"]) == (1, 1)
