"""The working calendar's overrides (`/can-bo/quan-tri/lich`), through services/calendar.py
(the API's `GET`, `PUT` and `DELETE /api/v1/admin/calendar`).

- `GET /can-bo/quan-tri/lich?year=`: the year's public holidays, make-up working Saturdays
  and overrides (`list_calendar`), each override with its remove button, and the form that
  adds or changes one.
- `POST /can-bo/quan-tri/lich` (`day`, `working`, `note`): `add_override`, 303 back to the
  day's year; `POST /can-bo/quan-tri/lich/xoa` (`day`): `delete_override`.
"""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine

from app.db import unit_of_work
from app.deps import EngineDep
from app.errors import InvalidContent, OverrideNotFound
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.calendar import NOTE_MAX_LENGTH, CalendarOverrideCreate
from app.models.types import VN_TZ
from app.services import calendar
from app.services.officer_sessions import Signed
from app.web.admin_pages import AdminDep, Refusal, admin_page, by_last, check_csrf, done, invalid
from app.web.dashboard_pages import parse_date

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

PAGE = "/can-bo/quan-tri/lich"
FIELDS = {"day", "working", "note"}
MAX_INPUT = 40  # a date is ten characters: longer is no date, and is not echoed whole
Text = Annotated[str, Form()]
_DAY = TypeAdapter(date)


def read_year(text: str | None) -> int:
    """The year asked for, when the calendar knows its holidays; else this year (Vietnam)."""
    if text and text.isdigit() and int(text) in calendar.HOLIDAY_YEARS:
        return int(text)
    return datetime.now(VN_TZ).year


def _page(
    request: Request,
    engine: Engine,
    signed: Signed,
    year: int,
    *,
    typed: dict[str, str] | None = None,
    refusal: Refusal | None = None,
) -> Response:
    with unit_of_work(engine) as session:
        days = calendar.list_calendar(session, year)
        overrides = {row.day: row for row in calendar.list_overrides(session, year)}
    context = {
        "year": year,
        "years": calendar.HOLIDAY_YEARS,
        "days": days,
        "overrides": overrides,
        "typed": typed or {"day": "", "working": "", "note": ""},
        "note_max": NOTE_MAX_LENGTH,
    }
    return admin_page(request, signed, "admin_calendar.html", context, refusal=refusal)


@router.get(PAGE, response_class=HTMLResponse)
def calendar_page(
    request: Request, signed: AdminDep, engine: EngineDep, year: str | None = None
) -> Response:
    """A year's days off and working days, as the deadlines count them."""
    return _page(request, engine, signed, read_year(year))


def _day_value(text: str) -> str:
    """What a date input sends (yyyy-mm-dd), or dd/mm/yyyy as typed, as the API takes a
    day; anything else as typed, for the API's model to refuse."""
    parsed = parse_date(text.strip()[:MAX_INPUT])
    return parsed.isoformat() if parsed else text.strip()[:MAX_INPUT]


@router.post(PAGE, response_class=HTMLResponse)
def set_override(
    request: Request,
    signed: AdminDep,
    engine: EngineDep,
    csrf_token: Text = "",
    day: Text = "",
    working: Text = "",
    note: Text = "",
    year: Text = "",
) -> Response:
    """Add or change a day's override (`PUT /api/v1/admin/calendar`)."""
    check_csrf(request, signed, csrf_token)
    typed = {"day": _day_value(day), "working": working, "note": note}
    body = {"day": typed["day"], "note": note} | ({"working": working} if working else {})
    try:
        wanted = CalendarOverrideCreate.model_validate(body)
        calendar.add_override(engine, wanted.day, wanted.working, wanted.note)
    except ValidationError as exc:
        refusal = Refusal.of(invalid(exc), by_last(FIELDS))
    except InvalidContent as exc:
        refusal = Refusal.of(exc, by_last(FIELDS))
    else:
        return done(request, PAGE, "override_saved", year=wanted.day.year)
    return _page(request, engine, signed, read_year(year), typed=typed, refusal=refusal)


@router.post(PAGE + "/xoa", response_class=HTMLResponse)
def remove_override(
    request: Request,
    signed: AdminDep,
    engine: EngineDep,
    csrf_token: Text = "",
    day: Text = "",
    year: Text = "",
) -> Response:
    """Remove a day's override (`DELETE /api/v1/admin/calendar/{day}`): its rule applies
    again."""
    check_csrf(request, signed, csrf_token)
    try:
        removed = _DAY.validate_python(day.strip()[:MAX_INPUT])
        calendar.delete_override(engine, removed)
    except ValidationError as exc:
        refusal = Refusal.of(invalid(exc, ("day",)), lambda _loc, _msg: None)
    except OverrideNotFound as exc:
        refusal = Refusal.of(exc, lambda _loc, _msg: None)
    else:
        return done(request, PAGE, "override_removed", year=removed.year)
    return _page(request, engine, signed, read_year(year), refusal=refusal)
