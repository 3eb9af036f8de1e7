"""Due moments in each procedure's own unit, and pauses in working time (DOMAIN.md §5):
Tết, 30/4 – 1/5 with its make-up Saturday, 2/9, receipts after hours, half days, calendar days
ending on a Sunday, months that end on a shorter month."""

from datetime import date, datetime, timedelta

import pytest

from app.models.catalogue import ProcessingTime, ProcessingUnit
from app.models.types import VN_TZ
from app.services.calendar import WorkingCalendar
from app.services.dossiers.deadlines import add_months, due_after_pause, due_moment, elapsed

RULES = WorkingCalendar()
U = ProcessingUnit


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def time_of(value: float, unit: ProcessingUnit = U.working_days) -> ProcessingTime:
    return ProcessingTime(value=value, unit=unit)


@pytest.mark.parametrize(
    ("received", "value", "unit", "expected"),
    [
        # -- working days (whole ones as before: the receipt day is not counted)
        (vn(2025, 4, 24, 10), 2, U.working_days, vn(2025, 4, 26, 17)),  # make-up Saturday
        (vn(2025, 4, 29, 10), 1, U.working_days, vn(2025, 5, 5, 17)),  # 30/4, 1/5, 2/5 off
        (vn(2025, 1, 24, 10), 3, U.working_days, vn(2025, 2, 5, 17)),  # Tết 2025
        (vn(2025, 8, 29, 10), 1, U.working_days, vn(2025, 9, 3, 17)),  # 2/9 2025
        (vn(2026, 8, 28, 10), 1, U.working_days, vn(2026, 9, 3, 17)),  # 31/8 – 2/9 2026
        (vn(2025, 11, 7, 17, 30), 1, U.working_days, vn(2025, 11, 11, 17)),  # after hours
        (vn(2025, 11, 8, 10), 0, U.working_days, vn(2025, 11, 10, 17)),  # on a Saturday
        # -- half days: 4 working hours after the whole days
        (vn(2025, 11, 10, 9), 0.5, U.working_days, vn(2025, 11, 11, 11, 30)),
        (vn(2025, 11, 10, 9), 1.5, U.working_days, vn(2025, 11, 12, 11, 30)),
        (vn(2025, 11, 7, 9), 0.5, U.working_days, vn(2025, 11, 10, 11, 30)),  # over a weekend
        (vn(2025, 4, 25, 9), 0.5, U.working_days, vn(2025, 4, 26, 11, 30)),  # make-up Saturday
        (vn(2025, 1, 24, 9), 2.5, U.working_days, vn(2025, 2, 5, 11, 30)),  # across Tết
        # -- working hours: from the first working moment at or after receipt
        (vn(2025, 11, 10, 9), 4, U.working_hours, vn(2025, 11, 10, 14, 30)),
        (vn(2025, 11, 10, 16), 4, U.working_hours, vn(2025, 11, 11, 10, 30)),
        (vn(2025, 11, 10, 12), 2, U.working_hours, vn(2025, 11, 10, 15)),  # at lunch
        (vn(2025, 11, 7, 17, 30), 8, U.working_hours, vn(2025, 11, 10, 17)),  # Friday evening
        (vn(2025, 11, 8, 10), 0.5, U.working_hours, vn(2025, 11, 10, 8)),  # Saturday
        (vn(2025, 4, 30, 10), 16, U.working_hours, vn(2025, 5, 6, 17)),  # during 30/4
        (vn(2025, 8, 29, 16, 30), 1, U.working_hours, vn(2025, 9, 3, 8)),  # across 2/9
        # -- calendar days: every day counts; a last day off moves to the next working day
        (vn(2025, 11, 10, 9), 30, U.calendar_days, vn(2025, 12, 10, 17)),
        (vn(2025, 11, 10, 9), 6, U.calendar_days, vn(2025, 11, 17, 17)),  # Sunday 16 → Monday
        (vn(2025, 11, 10, 9), 5, U.calendar_days, vn(2025, 11, 17, 17)),  # Saturday 15
        (vn(2025, 11, 7, 17, 30), 2, U.calendar_days, vn(2025, 11, 12, 17)),  # counts from Mon
        (vn(2025, 1, 17, 9), 10, U.calendar_days, vn(2025, 2, 3, 17)),  # ends in Tết
        (vn(2025, 4, 16, 9), 10, U.calendar_days, vn(2025, 4, 26, 17)),  # make-up Saturday
        (vn(2025, 8, 2, 9), 30, U.calendar_days, vn(2025, 9, 3, 17)),  # ends on 1/9 → 3/9
        # -- months: the same day, or the month's last day
        (vn(2023, 1, 31, 9), 1, U.months, vn(2023, 2, 28, 17)),
        (vn(2025, 1, 31, 9), 1, U.months, vn(2025, 3, 3, 17)),  # received in Tết: from 3 Feb
        (vn(2024, 1, 31, 9), 1, U.months, vn(2024, 2, 29, 17)),  # a leap year
        (vn(2025, 3, 31, 9), 1, U.months, vn(2025, 4, 30, 17) + timedelta(days=5)),  # 30/4 off
        (vn(2025, 10, 15, 9), 3, U.months, vn(2026, 1, 15, 17)),
        (vn(2025, 7, 10, 9), 1, U.months, vn(2025, 8, 11, 17)),  # Sunday 10 Aug → Monday
        (vn(2025, 6, 13, 9), 2, U.months, vn(2025, 8, 13, 17)),
        (vn(2025, 10, 8, 9), 1, U.months, vn(2025, 11, 10, 17)),  # Saturday 8 Nov → Monday
    ],
)
def test_due_moment(
    received: datetime, value: float, unit: ProcessingUnit, expected: datetime
) -> None:
    due = due_moment(RULES, received, time_of(value, unit))
    assert due == expected
    assert due.utcoffset() == timedelta(hours=7)


def test_whole_working_days_are_the_calendar_rule() -> None:
    received = vn(2025, 11, 7, 16, 59)
    for n in range(0, 30):
        assert due_moment(RULES, received, time_of(n)) == RULES.add_working_days(received, n)


def test_a_half_day_lies_between_the_whole_days() -> None:
    received = vn(2025, 11, 10, 9)
    moments = [due_moment(RULES, received, time_of(n / 2)) for n in range(0, 12)]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)


def test_add_months() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 13) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 8, 31), 1) == date(2025, 9, 30)
    assert add_months(date(2025, 5, 20), 0) == date(2025, 5, 20)


@pytest.mark.parametrize(
    ("paused_at", "resumed_at", "expected"),
    [
        # Friday 17:30 to Monday 07:00: not a minute of desk time, nothing moves
        (vn(2025, 11, 7, 17, 30), vn(2025, 11, 10, 7, 0), vn(2025, 11, 14, 17)),
        # Monday 07:35 to 16:55: 7 h 50 min (9 h 20 min less lunch)
        (vn(2025, 11, 10, 7, 35), vn(2025, 11, 10, 16, 55), vn(2025, 11, 17, 16, 50)),
        # across a weekend: Friday 15:00 to Monday 09:00 is 3 h 30 min
        (vn(2025, 11, 7, 15, 0), vn(2025, 11, 10, 9, 0), vn(2025, 11, 17, 11, 0)),
        # an hour within a morning
        (vn(2025, 11, 11, 9, 0), vn(2025, 11, 11, 10, 0), vn(2025, 11, 17, 8, 30)),
        # paused after the due moment had passed: a late dossier stays late
        (vn(2025, 11, 14, 17, 1), vn(2025, 11, 20, 9, 0), vn(2025, 11, 14, 17)),
        (vn(2025, 11, 14, 17, 0), vn(2025, 11, 20, 9, 0), vn(2025, 11, 14, 17)),
    ],
)
def test_due_after_pause(paused_at: datetime, resumed_at: datetime, expected: datetime) -> None:
    due = vn(2025, 11, 14, 17)  # a Friday
    assert due_after_pause(RULES, due, paused_at, resumed_at) == expected


def test_a_pause_across_tet_moves_by_its_working_time() -> None:
    due = vn(2025, 1, 28, 17)  # made up: due during Tết would move off it by itself
    # Thursday 23 Jan 13:00 to Tuesday 4 Feb 13:00: 23 (4 h), 24 (8 h), 3 Feb (8 h), 4 (4 h)
    moved = due_after_pause(RULES, due, vn(2025, 1, 23, 13), vn(2025, 2, 4, 13))
    assert RULES.working_time_between(vn(2025, 1, 23, 13), vn(2025, 2, 4, 13)) == timedelta(
        hours=24
    )
    assert moved == vn(2025, 2, 5, 17)  # 24 h after Tuesday 28 Jan 17:00 (Tết: 3, 4, 5 Feb)


@pytest.mark.parametrize(
    ("start", "end", "unit", "expected"),
    [
        (vn(2025, 11, 17, 17, 30), vn(2025, 11, 18, 10), U.working_days, 2.5 / 8),  # 2.2's case
        (vn(2025, 11, 10, 7, 30), vn(2025, 11, 12, 11, 30), U.working_days, 2.5),
        (vn(2025, 1, 24, 7, 30), vn(2025, 2, 4, 7, 30), U.working_days, 2.0),  # Tết
        (vn(2025, 11, 10, 7, 35), vn(2025, 11, 10, 16, 55), U.working_hours, 47 / 6),
        (vn(2025, 11, 7, 12), vn(2025, 11, 9, 0), U.calendar_days, 1.5),
        (vn(2025, 1, 1, 9), vn(2025, 3, 2, 9), U.months, 2.0),
        (vn(2025, 1, 2, 9), vn(2025, 1, 1, 9), U.calendar_days, 0.0),
    ],
)
def test_elapsed_in_the_procedures_unit(
    start: datetime, end: datetime, unit: ProcessingUnit, expected: float
) -> None:
    assert elapsed(RULES, start, end, unit) == pytest.approx(expected)
