"""Keeping the statistics counters in step with the dossiers.

One function, `contribution`, says what a dossier in a given state adds to the counters. Every
write applies `contribution(after) - contribution(before)` in the same transaction as the
dossier change, so the counters are exactly the sum of the contributions of all dossiers — which
is also how `dvc-gateway stats rebuild` recomputes them and reports drift.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Table, bindparam, delete, select
from sqlmodel import Session

from app.db import bump_revision_row, conflict_insert, unit_of_work
from app.models.catalogue import ProcessingUnit
from app.models.dossier import Channel, Dossier, DossierStatus
from app.models.stats import (
    COUNTER_COLUMNS,
    PROCESSED_COLUMNS,
    STATUS_COLUMNS,
    TIME_COLUMNS,
    TIME_SCALE,
    stat_daily,
    stat_due,
    stat_monthly,
    stat_revision,
)
from app.models.types import VN_TZ

# Indicator 2.2 averages over the dossiers that reached these (DOMAIN.md §6).
PROCESSED_STATUSES = frozenset({DossierStatus.processed, DossierStatus.returned})

Key = tuple[date, str, str, str, int]  # day, agency, procedure, channel, level at receipt
DueKey = tuple[datetime, str, str, str, int]  # late moment, then the same group
Rows = dict[tuple[Any, ...], dict[str, int]]  # counter rows by primary key


@dataclass(frozen=True)
class Facts:
    """The fields of a dossier that statistics depend on."""

    submitted_at: datetime
    agency_code: str
    procedure_code: str
    channel: Channel
    level_at_receipt: int
    status: DossierStatus
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    late_at: datetime | None
    file_count: int
    result_file_count: int
    processing_unit: str | None
    time_used: float | None

    @classmethod
    def of(cls, dossier: Dossier) -> "Facts":
        return cls(**{f.name: getattr(dossier, f.name) for f in fields(cls)})

    def changed(self, changes: dict[str, Any]) -> "Facts":
        names = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in names})

    @property
    def received(self) -> bool:
        return self.received_at is not None

    @property
    def in_progress(self) -> bool:
        return self.received and self.finished_at is None

    @property
    def finished_late(self) -> bool:
        return self.late_at is not None and self.finished_at is not None


@dataclass(frozen=True)
class Contribution:
    days: dict[date, dict[str, int]]  # counters by the day of each event
    group: tuple[str, str, str, int]  # agency, procedure, channel, level at receipt
    late_at: datetime | None  # in progress, received, with a late moment: a `stat_due` row

    def rows(self) -> Iterator[tuple[Key, dict[str, int]]]:
        for day, values in self.days.items():
            yield (day, *self.group), values


def _day(moment: datetime) -> date:
    return moment.astimezone(VN_TZ).date()


def contribution(facts: Facts) -> Contribution:
    """What one dossier adds to the counters, each count on the day of its own event
    (DOMAIN.md §6): submitted and its current status on the submission day; received on the
    receipt day; finished early / on time / late on the finish day; late on the day it became
    late (which may be ahead, for a dossier whose clock runs)."""
    days: dict[date, dict[str, int]] = defaultdict(dict)
    submitted = days[_day(facts.submitted_at)]
    submitted["submitted"] = 1
    submitted[STATUS_COLUMNS[facts.status]] = 1
    late_at = None
    if facts.received_at is None:
        if facts.status == DossierStatus.refused and facts.finished_at is not None:
            days[_day(facts.finished_at)]["refused_at_intake"] = 1
    else:
        _received(facts, days)
        if facts.in_progress:
            late_at = facts.late_at
    group = (facts.agency_code, facts.procedure_code, str(facts.channel), facts.level_at_receipt)
    return Contribution(dict(days), group, late_at)


def _received(facts: Facts, days: dict[date, dict[str, int]]) -> None:
    assert facts.received_at is not None
    received = days[_day(facts.received_at)]
    received["received"] = 1
    received["with_files"] = int(facts.file_count > 0)
    received["with_result"] = int(facts.result_file_count > 0)
    received["digitised"] = int(facts.file_count > 0 and facts.result_file_count > 0)
    if facts.late_at is not None:
        late = days[_day(facts.late_at)]
        late["became_late"] = late.get("became_late", 0) + 1
    if facts.finished_at is None:
        return
    finished = days[_day(facts.finished_at)]
    finished["finished"] = 1
    if facts.finished_late:
        finished["finished_late"] = 1
    else:
        finished["finished_on_time"] = 1
        early = facts.due_at is not None and _day(facts.finished_at) < _day(facts.due_at)
        finished["finished_early"] = int(early)
    if facts.status in PROCESSED_STATUSES:
        # Measured at the finish, in the unit the dossier was received in (Dossier.time_used).
        assert facts.processing_unit is not None and facts.time_used is not None
        unit = ProcessingUnit(facts.processing_unit)
        received["processed"] = 1
        received[PROCESSED_COLUMNS[unit]] = 1
        received[TIME_COLUMNS[unit]] = round(facts.time_used * TIME_SCALE)


def record(session: Session, before: Facts | None, after: Facts | None) -> None:
    """Apply `contribution(after) - contribution(before)` to the counter tables."""
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    due: dict[DueKey, int] = defaultdict(int)
    for facts, sign in ((before, -1), (after, 1)):
        if facts is not None:
            add(contribution(facts), sign, deltas, due)
    apply_deltas(session, deltas, due)


def add(
    part: Contribution,
    sign: int,
    deltas: dict[Key, dict[str, int]],
    due: dict[DueKey, int],
) -> None:
    """Add `sign` times a contribution to counter deltas."""
    for key, values in part.rows():
        target = deltas[key]
        for name, value in values.items():
            target[name] += sign * value
    if part.late_at is not None:
        due[(part.late_at, *part.group)] += sign


def apply_deltas(
    session: Session,
    deltas: dict[Key, dict[str, int]],
    due: dict[DueKey, int],
) -> None:
    """Upsert the non-zero deltas, in key order (no deadlocks between concurrent writers).
    Monthly rows are summed first, so each is written once however many days feed it."""
    daily = {key: {n: v for n, v in values.items() if v} for key, values in deltas.items()}
    _upsert_rows(session, stat_daily, daily, COUNTER_COLUMNS)
    _upsert_rows(session, stat_monthly, rollup(daily), COUNTER_COLUMNS)
    due_rows = {key: {"n": n} for key, n in due.items() if n}
    _upsert_rows(session, stat_due, due_rows, ("n",))
    _delete_empty_due(session, [key for key, values in due_rows.items() if values["n"] < 0])


def _delete_empty_due(session: Session, keys: list[tuple[Any, ...]]) -> None:
    """Remove the due rows that a decrement brought to zero. Each row is one due moment, so
    kept at zero they would pile up, one per dossier that was ever in progress, and the
    overdue query, which reads them, would grow with the number of dossiers."""
    if not keys:
        return
    names = [column.name for column in stat_due.primary_key.columns]
    statement = delete(stat_due).where(
        *(stat_due.c[name] == bindparam(f"k_{name}") for name in names), stat_due.c.n == 0
    )
    session.execute(
        statement, [{f"k_{n}": v for n, v in zip(names, key, strict=True)} for key in sorted(keys)]
    )


def rollup(daily: Rows) -> Rows:
    """Daily counters summed by month: the rows of `stat_monthly`."""
    monthly: Rows = defaultdict(lambda: defaultdict(int))
    for (day, *rest), values in daily.items():
        month = monthly[(day.replace(day=1), *rest)]
        for name, value in values.items():
            month[name] += value
    return monthly


def _upsert_rows(
    session: Session,
    table: Table,
    rows: Rows,
    names: tuple[str, ...],
) -> None:
    """One ON CONFLICT statement per table, run for every row (executemany): building a
    statement per key was most of the cost of `stats rebuild` and of every dossier write."""
    rows = {key: values for key, values in rows.items() if any(values.values())}
    if not rows:
        return
    key_names = [column.name for column in table.primary_key.columns]
    insert = conflict_insert(session)(table)
    statement = insert.on_conflict_do_update(
        index_elements=[table.c[name] for name in key_names],
        set_={name: table.c[name] + insert.excluded[name] for name in names},
    )
    params = [
        {**dict(zip(key_names, key, strict=True)), **{n: values.get(n, 0) for n in names}}
        for key, values in sorted(rows.items())
    ]
    session.execute(statement, params)


def expected_counters(session: Session) -> tuple[dict[Key, dict[str, int]], dict[DueKey, int]]:
    """The counters as they should be: the sum of every dossier's contribution, streamed."""
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    due: dict[DueKey, int] = defaultdict(int)
    columns = [getattr(Dossier, f.name) for f in fields(Facts)]
    rows = session.execute(select(*columns).execution_options(yield_per=5000))
    for row in rows:
        add(contribution(Facts(*row)), 1, deltas, due)
    return deltas, due


def current_counters(session: Session) -> tuple[Rows, Rows, Rows]:
    """The counter tables as they are: daily, monthly and due rows by primary key, zeros left
    out."""
    return (
        _read(session, stat_daily, COUNTER_COLUMNS),
        _read(session, stat_monthly, COUNTER_COLUMNS),
        _read(session, stat_due, ("n",)),
    )


def _read(session: Session, table: Table, names: tuple[str, ...]) -> Rows:
    key_names = [column.name for column in table.primary_key.columns]
    rows: Rows = {}
    for row in session.execute(select(table)).mappings():
        values = {name: int(row[name]) for name in names if row[name]}
        if values:
            rows[tuple(row[name] for name in key_names)] = values
    return rows


def _difference(expected: Rows, actual: Rows) -> Rows:
    """Per key, what to add to `actual` to make it `expected` (non-zero entries only)."""
    difference: Rows = {}
    for key in expected.keys() | actual.keys():
        want, have = expected.get(key, {}), actual.get(key, {})
        delta = {n: want.get(n, 0) - have.get(n, 0) for n in want.keys() | have.keys()}
        delta = {n: v for n, v in delta.items() if v}
        if delta:
            difference[key] = delta
    return difference


@dataclass(frozen=True)
class RebuildReport:
    groups: int
    drifted: list[str]


def rebuild(engine: Engine, *, dry_run: bool = False) -> RebuildReport:
    """Recompute every counter from the dossiers, report the rows that drifted and (unless
    `dry_run`) repair them.

    The dossiers and the counters are read in one snapshot (REPEATABLE READ on PostgreSQL, a
    read transaction on SQLite's WAL), with no lock: dossier writes go on meanwhile. The repair
    then adds to each drifted row the difference between what the snapshot's dossiers give
    and what the snapshot's counters held, in one short transaction. A dossier write committed
    after the snapshot added its own delta to the counters, in its own transaction, and that
    delta stays: the result is right however the two interleave. Only drifted rows are
    written, so a rebuild that finds no drift writes nothing (and leaves PostgreSQL's tables
    as compact as they were). A repair bumps `stat_revision`, so cached answers are dropped.
    """
    with unit_of_work(engine, snapshot=True) as session:
        expected_daily, expected_due = expected_counters(session)
        actual_daily, actual_monthly, actual_due = current_counters(session)
    expected: Rows = {k: {n: v for n, v in vals.items() if v} for k, vals in expected_daily.items()}
    due: Rows = {key: {"n": n} for key, n in expected_due.items() if n}
    repairs = [
        (stat_daily, COUNTER_COLUMNS, _difference(expected, actual_daily)),
        (stat_monthly, COUNTER_COLUMNS, _difference(rollup(expected), actual_monthly)),
        (stat_due, ("n",), _difference(due, actual_due)),
    ]
    drifted = [
        f"{table.name} {' '.join(str(part) for part in key)}: {delta}"
        for table, _names, difference in repairs
        for key, delta in sorted(difference.items())
    ]
    if drifted and not dry_run:
        with unit_of_work(engine, write=True) as session:
            for table, names, difference in repairs:
                _upsert_rows(session, table, difference, names)
            bump_revision_row(session, stat_revision)
    return RebuildReport(groups=len(expected), drifted=drifted)
