"""The `dvc-gateway calendar` commands: edit and list the working-day calendar (DOMAIN.md §5).

Each year the Prime Minister's decision sets make-up working Saturdays and extra days off that
the `holidays` package cannot know; an administrator records them here as overrides.
"""

import argparse
import re
import sys
from contextlib import AbstractContextManager
from datetime import date, datetime

from sqlalchemy import Engine

from app.cli_parser import ArgumentParser
from app.config import get_settings
from app.db import unit_of_work
from app.errors import AppError
from app.migrate import migrated_engine
from app.models.calendar import DayKind
from app.models.types import VN_TZ
from app.services.calendar import (
    HOLIDAY_YEARS,
    WorkingCalendar,
    add_override,
    list_calendar,
    remove_override,
)

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# date.fromisoformat() would also take "20250101" and "2025-W01-1"; ask for one spelling only.
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")
WORKING, DAY_OFF = "ngày làm việc", "ngày nghỉ"
KIND_LABELS = {DayKind.holiday: "nghỉ lễ", DayKind.off: "nghỉ thêm", DayKind.working: "làm bù"}


def _engine() -> AbstractContextManager[Engine]:
    return migrated_engine(get_settings().database_url)


def _error(message: str) -> int:
    print(f"lỗi: {message}", file=sys.stderr)
    return 1


def _year_outside(year: int) -> int:
    # The `holidays` package silently finds no holidays outside these years.
    first, last = HOLIDAY_YEARS[0], HOLIDAY_YEARS[-1]
    return _error(f"năm {year} nằm ngoài các năm lịch biết ({first}–{last})")


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if _DATE_RE.match(text) else None
    except ValueError:
        return None


def _describe(day: date) -> str:
    return f"{day.isoformat()} ({WEEKDAYS_VI[day.weekday()]})"


def cmd_calendar_add(args: argparse.Namespace) -> int:
    """Record an extra working day or an extra day off, replacing the day's previous override."""
    day = _parse_day(args.day)
    if day is None:
        return _error(f"'{args.day}' không phải ngày hợp lệ; cần dạng YYYY-MM-DD")
    if day.year not in HOLIDAY_YEARS:
        return _year_outside(day.year)
    try:
        with _engine() as engine:
            add_override(engine, day, args.working, args.note)
    except AppError as exc:
        return _error(exc.message)
    kind = WORKING if args.working else DAY_OFF
    print(f"{_describe(day)} từ nay là {kind}")
    if WorkingCalendar().is_working_day(day) == args.working:
        print(f"lưu ý: theo quy định, {day.isoformat()} vốn đã là {kind}", file=sys.stderr)
    return 0


def cmd_calendar_remove(args: argparse.Namespace) -> int:
    """Drop a day's override, so the public-holiday rules apply to it again."""
    day = _parse_day(args.day)
    if day is None:
        return _error(f"'{args.day}' không phải ngày hợp lệ; cần dạng YYYY-MM-DD")
    with _engine() as engine:
        removed = remove_override(engine, day)
    if not removed:
        return _error(f"ngày {day.isoformat()} không có điều chỉnh nào để bỏ")
    kind = WORKING if WorkingCalendar().is_working_day(day) else DAY_OFF
    print(f"{_describe(day)}: đã bỏ điều chỉnh; theo quy định là {kind}")
    return 0


def cmd_calendar_list(args: argparse.Namespace) -> int:
    """Print the public holidays and overrides of a year, one aligned line per day."""
    if args.year is None:
        year = datetime.now(VN_TZ).year
    elif _YEAR_RE.match(args.year):
        year = int(args.year)
    else:
        return _error(f"'{args.year}' không phải một năm; cần dạng YYYY")
    if year not in HOLIDAY_YEARS:
        return _year_outside(year)
    with _engine() as engine, unit_of_work(engine) as session:
        days = list_calendar(session, year)
    for row in days:
        weekday = WEEKDAYS_VI[row.day.weekday()]
        kind = KIND_LABELS[row.kind]
        print(f"{row.day.isoformat()}  {weekday:<8}  {kind:<9}  {row.name}".rstrip())
    return 0


def register(subparsers: "argparse._SubParsersAction[ArgumentParser]") -> None:
    """Add `calendar add|remove|list` to the console script's sub-commands."""
    calendar = subparsers.add_parser(
        "calendar", help="sửa lịch ngày làm việc (thứ Bảy làm bù, ngày nghỉ thêm)"
    )
    commands = calendar.add_subparsers(
        dest="calendar_command", required=True, title="lệnh", metavar="LỆNH"
    )
    add = commands.add_parser("add", help="đặt một ngày là ngày làm việc thêm hoặc ngày nghỉ thêm")
    add.add_argument("day", metavar="NGÀY", help="YYYY-MM-DD")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--off", dest="working", action="store_false", help="một ngày nghỉ thêm")
    kind.add_argument("--working", dest="working", action="store_true", help="một ngày làm bù")
    add.add_argument("--note", default="", metavar="GHI_CHÚ", help="lý do, ví dụ văn bản quy định")
    add.set_defaults(handler=cmd_calendar_add)
    remove = commands.add_parser("remove", help="bỏ điều chỉnh của một ngày")
    remove.add_argument("day", metavar="NGÀY", help="YYYY-MM-DD")
    remove.set_defaults(handler=cmd_calendar_remove)
    listing = commands.add_parser("list", help="các ngày lễ và điều chỉnh của một năm")
    listing.add_argument("--year", metavar="YYYY", help="mặc định: năm nay theo giờ Việt Nam")
    listing.set_defaults(handler=cmd_calendar_list)
