"""The working-day calendar: holidays, overrides, receipts around closing time, and deadlines
(DOMAIN.md §5; OpenCPS's most reported bugs were overdue miscalculations around holidays)."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

import app.models.calendar  # noqa: F401  (registers the calendar_override table)
from app.errors import InvalidContent
from app.models.calendar import CalendarDay, CalendarOverride, DayKind
from app.models.types import VN_TZ
from app.services.calendar import (
    WORKDAY_END,
    WORKING_DAY,
    WorkingCalendar,
    add_override,
    list_calendar,
    load_calendar,
    remove_override,
)
from tests.factories import engine_of

RULES = WorkingCalendar()
# Decision of the Prime Minister for 2025: Saturday 26 April is worked so that Friday 2 May is
# off; the package names the Saturday, and the rules make it a working day. An override can
# still take it back (a province that did not work that Saturday).
NO_MAKE_UP_2025 = WorkingCalendar({date(2025, 4, 26): False})


def vn(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


def due(day: date) -> datetime:
    return datetime.combine(day, WORKDAY_END, tzinfo=VN_TZ)


# ---------------------------------------------------------------------------------------------
# The package's data, pinned: a new `holidays` release that moves a day must be noticed here.


def test_holidays_of_2025_as_the_package_lists_them() -> None:
    assert [day for day, _name in RULES.holidays_in(2025)] == [
        date(2025, 1, 1),
        *[date(2025, 1, d) for d in range(27, 32)],
        date(2025, 2, 1),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ]
    names = dict(RULES.holidays_in(2025))
    assert names[date(2025, 1, 29)] == "Tết Nguyên Đán"
    assert names[date(2025, 5, 2)] == "Ngày nghỉ (thay cho ngày 26/04/2025)"


def test_holidays_of_2026_as_the_package_lists_them() -> None:
    assert [day for day, _name in RULES.holidays_in(2026)] == [
        date(2026, 1, 1),
        date(2026, 1, 2),  # corrected: the package (0.109) does not know this swap
        *[date(2026, 2, d) for d in range(16, 21)],
        date(2026, 4, 26),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ]


def test_the_make_up_saturdays_the_package_names() -> None:
    assert RULES.make_up_days_in(2025) == [
        (date(2025, 4, 26), "Ngày làm việc bù (cho ngày nghỉ 02/05/2025)")
    ]
    assert [day for day, _name in RULES.make_up_days_in(2024)] == [date(2024, 5, 4)]
    assert [day for day, _name in RULES.make_up_days_in(2026)] == [
        date(2026, 1, 10),  # corrected, for Friday 2 January
        date(2026, 8, 22),
    ]
    # a swap across the new year: Saturday 27/12/2014 paid for Friday 2/1/2015
    assert (date(2014, 12, 27), "Ngày làm việc bù (cho ngày nghỉ 02/01/2015)") in (
        RULES.make_up_days_in(2014)
    )
    assert RULES.is_working_day(date(2014, 12, 27))
    assert not RULES.is_working_day(date(2015, 1, 2))


def test_the_2026_new_year_swap_is_corrected() -> None:
    # Official Dispatch 12729/VPCP-KGVX: Thursday 1 – Sunday 4 January off, Saturday 10 worked.
    assert not RULES.is_working_day(date(2026, 1, 2))
    assert RULES.is_working_day(date(2026, 1, 10))
    names = dict(RULES.holidays_in(2026))
    assert names[date(2026, 1, 2)] == "Ngày nghỉ (thay cho ngày 10/01/2026)"
    assert RULES.add_working_days(vn(2025, 12, 31, 10, 0), 1) == due(date(2026, 1, 5))
    assert RULES.add_working_days(vn(2026, 1, 9, 10, 0), 1) == due(date(2026, 1, 10))


def test_working_days_in_a_whole_year() -> None:
    # 2025 has 261 weekdays; 12 of its 13 public holidays fall on one (1 Feb is a Saturday);
    # Saturday 26 April is worked.
    assert RULES.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 250
    assert NO_MAKE_UP_2025.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 249


# ---------------------------------------------------------------------------------------------
# is_working_day and next_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 24), True),  # the Friday before Tết
        (date(2025, 1, 27), False),  # 29 Tết
        (date(2025, 1, 31), False),
        (date(2025, 2, 3), True),
        (date(2026, 2, 16), False),
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), True),
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), False),  # substituted day off
        (date(2025, 4, 26), True),  # the make-up Saturday for Friday 2 May
        (date(2025, 4, 19), False),  # an ordinary Saturday
        (date(2024, 5, 4), True),  # the make-up Saturday for Monday 29 April 2024
        (date(2026, 8, 22), True),  # the make-up Saturday for Monday 31 August 2026
        (date(2026, 11, 24), False),  # Vietnam Cultural Day (from 2026, see README)
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2025, 9, 3), True),
        (date(2026, 8, 31), False),  # substituted day off before National Day
        (date(2026, 9, 3), True),
        (date(2025, 11, 8), False),  # Saturday
        (date(2025, 11, 9), False),  # Sunday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert RULES.is_working_day(day) is working


def test_an_override_wins_over_the_rules() -> None:
    calendar = WorkingCalendar({date(2025, 4, 26): True, date(2025, 11, 10): False})
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2025, 11, 10))
    assert calendar.next_working_day(date(2025, 11, 7)) == date(2025, 11, 11)
    assert WorkingCalendar({date(2025, 9, 2): True}).is_working_day(date(2025, 9, 2))


def test_next_working_day_skips_tet() -> None:
    assert RULES.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)
    assert RULES.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_a_datetime_is_read_as_its_vietnam_date() -> None:
    # 23:30 UTC on Sunday 9 Nov is 06:30 on Monday 10 Nov in Vietnam.
    assert RULES.is_working_day(datetime(2025, 11, 9, 23, 30, tzinfo=UTC))
    assert not RULES.is_working_day(datetime(2025, 11, 9, 16, 0, tzinfo=UTC))


def test_the_calendar_is_immutable() -> None:
    overrides = {date(2025, 4, 26): True}
    calendar = WorkingCalendar(overrides)
    overrides[date(2025, 4, 26)] = False
    assert calendar.is_working_day(date(2025, 4, 26))
    with pytest.raises(TypeError):
        calendar.overrides[date(2025, 4, 26)] = False  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        calendar.overrides = {}  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# add_working_days


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        # Tết 2025 (27 Jan – 1 Feb): a Friday receipt is due after the holiday.
        (RULES, vn(2025, 1, 24, 10, 0), 0, due(date(2025, 1, 24))),
        (RULES, vn(2025, 1, 24, 10, 0), 1, due(date(2025, 2, 3))),
        (RULES, vn(2025, 1, 24, 10, 0), 5, due(date(2025, 2, 7))),
        # received during Tết: counted from Monday 3 Feb
        (RULES, vn(2025, 1, 29, 9, 0), 0, due(date(2025, 2, 3))),
        (RULES, vn(2025, 1, 29, 9, 0), 2, due(date(2025, 2, 5))),
        # Tết 2026 (16 – 20 Feb)
        (RULES, vn(2026, 2, 13, 16, 0), 1, due(date(2026, 2, 23))),
        (RULES, vn(2026, 2, 13, 16, 0), 3, due(date(2026, 2, 25))),
        # 30/4 – 1/5 2025 and the substituted Friday 2 May
        (RULES, vn(2025, 4, 29, 10, 0), 1, due(date(2025, 5, 5))),
        (RULES, vn(2025, 4, 29, 10, 0), 2, due(date(2025, 5, 6))),
        # the make-up Saturday 26 Apr 2025 is a working day, unless an override takes it back
        (RULES, vn(2025, 4, 24, 10, 0), 2, due(date(2025, 4, 26))),  # Thursday + 2
        (RULES, vn(2025, 4, 25, 10, 0), 1, due(date(2025, 4, 26))),
        (RULES, vn(2025, 4, 25, 10, 0), 2, due(date(2025, 4, 28))),
        (NO_MAKE_UP_2025, vn(2025, 4, 24, 10, 0), 2, due(date(2025, 4, 28))),
        (NO_MAKE_UP_2025, vn(2025, 4, 25, 10, 0), 1, due(date(2025, 4, 28))),
        (RULES, vn(2025, 4, 26, 10, 0), 0, due(date(2025, 4, 26))),
        (NO_MAKE_UP_2025, vn(2025, 4, 26, 10, 0), 0, due(date(2025, 4, 28))),
        (RULES, vn(2025, 4, 26, 17, 30), 0, due(date(2025, 4, 28))),
        (RULES, vn(2025, 4, 29, 10, 0), 3, due(date(2025, 5, 7))),
        # 2/9: 2025 off Mon 1 – Tue 2 Sep; 2026 off Mon 31 Aug – Wed 2 Sep
        (RULES, vn(2025, 8, 29, 10, 0), 1, due(date(2025, 9, 3))),
        (RULES, vn(2026, 8, 28, 10, 0), 1, due(date(2026, 9, 3))),
        # Vietnam Cultural Day, Tue 24 Nov 2026
        (RULES, vn(2026, 11, 23, 10, 0), 1, due(date(2026, 11, 25))),
        # a Friday receipt just before and just after the desks close
        (RULES, vn(2025, 11, 7, 16, 59), 0, due(date(2025, 11, 7))),
        (RULES, vn(2025, 11, 7, 16, 59), 1, due(date(2025, 11, 10))),
        (RULES, vn(2025, 11, 7, 16, 59, 59), 1, due(date(2025, 11, 10))),
        (RULES, vn(2025, 11, 7, 17, 0), 0, due(date(2025, 11, 10))),
        (RULES, vn(2025, 11, 7, 17, 1), 0, due(date(2025, 11, 10))),
        (RULES, vn(2025, 11, 7, 17, 1), 1, due(date(2025, 11, 11))),
        # before the desks open: still that day
        (RULES, vn(2025, 11, 7, 6, 0), 0, due(date(2025, 11, 7))),
        (RULES, vn(2025, 11, 7, 0, 0), 1, due(date(2025, 11, 10))),
        # on a Saturday and on a holiday
        (RULES, vn(2025, 11, 8, 10, 0), 0, due(date(2025, 11, 10))),
        (RULES, vn(2025, 11, 8, 10, 0), 1, due(date(2025, 11, 11))),
        (RULES, vn(2025, 9, 2, 10, 0), 1, due(date(2025, 9, 4))),
        # an extra day off (override) on the Monday
        (
            WorkingCalendar({date(2025, 11, 10): False}),
            vn(2025, 11, 7, 16, 59),
            1,
            due(date(2025, 11, 11)),
        ),
        # across the new year: Friday 2 January 2026 is swapped for Saturday 10 January
        (RULES, vn(2025, 12, 31, 10, 0), 1, due(date(2026, 1, 5))),
        (RULES, vn(2024, 12, 31, 10, 0), 1, due(date(2025, 1, 2))),
    ],
)
def test_add_working_days(
    calendar: WorkingCalendar, start: datetime, n: int, expected: datetime
) -> None:
    result = calendar.add_working_days(start, n)
    assert result == expected
    assert result.tzinfo == VN_TZ
    assert result.utcoffset() == timedelta(hours=7)


def test_the_due_moment_is_written_in_vietnam_time() -> None:
    result = RULES.add_working_days(vn(2025, 1, 24, 10, 0), 1)
    assert result.isoformat() == "2025-02-03T17:00:00+07:00"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (datetime(2025, 11, 7, 9, 59, tzinfo=UTC), 1, due(date(2025, 11, 10))),  # 16:59 in VN
        (datetime(2025, 11, 7, 10, 1, tzinfo=UTC), 1, due(date(2025, 11, 11))),  # 17:01 in VN
        # Thursday 23:30 UTC is Friday 06:30 in Vietnam: Friday is the receipt day.
        (datetime(2025, 11, 6, 23, 30, tzinfo=UTC), 0, due(date(2025, 11, 7))),
        (
            datetime(2025, 11, 7, 4, 59, tzinfo=ZoneInfo("America/New_York")),
            1,
            due(date(2025, 11, 10)),
        ),
    ],
)
def test_other_time_zones_are_converted(start: datetime, n: int, expected: datetime) -> None:
    assert RULES.add_working_days(start, n) == expected


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        RULES.add_working_days(datetime(2025, 11, 7, 10, 0), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        RULES.working_days_between(datetime(2025, 11, 7, 10, 0), date(2025, 11, 10))


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        RULES.add_working_days(vn(2025, 11, 7, 10, 0), -1)


# ---------------------------------------------------------------------------------------------
# working_days_between


def test_working_days_between() -> None:
    assert RULES.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1
    assert RULES.working_days_between(date(2025, 2, 3), date(2025, 1, 24)) == -1
    assert RULES.working_days_between(date(2025, 2, 3), date(2025, 2, 3)) == 0
    assert RULES.working_days_between(date(2025, 11, 7), date(2025, 11, 9)) == 0
    # a < d <= b: the first day never counts, the last one does
    assert RULES.working_days_between(date(2025, 11, 8), date(2025, 11, 10)) == 1
    assert RULES.working_days_between(date(2025, 11, 10), date(2025, 11, 8)) == -1
    assert RULES.working_days_between(date(2025, 11, 6), date(2025, 11, 7)) == 1
    # 28, 29 Apr and 5 May; 30 Apr – 2 May are off
    assert RULES.working_days_between(date(2025, 4, 25), date(2025, 5, 5)) == 4
    assert NO_MAKE_UP_2025.working_days_between(date(2025, 4, 25), date(2025, 5, 5)) == 3
    friday_vn = datetime(2025, 11, 6, 23, 30, tzinfo=UTC)
    assert RULES.working_days_between(friday_vn, date(2025, 11, 10)) == 1


# A time zone behind UTC and one ahead of Vietnam, so that the Vietnam date often differs.
ZONES = st.sampled_from([UTC, VN_TZ, ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")])
CALENDARS = st.sampled_from([RULES, NO_MAKE_UP_2025, WorkingCalendar({date(2026, 2, 23): False})])


@settings(deadline=None)  # the first lookup of a year computes its lunar holidays
@given(
    start=st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31, 23, 59), timezones=ZONES),
    n=st.integers(0, 60),
    calendar=CALENDARS,
)
def test_due_moments_invert(start: datetime, n: int, calendar: WorkingCalendar) -> None:
    result = calendar.add_working_days(start, n)
    assert result.tzinfo == VN_TZ
    assert result.timetz() == WORKDAY_END.replace(tzinfo=VN_TZ)
    assert calendar.is_working_day(result.date())
    assert calendar.working_days_between(calendar.receipt_day(start), result.date()) == n
    assert calendar.working_days_between(result.date(), calendar.receipt_day(start)) == -n
    assert result > start
    if n >= 1:
        assert result > calendar.add_working_days(start, n - 1)


# ---------------------------------------------------------------------------------------------
# Overrides stored in the database


def test_add_and_load_overrides(session: Session) -> None:
    row = add_override(engine_of(session), date(2025, 4, 26), True, "  Làm bù cho ngày 02/05/2025 ")
    add_override(engine_of(session), date(2025, 11, 10), False)
    assert row.note == "Làm bù cho ngày 02/05/2025"
    calendar = load_calendar(session)
    assert dict(calendar.overrides) == {date(2025, 4, 26): True, date(2025, 11, 10): False}
    assert calendar.add_working_days(vn(2025, 4, 25, 10, 0), 1) == due(date(2025, 4, 26))
    assert calendar.add_working_days(vn(2025, 11, 7, 10, 0), 1) == due(date(2025, 11, 11))


def test_an_override_is_stored_with_its_creation_time(session: Session) -> None:
    add_override(engine_of(session), date(2025, 4, 26), True)
    session.expunge_all()
    row = session.get(CalendarOverride, date(2025, 4, 26))
    assert row is not None
    assert row.working is True
    assert row.note == ""
    assert row.created_at.tzinfo == UTC
    assert datetime.now(UTC) - row.created_at < timedelta(minutes=1)


def test_adding_twice_replaces_the_kind(session: Session) -> None:
    add_override(engine_of(session), date(2025, 11, 10), False, "nghỉ")
    add_override(engine_of(session), date(2025, 11, 10), True, "làm")
    rows = session.exec(select(CalendarOverride)).all()
    assert [(r.day, r.working, r.note) for r in rows] == [(date(2025, 11, 10), True, "làm")]
    assert load_calendar(session).is_working_day(date(2025, 11, 10))


def test_remove_override(session: Session) -> None:
    add_override(engine_of(session), date(2025, 4, 26), False, "không làm bù")
    assert not load_calendar(session).is_working_day(date(2025, 4, 26))
    assert remove_override(engine_of(session), date(2025, 4, 26)) is True
    assert remove_override(engine_of(session), date(2025, 4, 26)) is False
    assert load_calendar(session).overrides == {}
    assert load_calendar(session).is_working_day(date(2025, 4, 26))  # the rules again


def test_a_note_too_long_is_refused_and_nothing_is_stored(session: Session) -> None:
    with pytest.raises(InvalidContent):
        add_override(engine_of(session), date(2025, 4, 26), True, "x" * 301)
    assert session.exec(select(CalendarOverride)).all() == []
    add_override(engine_of(session), date(2025, 4, 26), True, "x" * 300)


def test_list_calendar_merges_holidays_and_overrides(session: Session) -> None:
    add_override(engine_of(session), date(2025, 4, 26), True, "Làm bù cho ngày 02/05/2025")
    add_override(engine_of(session), date(2025, 1, 27), False)  # restates a holiday: keeps its name
    add_override(engine_of(session), date(2025, 9, 2), True, "trực")
    add_override(engine_of(session), date(2026, 1, 2), False, "next year, not listed")
    days = list_calendar(session, 2025)
    assert [(d.day, d.kind) for d in days] == [
        (date(2025, 1, 1), DayKind.holiday),
        (date(2025, 1, 27), DayKind.off),
        *[(date(2025, 1, d), DayKind.holiday) for d in range(28, 32)],
        (date(2025, 2, 1), DayKind.holiday),
        (date(2025, 4, 7), DayKind.holiday),
        (date(2025, 4, 26), DayKind.working),
        (date(2025, 4, 30), DayKind.holiday),
        (date(2025, 5, 1), DayKind.holiday),
        (date(2025, 5, 2), DayKind.holiday),
        (date(2025, 9, 1), DayKind.holiday),
        (date(2025, 9, 2), DayKind.working),
    ]
    assert days[1] == CalendarDay(day=date(2025, 1, 27), kind=DayKind.off, name="29 Tết")
    assert days[8].name == "Làm bù cho ngày 02/05/2025"
    assert days[-1].name == "trực"
    assert [(d.day, d.kind) for d in list_calendar(session, 2026) if d.kind != "holiday"] == [
        (date(2026, 1, 2), DayKind.off),
        (date(2026, 1, 10), DayKind.working),
        (date(2026, 8, 22), DayKind.working),
    ]


def test_list_calendar_shows_the_make_up_saturdays(session: Session) -> None:
    days = {d.day: d for d in list_calendar(session, 2025)}
    assert days[date(2025, 4, 26)] == CalendarDay(
        day=date(2025, 4, 26),
        kind=DayKind.working,
        name="Ngày làm việc bù (cho ngày nghỉ 02/05/2025)",
    )
    add_override(engine_of(session), date(2025, 4, 26), False, "tỉnh không làm bù")
    days = {d.day: d for d in list_calendar(session, 2025)}
    assert days[date(2025, 4, 26)].kind == DayKind.off


# ---------------------------------------------------------------------------------------------
# Working time: 8 desk hours a working day, 07:30–11:30 and 13:00–17:00


def test_a_working_day_has_eight_desk_hours() -> None:
    assert timedelta(hours=8) == WORKING_DAY
    assert RULES.working_time_between(vn(2025, 11, 10, 0, 0), vn(2025, 11, 11, 0, 0)) == WORKING_DAY
    assert [(a.time(), b.time()) for a, b in RULES.desk_periods(date(2025, 11, 10))] == [
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    ]
    assert RULES.desk_periods(date(2025, 11, 8)) == []  # a Saturday
    assert len(RULES.desk_periods(date(2025, 4, 26))) == 2  # the make-up Saturday


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (vn(2025, 11, 10, 9, 0), vn(2025, 11, 10, 9, 0)),  # during desk hours: itself
        (vn(2025, 11, 10, 6, 0), vn(2025, 11, 10, 7, 30)),  # before the desks open
        (vn(2025, 11, 10, 11, 30), vn(2025, 11, 10, 13, 0)),  # lunch
        (vn(2025, 11, 10, 12, 15), vn(2025, 11, 10, 13, 0)),
        (vn(2025, 11, 10, 17, 0), vn(2025, 11, 11, 7, 30)),  # after hours
        (vn(2025, 11, 7, 17, 30), vn(2025, 11, 10, 7, 30)),  # Friday evening
        (vn(2025, 11, 8, 10, 0), vn(2025, 11, 10, 7, 30)),  # Saturday
        (vn(2025, 1, 24, 17, 5), vn(2025, 2, 3, 7, 30)),  # before Tết 2025
        (vn(2025, 4, 25, 18, 0), vn(2025, 4, 26, 7, 30)),  # the make-up Saturday
        (vn(2025, 4, 29, 17, 0), vn(2025, 5, 5, 7, 30)),  # 30/4 – 1/5 and Friday 2/5
        (vn(2025, 8, 29, 17, 0), vn(2025, 9, 3, 7, 30)),  # 2/9
        (datetime(2025, 11, 10, 2, 0, tzinfo=UTC), vn(2025, 11, 10, 9, 0)),  # read in VN time
    ],
)
def test_next_working_moment(moment: datetime, expected: datetime) -> None:
    assert RULES.next_working_moment(moment) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Friday 17:30 to Monday 07:00: no desk time at all
        (vn(2025, 11, 7, 17, 30), vn(2025, 11, 10, 7, 0), timedelta(0)),
        # Monday 07:35 to 16:55: 9 h 20 min less the 1 h 30 min lunch
        (vn(2025, 11, 10, 7, 35), vn(2025, 11, 10, 16, 55), timedelta(hours=7, minutes=50)),
        (vn(2025, 11, 10, 10, 0), vn(2025, 11, 10, 10, 45), timedelta(minutes=45)),
        (vn(2025, 11, 10, 11, 0), vn(2025, 11, 10, 13, 30), timedelta(hours=1)),
        # across a weekend: Friday 16:00 to Monday 08:00
        (vn(2025, 11, 7, 16, 0), vn(2025, 11, 10, 8, 0), timedelta(hours=1, minutes=30)),
        # across Tết 2025: Friday 24 Jan 15:00 to Monday 3 Feb 09:00
        (vn(2025, 1, 24, 15, 0), vn(2025, 2, 3, 9, 0), timedelta(hours=3, minutes=30)),
        # the make-up Saturday 26 Apr 2025 counts, the Friday 2 May does not
        (vn(2025, 4, 25, 17, 0), vn(2025, 5, 5, 7, 30), timedelta(hours=8 * 3)),
        (vn(2025, 11, 10, 10, 0), vn(2025, 11, 10, 9, 0), timedelta(0)),  # reversed
    ],
)
def test_working_time_between(a: datetime, b: datetime, expected: timedelta) -> None:
    assert RULES.working_time_between(a, b) == expected


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (vn(2025, 11, 10, 9, 0), timedelta(hours=2, minutes=30), vn(2025, 11, 10, 11, 30)),
        (vn(2025, 11, 10, 9, 0), timedelta(hours=2, minutes=31), vn(2025, 11, 10, 13, 1)),
        (vn(2025, 11, 10, 9, 0), timedelta(hours=4), vn(2025, 11, 10, 14, 30)),
        # a period that ends at closing time ends then, not at the next opening
        (vn(2025, 11, 10, 17, 0), WORKING_DAY, vn(2025, 11, 11, 17, 0)),
        (vn(2025, 11, 7, 17, 0), timedelta(hours=1), vn(2025, 11, 10, 8, 30)),
        (vn(2025, 11, 8, 10, 0), timedelta(minutes=1), vn(2025, 11, 10, 7, 31)),  # Saturday
        (vn(2025, 4, 25, 17, 0), WORKING_DAY, vn(2025, 4, 26, 17, 0)),  # make-up Saturday
        (vn(2025, 4, 29, 17, 0), timedelta(hours=4), vn(2025, 5, 5, 11, 30)),
        (vn(2026, 2, 13, 16, 0), timedelta(hours=2), vn(2026, 2, 23, 8, 30)),  # Tết 2026
        (vn(2025, 11, 10, 12, 0), timedelta(0), vn(2025, 11, 10, 12, 0)),  # nothing to add
    ],
)
def test_add_working_time(start: datetime, amount: timedelta, expected: datetime) -> None:
    result = RULES.add_working_time(start, amount)
    assert result == expected
    assert result.utcoffset() == timedelta(hours=7)


def test_a_negative_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        RULES.add_working_time(vn(2025, 11, 10, 9, 0), timedelta(minutes=-1))


@settings(deadline=None)
@given(
    start=st.datetimes(datetime(2024, 12, 1), datetime(2026, 12, 31, 23, 59), timezones=ZONES),
    minutes=st.integers(1, 60 * 8 * 30),
    calendar=CALENDARS,
)
def test_working_time_inverts(start: datetime, minutes: int, calendar: WorkingCalendar) -> None:
    amount = timedelta(minutes=minutes)
    end = calendar.add_working_time(start, amount)
    assert end > start
    assert calendar.working_time_between(start, end) == amount
    # it ends inside desk hours (or exactly when they close)
    assert any(a < end <= b for a, b in calendar.desk_periods(end.date()))
    assert calendar.add_working_time(start, amount - timedelta(minutes=1)) < end
