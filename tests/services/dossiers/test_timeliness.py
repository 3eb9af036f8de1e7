"""`timeliness` — the one source of `on_time` and `overdue` — around holidays and supplement
requests: OpenCPS's two most reported bugs."""

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.models.dossier import Dossier
from app.models.types import VN_TZ
from app.services.calendar import WorkingCalendar
from app.services.dossiers.deadlines import due_after_pause
from app.services.dossiers.timeliness import overdue_clause, timeliness
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


def test_a_dossier_is_not_overdue_on_the_day_it_was_submitted() -> None:
    fresh = dossier(status="new", submitted_at=vn(2025, 1, 24, 16, 59))
    assert timeliness(fresh, vn(2025, 1, 24, 23, 59)) == (None, False)


def test_tet_does_not_make_a_dossier_overdue() -> None:
    # Accepted Friday 24 Jan 2025, 3 working days: Tết (27 Jan – 1 Feb) does not count.
    received = vn(2025, 1, 24, 10)
    due = CAL.add_working_days(received, 3)
    assert due == vn(2025, 2, 5, 17)
    accepted = dossier(received_at=received, due_at=due)
    assert timeliness(accepted, vn(2025, 1, 31, 12)) == (None, False)  # in the middle of Tết
    assert timeliness(accepted, vn(2025, 2, 5, 16, 59)) == (None, False)
    assert timeliness(accepted, vn(2025, 2, 5, 17, 1)) == (None, True)


def test_a_paused_dossier_is_never_overdue_and_its_deadline_moves() -> None:
    due = vn(2025, 4, 29, 17)  # Tuesday before 30/4 – 1/5 and the substituted 2/5
    asked = vn(2025, 4, 28, 9)
    paused = dossier(status="supplement_requested", due_at=due, paused_at=asked)
    assert timeliness(paused, vn(2025, 5, 20, 9)) == (None, False)
    # Supplied Tuesday 6 May 10:00: 6.5 desk hours on 28/4, 8 on 29/4 and 5/5, 2.5 on 6/5
    # (30/4, 1/5, 2/5 and the weekend are off), so the deadline moves 25 working hours.
    supplied = vn(2025, 5, 6, 10)
    assert CAL.working_time_between(asked, supplied) == timedelta(hours=25)
    assert due_after_pause(CAL, due, asked, supplied) == vn(2025, 5, 8, 8, 30)


def test_repeated_supplement_requests_do_not_make_it_overdue_but_late() -> None:
    due = vn(2025, 3, 10, 17)
    in_progress = dossier(status="processing", due_at=due, supplement_requests=2)
    assert timeliness(in_progress, vn(2025, 3, 10, 12)) == (None, False)
    finished = dossier(
        status="processed", due_at=due, supplement_requests=2, finished_at=vn(2025, 3, 3, 9)
    )
    assert timeliness(finished, vn(2025, 3, 20)) == (False, False)
    once = dossier(
        status="processed", due_at=due, supplement_requests=1, finished_at=vn(2025, 3, 3, 9)
    )
    assert timeliness(once, vn(2025, 3, 20)) == (True, False)


def test_finishing_exactly_at_the_due_moment_is_on_time() -> None:
    due = vn(2026, 2, 24, 17)
    assert timeliness(dossier(status="returned", due_at=due, finished_at=due), due) == (True, False)
    late = dossier(status="returned", due_at=due, finished_at=vn(2026, 2, 24, 17, 0, 1))
    assert timeliness(late, due) == (False, False)


def test_a_dossier_refused_at_intake_has_no_on_time_verdict() -> None:
    refused = dossier(status="refused", finished_at=vn(2025, 1, 24, 10))
    assert timeliness(refused, vn(2025, 2, 1)) == (None, False)


def test_finished_without_a_deadline_is_null_in_views_and_not_late_in_statistics() -> None:
    """The one decision for a dossier that never had a due moment (refused at intake): the
    views show `on_time: null`, and the counters, which must say on time or late, count it
    with the on-time ones. Both read it from `timeliness`."""
    refused = dossier(status="refused", finished_at=vn(2025, 1, 24, 10))
    assert timeliness(refused, vn(2025, 2, 1, 9)) == (None, False)
    facts = counters.Facts.of(refused)
    assert counters.contribution(facts, CAL).counters["finished_on_time"] == 1
    late = dossier(
        status="processed",
        received_at=vn(2025, 1, 24, 9),
        due_at=vn(2025, 1, 24, 17),
        finished_at=vn(2025, 1, 27, 9),
    )
    assert timeliness(late, vn(2025, 2, 1, 9)) == (False, False)
    assert counters.contribution(counters.Facts.of(late), CAL).counters["finished_on_time"] == 0


def test_the_queue_filter_and_the_views_agree_on_overdue(session: Session) -> None:
    """`overdue_clause` is `is_overdue` in SQL: both say the same of each case."""
    now = vn(2025, 2, 3, 9)
    cases: list[dict[str, object]] = [
        {"due_at": vn(2025, 1, 31, 17)},
        {"due_at": vn(2025, 2, 3, 17)},
        {"due_at": vn(2025, 1, 31, 17), "paused_at": vn(2025, 1, 30, 9)},
        {"due_at": vn(2025, 1, 31, 17), "finished_at": vn(2025, 2, 1, 9)},
        {},
    ]
    make_online_procedure(session)
    for n, values in enumerate(cases, start=1):
        code = f"000.00.00.H20-250124-000{n}"
        session.add(dossier(code=code, access_token_hash=str(n) * 64, **values))
    session.commit()
    flagged = set(session.scalars(select(col(Dossier.code)).where(overdue_clause(now))))
    for row in session.scalars(select(Dossier)):
        assert (row.code in flagged) == timeliness(row, now)[1], row.code
    assert flagged == {"000.00.00.H20-250124-0001"}
