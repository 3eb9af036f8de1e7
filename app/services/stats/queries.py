"""Dashboard statistics from the counter tables (DOMAIN.md §6; Decision 766/QĐ-TTg).

A query sums counter rows: whole months from `stat_monthly`, the partial months at either end
from `stat_daily`, grouped in SQL by at most the period, one dimension and (where the answer
needs it) the channel, summing only the counters its rows show; "overdue in progress" is the
`running` counter less the few recent dossiers of `stat_due` not yet due. All of it is one
statement. Its cost grows with the months, days and groups asked for, never with the number
of dossiers.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)
from sqlmodel import Session, col

from app.errors import AgencyNotFound, InvalidPeriod, detail
from app.models.catalogue import Agency, Procedure, ProcedureField
from app.models.stats import COUNTER_COLUMNS, stat_daily, stat_due, stat_monthly
from app.services.calendar import HOLIDAY_YEARS
from app.services.catalogue.scope import ProcedureScope, in_subtree

MAX_PERIOD_DAYS = 3653  # ten years
# A period lies in the years whose holidays the working calendar knows: on-time counts need
# them, and past 9999 the date arithmetic of the groups overflows.
PERIOD_FIRST = date(HOLIDAY_YEARS[0], 1, 1)
PERIOD_LAST = date(HOLIDAY_YEARS[-1], 12, 31)


class GroupBy(StrEnum):
    none = "none"
    day = "day"
    month = "month"
    quarter = "quarter"
    year = "year"
    agency = "agency"
    field = "field"
    level = "level"
    procedure = "procedure"


TEMPORAL = {GroupBy.day, GroupBy.month, GroupBy.quarter, GroupBy.year}


@dataclass(frozen=True)
class StatsQuery:
    date_from: date
    date_to: date
    group_by: GroupBy
    scope: ProcedureScope

    def check(self) -> None:
        problems = self._beyond_the_calendar() or self._misshapen()
        if problems:
            raise InvalidPeriod("Khoảng thời gian không hợp lệ.", details=problems)

    def _beyond_the_calendar(self) -> list[dict[str, Any]]:
        within = f"phải từ {PERIOD_FIRST:%d/%m/%Y} đến {PERIOD_LAST:%d/%m/%Y}"
        problems = []
        if self.date_from < PERIOD_FIRST:
            problems.append(detail(["query", "from"], within))
        if self.date_to > PERIOD_LAST:
            problems.append(detail(["query", "to"], within))
        return problems

    def _misshapen(self) -> list[dict[str, Any]]:
        if self.date_from > self.date_to:
            return [detail(["query", "from"], "phải trước hoặc bằng 'to'")]
        if (self.date_to - self.date_from).days >= MAX_PERIOD_DAYS:
            return [detail(["query", "to"], "khoảng thời gian tối đa 10 năm")]
        return []


ALL_CHANNELS = "*"  # the channel key of totals measured without a split by channel


@dataclass(frozen=True)
class Measures:
    """What a query sums: the counter columns, whether split by channel, and whether the
    overdue-in-progress count (indicator 2.1) is wanted, which needs `running`. Summing only
    these is most of what a query costs the database (docs/PERFORMANCE.md, statistics)."""

    columns: tuple[str, ...]
    by_channel: bool
    overdue: bool

    def __post_init__(self) -> None:
        if self.overdue and "running" not in self.columns:
            raise ValueError("overdue is computed from `running`: measure it too")


EVERYTHING = Measures(COUNTER_COLUMNS, by_channel=True, overdue=True)


@dataclass
class Totals:
    """Summed counters of one group, per channel (or under `ALL_CHANNELS`)."""

    measures: Measures
    by_channel: dict[str, dict[str, int]]
    overdue: int = 0

    def total(self, name: str) -> int:
        if name not in self.measures.columns:
            raise KeyError(f"{name} was not measured")
        return sum(values.get(name, 0) for values in self.by_channel.values())

    def channel(self, channel: str, name: str) -> int:
        if not self.measures.by_channel or name not in self.measures.columns:
            raise KeyError(f"{name} of {channel} was not measured")
        return self.by_channel.get(channel, {}).get(name, 0)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    totals: Totals


def compute(
    session: Session,
    query: StatsQuery,
    now: datetime,
    measures: Measures = EVERYTHING,
    *,
    names: "Names | None" = None,
) -> tuple[list[Group], Totals]:
    """Every group of the query (zero-filled where the dimension is finite) and the total.

    `names` is the catalogue as `Names` reads it (read here when not given; the statistics
    cache keeps one per catalogue revision)."""
    query.check()
    if names is None:
        names = Names(session)
    if query.scope.agency and query.scope.agency not in names.agencies:
        raise AgencyNotFound(query.scope.agency)
    codes = _Codes.of(query, names)
    sums: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    not_yet_due: dict[str, int] = defaultdict(int)
    statement = _statement(query, measures, codes, now)
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL plans the UNION ALL as a Parallel Append; starting its two workers took
        # longer than the whole statement without them (docs/PERFORMANCE.md, statistics).
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    for part, channel, raw, *summed in session.execute(statement).all():
        key = names.key(query.group_by, raw)
        if part == _NOT_YET_DUE:
            not_yet_due[key] += int(summed[0] or 0)
            continue
        bucket = sums[key][channel]
        for name, value in zip(measures.columns, summed, strict=True):
            bucket[name] += int(value or 0)
    groups = []
    for key, label in _all_keys(query, names, set(sums) | set(not_yet_due)):
        totals = Totals(measures, {c: dict(v) for c, v in sums.get(key, {}).items()})
        if measures.overdue:
            totals.overdue = totals.total("running") - not_yet_due.get(key, 0)
        groups.append(Group(key, label, totals))
    total = Totals(measures, defaultdict(dict))
    for group in groups:
        for channel, values in group.totals.by_channel.items():
            target = total.by_channel.setdefault(channel, {})
            for name, value in values.items():
                target[name] = target.get(name, 0) + value
        total.overdue += group.totals.overdue
    total.by_channel = dict(total.by_channel)
    return groups, total


# -- where the numbers come from ---------------------------------------------------------------

_COUNTERS, _NOT_YET_DUE = "c", "d"  # the first column of every row: its part of the statement


def _statement(query: StatsQuery, measures: Measures, codes: "_Codes", now: datetime) -> Any:
    """One statement for the whole query (one round trip): a `UNION ALL` of the sums of each
    piece of the period, and of the count not yet due when overdue is wanted. Every row is
    (part, channel, dimension, *sums); the dimension is NULL without grouping."""
    parts: list[Any] = [
        _sum(table, period, start, end, query, measures, codes)
        for table, period, start, end in _pieces(query)
    ]
    if measures.overdue:
        parts.append(_not_yet_due(query, measures, codes, now))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _pieces(query: StatsQuery) -> Iterator[tuple[Table, str, date, date]]:
    """Whole months from the monthly counters, the rest (and any `day` grouping) from the daily
    ones."""
    start, end = query.date_from, query.date_to
    if query.group_by == GroupBy.day:
        yield stat_daily, "day", start, end
        return
    first_full = start if start.day == 1 else _next_month(start)
    after_last_full = (
        _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    )
    if first_full >= after_last_full:
        yield stat_daily, "day", start, end
        return
    if start < first_full:
        yield stat_daily, "day", start, first_full - timedelta(days=1)
    yield stat_monthly, "month", first_full, after_last_full - timedelta(days=1)
    if after_last_full <= end:
        yield stat_daily, "day", after_last_full, end


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class _Codes:
    """The scope as lists of agency and procedure codes, resolved once per query from the
    catalogue in memory; None where the scope is everything (the province, no procedure
    filter) and needs no condition. Subqueries here made the databases hash-join the agency
    and procedure tables into every counter query (half of the overdue query's time,
    docs/PERFORMANCE.md)."""

    agencies: list[str] | None
    procedures: list[str] | None

    @classmethod
    def of(cls, query: StatsQuery, names: "Names") -> "_Codes":
        agencies = _agencies_in_scope(query, names)
        scope = query.scope
        filtered = scope.tier or scope.field or scope.level or scope.procedure
        return cls(
            sorted(agencies) if len(agencies) < len(names.agencies) else None,
            [c for c in names.procedures if _matches(scope, names, c)] if filtered else None,
        )

    def conditions(self, table: Table) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.agencies is not None:
            conditions.append(table.c.agency_code.in_(self.agencies))
        if self.procedures is not None:
            conditions.append(table.c.procedure_code.in_(self.procedures))
        return conditions


def _matches(scope: ProcedureScope, names: "Names", code: str) -> bool:
    """Whether a procedure passes the scope's tier, field, level and procedure filters."""
    _name, field, level = names.procedures[code]
    tier, _agency = names.procedure_place[code]
    return not (
        (scope.procedure and code != scope.procedure)
        or (scope.field and field != scope.field)
        or (scope.level and level != scope.level)
        or (scope.tier and tier != scope.tier)
    )


# sum(column) for every counter, per table: built once (building them was a tenth of a query).
_SUMS: dict[str, dict[str, Any]] = {
    table.name: {name: func.sum(table.c[name]) for name in COUNTER_COLUMNS}
    for table in (stat_daily, stat_monthly)
}


def _dimension(table: Table, period: str, group_by: GroupBy) -> Any:
    if group_by in TEMPORAL:
        return table.c[period]
    if group_by == GroupBy.agency:
        return table.c.agency_code
    if group_by in (GroupBy.procedure, GroupBy.field, GroupBy.level):
        return table.c.procedure_code
    return None


def _sum(
    table: Table,
    period: str,
    start: date,
    end: date,
    query: StatsQuery,
    measures: Measures,
    codes: _Codes,
) -> Select[Any]:
    """The measured counters of one piece, summed by channel (if measured) and dimension."""
    dimension = _dimension(table, period, query.group_by)
    channel = table.c.channel if measures.by_channel else literal(ALL_CHANNELS)
    keys = [table.c.channel] if measures.by_channel else []
    sums = _SUMS[table.name]
    return (
        select(
            *_head(_COUNTERS, channel, dimension),
            *(sums[name].label(name) for name in measures.columns),
        )
        .where(table.c[period] >= start, table.c[period] <= end, *codes.conditions(table))
        .group_by(*keys, *_present(dimension))
    )


def _not_yet_due(
    query: StatsQuery, measures: Measures, codes: _Codes, now: datetime
) -> Select[Any]:
    """Indicator 2.1's "overdue in progress" as of `now` is `running` (in progress, clock
    running) less the dossiers of `stat_due` whose due moment is still ahead: those were
    received within the last processing times, so this reads a few recent rows, where
    summing the overdue ones read every backlogged day of the period. A row of the same
    shape as the counters' (its count first, the other sums NULL)."""
    dimension = _dimension(stat_due, "day", query.group_by)
    return (
        select(
            *_head(_NOT_YET_DUE, literal(ALL_CHANNELS), dimension),
            func.sum(stat_due.c.n).label(measures.columns[0]),
            *(null().label(name) for name in measures.columns[1:]),
        )
        .where(
            stat_due.c.day >= query.date_from,
            stat_due.c.day <= query.date_to,
            stat_due.c.due_at >= now,
            *codes.conditions(stat_due),
        )
        .group_by(*_present(dimension))
    )


def _head(part: str, channel: Any, dimension: Any) -> list[Any]:
    """The first columns of every row of the statement: (part, channel, dimension)."""
    shown = null() if dimension is None else dimension
    return [literal(part).label("part"), channel.label("channel"), shown.label("dimension")]


def _present(dimension: Any) -> list[Any]:
    return [] if dimension is None else [dimension]


# -- keys and labels -------------------------------------------------------------------------


class Names:
    """The catalogue as statistics need it: labels, agency paths and each procedure's field,
    level, tier and agency (small next to the dossiers). Read once per query, or once per
    catalogue revision by `StatsCache.names`; never changed once read."""

    def __init__(self, session: Session) -> None:
        # Plain rows, not ORM objects: loading them as objects was 4 ms of every query.
        agencies = session.execute(
            select(col(Agency.code), col(Agency.name), col(Agency.path))
        ).all()
        self.agencies = {code: name for code, name, _path in agencies}
        self.agency_path = {code: path for code, _name, path in agencies}
        fields = session.execute(select(col(ProcedureField.code), col(ProcedureField.name)))
        self.fields = {code: name for code, name in fields.all()}
        rows = session.execute(
            select(
                col(Procedure.code),
                col(Procedure.name),
                col(Procedure.field_code),
                col(Procedure.level),
                col(Procedure.tier),
                col(Procedure.agency_code),
            )
        ).all()
        self.procedures = {code: (name, field, level) for code, name, field, level, _t, _a in rows}
        self.procedure_place = {code: (tier, agency) for code, _n, _f, _l, tier, agency in rows}

    def key(self, group_by: GroupBy, raw: Any) -> str:
        if group_by == GroupBy.none:
            return "total"
        if group_by in TEMPORAL:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
            return period_key(group_by, day)
        if group_by == GroupBy.field:
            return str(self.procedures.get(raw, ("", "?", 0))[1])
        if group_by == GroupBy.level:
            return str(self.procedures.get(raw, ("", "", 0))[2])
        return str(raw)


def period_key(group_by: GroupBy, day: date) -> str:
    if group_by == GroupBy.day:
        return day.isoformat()
    if group_by == GroupBy.month:
        return f"{day:%Y-%m}"
    if group_by == GroupBy.quarter:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _period_label(group_by: GroupBy, key: str) -> str:
    if group_by == GroupBy.day:
        return date.fromisoformat(key).strftime("%d/%m/%Y")
    if group_by == GroupBy.month:
        year, month = key.split("-")
        return f"Tháng {int(month)}/{year}"
    if group_by == GroupBy.quarter:
        year, quarter = key.split("-Q")
        return f"Quý {quarter}/{year}"
    return f"Năm {key}"


def _all_keys(query: StatsQuery, names: Names, present: set[str]) -> list[tuple[str, str]]:
    """The groups to show: every period / level / field / agency / procedure of the scope, and
    any other key that has data, in a stable order."""
    group_by = query.group_by
    if group_by == GroupBy.none:
        return [("total", "Tổng")]
    if group_by in TEMPORAL:
        keys = sorted({period_key(group_by, d) for d in _days(query, group_by)})
        return [(k, _period_label(group_by, k)) for k in keys]
    if group_by == GroupBy.level:
        return [(str(level), f"Mức độ {level}") for level in (1, 2, 3, 4)]
    if group_by == GroupBy.field:
        keys = sorted(set(names.fields) | present)
        return [(k, names.fields.get(k, k)) for k in keys]
    if group_by == GroupBy.agency:
        in_scope = _agencies_in_scope(query, names)
        return [(k, names.agencies.get(k, k)) for k in sorted(in_scope | present)]
    agencies = _agencies_in_scope(query, names)
    in_scope = {
        code for code in names.procedures if _procedure_in_scope(query, names, code, agencies)
    }
    return [(k, names.procedures.get(k, (k, "", 0))[0]) for k in sorted(in_scope | present)]


def _days(query: StatsQuery, group_by: GroupBy) -> Iterator[date]:
    """A day of every period of the query: each day, or the first (and first of each month)
    for months, quarters and years."""
    day, end = query.date_from, query.date_to
    while day <= end:
        yield day
        day = day + timedelta(days=1) if group_by == GroupBy.day else _next_month(day)


def _agencies_in_scope(query: StatsQuery, names: Names) -> set[str]:
    if not query.scope.agency:
        return set(names.agencies)
    path = names.agency_path[query.scope.agency]
    return {code for code, p in names.agency_path.items() if in_subtree(p, path)}


def _procedure_in_scope(query: StatsQuery, names: Names, code: str, agencies: set[str]) -> bool:
    _tier, agency = names.procedure_place[code]
    return _matches(query.scope, names, code) and (not query.scope.agency or agency in agencies)
