"""`timeliness` — the one source of `on_time` and `overdue` — around holidays and supplement
requests: OpenCPS's two most reported bugs."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.models.dossier import Dossier
from app.models.types import VN_TZ
from app.services.calendar import WorkingCalendar
from app.services.dossiers.deadlines import due_after_pause
from app.services.dossiers.timeliness import late_at_after, overdue_clause, timeliness
from app.services.stats import counters
from tests.factories import make_online_procedure

CAL = WorkingCalendar()


def vn(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


def dossier(**values: Any) -> Dossier:
    base: dict[str, Any] = {
        "code": "000.00.00.H20-250124-0001",
        "procedure_code": "1.001193.H20",
        "agency_code": "000.00.00.H20",
        "channel": "online",
        "status": "accepted",
        "applicant": {},
        "form": {},
        "access_token_hash": "0" * 64,
        "submitted_at": vn(2025, 1, 24, 9),
    }
    base.update(values)
    return Dossier(**base)


def moved(late_at: datetime | None, now: datetime, **after: Any) -> datetime | None:
    return late_at_after(late_at, after, now)


def test_a_dossier_is_not_overdue_on_the_day_it_was_submitted() -> None:
    fresh = dossier(status="new", submitted_at=vn(2025, 1, 24, 16, 59))
    assert timeliness(fresh, vn(2025, 1, 24, 23, 59)) == (None, False)


def test_tet_does_not_make_a_dossier_overdue() -> None:
    # Accepted Friday 24 Jan 2025, 3 working days: Tết (27 Jan – 1 Feb) does not count.
    received = vn(2025, 1, 24, 10)
    due = CAL.add_working_days(received, 3)
    assert due == vn(2025, 2, 5, 17)
    late_at = moved(None, received, due_at=due)
    assert late_at == due  # the clock runs: late from the due moment on
    accepted = dossier(received_at=received, due_at=due, late_at=late_at)
    assert timeliness(accepted, vn(2025, 1, 31, 12)) == (None, False)  # in the middle of Tết
    assert timeliness(accepted, vn(2025, 2, 5, 16, 59)) == (None, False)
    assert timeliness(accepted, vn(2025, 2, 5, 17, 1)) == (None, True)


def test_a_pause_asked_in_time_stops_the_clock_and_one_asked_late_hides_nothing() -> None:
    due = vn(2025, 4, 29, 17)
    asked = vn(2025, 4, 28, 9)
    in_time = moved(due, asked, due_at=due, paused_at=asked, supplement_requests=1)
    assert in_time is None  # judged at the moment it was asked: on time
    paused = dossier(status="supplement_requested", due_at=due, paused_at=asked, late_at=in_time)
    assert timeliness(paused, vn(2025, 5, 20, 9)) == (None, False)
    # Asked after the due moment: late it stays, paused or resumed, finished or not.
    asked_late = vn(2025, 4, 30, 9)
    late = moved(due, asked_late, due_at=due, paused_at=asked_late, supplement_requests=1)
    assert late == due
    resumed_due = vn(2025, 5, 9, 17)
    assert moved(late, vn(2025, 5, 6, 9), due_at=resumed_due) == due
    still = dossier(status="supplement_requested", due_at=due, paused_at=asked_late, late_at=late)
    assert timeliness(still, vn(2025, 5, 2, 9)) == (None, True)
    finished = moved(late, vn(2025, 5, 7, 9), due_at=resumed_due, finished_at=vn(2025, 5, 7, 9))
    assert finished == due
    done = dossier(status="processed", received_at=vn(2025, 4, 24, 9), due_at=resumed_due)
    done.finished_at, done.late_at = vn(2025, 5, 7, 9), finished
    assert timeliness(done, vn(2025, 5, 8)) == (False, False)
    # Supplied Tuesday 6 May 10:00: 6.5 desk hours on 28/4, 8 on 29/4 and 5/5, 2.5 on 6/5
    # (30/4, 1/5, 2/5 and the weekend are off), so the deadline moves 25 working hours.
    supplied = vn(2025, 5, 6, 10)
    assert CAL.working_time_between(asked, supplied) == timedelta(hours=25)
    assert due_after_pause(CAL, due, asked, supplied) == vn(2025, 5, 8, 8, 30)


def test_a_second_supplement_request_makes_it_late_at_once() -> None:
    due = vn(2025, 3, 10, 17)
    second = vn(2025, 3, 3, 9)
    late_at = moved(due, second, due_at=due, paused_at=second, supplement_requests=2)
    assert late_at == second
    in_progress = dossier(
        status="processing", received_at=vn(2025, 3, 1, 9), due_at=due, late_at=late_at
    )
    assert timeliness(in_progress, vn(2025, 3, 5, 12)) == (None, True)
    finished = moved(late_at, vn(2025, 3, 6, 9), due_at=due, finished_at=vn(2025, 3, 6, 9))
    assert finished == second
    once = moved(due, second, due_at=due, paused_at=second, supplement_requests=1)
    assert once is None


def test_finishing_exactly_at_the_due_moment_is_on_time() -> None:
    due = vn(2026, 2, 24, 17)
    assert moved(due, due, due_at=due, finished_at=due) is None
    just_after = vn(2026, 2, 24, 17, 0, 1)
    assert moved(due, just_after, due_at=due, finished_at=just_after) == due
    on_time = dossier(status="returned", received_at=vn(2026, 2, 20), due_at=due, finished_at=due)
    assert timeliness(on_time, due) == (True, False)
    late = dossier(
        status="returned",
        received_at=vn(2026, 2, 20),
        due_at=due,
        finished_at=just_after,
        late_at=due,
    )
    assert timeliness(late, just_after) == (False, False)


def test_a_dossier_refused_at_intake_has_no_on_time_verdict() -> None:
    refused = dossier(status="refused", finished_at=vn(2025, 1, 24, 10))
    assert moved(None, vn(2025, 1, 24, 10), finished_at=vn(2025, 1, 24, 10)) is None
    assert timeliness(refused, vn(2025, 2, 1)) == (None, False)


def test_refused_at_intake_counts_apart_from_the_received() -> None:
    """Never received: it counts as refused at intake on its refusal day, and in nothing that
    indicator 2.1 reads."""
    refused = dossier(status="refused", finished_at=vn(2025, 1, 24, 10))
    part = counters.contribution(counters.Facts.of(refused))
    assert part.days == {
        date(2025, 1, 24): {"submitted": 1, "st_refused": 1, "refused_at_intake": 1}
    }
    late = dossier(
        status="processed",
        received_at=vn(2025, 1, 24, 9),
        due_at=vn(2025, 1, 24, 17),
        finished_at=vn(2025, 1, 27, 9),
        late_at=vn(2025, 1, 24, 17),
        processing_unit="working_days",
        time_used=1.0,
    )
    assert timeliness(late, vn(2025, 2, 1, 9)) == (False, False)
    days = counters.contribution(counters.Facts.of(late)).days
    assert days[date(2025, 1, 24)]["became_late"] == 1
    assert days[date(2025, 1, 27)] == {"finished": 1, "finished_late": 1}


def test_the_queue_filter_and_the_views_agree_on_overdue(session: Session) -> None:
    """`overdue_clause` is `is_overdue` in SQL, and its negation finds the rest."""
    now = vn(2025, 2, 3, 9)
    received = vn(2025, 1, 24, 9)
    cases: list[dict[str, object]] = [
        {"due_at": vn(2025, 1, 31, 17), "late_at": vn(2025, 1, 31, 17)},
        {"due_at": vn(2025, 2, 3, 17), "late_at": vn(2025, 2, 3, 17)},
        {"due_at": vn(2025, 1, 31, 17), "paused_at": vn(2025, 1, 30, 9)},
        {
            "due_at": vn(2025, 1, 31, 17),
            "paused_at": vn(2025, 2, 1, 9),
            "late_at": vn(2025, 1, 31, 17),
        },
        {
            "due_at": vn(2025, 1, 31, 17),
            "finished_at": vn(2025, 2, 1, 9),
            "late_at": vn(2025, 1, 31, 17),
        },
        {},
    ]
    make_online_procedure(session)
    for n, values in enumerate(cases, start=1):
        code = f"000.00.00.H20-250124-000{n}"
        extra = {"received_at": received} if values else {}
        session.add(dossier(code=code, access_token_hash=str(n) * 64, **extra, **values))
    session.commit()
    flagged = set(session.scalars(select(col(Dossier.code)).where(overdue_clause(now))))
    rest = set(session.scalars(select(col(Dossier.code)).where(~overdue_clause(now))))
    for row in session.scalars(select(Dossier)):
        assert (row.code in flagged) == timeliness(row, now)[1], row.code
    assert flagged == {"000.00.00.H20-250124-0001", "000.00.00.H20-250124-0004"}
    assert len(rest) == len(cases) - 2
