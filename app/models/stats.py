"""Statistics: the counter tables behind them and the API models of the endpoints."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    false,
)
from sqlmodel import SQLModel

from app.models.catalogue import ProcessingUnit
from app.models.dossier import DossierStatus
from app.models.types import UTCDateTime


class CatalogueStats(BaseModel):
    total: int
    by_level: dict[str, int]
    by_online_mode: dict[str, int]
    online_services: int
    online_service_share: float | None
    complete: int = Field(
        description="procedures published with every component of their record (766: 1.3)"
    )
    complete_share: float | None = Field(description="complete ÷ total; null without any")
    missing_by_component: dict[str, int] = Field(
        description="how many procedures lack each component (every component listed)"
    )


# ---------------------------------------------------------------------------------------------
# Counter tables (issue: statistics at millions of dossiers). A dashboard query sums rows of
# these, never dossiers: its cost grows with the days and groups asked for, not with volume.

STATUS_COLUMNS: dict[DossierStatus, str] = {
    status: f"st_{status.value}" for status in DossierStatus
}
# Indicator 2.2 in each procedure's own unit (Dossier.processing_unit, Dossier.time_used): the
# dossiers processed and the sum of their times, per unit, since times in different units do
# not add up.
PROCESSED_COLUMNS: dict[ProcessingUnit, str] = {u: f"processed_{u.value}" for u in ProcessingUnit}
TIME_COLUMNS: dict[ProcessingUnit, str] = {u: f"time_{u.value}" for u in ProcessingUnit}
TIME_SCALE = 1000  # time columns count thousandths of their unit
# Each counter counts dossiers by the Vietnam date of its own event (DOMAIN.md §6): the day a
# row stands for is the submission, receipt, finish or lateness day of what it counts.
COUNTER_COLUMNS: tuple[str, ...] = (
    "submitted",  # submitted that day (online; counter and postal dossiers on registration)
    "refused_at_intake",  # refused that day at the intake check, so never received
    "received",  # received (accepted by the agency) that day
    "with_files",  # ... that carry at least one attached document
    "with_result",  # ... that have an electronic result (indicator 4.1)
    "digitised",  # ... with attached documents and an electronic result (indicator 4.2)
    "finished",  # received dossiers finished that day (first refused/stopped/processed/returned)
    "finished_early",  # ... before their due date (Vietnam date)
    "finished_on_time",  # ... before being late (the early ones included)
    "finished_late",  # ... after being late
    "became_late",  # received dossiers late from that day on, unless finished before it
    "processed",  # received that day, and reached processed or returned (indicator 2.2)
    *PROCESSED_COLUMNS.values(),  # ... of them, received with a time in each unit
    *TIME_COLUMNS.values(),  # ... their time used in that unit (thousandths; 2.2's sums)
    *STATUS_COLUMNS.values(),  # submitted that day, by current status
)


def _counter_columns() -> list[Column[Any]]:
    return [
        Column(name, BigInteger, nullable=False, server_default="0") for name in COUNTER_COLUMNS
    ]


def _group_columns() -> list[Column[Any]]:
    return [
        Column("agency_code", String(16), primary_key=True),
        Column("procedure_code", String(64), primary_key=True),
        Column("channel", String(16), primary_key=True),
        # The procedure's level when the dossier was received (Dossier.level_at_receipt).
        Column("level", SmallInteger, primary_key=True),
    ]


# Core tables: they are counters, never loaded as objects.
stat_daily = Table(
    "stat_daily",
    SQLModel.metadata,
    Column("day", Date, primary_key=True),
    *_group_columns(),
    *_counter_columns(),
)
stat_monthly = Table(
    "stat_monthly",
    SQLModel.metadata,
    Column("month", Date, primary_key=True),
    *_group_columns(),
    *_counter_columns(),
)
# Received dossiers in progress that have a late moment, by that moment: for a period that has
# not ended, judged now, the ones whose late moment is still ahead are not late yet
# (services/stats/queries.py), and the last late moment passed is part of the statistics'
# data revision (services/stats/cache.py).
stat_due = Table(
    "stat_due",
    SQLModel.metadata,
    Column("late_at", UTCDateTime, primary_key=True),
    *_group_columns(),
    Column("n", BigInteger, nullable=False, server_default="0"),
)
Index("ix_stat_due_late_at", stat_due.c.late_at)
# Bumped when `dvc-gateway stats rebuild` repairs counters: a change of the numbers that comes
# with no dossier event, which the statistics caches must still see (services/stats/cache.py).
# `rebuild_needed` is set by a migration that changes what the counters mean: the next
# `migrate` recomputes them from the dossiers (app/migrate.py).
stat_revision = Table(
    "stat_revision",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("revision", Integer, nullable=False, server_default="0"),
    Column("rebuild_needed", Boolean, nullable=False, server_default=false()),
    CheckConstraint("id = 1", name="single_row"),
)


class _Row(BaseModel):
    key: str
    label: str


class OnlineRatioRow(_Row):
    """Dossiers received in the period by channel (indicator 3.3), and the online
    submissions of the period with those refused at the intake check (never received)."""

    online: int
    counter: int
    postal: int
    total: int
    online_ratio: float | None
    counter_ratio: float | None
    postal_ratio: float | None
    submitted: int
    refused_at_intake: int


class OnTimeRow(_Row):
    """Indicator 2.1 for the period: dossiers to process (carried over + received), those
    finished in it (early ⊂ on time, late), those still in progress at its end (or now), and
    2.2's average time from receipt to processed for the ones received in it, in each unit
    and over all of them in days."""

    carried_over: int
    received: int
    to_process: int
    finished: int
    early: int
    on_time: int
    late: int
    in_progress: int
    overdue_in_progress: int
    on_time_ratio: float | None
    processed: int
    avg_processing_days: float | None = Field(
        description="2.2 over every unit, in days (8 working hours a day, 30 days a month)"
    )
    processed_working_days: int
    avg_working_days: float | None = Field(
        description="2.2 over the dossiers of procedures counted in working days, in them"
    )
    processed_working_hours: int
    avg_working_hours: float | None
    processed_calendar_days: int
    avg_calendar_days: float | None
    processed_months: int
    avg_months: float | None


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
    formula: str
    basis: str
    # Counts are integers; 2.2's numerator is a sum of working days (fractions kept).
    numerator: int | float | None
    denominator: int | float | None
    value: float | None
    threshold: float | None
    max_points: float
    points: float | None
    note: str | None = None  # why a value is null (not measured yet, no denominator)
