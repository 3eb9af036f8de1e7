"""Catalogue: agencies, fields and procedures (public read)."""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from app.deps import PageQuery, PageSizeQuery, SessionDep, SettingsDep
from app.errors import AgencyNotFound, EmptyQuery, InvalidContent, ProcedureNotFound
from app.http_cache import etag_matches
from app.inputs import CheckedRoute
from app.models.catalogue import (
    AgencyPublic,
    FieldPublic,
    ProcedureDetail,
    ProcedurePublic,
    Tier,
)
from app.models.common import Page, error_responses
from app.services.catalogue import procedures
from app.services.catalogue.cache import CatalogueCache, CatalogueSnapshot, page_json
from app.services.catalogue.scope import ProcedureScope, get_agency

router = APIRouter(prefix="/api/v1", tags=["catalogue"], route_class=CheckedRoute)

Level = Annotated[int | None, Query(ge=1, le=4, description="service level 1–4")]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` entity tag is current"}
}


@router.get(
    "/agencies", response_model=list[AgencyPublic], responses=error_responses(InvalidContent)
)
def list_agencies(
    session: SessionDep,
    tier: Tier | None = None,
    parent: Annotated[str | None, Query(description="code of the parent agency")] = None,
) -> list[AgencyPublic]:
    """Agencies (cơ quan), optionally of one tier or directly under one parent."""
    rows = procedures.list_agencies(session, tier, parent)
    return [AgencyPublic.model_validate(row) for row in rows]


@router.get(
    "/agencies/{code}", response_model=AgencyPublic, responses=error_responses(AgencyNotFound)
)
def read_agency(code: str, session: SessionDep) -> AgencyPublic:
    """One agency by its code (mã định danh)."""
    return AgencyPublic.model_validate(get_agency(session, code))


@router.get("/fields", response_model=list[FieldPublic])
def list_fields(session: SessionDep) -> list[FieldPublic]:
    """Fields (lĩnh vực) of the catalogue."""
    return [FieldPublic.model_validate(row) for row in procedures.list_fields(session)]


@router.get(
    "/procedures",
    response_model=Page[ProcedurePublic],
    responses={
        **NOT_MODIFIED,
        **error_responses(AgencyNotFound, InvalidContent, EmptyQuery),
    },
)
async def list_procedures(
    request: Request,
    # Not PageDep: a synchronous dependency would cost a thread hand-off per request.
    page: PageQuery = 1,
    page_size: PageSizeQuery = 20,
    q: Annotated[
        str | None,
        Query(max_length=200, description="words of the name or code; diacritics optional"),
    ] = None,
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    field: Annotated[str | None, Query(description="field code")] = None,
    level: Level = None,
    tier: Tier | None = None,
) -> Response:
    """Search the procedures in force: every word of `q` must start a word of the name or
    the code, ignoring case and Vietnamese diacritics; best matches first. Cacheable: `ETag`
    and `Cache-Control`; `If-None-Match` → 304."""
    snapshot = await _snapshot(request)
    scope = ProcedureScope(agency=agency, tier=tier, field=field, level=level)
    found = snapshot.search(q, scope, page, page_size)
    etag = snapshot.etag("search", q or "", agency, tier, field, level, page, page_size)
    if (not_modified := _not_modified(request, etag)) is not None:
        return not_modified
    return _json(request, etag, page_json(found, page, page_size))


@router.get(
    "/procedures/{code}",
    response_model=ProcedureDetail,
    responses={**NOT_MODIFIED, **error_responses(ProcedureNotFound, InvalidContent)},
)
async def read_procedure(code: str, request: Request) -> Response:
    """A procedure with its steps, documents and the JSON Schema of its online form.
    Cacheable: `ETag` and `Cache-Control`; `If-None-Match` → 304."""
    snapshot = await _snapshot(request)
    snapshot.require(code)
    etag = snapshot.etag("detail", code)
    if (not_modified := _not_modified(request, etag)) is not None:
        return not_modified
    body = snapshot.detail_json(code)
    if body is None:
        cache: CatalogueCache = request.app.state.catalogue_cache
        body = await run_in_threadpool(cache.load_detail, snapshot, code)
    return _json(request, etag, body)


@router.get(
    "/procedures/{code}/templates/{key}",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **error_responses(404)},
)
def download_template(
    code: str, key: str, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The blank form (mẫu đơn, tờ khai) of the procedure's dossier component `key`, with its
    content type; 404 when the procedure or the component has no template."""
    found = procedures.template_file(session, code, key, Path(settings.templates_dir))
    return FileResponse(
        found.path,
        media_type=found.content_type,
        filename=found.path.name,
        headers={"X-Content-Type-Options": "nosniff"},
    )


# The catalogue reads above answer from memory on the event loop: only a due revision check
# (at most once per CATALOGUE_CACHE_CHECK_S) or a detail's first read goes to a worker thread.


async def _snapshot(request: Request) -> CatalogueSnapshot:
    cache: CatalogueCache = request.app.state.catalogue_cache
    snapshot = cache.current()
    if snapshot is None:
        snapshot = await run_in_threadpool(cache.refresh)
    return snapshot


def _caching(request: Request, etag: str) -> dict[str, str]:
    max_age = request.app.state.settings.catalogue_max_age_s
    return {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}


def _not_modified(request: Request, etag: str) -> Response | None:
    """304 when `If-None-Match` names the current entity tag."""
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=_caching(request, etag))
    return None


def _json(request: Request, etag: str, body: bytes) -> Response:
    return Response(body, media_type="application/json", headers=_caching(request, etag))
