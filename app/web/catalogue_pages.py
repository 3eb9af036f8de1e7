"""The catalogue's pages: the search-first home page (`/`) and a procedure (`/thu-tuc/{code}`).

Both read the same in-memory catalogue snapshot the API's catalogue routes read
(app/services/catalogue/cache.py): the search is the API's search, a procedure is the API's
`ProcedureDetail`.
"""

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from app.errors import AgencyNotFound, EmptyQuery
from app.inputs import CheckedRoute
from app.models.catalogue import (
    AgencyPublic,
    FieldPublic,
    ProcedureDetail,
    ProcedurePublic,
    Tier,
    accepts_online,
)
from app.models.common import MAX_PAGE
from app.services.catalogue.cache import CatalogueCache, CatalogueSnapshot, public_item
from app.services.catalogue.scope import ProcedureScope
from app.services.stats.popular import MostUsedCache
from app.web.rendering import render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False)

PAGE_SIZE = 20
POPULAR = 8
MAX_Q = 200  # the API's own limit on `q`
LEVELS = ("1", "2", "3", "4")


@dataclass(frozen=True)
class Search:
    """The home page's query as typed, read leniently: a filter left at "all" is an empty
    value, and a value no option has is no filter."""

    q: str
    agency: str
    field: str
    level: int | None
    tier: str
    page: int

    @classmethod
    def of(cls, params: dict[str, str]) -> "Search":
        level = params.get("level", "")
        tier = params.get("tier", "")
        page = params.get("page", "")
        return cls(
            q=params.get("q", "").strip()[:MAX_Q],
            agency=params.get("agency", "").strip(),
            field=params.get("field", "").strip(),
            level=int(level) if level in LEVELS else None,
            tier=tier if tier in Tier.__members__ else "",
            page=min(int(page), MAX_PAGE) if page.isdigit() and int(page) >= 1 else 1,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.agency or self.field or self.level or self.tier)

    @property
    def scope(self) -> ProcedureScope:
        return ProcedureScope(
            agency=self.agency or None,
            tier=self.tier or None,
            field=self.field or None,
            level=self.level,
        )

    def query(self, page: int) -> dict[str, Any]:
        """The query string of this search at `page` (for the pagination's links)."""
        return {
            "q": self.q,
            "agency": self.agency,
            "field": self.field,
            "level": self.level,
            "tier": self.tier,
            "page": page if page > 1 else None,
        }


@dataclass
class Results:
    items: list[ProcedurePublic] = field(default_factory=list)
    total: int = 0
    pages: int = 0
    error: dict[str, str] | None = None  # {"field": input name, "message": ...}


@dataclass(frozen=True)
class Lists:
    """What the home page shows besides results, the same for every request of a snapshot."""

    agencies: list[tuple[AgencyPublic, int]]  # in tree order, with their depth
    fields: list[FieldPublic]
    field_names: dict[str, str]
    online: list[ProcedurePublic]  # without dossiers yet, the "most used" list shows these


_LISTS: "WeakKeyDictionary[CatalogueSnapshot, Lists]" = WeakKeyDictionary()


def lists_of(snapshot: CatalogueSnapshot) -> Lists:
    if (kept := _LISTS.get(snapshot)) is not None:
        return kept
    paths = {code: snapshot.agency_path(code) for code in snapshot.agencies}
    agencies = [
        (snapshot.agencies[code], paths[code].count("/") - 1)
        for code in sorted(paths, key=paths.__getitem__)
    ]
    fields = sorted(snapshot.fields, key=lambda f: f.code)
    # Full online services first (level 4), then partial ones (level 3), as the national
    # portal's home page lists them.
    online = [
        public_item(entry)
        for level in (4, 3)
        for entry in snapshot.search(None, ProcedureScope(level=level), 1, POPULAR).items
    ][:POPULAR]
    kept = Lists(agencies, fields, {f.code: f.name for f in fields}, online)
    _LISTS[snapshot] = kept
    return kept


async def current_snapshot(request: Request) -> CatalogueSnapshot:
    """The catalogue snapshot, refreshed in a worker thread when its check is due (as the
    API's catalogue routes do)."""
    cache: CatalogueCache = request.app.state.catalogue_cache
    snapshot = cache.current()
    if snapshot is None:
        snapshot = await run_in_threadpool(cache.refresh)
    return snapshot


def search(snapshot: CatalogueSnapshot, wanted: Search) -> Results:
    """The API's search; its refusals (a query without letters, an unknown agency) shown next
    to the control they concern."""
    try:
        found = snapshot.search(wanted.q or None, wanted.scope, wanted.page, PAGE_SIZE)
    except EmptyQuery as refused:
        return Results(error={"field": "q", "message": refused.message})
    except AgencyNotFound as refused:
        return Results(error={"field": "agency", "message": refused.message})
    pages = (found.total + PAGE_SIZE - 1) // PAGE_SIZE
    return Results([public_item(e) for e in found.items], found.total, pages)


async def most_used(request: Request, snapshot: CatalogueSnapshot) -> list[tuple[Any, int]]:
    """The most used procedures with their number of dossiers, from the counters."""
    cache: MostUsedCache = request.app.state.most_used
    ranking = cache.fresh()
    if ranking is None:
        ranking = await run_in_threadpool(cache.read)
    counts = {used.code: used.dossiers for used in ranking}
    entries = snapshot.entries_of(counts)
    return [(public_item(e), counts[e.code]) for e in entries if not e.retired]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """The home page: the catalogue search, its results, and the most used procedures."""
    snapshot = await current_snapshot(request)
    wanted = Search.of(dict(request.query_params))
    results = search(snapshot, wanted) if wanted.active else None
    context = {
        "search": wanted,
        "results": results,
        "lists": lists_of(snapshot),
        "popular": await most_used(request, snapshot),
    }
    return render(request, "home.html", context)


@router.get("/thu-tuc/{code}", response_class=HTMLResponse)
async def procedure_page(code: str, request: Request) -> HTMLResponse:
    """Everything a citizen needs before going: the API's `ProcedureDetail` of `code`."""
    snapshot = await current_snapshot(request)
    snapshot.require(code)  # 404 page for an unknown code
    body = snapshot.detail_json(code)
    if body is None:
        cache: CatalogueCache = request.app.state.catalogue_cache
        body = await run_in_threadpool(cache.load_detail, snapshot, code)
    procedure = ProcedureDetail.model_validate_json(body)
    field_names = lists_of(snapshot).field_names
    context = {
        "procedure": procedure,
        "field_name": field_names.get(procedure.field_code, procedure.field_code),
        "online": accepts_online(procedure.level) and procedure.retired_at is None,
    }
    return render(request, "procedure.html", context)
