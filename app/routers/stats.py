"""Statistics for dashboards (public)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from app.deps import SessionDep
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
from app.services import catalogue, indicators, stats_export
from app.services.scope import ProcedureScope
from app.services.stats import GroupBy, StatsQuery, Totals, compute
from app.services.stats_cache import Answer, StatsCache, etag_of

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"])


@router.get("/catalogue", response_model=CatalogueStats, responses=error_responses(404, 422))
def catalogue_stats(
    session: SessionDep,
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    procedure: str | None = None,
) -> CatalogueStats:
    """Procedures in force per level 1–4 and per online mode, and the online service share
    (indicator 3.1 of Decision 766/QĐ-TTg: level 3–4 procedures ÷ all; `null` when none)."""
    scope = ProcedureScope(agency=agency, tier=tier, field=field, level=level, procedure=procedure)
    return CatalogueStats.model_validate(catalogue.catalogue_stats(session, scope))


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
ROW_BUILDERS: dict[str, Callable[[Totals], dict[str, Any]]] = {
    "online-ratio": indicators.online_ratio_row,
    "on-time": indicators.on_time_row,
    "status": indicators.status_row,
}
SHEET_TITLES = {"online-ratio": "Ty le truc tuyen", "on-time": "Dung han", "status": "Trang thai"}
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


def _build(engine: Engine, kind: str, params: Params, revision: Any) -> Answer:
    query = params.query()
    with Session(engine) as session:
        groups, total = compute(session, query, utcnow())
    build = ROW_BUILDERS[kind]
    body = {
        "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(),
        "group_by": query.group_by.value,
        "rows": [{"key": g.key, "label": g.label, **build(g.totals)} for g in groups],
        "total": {"key": "total", "label": "Tổng", **build(total)},
    }
    return _encode(body, params.format, kind, revision)


def _encode(body: dict[str, Any], fmt: Format, kind: str, revision: Any) -> Answer:
    if fmt == Format.csv:
        data, media = stats_export.to_csv(body), "text/csv; charset=utf-8"
    elif fmt == Format.xlsx:
        data = stats_export.to_xlsx(body, SHEET_TITLES.get(kind, kind))
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, media = json.dumps(body, ensure_ascii=False).encode(), "application/json"
    filename = None if fmt == Format.json else f"{kind}-{body['from']}-{body['to']}.{fmt.value}"
    return Answer(revision, etag_of(data), data, media, filename)


async def _answer(request: Request, kind: str, params: Params) -> Response:
    cache: StatsCache = request.app.state.stats_cache
    if not cache.revision_is_fresh():
        await run_in_threadpool(cache.refresh, utcnow())
    revision = cache.revision
    key = (kind, params, datetime.now(VN_TZ).date())
    answer = cache.get(key)
    if answer is None:
        engine = request.app.state.engine
        answer = await run_in_threadpool(_build, engine, kind, params, revision)
        cache.put(key, answer)
    headers = {
        "ETag": answer.etag,
        "Cache-Control": f"public, max-age={request.app.state.settings.stats_max_age_s}",
    }
    if request.headers.get("if-none-match") == answer.etag:
        return Response(status_code=304, headers=headers)
    if answer.filename:
        headers["Content-Disposition"] = f'attachment; filename="{answer.filename}"'
    return Response(answer.body, media_type=answer.media_type, headers=headers)


@router.get("/online-ratio", response_model=OnlineRatioStats, responses=STATS_RESPONSES)
async def online_ratio(request: Request, params: ParamsDep) -> Response:
    """Indicator 3.3: dossiers received online ÷ all received, with the counter and postal
    counts, per group of receipt dates (Vietnam) and scope."""
    return await _answer(request, "online-ratio", params)


@router.get("/on-time", response_model=OnTimeStats, responses=STATS_RESPONSES)
async def on_time(request: Request, params: ParamsDep) -> Response:
    """Indicator 2.1 (on time, in progress not yet due, overdue in progress) and 2.2 (average
    processing time in working days), per group."""
    return await _answer(request, "on-time", params)


@router.get("/status", response_model=StatusStats, responses=STATS_RESPONSES)
async def status_counts(request: Request, params: ParamsDep) -> Response:
    """Dossiers received in the period by current status, every status present."""
    return await _answer(request, "status", params)


@router.get("/indicators", response_model=list[Indicator], responses=error_responses(404, 422))
def national_indicators(session: SessionDep, params: ParamsDep) -> list[Indicator]:
    """The Decision 766 indicators this system computes for a scope and period: numerator,
    denominator, value, the threshold for full marks and the points earned."""
    rows = indicators.indicators(session, params.query(), utcnow())
    return [Indicator.model_validate(row) for row in rows]
