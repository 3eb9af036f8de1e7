"""The working-day calendar: overrides of the public-holiday rules (DOMAIN.md §5)."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Boolean, Column, Date, String
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.types import UTCDateTime, utcnow

NOTE_MAX_LENGTH = 300


class DayKind(StrEnum):
    """Why a day is listed in the calendar."""

    holiday = "holiday"  # a public holiday computed by the `holidays` package
    off = "off"  # an extra day off set by an override
    working = "working"  # an extra working day (a make-up Saturday) set by an override


# ---------------------------------------------------------------------------------------------
# Tables


class CalendarOverride(SQLModel, table=True):
    """A day whose status the Prime Minister's yearly decision sets differently from the rules:
    make-up working Saturdays and extra or swapped days off, which the `holidays` package cannot
    know in advance."""

    __tablename__ = "calendar_override"

    day: date = SQLField(sa_column=Column(Date, primary_key=True))
    # True: an extra working day; False: an extra day off.
    working: bool = SQLField(sa_column=Column(Boolean, nullable=False))
    note: str = SQLField(default="", sa_column=Column(String(NOTE_MAX_LENGTH), nullable=False))
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


# ---------------------------------------------------------------------------------------------
# API models


class CalendarOverridePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    working: bool
    note: str
    created_at: datetime


class CalendarDay(BaseModel):
    """One listed day of a year: a public holiday or an override (an override wins)."""

    day: date
    kind: DayKind
    name: str
