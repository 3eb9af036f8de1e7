"""Dashboard statistics from the counter tables (DOMAIN.md §6; Decision 766/QĐ-TTg).

A query sums counter rows: whole months from `stat_monthly`, the partial months at either end
from `stat_daily`, grouped in SQL by at most the period, one dimension and the channel. Its cost
grows with the months, days and groups asked for, never with the number of dossiers.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, select
from sqlmodel import Session, col

from app.errors import InvalidContent, detail
from app.models.catalogue import Agency, Procedure, ProcedureField
from app.models.stats import COUNTER_COLUMNS, stat_daily, stat_due, stat_monthly
from app.services.scope import ProcedureScope, get_agency

MAX_PERIOD_DAYS = 3653  # ten years


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
        problems = []
        if self.date_from > self.date_to:
            problems.append(detail(["query", "from"], "phải trước hoặc bằng 'to'"))
        elif (self.date_to - self.date_from).days >= MAX_PERIOD_DAYS:
            problems.append(detail(["query", "to"], "khoảng thời gian tối đa 10 năm"))
        if problems:
            raise InvalidContent(
                "Khoảng thời gian không hợp lệ.", code="invalid_period", details=problems
            )


@dataclass
class Totals:
    """Summed counters of one group, per channel."""

    by_channel: dict[str, dict[str, int]]
    overdue: int = 0

    def total(self, name: str) -> int:
        return sum(values.get(name, 0) for values in self.by_channel.values())

    def channel(self, channel: str, name: str) -> int:
        return self.by_channel.get(channel, {}).get(name, 0)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    totals: Totals


def compute(session: Session, query: StatsQuery, now: datetime) -> tuple[list[Group], Totals]:
    """Every group of the query (zero-filled where the dimension is finite) and the total."""
    query.check()
    if query.scope.agency:
        get_agency(session, query.scope.agency)  # 404 for an unknown agency
    names = _Names(session)
    codes = _Codes.of(query, names)
    sums: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for table, period, start, end in _pieces(query):
        for key, channel, values in _sum(session, table, period, start, end, query, names, codes):
            bucket = sums[key][channel]
            for name, value in values.items():
                bucket[name] += value
    overdue = _overdue(session, query, now, names, codes)
    groups = [
        Group(
            key,
            label,
            Totals({c: dict(v) for c, v in sums.get(key, {}).items()}, overdue.get(key, 0)),
        )
        for key, label in _all_keys(session, query, names, set(sums) | set(overdue))
    ]
    total = Totals(defaultdict(dict))
    for group in groups:
        for channel, values in group.totals.by_channel.items():
            target = total.by_channel.setdefault(channel, {})
            for name, value in values.items():
                target[name] = target.get(name, 0) + value
        total.overdue += group.totals.overdue
    total.by_channel = dict(total.by_channel)
    return groups, total


# -- where the numbers come from ---------------------------------------------------------------


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
    def of(cls, query: StatsQuery, names: "_Names") -> "_Codes":
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


def _matches(scope: ProcedureScope, names: "_Names", code: str) -> bool:
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
_SUMS: dict[str, list[Any]] = {
    table.name: [func.sum(table.c[name]) for name in COUNTER_COLUMNS]
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
    session: Session,
    table: Table,
    period: str,
    start: date,
    end: date,
    query: StatsQuery,
    names: "_Names",
    codes: _Codes,
) -> Iterator[tuple[str, str, dict[str, int]]]:
    dimension = _dimension(table, period, query.group_by)
    keys = [table.c.channel] + ([dimension] if dimension is not None else [])
    statement = (
        select(*keys, *_SUMS[table.name])
        .where(
            table.c[period] >= start,
            table.c[period] <= end,
            *codes.conditions(table),
        )
        .group_by(*keys)
    )
    first = len(keys)
    for row in session.execute(statement).all():
        raw = row[1] if dimension is not None else None
        values = {name: int(v or 0) for name, v in zip(COUNTER_COLUMNS, row[first:], strict=True)}
        yield names.key(query.group_by, raw), row[0], values


def _overdue(
    session: Session, query: StatsQuery, now: datetime, names: "_Names", codes: _Codes
) -> dict[str, int]:
    """In progress, clock running, past the due moment — as of `now`."""
    dimension = _dimension(stat_due, "day", query.group_by)
    keys = [dimension] if dimension is not None else []
    statement = (
        select(*keys, func.sum(stat_due.c.n))
        .where(
            and_(stat_due.c.day >= query.date_from, stat_due.c.day <= query.date_to),
            stat_due.c.due_at < now,
            *codes.conditions(stat_due),
        )
        .group_by(*keys)
    )
    result: dict[str, int] = defaultdict(int)
    for row in session.execute(statement).all():
        raw = row[0] if keys else None
        result[names.key(query.group_by, raw)] += int(row[-1] or 0)
    return result


# -- keys and labels -------------------------------------------------------------------------


class _Names:
    """Labels and the procedure → field/level map, loaded once per query (the catalogue is
    small next to the dossiers)."""

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


def _all_keys(
    session: Session, query: StatsQuery, names: _Names, present: set[str]
) -> list[tuple[str, str]]:
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


def _agencies_in_scope(query: StatsQuery, names: _Names) -> set[str]:
    if not query.scope.agency:
        return set(names.agencies)
    path = names.agency_path[query.scope.agency]
    return {code for code, p in names.agency_path.items() if p.startswith(path)}


def _procedure_in_scope(query: StatsQuery, names: _Names, code: str, agencies: set[str]) -> bool:
    _tier, agency = names.procedure_place[code]
    return _matches(query.scope, names, code) and (not query.scope.agency or agency in agencies)
