"""Column types and field sets shared by the tables."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

# Dates that mean a day (dossier codes, receipts, statistics) are Vietnam dates (API.md).
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The largest amount of money, in đồng, a fee line or a fee request may name: a bound well
# above any fee, so that a typo with extra zeros is refused rather than stored.
MAX_AMOUNT_VND = 10**12


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class StrEnumType(TypeDecorator[StrEnum]):
    """A `StrEnum` stored as its value in a VARCHAR(length), not as a native database enum
    (STYLE.md): adding a member needs no migration. Reads come back as members."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


# The config of a body a client writes: unknown fields are errors, and only JSON objects are
# read (SQLModel's default, from_attributes, would accept any object with the attributes).
WRITE_CONFIG = SQLModelConfig(extra="forbid", from_attributes=False)


def utcnow() -> datetime:
    return datetime.now(UTC)


class CreatedAt(SQLModel):
    """The moment a row was written (UTC)."""

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Timestamps(CreatedAt):
    """`created_at` and `updated_at`; writers set `updated_at` when they change the row."""

    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
