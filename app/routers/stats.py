"""Statistics for dashboards (public)."""

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http_cache import etag_matches
from app.models.catalogue import Tier
from app.models.common import error_responses
from app.models.stats import (
    CatalogueStats,
    Indicator,
    OnlineRatioStats,
    OnTimeStats,
    StatusStats,
)
from app.models.types import VN_TZ, utcnow
from app.services.catalogue import procedures
from app.services.catalogue.scope import ProcedureScope
from app.services.stats import export, indicators
from app.services.stats.cache import Answer, Replay, StatsCache, etag_of
from app.services.stats.queries import GroupBy, Measures, Names, StatsQuery, Totals, compute

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"])


# ---------------------------------------------------------------------------------------------
# Dossier statistics: JSON, CSV or XLSX, cacheable (ETag, Cache-Control, If-None-Match → 304)


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@dataclass(frozen=True)
class Params:
    date_from: date | None
    date_to: date | None
    agency: str | None
    tier: Tier | None
    field: str | None
    level: int | None
    procedure: str | None
    group_by: GroupBy
    format: Format

    def query(self) -> StatsQuery:
        today = datetime.now(VN_TZ).date()
        date_to = self.date_to or today
        date_from = self.date_from or date_to.replace(month=1, day=1)
        scope = ProcedureScope(
            agency=self.agency,
            tier=self.tier,
            field=self.field,
            level=self.level,
            procedure=self.procedure,
            include_retired=True,
        )
        return StatsQuery(date_from, date_to, self.group_by, scope)


def stats_params(
    date_from: Annotated[date | None, Query(alias="from", description="first receipt date")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="last receipt date")] = None,
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    procedure: str | None = None,
    group_by: GroupBy = GroupBy.none,
    format: Format = Format.json,
) -> Params:
    return Params(date_from, date_to, agency, tier, field, level, procedure, group_by, format)


ParamsDep = Annotated[Params, Depends(stats_params)]


@dataclass(frozen=True)
class CatalogueParams:
    agency: str | None
    tier: Tier | None
    field: str | None
    level: int | None
    procedure: str | None
    format: Format

    def scope(self) -> ProcedureScope:
        return ProcedureScope(
            agency=self.agency,
            tier=self.tier,
            field=self.field,
            level=self.level,
            procedure=self.procedure,
        )


def catalogue_params(
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    procedure: str | None = None,
    format: Format = Format.json,
) -> CatalogueParams:
    return CatalogueParams(agency, tier, field, level, procedure, format)


CatalogueParamsDep = Annotated[CatalogueParams, Depends(catalogue_params)]


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
SHEET_TITLES = {
    "online-ratio": "Ty le truc tuyen",
    "on-time": "Dung han",
    "status": "Trang thai",
    "catalogue": "Thu tuc",
    "indicators": "Chi tieu 766",
}
# Per kind: the row of a group, and what it needs summed.
ROW_BUILDERS: dict[str, tuple[Callable[[Totals], dict[str, Any]], Measures]] = {
    "online-ratio": (indicators.online_ratio_row, indicators.ONLINE_RATIO),
    "on-time": (indicators.on_time_row, indicators.ON_TIME),
    "status": (indicators.status_row, indicators.STATUS),
}
STATS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        }
    },
    304: {"description": "not modified (If-None-Match)"},
    **error_responses(404, 422),
}
CATALOGUE_LABELS = {
    **{f"level_{level}": f"Mức độ {level}" for level in (1, 2, 3, 4)},
    "online_mode_none": "Không trực tuyến (mức độ 1–2)",
    "online_mode_partial": "Trực tuyến một phần (mức độ 3)",
    "online_mode_full": "Trực tuyến toàn trình (mức độ 4)",
    "online_services": "Thủ tục cung cấp trực tuyến (mức độ 3–4)",
    "total": "Tổng số thủ tục",
    "online_service_share": "Tỷ lệ thủ tục cung cấp trực tuyến (chỉ tiêu 3.1)",
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
]


def _grouped(kind: str, params: Params) -> Builder:
    def build(session: Session, names: Names) -> Report:
        query = params.query()
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


def _catalogue(params: CatalogueParams) -> Builder:
    def build(session: Session, _names: Names) -> Report:
        body = CatalogueStats.model_validate(
            procedures.catalogue_stats(session, params.scope())
        ).model_dump(mode="json")
        values = {
            **{f"level_{level}": n for level, n in body["by_level"].items()},
            **{f"online_mode_{mode}": n for mode, n in body["by_online_mode"].items()},
            "online_services": body["online_services"],
            "total": body["total"],
            "online_service_share": body["online_service_share"],
        }
        rows = [[key, CATALOGUE_LABELS[key], value] for key, value in values.items()]
        today = datetime.now(VN_TZ).date().isoformat()
        return Report(
            body, ["key", "label", "value"], rows, f"catalogue-{today}", SHEET_TITLES["catalogue"]
        )

    return build


def _indicators(params: Params) -> Builder:
    def build(session: Session, names: Names) -> Report:
        query = params.query()
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


def _encode(report: Report, fmt: Format, revision: Any) -> Answer:
    if fmt == Format.csv:
        data, media = export.to_csv(report.columns, report.rows), "text/csv; charset=utf-8"
    elif fmt == Format.xlsx:
        data = export.to_xlsx(report.columns, report.rows, report.sheet)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, media = json.dumps(report.body, ensure_ascii=False).encode(), "application/json"
    filename = None if fmt == Format.json else f"{report.name}.{fmt.value}"
    return Answer(revision, etag_of(data), data, media, filename)


def _run(
    engine: Engine, build: Builder, fmt: Format, revision: Any, cache: StatsCache | None = None
) -> Answer:
    """Build and encode an answer (in a worker thread); the catalogue's names come from the
    cache when there is one, else are read here."""
    with Session(engine) as session:
        names = cache.names(session) if cache is not None else Names(session)
        return _encode(build(session, names), fmt, revision)


def _headers(answer: Answer, max_age: int) -> list[tuple[str, str]]:
    """The caching headers of an answer (the 304 carries these only)."""
    return [("etag", answer.etag), ("cache-control", f"public, max-age={max_age}")]


def _content_headers(answer: Answer) -> list[tuple[str, str]]:
    headers = [("content-type", answer.media_type), ("content-length", str(len(answer.body)))]
    if answer.filename:
        headers.append(("content-disposition", f'attachment; filename="{answer.filename}"'))
    return headers


def _raw(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def _raw_key(scope: Scope) -> tuple[str, bytes, date]:
    """What identifies a request for replay: its path and raw query string, and the Vietnam
    date (a missing period defaults to this year up to today)."""
    return scope["path"], scope["query_string"], datetime.now(VN_TZ).date()


async def _answer(
    request: Request, kind: str, params: Hashable, fmt: Format, build: Builder
) -> Response:
    cache: StatsCache = request.app.state.stats_cache
    if not cache.revision_is_fresh():
        await run_in_threadpool(cache.refresh, utcnow())
    revision = cache.revision
    key = (kind, params, datetime.now(VN_TZ).date())
    answer = cache.get(key)
    if answer is None:
        answer = await run_in_threadpool(
            _run, request.app.state.engine, build, fmt, revision, cache
        )
        cache.put(key, answer)
    caching = _headers(answer, request.app.state.settings.stats_max_age_s)
    content = _content_headers(answer)
    replay = Replay(answer, request.scope.get("route"), _raw(caching + content), _raw(caching))
    cache.remember(_raw_key(request.scope), replay)
    if etag_matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=dict(caching))
    return Response(answer.body, headers=dict(caching + content))


@router.get("/online-ratio", response_model=OnlineRatioStats, responses=STATS_RESPONSES)
async def online_ratio(request: Request, params: ParamsDep) -> Response:
    """Indicator 3.3: dossiers received online ÷ all received, with the counter and postal
    counts, per group of receipt dates (Vietnam) and scope."""
    kind = "online-ratio"
    return await _answer(request, kind, params, params.format, _grouped(kind, params))


@router.get("/on-time", response_model=OnTimeStats, responses=STATS_RESPONSES)
async def on_time(request: Request, params: ParamsDep) -> Response:
    """Indicator 2.1 (on time, in progress not yet due, overdue in progress) and 2.2 (average
    processing time in working days), per group."""
    kind = "on-time"
    return await _answer(request, kind, params, params.format, _grouped(kind, params))


@router.get("/status", response_model=StatusStats, responses=STATS_RESPONSES)
async def status_counts(request: Request, params: ParamsDep) -> Response:
    """Dossiers received in the period by current status, every status present."""
    kind = "status"
    return await _answer(request, kind, params, params.format, _grouped(kind, params))


@router.get("/catalogue", response_model=CatalogueStats, responses=STATS_RESPONSES)
async def catalogue_stats(request: Request, params: CatalogueParamsDep) -> Response:
    """Procedures in force per level 1–4 and per online mode, and the online service share
    (indicator 3.1 of Decision 766/QĐ-TTg: level 3–4 procedures ÷ all; `null` when none)."""
    return await _answer(request, "catalogue", params, params.format, _catalogue(params))


@router.get("/indicators", response_model=list[Indicator], responses=STATS_RESPONSES)
async def national_indicators(request: Request, params: ParamsDep) -> Response:
    """The Decision 766 indicators this system computes for a scope and period: numerator,
    denominator, value, the threshold for full marks and the points earned (CSV and XLSX add
    a row of the points' total)."""
    return await _answer(request, "indicators", params, params.format, _indicators(params))


# ---------------------------------------------------------------------------------------------
# The replay: requests this worker has already answered, before FastAPI


class StatsReplay:
    """Pure ASGI, in front of the router: a GET of a statistics endpoint that this worker has
    answered, for the same path, raw query string and Vietnam date, while the data revision
    is known to be current (`StatsCache.replay`), gets that answer again (a 304 when
    `If-None-Match` matches) without FastAPI's parameter validation, dependencies, thread
    hop or routing, which cost dashboards' polling three quarters of its throughput
    (docs/PERFORMANCE.md). Anything else, including every bad request, goes to the app."""

    def __init__(self, app: ASGIApp, cache: StatsCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].startswith(router.prefix)
        ):
            replay = self.cache.replay(_raw_key(scope))
            if replay is not None:
                scope["route"] = replay.route  # the metrics label it by its route template
                await self._send(scope, replay, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _send(scope: Scope, replay: Replay, send: Send) -> None:
        header = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if header is not None and etag_matches(header.decode("latin-1"), replay.answer.etag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": replay.not_modified_headers,
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": replay.headers})
        await send({"type": "http.response.body", "body": replay.answer.body})
