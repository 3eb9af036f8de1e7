"""Statistics: the counter tables behind them and the API models of the endpoints."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, CheckConstraint, Column, Date, Index, Integer, String, Table
from sqlmodel import SQLModel

from app.models.dossier import DossierStatus
from app.models.types import UTCDateTime


class CatalogueStats(BaseModel):
    total: int
    by_level: dict[str, int]
    by_online_mode: dict[str, int]
    online_services: int
    online_service_share: float | None


# ---------------------------------------------------------------------------------------------
# Counter tables (issue: statistics at millions of dossiers). A dashboard query sums rows of
# these, never dossiers: its cost grows with the days and groups asked for, not with volume.

STATUS_COLUMNS: dict[DossierStatus, str] = {
    status: f"st_{status.value}" for status in DossierStatus
}
COUNTER_COLUMNS: tuple[str, ...] = (
    "received",  # dossiers whose receipt day (Vietnam date of submission/registration) it is
    "with_files",  # ... that carry at least one attached document (indicator 4.2)
    "finished",  # ... that reached refused, stopped, processed or returned
    "finished_on_time",  # ... finished by the due moment with at most one supplement request
    "processing_days",  # sum of working days from receipt to finish of the finished ones (2.2)
    "running",  # ... in progress with the clock running: those of `stat_due` (overdue = these
    # less the ones not yet due, which are few and recent: services/stats/queries.py)
    *STATUS_COLUMNS.values(),  # current status of the dossiers received that day
)


def _counter_columns() -> list[Column[Any]]:
    return [
        Column(name, BigInteger, nullable=False, server_default="0") for name in COUNTER_COLUMNS
    ]


def _key_columns(period: str) -> list[Column[Any]]:
    return [
        Column(period, Date, primary_key=True),
        Column("agency_code", String(16), primary_key=True),
        Column("procedure_code", String(64), primary_key=True),
        Column("channel", String(16), primary_key=True),
    ]


# Core tables: they are counters, never loaded as objects.
stat_daily = Table("stat_daily", SQLModel.metadata, *_key_columns("day"), *_counter_columns())
stat_monthly = Table("stat_monthly", SQLModel.metadata, *_key_columns("month"), *_counter_columns())
# In-progress dossiers whose clock runs, by due moment: "overdue in progress" is the part of
# these whose due moment has passed, which changes with the clock, not with writes.
stat_due = Table(
    "stat_due",
    SQLModel.metadata,
    *_key_columns("day"),
    Column("due_at", UTCDateTime, primary_key=True),
    Column("n", BigInteger, nullable=False, server_default="0"),
)
# The due moments still ahead within a receipt period (services/stats/queries.py,
# `_not_yet_due`), and the last one passed (services/stats/cache.py).
Index("ix_stat_due_due_at_day", stat_due.c.due_at, stat_due.c.day)
# Bumped when `dvc-gateway stats rebuild` repairs counters: a change of the numbers that comes
# with no dossier event, which the statistics caches must still see (services/stats/cache.py).
stat_revision = Table(
    "stat_revision",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("revision", Integer, nullable=False, server_default="0"),
    CheckConstraint("id = 1", name="single_row"),
)


class _Row(BaseModel):
    key: str
    label: str


class OnlineRatioRow(_Row):
    online: int
    counter: int
    postal: int
    total: int
    online_ratio: float | None


class OnTimeRow(_Row):
    received: int
    finished: int
    on_time: int
    late: int
    in_progress: int
    overdue_in_progress: int
    on_time_ratio: float | None
    avg_processing_days: float | None


class StatusRow(_Row):
    new: int
    accepted: int
    refused: int
    processing: int
    supplement_requested: int
    fee_requested: int
    withdrawal_requested: int
    stopped: int
    processed: int
    returned: int
    total: int


class _Stats(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    group_by: str


class OnlineRatioStats(_Stats):
    rows: list[OnlineRatioRow]
    total: OnlineRatioRow


class OnTimeStats(_Stats):
    rows: list[OnTimeRow]
    total: OnTimeRow


class StatusStats(_Stats):
    rows: list[StatusRow]
    total: StatusRow


class Indicator(BaseModel):
    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    threshold: float | None
    max_points: float
    points: float | None
