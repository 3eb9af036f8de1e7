"""Dashboard statistics from the counter tables (DOMAIN.md §6; Decision 766/QĐ-TTg).

A query sums counter rows: whole months from `stat_monthly`, the partial months at either end
from `stat_daily`, grouped in SQL by at most the period, one dimension and (where the answer
needs it) the channel, summing only the counters its rows show. Indicator 2.1 judges each
group at the end of its period (or now): what was carried over into it and what was late by
then come from the same counters summed before the period, and from the few late moments of
`stat_due` still ahead of now. All of it is one statement. Its cost grows with the months,
days and groups of the history, never with the number of dossiers.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
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
from app.models.catalogue import Agency, Procedure, ProcedureAgency, ProcedureField
from app.models.stats import COUNTER_COLUMNS, stat_daily, stat_due, stat_monthly
from app.models.types import VN_TZ
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
# Counters summed before the period: what is carried over into it, and what was late then.
BEFORE_COLUMNS = ("received", "finished", "became_late", "finished_late")


@dataclass(frozen=True)
class Measures:
    """What a query sums: the counter columns, whether split by channel, and whether the
    dossiers are judged at the period's end (indicator 2.1: carried over, in progress, late),
    which also sums the counters before the period and reads the late moments still ahead.
    Summing only these is most of what a query costs the database (docs/PERFORMANCE.md)."""

    columns: tuple[str, ...]
    by_channel: bool
    judged: bool
    names: frozenset[str] = field(init=False, repr=False, compare=False)  # the columns, to look up

    def __post_init__(self) -> None:
        missing = set(BEFORE_COLUMNS) - set(self.columns)
        if self.judged and missing:
            raise ValueError(f"judging needs {sorted(missing)} measured too")
        object.__setattr__(self, "names", frozenset(self.columns))


EVERYTHING = Measures(COUNTER_COLUMNS, by_channel=True, judged=True)


@dataclass
class Totals:
    """Summed counters of one group, per channel (or under `ALL_CHANNELS`), and, when judged,
    its dossiers as of the period's end: carried over into it, in progress and late then."""

    measures: Measures
    by_channel: dict[str, dict[str, int]]
    carried_over: int = 0
    late_in_progress: int = 0

    def total(self, name: str) -> int:
        if name not in self.measures.names:
            raise KeyError(f"{name} was not measured")
        if len(self.by_channel) == 1:  # measured without a split by channel, or one channel
            return next(iter(self.by_channel.values())).get(name, 0)
        return sum(values.get(name, 0) for values in self.by_channel.values())

    def channel(self, channel: str, name: str) -> int:
        if not self.measures.by_channel or name not in self.measures.names:
            raise KeyError(f"{name} of {channel} was not measured")
        return self.by_channel.get(channel, {}).get(name, 0)

    @property
    def in_progress(self) -> int:
        """Received, not finished, at the period's end."""
        return self.carried_over + self.total("received") - self.total("finished")


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    totals: Totals


@dataclass
class _Sums:
    """The rows of one query's statement, by group key."""

    period: dict[str, dict[str, dict[str, int]]]  # key → channel → counter → sum
    before: dict[str, dict[str, int]]  # key (or "" for temporal groups) → counter → sum
    ahead: dict[str, int]  # key → late moments still ahead within the period (non-temporal)
    ahead_at: list[tuple[datetime, int]]  # temporal groups: (late moment, count)


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
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL plans the UNION ALL as a Parallel Append; starting its two workers took
        # longer than the whole statement without them (docs/PERFORMANCE.md, statistics).
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    sums = _read(session, query, measures, codes, now, names)
    groups = []
    present = set(sums.period) | set(sums.before) | set(sums.ahead)
    for key, label in _all_keys(query, names, present):
        totals = Totals(measures, {c: dict(v) for c, v in sums.period.get(key, {}).items()})
        groups.append(Group(key, label, totals))
    if measures.judged:
        _judge(query, groups, sums, now)
    return groups, _total(measures, groups, query)


def _read(
    session: Session,
    query: StatsQuery,
    measures: Measures,
    codes: "_Codes",
    now: datetime,
    names: "Names",
) -> _Sums:
    sums = _Sums(
        defaultdict(lambda: defaultdict(lambda: defaultdict(int))), defaultdict(dict), {}, []
    )
    temporal = query.group_by in TEMPORAL
    ahead: dict[str, int] = defaultdict(int)
    for part, channel, raw, *summed in session.execute(
        _statement(query, measures, codes, now)
    ).all():
        if part == _AHEAD:
            ahead[names.key(query.group_by, raw)] += int(summed[0] or 0)
            continue
        key = "" if part == _BEFORE and temporal else names.key(query.group_by, raw)
        if part == _BEFORE:
            target = sums.before[key]
            for name, value in zip(measures.columns, summed, strict=True):
                if name in BEFORE_COLUMNS:
                    target[name] = target.get(name, 0) + int(value or 0)
            continue
        bucket = sums.period[key][channel]
        for name, value in zip(measures.columns, summed, strict=True):
            bucket[name] += int(value or 0)
    sums.ahead = dict(ahead)
    if measures.judged and temporal and _end_utc(query.date_to) > now:
        # By late moment: a statement of its own, the moment being no type of the union's
        # dimension (a date there).
        # `late_at` is read through its column type: an aware UTC moment on both databases.
        for _part, _channel, at, n, *_rest in session.execute(
            _ahead(query, measures, codes, now)
        ).all():
            sums.ahead_at.append((at, int(n or 0)))
    return sums


def _judge(query: StatsQuery, groups: list[Group], sums: _Sums, now: datetime) -> None:
    """Each group's dossiers as of the end of its period, or now if it has not ended
    (DOMAIN.md §6): carried over = received before it began and not finished by then; late in
    progress = late by then, less those finished by then (late moments still ahead of now do
    not count yet). A temporal group's period starts where the previous one ends, so what it
    carries over is what the previous one left."""
    if query.group_by not in TEMPORAL:
        end = _end_utc(query.date_to)
        for group in groups:
            before = sums.before.get(group.key, {})
            _set(group.totals, before, sums.ahead.get(group.key, 0) if end > now else 0)
        return
    before = dict(sums.before.get("", {}))
    for group in groups:
        end = _end_utc(_period_end(query, group.key))
        ahead = sum(n for at, n in sums.ahead_at if now < at < end) if end > now else 0
        _set(group.totals, before, ahead)
        for name in BEFORE_COLUMNS:  # the next period's "before" includes this one
            before[name] = before.get(name, 0) + group.totals.total(name)


def _set(totals: Totals, before: dict[str, int], ahead: int) -> None:
    totals.carried_over = before.get("received", 0) - before.get("finished", 0)
    late_before = before.get("became_late", 0) - before.get("finished_late", 0)
    late = late_before + totals.total("became_late") - totals.total("finished_late") - ahead
    totals.late_in_progress = late


def _total(measures: Measures, groups: list[Group], query: StatsQuery) -> Totals:
    """The sum of the groups; for temporal groups, what is carried over into the first and
    late at the end of the last."""
    total = Totals(measures, defaultdict(dict))
    for group in groups:
        for channel, values in group.totals.by_channel.items():
            target = total.by_channel.setdefault(channel, {})
            for name, value in values.items():
                target[name] = target.get(name, 0) + value
    total.by_channel = dict(total.by_channel)
    if not measures.judged or not groups:
        return total
    if query.group_by in TEMPORAL:
        total.carried_over = groups[0].totals.carried_over
        total.late_in_progress = groups[-1].totals.late_in_progress
    else:
        total.carried_over = sum(g.totals.carried_over for g in groups)
        total.late_in_progress = sum(g.totals.late_in_progress for g in groups)
    return total


def _end_utc(day: date) -> datetime:
    """The end of a Vietnam day (the start of the next), as an aware moment."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VN_TZ)


def _period_end(query: StatsQuery, key: str) -> date:
    """The last day of a temporal group's period, within the query's period."""
    if query.group_by == GroupBy.day:
        last = date.fromisoformat(key)
    elif query.group_by == GroupBy.month:
        first = date.fromisoformat(f"{key}-01")
        last = _next_month(first) - timedelta(days=1)
    elif query.group_by == GroupBy.quarter:
        year, quarter = key.split("-Q")
        first = date(int(year), 3 * int(quarter) - 2, 1)
        last = _next_month(_next_month(_next_month(first))) - timedelta(days=1)
    else:
        last = date(int(key), 12, 31)
    return min(last, query.date_to)


# -- where the numbers come from ---------------------------------------------------------------

# The first column of every row: its part of the statement.
_COUNTERS, _BEFORE, _AHEAD = "c", "b", "a"


def _statement(query: StatsQuery, measures: Measures, codes: "_Codes", now: datetime) -> Any:
    """One statement for the whole query (one round trip): a `UNION ALL` of the sums of each
    piece of the period; when judged, of the sums before it and of the late moments still
    ahead. Every row is (part, channel, dimension, *sums); the dimension is NULL without
    grouping."""
    parts: list[Any] = [
        _sum(table, period, start, end, query, measures, codes)
        for table, period, start, end in _pieces(query.date_from, query.date_to, query.group_by)
    ]
    if measures.judged:
        parts.extend(_before(query, measures, codes))
        if _end_utc(query.date_to) > now and query.group_by not in TEMPORAL:
            parts.append(_ahead(query, measures, codes, now))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _pieces(start: date, end: date, group_by: GroupBy) -> Iterator[tuple[Table, str, date, date]]:
    """Whole months from the monthly counters, the rest (and any `day` grouping) from the daily
    ones."""
    if group_by == GroupBy.day:
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


def _before(query: StatsQuery, measures: Measures, codes: "_Codes") -> list[Select[Any]]:
    """The sums of every counter row before the period: whole months, then the days of the
    period's first month before it. Rows of the counters' shape: the other sums NULL."""
    dimension_of = GroupBy.none if query.group_by in TEMPORAL else query.group_by
    month = query.date_from.replace(day=1)
    pieces: list[tuple[Table, str, date | None, date]] = [
        (stat_monthly, "month", None, month - timedelta(days=1))
    ]
    if month < query.date_from:
        pieces.append((stat_daily, "day", month, query.date_from - timedelta(days=1)))
    statements = []
    for table, period, start, end in pieces:
        dimension = _dimension(table, period, dimension_of)
        sums = _SUMS[table.name]
        where = [table.c[period] <= end, *codes.conditions(table)]
        if start is not None:
            where.append(table.c[period] >= start)
        statements.append(
            select(
                *_head(_BEFORE, literal(ALL_CHANNELS), dimension),
                *(
                    (sums[name] if name in BEFORE_COLUMNS else null()).label(name)
                    for name in measures.columns
                ),
            )
            .where(*where)
            .group_by(*_present(dimension))
        )
    return statements


def _ahead(query: StatsQuery, measures: Measures, codes: "_Codes", now: datetime) -> Select[Any]:
    """Dossiers in progress whose late moment is still ahead of `now` but within the period
    (they count as late on their late day, which has not come): a few recent rows, found by
    the index on `late_at`. By late moment for temporal groups (each group ends elsewhere).
    A row of the counters' shape: its count first, the other sums NULL."""
    temporal = query.group_by in TEMPORAL
    dimension = stat_due.c.late_at if temporal else _dimension(stat_due, "", query.group_by)
    return (
        select(
            *_head(_AHEAD, literal(ALL_CHANNELS), dimension),
            func.sum(stat_due.c.n).label(measures.columns[0]),
            *(null().label(name) for name in measures.columns[1:]),
        )
        .where(
            stat_due.c.late_at > now,
            stat_due.c.late_at < _end_utc(query.date_to),
            *codes.conditions(stat_due),
        )
        .group_by(*_present(dimension))
    )


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class _Codes:
    """The scope as lists of agency and procedure codes, resolved once per query from the
    catalogue in memory, and the level at receipt; None where the scope is everything (the
    province, no procedure filter) and needs no condition. Subqueries here made the databases
    hash-join the agency and procedure tables into every counter query (half of the overdue
    query's time, docs/PERFORMANCE.md)."""

    agencies: list[str] | None
    procedures: list[str] | None
    level: int | None

    @classmethod
    def of(cls, query: StatsQuery, names: "Names") -> "_Codes":
        agencies = _agencies_in_scope(query, names)
        scope = query.scope
        filtered = scope.tier or scope.field or scope.procedure
        return cls(
            sorted(agencies) if len(agencies) < len(names.agencies) else None,
            [c for c in names.procedures if _matches(scope, names, c)] if filtered else None,
            scope.level,
        )

    def conditions(self, table: Table) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.agencies is not None:
            conditions.append(table.c.agency_code.in_(self.agencies))
        if self.procedures is not None:
            conditions.append(table.c.procedure_code.in_(self.procedures))
        if self.level is not None:
            conditions.append(table.c.level == self.level)
        return conditions


def _matches(scope: ProcedureScope, names: "Names", code: str) -> bool:
    """Whether a procedure passes the scope's tier, field and procedure filters (the level is
    the dossier's at receipt, a column of the counters)."""
    _name, field, _level = names.procedures[code]
    tier, _agency = names.procedure_place[code]
    return not (
        (scope.procedure and code != scope.procedure)
        or (scope.field and field != scope.field)
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
    if group_by == GroupBy.level:
        return table.c.level
    if group_by in (GroupBy.procedure, GroupBy.field):
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
        # Every agency that offers each procedure (a row per procedure lists it by agency).
        self.offered_by: dict[str, list[str]] = defaultdict(list)
        links = session.execute(
            select(col(ProcedureAgency.procedure_code), col(ProcedureAgency.agency_code))
        )
        for procedure_code, agency_code in links.all():
            self.offered_by[procedure_code].append(agency_code)

    def key(self, group_by: GroupBy, raw: Any) -> str:
        if group_by == GroupBy.none:
            return "total"
        if group_by in TEMPORAL:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])
            return period_key(group_by, day)
        if group_by == GroupBy.field:
            return str(self.procedures.get(raw, ("", "?", 0))[1])
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
    offered = names.offered_by.get(code) or [agency]
    return _matches(query.scope, names, code) and (
        not query.scope.agency or any(a in agencies for a in offered)
    )
