"""Working days and deadlines (DOMAIN.md §5).

Public holidays come from the `holidays` package (Labour Code 2019 Art. 112: it computes the lunar
dates of Tết and Hùng Kings' day and the substitute days off). The Prime Minister's yearly
decisions also move days: make-up working Saturdays and extra days off. Those are kept as
`CalendarOverride` rows, and an override always wins over the rules.
"""

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
from app.errors import InvalidContent
from app.models.calendar import NOTE_MAX_LENGTH, CalendarDay, CalendarOverride, DayKind
from app.models.types import VN_TZ

# The desks' hours; a dossier received after WORKDAY_END counts from the next working day.
WORKDAY_START = time(7, 30)
WORKDAY_END = time(17, 0)
# The years for which the package knows the lunar calendar; outside them it silently finds no
# holidays at all, so callers that take a year from a user check it against this range.
HOLIDAY_YEARS = range(Vietnam.start_year, Vietnam.end_year + 1)

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@cache
def _public_holidays(year: int) -> Mapping[date, str]:
    """The public holidays of one year with their Vietnamese names, computed once per process
    (the lunar computation is slow and the rules do not change while the service runs)."""
    found = holidays.country_holidays("VN", years=year, language="vi")
    return MappingProxyType({day: name for day, name in found.items() if day.year == year})


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
    """Vietnam's working days: Monday–Friday except public holidays, corrected by overrides
    (`{day: True}` an extra working day, `{day: False}` an extra day off). Immutable, so one
    instance can serve concurrent requests."""

    overrides: Mapping[date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether `day` is a working day; an override wins over the rules."""
        day = _vn_date(day)
        override = self.overrides.get(day)
        if override is not None:
            return override
        return day.weekday() < _SATURDAY and day not in _public_holidays(day.year)

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

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """The public holidays of `year` by date, without the overrides."""
        return sorted(_public_holidays(year).items())


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
            details=[{"loc": ["note"], "msg": f"at most {NOTE_MAX_LENGTH} characters"}],
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


def list_calendar(session: Session, year: int) -> list[CalendarDay]:
    """The public holidays and overrides of `year` by date; an override replaces the holiday of
    its day (and takes the holiday's name when it has no note)."""
    days = {
        day: CalendarDay(day=day, kind=DayKind.holiday, name=name)
        for day, name in WorkingCalendar().holidays_in(year)
    }
    in_year = col(CalendarOverride.day).between(date(year, 1, 1), date(year, 12, 31))
    for row in session.exec(select(CalendarOverride).where(in_year)):
        kind = DayKind.working if row.working else DayKind.off
        holiday = days.get(row.day)
        name = row.note or (holiday.name if holiday else "")
        days[row.day] = CalendarDay(day=row.day, kind=kind, name=name)
    return [days[day] for day in sorted(days)]
