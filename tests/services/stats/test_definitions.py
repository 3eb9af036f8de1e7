"""The indicator definitions of Decision 766 (DOMAIN.md §6) on hand-made histories: received
means accepted, a period is judged at its end, carried-over dossiers, two supplement requests,
the level at receipt."""

from datetime import date, datetime
from typing import Any

from pytest import approx
from sqlalchemy import Engine, update
from sqlmodel import Session

from app.config import Settings
from app.models.catalogue import Procedure
from app.models.officer import Principal, Role
from app.models.types import VN_TZ, utcnow
from app.services.catalogue.scope import ProcedureScope
from app.services.dossiers.submission import Intake, submit_dossier
from app.services.dossiers.tracking import get_dossier
from app.services.dossiers.workflow import Action, Actor, Request, apply_action
from app.services.stats.indicators import (
    ON_TIME,
    ONLINE_RATIO,
    indicators,
    on_time_row,
    online_ratio_row,
)
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


# -- 2.2: the time from receipt, in the procedure's unit, pauses subtracted ------------------


def vn_at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=VN_TZ)


def processed(engine: Engine, code: str, start: datetime, done: datetime) -> None:
    move(engine, code, "start_processing", now=start)
    move(engine, code, "complete", now=done)


def test_processing_time_counts_working_time_with_fractions(
    session: Session, engine: Engine
) -> None:
    """The issue's example: received Monday 3 March 2025 at 17:30, after the desks closed,
    done Tuesday at 10:00: 2 h 30 of desk time, 0.3125 working day, not 1 day."""
    make_online_procedure(session, processing_days=3)
    made = make_dossier(engine, "accepted", now=vn_at(3, 3, 17, 30))
    processed(engine, made.code, vn_at(3, 4, 9), vn_at(3, 4, 10))
    row = march(engine, vn(3, 10))
    assert (row["processed"], row["processed_working_days"]) == (1, 1)
    assert row["avg_working_days"] == 0.312  # 0.3125 to a thousandth (half to even)
    assert row["avg_processing_days"] == 0.312
    assert row["avg_working_hours"] is None and row["processed_working_hours"] == 0


def test_processing_time_subtracts_the_pauses(session: Session, engine: Engine) -> None:
    """Received Monday 3 March 09:00; a supplement asked Monday 10:00 and given Wednesday
    10:00 pauses 16 desk hours (2 working days); done Thursday 09:00, 3 working days after
    receipt: 1 working day of processing. Over a weekend the pause takes desk time only: asked
    Friday 7 March 16:00, given Monday 10 March 09:00, it takes 2 h 30."""
    make_online_procedure(session, processing_days=5)
    first = make_dossier(engine, "accepted", now=vn(3, 3))
    move(engine, first.code, "request_supplement", now=vn(3, 3, 10))
    supplement = Request(Action.supplement, None)
    apply_action(engine, first.code, Actor.applicant(), supplement, vn(3, 5, 10))
    processed(engine, first.code, vn(3, 5, 11), vn(3, 6, 9))
    second = make_dossier(engine, "accepted", now=vn(3, 7, 8))
    move(engine, second.code, "request_supplement", now=vn(3, 7, 16))
    apply_action(engine, second.code, Actor.applicant(), supplement, vn(3, 10, 9))
    processed(engine, second.code, vn(3, 10, 10), vn(3, 10, 11))
    with Session(engine) as s:
        got = get_dossier(s, first.code), get_dossier(s, second.code)
        assert [d.paused_seconds for d in got] == [16 * 3600, int(2.5 * 3600)]
        # The second: 7 h 30 of desk time on Friday from 08:00, 3 h 30 on Monday to 11:00,
        # less 2 h 30 paused = 8 h 30, 1.0625 working days.
        assert [d.time_used for d in got] == [1.0, 1.062]
    row = march(engine, vn(3, 20))
    assert row["processed_working_days"] == 2
    assert row["avg_working_days"] == approx((1.0 + 1.062) / 2)


def test_processing_time_in_the_unit_the_dossier_was_received_in(
    session: Session, engine: Engine
) -> None:
    """In working hours: received Monday 3 March 11:00, done 14:00, across the lunch break:
    1.5 hours. The procedure then counts in calendar days (a pause takes every hour of it):
    received Monday 10 March 09:00, paused Tuesday 09:00 to Wednesday 09:00, done Thursday
    13 March 15:00: 3.25 days less 1 = 2.25 days. Each stays in its own unit; 2.2 over both
    is in days (1.5 h = 0.1875 day) and says each unit's average."""
    make_online_procedure(session, processing_amount=4.0, processing_unit="working_hours")
    hours = make_dossier(engine, "accepted", now=vn(3, 3, 11))
    processed(engine, hours.code, vn(3, 3, 12), vn(3, 3, 14))
    with Session(engine) as s:
        s.execute(
            update(Procedure)
            .where(Procedure.code == ONLINE_PROCEDURE)  # type: ignore[arg-type]
            .values(processing_amount=5.0, processing_unit="calendar_days")
        )
        s.commit()
    days = make_dossier(engine, "accepted", now=vn(3, 10))
    move(engine, days.code, "request_supplement", now=vn(3, 11))
    apply_action(engine, days.code, Actor.applicant(), Request(Action.supplement, None), vn(3, 12))
    processed(engine, days.code, vn(3, 12, 10), vn(3, 13, 15))
    row = march(engine, vn(3, 20))
    assert (row["processed_working_hours"], row["avg_working_hours"]) == (1, 1.5)
    assert (row["processed_calendar_days"], row["avg_calendar_days"]) == (1, 2.25)
    assert row["avg_processing_days"] == approx((0.1875 + 2.25) / 2)
    query = StatsQuery(date(2025, 3, 1), date(2025, 3, 31), GroupBy.none, ProcedureScope())
    with Session(engine) as s:
        found = {i["code"]: i for i in indicators(s, query, vn(3, 20))}
    average = found["2.2"]
    assert (average["numerator"], average["denominator"]) == (approx(2.4375), 2)
    assert average["note"] == (
        "Theo đơn vị của thủ tục: 1,50 giờ làm việc (1 hồ sơ); 2,25 ngày (1 hồ sơ). "
        "Giá trị chung quy đổi ra ngày."
    )
