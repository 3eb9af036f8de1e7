"""Statistics for dashboards (public): parse the query, ask `services.stats.reports` for the
encoded answer, and send it with its caching headers (ETag, Cache-Control; a matching
`If-None-Match` gets a 304)."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.errors import AgencyNotFound, InvalidContent, InvalidPeriod
from app.http_cache import Answered, etag_matches
from app.inputs import CheckedRoute
from app.models.catalogue import Tier
from app.models.common import error_responses
from app.models.stats import (
    CatalogueStats,
    Indicator,
    OnlineRatioStats,
    OnTimeStats,
    StatusStats,
)
from app.models.types import utcnow
from app.services.catalogue.scope import ProcedureScope
from app.services.stats import reports
from app.services.stats.cache import Answer, StatsCache
from app.services.stats.queries import GroupBy, StatsQuery
from app.services.stats.reports import Builder, Format


async def answered_before_validation(request: Request) -> None:
    """A request this worker has answered, for the same path, raw query string and Vietnam
    date, while the data revision is known to be current, gets that answer again before FastAPI
    validates its nine query parameters, which were most of a cached answer's time
    (docs/PERFORMANCE-HISTORY.md, "After the rebuild"). A router dependency, so it runs after
    any dependency listed before it; a request never answered (a bad one included) goes on."""
    cache: StatsCache = request.app.state.stats_cache
    if not cache.revision_is_fresh():
        return
    answer = cache.get(_raw_key(request))
    if answer is not None:
        raise Answered(_response(request, answer))


# Dependencies for every statistics route (authentication, rate limits) go before
# answered_before_validation, so that they run for early answers too.
router = APIRouter(
    prefix="/api/v1/stats",
    tags=["statistics"],
    dependencies=[Depends(answered_before_validation)],
    route_class=CheckedRoute,
)


class Params(BaseModel):
    """The common query of the dossier statistics, validated in one pass as a query model
    (measured: a third of a cached answer's time went to validating nine separate query
    parameters); frozen, so it is hashable and serves as the cache key."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    date_from: date | None = Field(None, alias="from", description="first receipt date")
    date_to: date | None = Field(None, alias="to", description="last receipt date")
    agency: str | None = Field(None, description="agency code; includes its subtree")
    tier: Tier | None = None
    field: str | None = None
    level: int | None = Field(None, ge=1, le=4)
    procedure: str | None = None
    group_by: GroupBy = GroupBy.none
    format: Format = Format.json

    def query(self) -> StatsQuery:
        return reports.period_query(
            self.date_from,
            self.date_to,
            self.group_by,
            agency=self.agency,
            tier=self.tier,
            field=self.field,
            level=self.level,
            procedure=self.procedure,
        )


ParamsDep = Annotated[Params, Query()]


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


async def catalogue_params(
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    procedure: str | None = None,
    format: Format = Format.json,
) -> CatalogueParams:
    return CatalogueParams(agency, tier, field, level, procedure, format)


CatalogueParamsDep = Annotated[CatalogueParams, Depends(catalogue_params)]

STATS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        }
    },
    304: {"description": "not modified (If-None-Match)"},
    **error_responses(AgencyNotFound, InvalidContent, InvalidPeriod),
}


async def _answer(
    request: Request, kind: str, params: Hashable, fmt: Format, build: Builder
) -> Response:
    """The answer from the cache while the data revision is known to be current (no thread,
    no database); otherwise the revision is read again and, on a miss, the report built in a
    worker thread."""
    cache: StatsCache = request.app.state.stats_cache
    if not cache.revision_is_fresh():
        await run_in_threadpool(cache.refresh, utcnow())
    key = (kind, params, reports.vietnam_today())
    answer = cache.get(key)
    if answer is None:
        engine = request.app.state.engine
        answer = await run_in_threadpool(reports.answer, engine, cache, key, build, fmt)
    cache.put(_raw_key(request), answer)
    return _response(request, answer)


def _raw_key(request: Request) -> tuple[str, bytes, date]:
    """A request as it arrived: its path and raw query string, and the Vietnam date (a missing
    period defaults to this year up to today)."""
    return request.scope["path"], request.scope["query_string"], reports.vietnam_today()


def _response(request: Request, answer: Answer) -> Response:
    """The answer with its caching headers, or a 304 when `If-None-Match` names its tag."""
    caching = _caching_headers(answer, request.app.state.settings.stats_max_age_s)
    if etag_matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=caching)
    return Response(answer.body, headers=caching | _content_headers(answer))


def _caching_headers(answer: Answer, max_age: int) -> dict[str, str]:
    """The caching headers of an answer (the 304 carries these only)."""
    return {"etag": answer.etag, "cache-control": f"public, max-age={max_age}"}


def _content_headers(answer: Answer) -> dict[str, str]:
    headers = {"content-type": answer.media_type}
    if answer.filename:
        headers["content-disposition"] = f'attachment; filename="{answer.filename}"'
    return headers


@router.get("/online-ratio", response_model=OnlineRatioStats, responses=STATS_RESPONSES)
async def online_ratio(request: Request, params: ParamsDep) -> Response:
    """Indicator 3.3: dossiers received online ÷ all received, with the counter and postal
    counts, per group of receipt dates (Vietnam) and scope."""
    kind = "online-ratio"
    return await _answer(
        request, kind, params, params.format, reports.grouped_report(kind, params.query())
    )


@router.get("/on-time", response_model=OnTimeStats, responses=STATS_RESPONSES)
async def on_time(request: Request, params: ParamsDep) -> Response:
    """Indicator 2.1 (on time, in progress not yet due, overdue in progress) and 2.2 (average
    processing time in working days), per group."""
    kind = "on-time"
    return await _answer(
        request, kind, params, params.format, reports.grouped_report(kind, params.query())
    )


@router.get("/status", response_model=StatusStats, responses=STATS_RESPONSES)
async def status_counts(request: Request, params: ParamsDep) -> Response:
    """Dossiers received in the period by current status, every status present."""
    kind = "status"
    return await _answer(
        request, kind, params, params.format, reports.grouped_report(kind, params.query())
    )


@router.get("/catalogue", response_model=CatalogueStats, responses=STATS_RESPONSES)
async def catalogue_stats(request: Request, params: CatalogueParamsDep) -> Response:
    """Procedures in force per level 1–4 and per online mode, and the online service share
    (indicator 3.1 of Decision 766/QĐ-TTg: level 3–4 procedures ÷ all; `null` when none)."""
    return await _answer(
        request, "catalogue", params, params.format, reports.catalogue_report(params.scope())
    )


@router.get("/indicators", response_model=list[Indicator], responses=STATS_RESPONSES)
async def national_indicators(request: Request, params: ParamsDep) -> Response:
    """The Decision 766 indicators this system computes for a scope and period: numerator,
    denominator, value, the threshold for full marks and the points earned (CSV and XLSX add
    a row of the points' total)."""
    return await _answer(
        request, "indicators", params, params.format, reports.indicators_report(params.query())
    )
