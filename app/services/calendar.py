"""Working days, desk hours and working time (DOMAIN.md §5).

Public holidays come from the `holidays` package (Labour Code 2019 Art. 112: it computes the lunar
dates of Tết and Hùng Kings' day, the substitute days off and, for each day off the Prime Minister
moves, the Saturday worked in exchange). What the package does not know yet is corrected below
(`_CORRECTIONS`, each with its source), and the database's `CalendarOverride` rows win over both.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from types import MappingProxyType

import holidays
from holidays.countries.vietnam import Vietnam
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.db import unit_of_work
from app.errors import InvalidContent, OverrideNotFound
from app.models.calendar import NOTE_MAX_LENGTH, CalendarDay, CalendarOverride, DayKind
from app.models.types import VN_TZ

# The desks' hours: 8 a day (Decision 188/1999/QĐ-TTg Art. 1: a 40-hour week in 5 days for
# state agencies), in a morning and an afternoon with a lunch break, as the provinces set them
# for their one-stop desks (e.g. Thừa Thiên Huế, Decision 2022/QĐ-UBND of 22/8/2022: 07:30–11:30
# and 13:00–17:00). A dossier received after WORKDAY_END counts from the next working day.
DESK_HOURS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
WORKDAY_START = DESK_HOURS[0][0]
WORKDAY_END = DESK_HOURS[-1][1]
WORKING_DAY = timedelta(hours=8)  # one working day of desk time; half a day is 4 hours
# The years for which the package knows the lunar calendar; outside them it silently finds no
# holidays at all, so callers that take a year from a user check it against this range.
HOLIDAY_YEARS = range(Vietnam.start_year, Vietnam.end_year + 1)

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_NO_TIME = timedelta(0)

# Swaps the pinned package (holidays==0.109) does not list: {day off: the Saturday worked}.
_CORRECTIONS: dict[date, date] = {
    # New Year 2026: Official Dispatch 12729/VPCP-KGVX of 25/12/2025 (the Deputy Prime Minister
    # agreed to the Ministry of Home Affairs' plan): Friday 2/1/2026 off, Saturday 10/1/2026 worked.
    date(2026, 1, 2): date(2026, 1, 10),
}
_SUBSTITUTE_NAME = "Ngày nghỉ (thay cho ngày {:%d/%m/%Y})"  # the package's Vietnamese label
_SUBSTITUTED_FROM = re.compile(r"thay cho ngày ([0-9]{2}/[0-9]{2}/[0-9]{4})")
assert (
    sum(
        (
            datetime.combine(date.min, end) - datetime.combine(date.min, start)
            for start, end in DESK_HOURS
        ),
        _NO_TIME,
    )
    == WORKING_DAY
)


@dataclass(frozen=True, slots=True)
class _YearRules:
    holidays: Mapping[date, str]
    make_up_days: frozenset[date]  # Saturdays worked in exchange for a day off


@cache
def _rules(year: int) -> _YearRules:
    """The public holidays of one year with their Vietnamese names, and its make-up working
    Saturdays, computed once per process (the lunar computation is slow and the rules do not
    change while the service runs)."""
    found = holidays.country_holidays("VN", years=year, language="vi")
    days = {day: name for day, name in found.items() if day.year == year}
    make_up = {day for day in found.weekend_workdays if day.year == year}
    for off, worked in _CORRECTIONS.items():
        if off.year == year:
            days.setdefault(off, _SUBSTITUTE_NAME.format(worked))
        if worked.year == year:
            make_up.add(worked)
    return _YearRules(MappingProxyType(days), frozenset(make_up))


def _vn_time(moment: datetime) -> datetime:
    # A naive datetime could be UTC or Vietnam time; guessing would shift deadlines by 7 hours.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment.isoformat()}")
    return moment.astimezone(VN_TZ)


def _vn_date(value: date | datetime) -> date:
    # datetime is a subclass of date but never equal to one: normalise before any lookup.
    return _vn_time(value).date() if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Vietnam's working days: Monday–Friday except public holidays, plus the make-up Saturdays,
    corrected by overrides (`{day: True}` an extra working day, `{day: False}` an extra day off).
    Immutable, so one instance can serve concurrent requests."""

    overrides: Mapping[date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether `day` is a working day; an override wins over the rules."""
        day = _vn_date(day)
        override = self.overrides.get(day)
        if override is not None:
            return override
        rules = _rules(day.year)
        if day.weekday() >= _SATURDAY:
            return day in rules.make_up_days
        return day not in rules.holidays

    def next_working_day(self, day: date | datetime) -> date:
        """The first working day strictly after `day`."""
        day = _vn_date(day) + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def receipt_day(self, start: datetime) -> date:
        """The working day on which something received at `start` counts as received.

        That is `start`'s own day (Vietnam time) when it is a working day and the desks have not
        closed yet (a receipt before 07:30 still counts that day); otherwise the next working day.
        """
        local = _vn_time(start)
        if self.is_working_day(local.date()) and local.time() < WORKDAY_END:
            return local.date()
        return self.next_working_day(local.date())

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The due moment of a period of `n` working days that starts at `start` (aware).

        Civil Code 2015 Art. 147: the first day of a period counted in days is not counted, so
        the period runs over the `n` working days after the receipt day; Art. 148: it ends at the
        end of its last day, for a public service the desks' closing time, 17:00 Vietnam time.
        `n = 0` is due at the end of the receipt day itself.
        """
        if n < 0:
            raise ValueError(f"a period cannot be negative: {n} working days")
        day = self.receipt_day(start)
        for _ in range(n):
            day = self.next_working_day(day)
        return datetime.combine(day, WORKDAY_END, tzinfo=VN_TZ)

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """The number of working days d with a < d <= b (Vietnam dates); negative when b < a.

        The inverse of `add_working_days`: from the receipt day to the due date there are n.
        """
        first, last = _vn_date(a), _vn_date(b)
        if last < first:
            return -self.working_days_between(last, first)
        span = (last - first).days
        return sum(self.is_working_day(first + timedelta(days=i)) for i in range(1, span + 1))

    # -- working time: the desk hours of working days ------------------------------------------

    def desk_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The desk periods of `day` as Vietnam moments; none on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, tzinfo=VN_TZ), datetime.combine(day, end, tzinfo=VN_TZ))
            for start, end in DESK_HOURS
        ]

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself during desk hours, otherwise the next opening of the desks: a dossier
        received at lunch, after hours or on a day off starts counting then."""
        local = _vn_time(moment)
        day = local.date()
        while True:
            for start, end in self.desk_periods(day):
                if local < end:
                    return max(local, start)
            day = self.next_working_day(day)

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """The desk time of working days between `a` and `b` (zero when `b` is not later)."""
        first, last = _vn_time(a), _vn_time(b)
        total = _NO_TIME
        day = first.date()
        while last > first and day <= last.date():
            for start, end in self.desk_periods(day):
                total += max(_NO_TIME, min(end, last) - max(start, first))
            day += _ONE_DAY
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of desk time has passed after `start`. A period that runs
        out exactly at a closing time ends then (17:00), not at the next opening."""
        if amount < _NO_TIME:
            raise ValueError(f"a period cannot be negative: {amount}")
        local = _vn_time(start)
        if amount == _NO_TIME:
            return local
        left, day = amount, local.date()
        while True:
            for begin, end in self.desk_periods(day):
                cursor = max(local, begin)
                if cursor >= end:
                    continue
                if left <= end - cursor:
                    return cursor + left
                left -= end - cursor
            day = self.next_working_day(day)

    # -- listing ---------------------------------------------------------------------------

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """The public holidays of `year` by date, without the overrides."""
        return sorted(_rules(year).holidays.items())

    def make_up_days_in(self, year: int) -> list[tuple[date, str]]:
        """The Saturdays of `year` worked in exchange for a day off, without the overrides,
        each named after the day off it pays for."""
        pays_for = {
            datetime.strptime(found.group(1), "%d/%m/%Y").date(): day
            for rules in (_rules(year), _rules(year + 1))  # 27/12/2014 paid for 2/1/2015
            for day, name in rules.holidays.items()
            if (found := _SUBSTITUTED_FROM.search(name))
        }
        named = []
        for day in sorted(_rules(year).make_up_days):
            off = pays_for.get(day)
            name = f"Ngày làm việc bù (cho ngày nghỉ {off:%d/%m/%Y})" if off else "Ngày làm việc bù"
            named.append((day, name))
        return named


def load_calendar(session: Session) -> WorkingCalendar:
    """The working calendar with every override stored in the database."""
    rows = session.exec(select(CalendarOverride)).all()
    return WorkingCalendar({row.day: row.working for row in rows})


def add_override(engine: Engine, day: date, working: bool, note: str = "") -> CalendarOverride:
    """Make `day` an extra working day (`working=True`) or an extra day off, replacing any
    override the day already has."""
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidContent(
            f"Ghi chú dài quá {NOTE_MAX_LENGTH} ký tự.",
            details=[{"loc": ["note"], "msg": f"tối đa {NOTE_MAX_LENGTH} ký tự"}],
        )
    with unit_of_work(engine, write=True) as session:
        row = session.get(CalendarOverride, day)
        if row is None:
            row = CalendarOverride(day=day, working=working, note=note)
            session.add(row)
        else:
            row.working, row.note = working, note
        return row


def remove_override(engine: Engine, day: date) -> bool:
    """Drop the override of `day`, so the rules apply again; False when it had none."""
    with unit_of_work(engine, write=True) as session:
        row = session.get(CalendarOverride, day)
        if row is None:
            return False
        session.delete(row)
        return True


def delete_override(engine: Engine, day: date) -> None:
    """`remove_override`, or 404 `override_not_found` when the day has none."""
    if not remove_override(engine, day):
        raise OverrideNotFound(f"Ngày {day} không có điều chỉnh.")


def list_overrides(session: Session, year: int) -> list[CalendarOverride]:
    """The overrides stored for `year`, by date (what an administrator may change or
    remove; `list_calendar` shows them among the rules)."""
    in_year = col(CalendarOverride.day).between(date(year, 1, 1), date(year, 12, 31))
    return list(
        session.exec(select(CalendarOverride).where(in_year).order_by(col(CalendarOverride.day)))
    )


def list_calendar(session: Session, year: int) -> list[CalendarDay]:
    """The public holidays, make-up working Saturdays and overrides of `year` by date; an
    override replaces the rule of its day (and takes the rule's name when it has no note)."""
    rules = WorkingCalendar()
    days = {
        day: CalendarDay(day=day, kind=DayKind.holiday, name=name)
        for day, name in rules.holidays_in(year)
    }
    for day, name in rules.make_up_days_in(year):
        days[day] = CalendarDay(day=day, kind=DayKind.working, name=name)
    for row in list_overrides(session, year):
        kind = DayKind.working if row.working else DayKind.off
        holiday = days.get(row.day)
        name = row.note or (holiday.name if holiday else "")
        days[row.day] = CalendarDay(day=row.day, kind=kind, name=name)
    return [days[day] for day in sorted(days)]
