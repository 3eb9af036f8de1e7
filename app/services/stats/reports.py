"""Statistics reports: a query's numbers as the JSON body and as a table for CSV/XLSX, encoded
once per data revision and kept in the process's cache (services/stats/cache.py).

The routers parse the query string into a `StatsQuery` (or a `ProcedureScope` for the
catalogue) and call `answer`; everything between that and the encoded bytes lives here.
"""

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.db import unit_of_work
from app.models.catalogue import Tier
from app.models.stats import CatalogueStats, Indicator
from app.models.types import VN_TZ, utcnow
from app.services.catalogue import procedures
from app.services.catalogue.completeness import COMPONENT_LABELS
from app.services.catalogue.scope import ProcedureScope
from app.services.stats import export, indicators
from app.services.stats.cache import Answer, Revision, StatsCache, etag_of
from app.services.stats.queries import GroupBy, Measures, Names, StatsQuery, Totals, compute


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def vietnam_today() -> date:
    return datetime.now(VN_TZ).date()


def period_query(
    date_from: date | None,
    date_to: date | None,
    group_by: GroupBy,
    *,
    agency: str | None = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: int | None = None,
    procedure: str | None = None,
) -> StatsQuery:
    """The query of a request: `to` defaults to today (Vietnam), `from` to the first of
    January of `to`'s year; retired procedures count, their dossiers being history."""
    date_to = date_to or vietnam_today()
    date_from = date_from or date_to.replace(month=1, day=1)
    scope = ProcedureScope(
        agency=agency,
        tier=tier,
        field=field,
        level=level,
        procedure=procedure,
        include_retired=True,
    )
    return StatsQuery(date_from, date_to, group_by, scope)


@dataclass(frozen=True)
class Report:
    """An answer before encoding: the JSON body, and the same numbers as a table for CSV/XLSX
    (column keys, rows)."""

    body: Any
    columns: list[str]
    rows: list[list[Any]]
    name: str  # file name, without the extension
    sheet: str


# Makes a report from a session and the catalogue's names (see `StatsCache.names`).
Builder = Callable[[Session, Names], Report]
# Sheet names as Vietnamese writes them (Excel: at most 31 characters, none of []:*?/\\).
SHEET_TITLES = {
    "online-ratio": "Tỷ lệ trực tuyến",
    "on-time": "Đúng hạn",
    "status": "Trạng thái",
    "catalogue": "Thủ tục",
    "indicators": "Bộ chỉ số 766",
}
# Per kind: the row of a group, and what it needs summed.
ROW_BUILDERS: dict[str, tuple[Callable[[Totals], dict[str, Any]], Measures]] = {
    "online-ratio": (indicators.online_ratio_row, indicators.ONLINE_RATIO),
    "on-time": (indicators.on_time_row, indicators.ON_TIME),
    "status": (indicators.status_row, indicators.STATUS),
}
CATALOGUE_LABELS = {
    **{f"level_{level}": f"Mức độ {level}" for level in (1, 2, 3, 4)},
    "online_mode_none": "Không trực tuyến (mức độ 1–2)",
    "online_mode_partial": "Trực tuyến một phần (mức độ 3)",
    "online_mode_full": "Trực tuyến toàn trình (mức độ 4)",
    "online_services": "Thủ tục cung cấp trực tuyến (mức độ 3–4)",
    "total": "Tổng số thủ tục",
    "online_service_share": "Tỷ lệ thủ tục cung cấp trực tuyến (chỉ số 3.1)",
    "complete": "Thủ tục công khai đầy đủ các bộ phận (chỉ số 1.3)",
    "complete_share": "Tỷ lệ thủ tục công khai đầy đủ các bộ phận",
    **{
        f"missing_{component}": f"Thủ tục thiếu {label}"
        for component, label in COMPONENT_LABELS.items()
    },
}
INDICATOR_COLUMNS = [
    "code",
    "name",
    "numerator",
    "denominator",
    "value",
    "threshold",
    "max_points",
    "points",
    "formula",
    "basis",
    "note",
]


def grouped_report(kind: str, query: StatsQuery) -> Builder:
    """Online ratio, on time or status: one row per group and a total row."""

    def build(session: Session, names: Names) -> Report:
        row, measures = ROW_BUILDERS[kind]
        groups, total = compute(session, query, utcnow(), measures, names=names)
        body = {
            "from": query.date_from.isoformat(),
            "to": query.date_to.isoformat(),
            "group_by": query.group_by.value,
            "rows": [{"key": g.key, "label": g.label, **row(g.totals)} for g in groups],
            "total": {"key": "total", "label": "Tổng", **row(total)},
        }
        table = [*body["rows"], body["total"]]
        columns = list(table[0])
        return Report(
            body,
            columns,
            [[item[c] for c in columns] for item in table],
            f"{kind}-{body['from']}-{body['to']}",
            SHEET_TITLES[kind],
        )

    return build


def catalogue_report(scope: ProcedureScope) -> Builder:
    """Procedures per level and online mode, and the online service share (3.1)."""

    def build(session: Session, _names: Names) -> Report:
        body = CatalogueStats.model_validate(procedures.catalogue_stats(session, scope)).model_dump(
            mode="json"
        )
        values = {
            **{f"level_{level}": n for level, n in body["by_level"].items()},
            **{f"online_mode_{mode}": n for mode, n in body["by_online_mode"].items()},
            "online_services": body["online_services"],
            "total": body["total"],
            "online_service_share": body["online_service_share"],
            "complete": body["complete"],
            "complete_share": body["complete_share"],
            **{f"missing_{c}": n for c, n in body["missing_by_component"].items()},
        }
        rows = [[key, CATALOGUE_LABELS[key], value] for key, value in values.items()]
        today = vietnam_today().isoformat()
        return Report(
            body, ["key", "label", "value"], rows, f"catalogue-{today}", SHEET_TITLES["catalogue"]
        )

    return build


def indicators_report(query: StatsQuery) -> Builder:
    """The Decision 766 indicators, with a total row of points for CSV and XLSX."""

    def build(session: Session, names: Names) -> Report:
        items = [
            Indicator.model_validate(row).model_dump(mode="json")
            for row in indicators.indicators(session, query, utcnow(), names)
        ]
        rows = [[item[c] for c in INDICATOR_COLUMNS] for item in items]
        earned = [item["points"] for item in items if item["points"] is not None]
        total = {
            "code": "total",
            "name": "Tổng điểm",
            "max_points": sum(item["max_points"] for item in items),
            "points": sum(earned),
        }
        rows.append([total.get(c) for c in INDICATOR_COLUMNS])
        name = f"indicators-{query.date_from.isoformat()}-{query.date_to.isoformat()}"
        return Report(items, INDICATOR_COLUMNS, rows, name, SHEET_TITLES["indicators"])

    return build


def encode(report: Report, fmt: Format, revision: Revision) -> Answer:
    if fmt == Format.csv:
        data, media = export.to_csv(report.columns, report.rows), "text/csv; charset=utf-8"
    elif fmt == Format.xlsx:
        data = export.to_xlsx(report.columns, report.rows, report.sheet)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, media = json.dumps(report.body, ensure_ascii=False).encode(), "application/json"
    filename = None if fmt == Format.json else f"{report.name}.{fmt.value}"
    return Answer(revision, etag_of(data), data, media, filename)


def answer(engine: Engine, cache: StatsCache, key: Hashable, build: Builder, fmt: Format) -> Answer:
    """The encoded answer for `key` at the cache's current revision: from the cache, or built
    in one read transaction (sync: call it from a worker thread) and kept."""
    found = cache.get(key)
    if found is not None:
        return found
    built = build_answer(engine, cache, build, fmt)
    cache.put(key, built)
    return built


def build_answer(engine: Engine, cache: StatsCache, build: Builder, fmt: Format) -> Answer:
    """A cache miss's work: the report, read in one transaction, encoded for the cache's
    current revision."""
    revision = cache.revision
    with unit_of_work(engine) as session:
        return encode(build(session, cache.names(session)), fmt, revision)
