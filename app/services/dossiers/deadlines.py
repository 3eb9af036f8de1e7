"""Deadlines as the law counts them (DOMAIN.md §5): the due moment of a processing time in the
procedure's own unit, and how a pause of the clock moves it.

- Working days: Civil Code 2015 Art. 147–148, as `WorkingCalendar.add_working_days` counts them
  (the receipt day is not counted, Art. 147(2); due when the desks close on the last working
  day). A half day is 4 working hours, counted on from there: 0.5 day received on a Monday is
  due on Tuesday at 11:30.
- Working hours: desk hours of working days from the first working moment at or after receipt
  (a period in hours starts at the moment fixed, Art. 147(1)).
- Calendar days and months: every day counts, from the day after the receipt day (Art.
  147(2)); a month ends on the same day of the last month, or on that month's last day when it
  has none (31 Jan + 1 month = 28/29 Feb, Art. 148(3)); a period whose last day is a weekly rest
  day or a holiday ends at the end of the next working day (Art. 148(5)), for a public service
  when the desks close. Complaints (Law on Complaints 2011, Art. 28 and 37) and denunciations
  (Law on Denunciations 2018, Art. 30) are set in such days: "30 ngày", not "30 ngày làm việc".
- Apologies: a new appointment (`reschedule`) is given before the current one passes and is
  later than it; the dossier is still judged by `due_at`.
- Pauses: the due moment moves by the working time actually paused, in hours and minutes; a
  pause that began after the due moment had passed moves nothing (a late dossier never becomes
  on time by a supplement request, DOMAIN.md §6).
- Time used (indicator 2.2): from the received moment to the finish in the unit the dossier
  was received in, less its pauses, each measured as `span` counts that unit.
"""

import calendar as gregorian
from datetime import date, datetime, timedelta

from app.errors import AppointmentPassed, InvalidDueAt, detail
from app.models.catalogue import ProcessingTime, ProcessingUnit
from app.models.dossier import Dossier
from app.models.types import VN_TZ
from app.services.calendar import WORKDAY_END, WORKING_DAY, WorkingCalendar

U = ProcessingUnit


def due_moment(calendar: WorkingCalendar, received_at: datetime, time: ProcessingTime) -> datetime:
    """The due moment of a dossier received at `received_at` (aware) with processing time
    `time`, in Vietnam time."""
    if time.unit is U.working_days:
        whole = int(time.value)
        due = calendar.add_working_days(received_at, whole)
        return calendar.add_working_time(due, WORKING_DAY * (time.value - whole))
    if time.unit is U.working_hours:
        start = calendar.next_working_moment(received_at)
        return calendar.add_working_time(start, timedelta(hours=time.value))
    first = calendar.receipt_day(received_at)
    if time.unit is U.calendar_days:
        last = date.fromordinal(first.toordinal() + int(time.value))
    else:
        last = add_months(first, int(time.value))
    if not calendar.is_working_day(last):
        last = calendar.next_working_day(last)
    return datetime.combine(last, WORKDAY_END, tzinfo=VN_TZ)


# How long one of each unit is, in the time `span` measures: desk time for the working units
# (8 hours a working day), every hour for calendar days and months (30 days, as
# `ProcessingTime.days` converts them).
UNIT_LENGTH = {
    U.working_days: WORKING_DAY,
    U.working_hours: timedelta(hours=1),
    U.calendar_days: timedelta(days=1),
    U.months: timedelta(days=30),
}
WORKING_UNITS = frozenset({U.working_days, U.working_hours})


def span(
    calendar: WorkingCalendar, start: datetime, end: datetime, unit: ProcessingUnit
) -> timedelta:
    """The time between `start` and `end` that counts in `unit`: working time for the working
    units, all of it for calendar days and months; zero when `end` is not later. A pause
    takes this much from a dossier's processing time."""
    if unit in WORKING_UNITS:
        return calendar.working_time_between(start, end)
    return max(timedelta(0), end - start)


def elapsed(
    calendar: WorkingCalendar, start: datetime, end: datetime, unit: ProcessingUnit
) -> float:
    """The time from `start` to `end` in `unit`, fractions kept (Decision 766, 2.2: the
    processing time in the procedure's own unit)."""
    return span(calendar, start, end, unit) / UNIT_LENGTH[unit]


def time_used(
    calendar: WorkingCalendar,
    received_at: datetime,
    finished_at: datetime,
    paused: timedelta,
    unit: ProcessingUnit,
) -> float:
    """Indicator 2.2 for one dossier: the time from receipt to finish in the procedure's unit,
    less the time the clock was paused (`span`s summed), fractions kept to a thousandth."""
    used = span(calendar, received_at, finished_at, unit) - paused
    return round(max(0.0, used / UNIT_LENGTH[unit]), 3)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_after_pause(
    calendar: WorkingCalendar, due_at: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """`due_at` moved by the working time between `paused_at` and `resumed_at`; unmoved when
    the pause began once the due moment had passed."""
    if paused_at >= due_at:
        return due_at
    return calendar.add_working_time(due_at, calendar.working_time_between(paused_at, resumed_at))


# An appointment further than this is a typing mistake, not an apology.
RESCHEDULE_MAX = timedelta(days=3650)


def new_appointment(dossier: Dossier, new: datetime | None, now: datetime) -> datetime:
    """The new appointment of an apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả), checked:
    asked before the current appointment passes (409 `appointment_passed`; a clock paused
    before it came keeps it from passing), later than it and within ten years (422
    `invalid_due_at`)."""
    current = max(filter(None, (dossier.due_at, dossier.rescheduled_due_at)), default=None)
    if new is None:
        raise InvalidDueAt(
            "Cần ngày hẹn trả kết quả mới (due_at, ISO 8601 có múi giờ).",
            details=[detail(["body", "due_at"], "bắt buộc khi hẹn lại ngày trả kết quả")],
        )
    paused = dossier.paused_at
    stopped_in_time = paused is not None and current is not None and paused < current
    if current is None or (now > current and not stopped_in_time):
        raise AppointmentPassed(
            "Đã quá hạn hẹn trả kết quả: phiếu xin lỗi và hẹn lại phải được lập trước khi hết hạn.",
            details=[{"due_at": current.isoformat() if current else None}],
        )
    if new <= current or new > now + RESCHEDULE_MAX:
        raise InvalidDueAt(
            "Ngày hẹn mới phải sau ngày hẹn hiện tại và trong vòng 10 năm.",
            details=[detail(["body", "due_at"], f"phải sau {current.isoformat()}")],
        )
    return new
