"""The working-day calendar: overrides of the public-holiday rules (DOMAIN.md §5)."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.types import WRITE_CONFIG, CreatedAt

NOTE_MAX_LENGTH = 300


class DayKind(StrEnum):
    """Why a day is listed in the calendar."""

    holiday = "holiday"  # a public holiday computed by the `holidays` package
    off = "off"  # an extra day off set by an override
    working = "working"  # an extra working day (a make-up Saturday) set by an override


# ---------------------------------------------------------------------------------------------
# Tables


class CalendarOverrideBase(SQLModel):
    day: date = Field(primary_key=True)
    # True: an extra working day; False: an extra day off.
    working: bool
    note: str = Field(sa_type=String(NOTE_MAX_LENGTH))


class CalendarOverride(CreatedAt, CalendarOverrideBase, table=True):
    """A day whose status the Prime Minister's yearly decision sets differently from the rules:
    make-up working Saturdays and extra or swapped days off, which the `holidays` package cannot
    know in advance."""

    __tablename__ = "calendar_override"


# ---------------------------------------------------------------------------------------------
# API models


# An override to add, or the new state of a day's override (`PUT`).
class CalendarOverrideCreate(CalendarOverrideBase):
    model_config = WRITE_CONFIG

    working: bool = Field(description="true: a make-up working day; false: an extra day off")
    note: str = ""


class CalendarOverridePublic(CalendarOverrideBase):
    created_at: datetime


class CalendarDay(BaseModel):
    """One listed day of a year: a public holiday or an override (an override wins)."""

    day: date
    kind: DayKind
    name: str
