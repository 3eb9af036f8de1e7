"""create_app(): routers, error handlers, middleware, lifespan. Nothing else; and serve_app(),
the app as `dvc-gateway serve` runs it."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from app import handlers
from app.bodies import BodyTimeoutMiddleware
from app.config import Settings, get_settings
from app.db import LoopReader, make_engine
from app.errors import DatabaseDown, NulCharacter
from app.headers import SecurityHeadersMiddleware
from app.metrics import Metrics, MetricsMiddleware
from app.models.common import error_responses
from app.ratelimit import Failures
from app.routers import admin, auth, catalogue, dossiers, health, officer, stats
from app.security import build_authenticator
from app.services import officer_sso
from app.services.catalogue.cache import CatalogueCache
from app.services.dossiers.tokens import token_keys
from app.services.scanning import scanner_from_setting
from app.services.stats.cache import StatsCache
from app.services.stats.popular import MostUsedCache
from app.services.storage import storage_from_url
from app.web import pages

DESCRIPTION = """
Cổng dịch vụ công trực tuyến — the public API of DVC Gateway: the catalogue of administrative
procedures, online dossiers, public tracking, the officers' workspace and statistics.
Every error has one shape: `{"error": {"code", "message", "details"}}`.
"""


# Every route past the health checks needs the database, and reads its path and query
# (a NUL character in either is a 422 `nul_character`, app/inputs.py).
API_ERRORS = error_responses(DatabaseDown, NulCharacter)
# The home page's "most used procedures" may be this old: a ranking moves slowly.
MOST_USED_TTL_S = 300.0


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or make_engine(
        settings.database_url,
        echo=settings.sql_echo,
        pool_size=settings.db_pool_size,
        connect_timeout_s=settings.db_connect_timeout_s,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.reader.aclose()
        if owns_engine:
            engine.dispose()

    # FastAPIOffline serves the Swagger UI assets from the installed package: /docs works
    # with no internet access.
    app: FastAPI = FastAPIOffline(
        title="DVC Gateway",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.reader = LoopReader(
        engine,
        pool_size=settings.db_pool_size,
        connect_timeout_s=settings.db_connect_timeout_s,
    )
    app.state.storage = storage_from_url(settings.storage_url)
    app.state.scanner = scanner_from_setting(settings.scanner)
    app.state.authenticator = build_authenticator(settings)
    # The sign-in page's single sign-on shares the API's provider (its cached keys).
    app.state.single_sign_on = officer_sso.from_settings(settings, app.state.authenticator.oidc)
    # The data key is created at start, like the signing key: a server that cannot write its
    # key folder fails now, not at its first submission with an Idempotency-Key.
    token_keys(settings.data_key_path)
    app.state.tracking_misses = Failures("tracking", settings.tracking_miss_per_min, 60)
    app.state.stats_cache = StatsCache(engine, settings.stats_check_s)
    app.state.metrics = Metrics()
    app.state.catalogue_cache = CatalogueCache(engine, settings.catalogue_cache_check_s)
    app.state.most_used = MostUsedCache(engine, MOST_USED_TTL_S)
    handlers.install(app)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(
        BodyTimeoutMiddleware,
        stall_s=settings.body_timeout_s,
        min_bytes_per_s=settings.body_min_bytes_per_s,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # Routes are matched in order: after the health checks (the benchmarks' ceiling), the
    # busiest public reads, then the rest. FastAPI 0.165 matches every route of each included
    # router before the one that answers, twice: the dossiers' routes ahead of statistics
    # were a quarter of a statistics ETag hit (146 -> 110 us in process), while statistics'
    # routes ahead of tracking cost it a few per cent of its read (docs/PERFORMANCE.md).
    # Every body is bounded while it streams in, before authentication and parsing (a 300 MB
    # JSON body grew the process to 1 GB); the upload routes set their own, larger, limit. Set
    # on the routers, not the app: the app's limit answers outside the error handlers.
    for module in (health, stats, dossiers, catalogue, auth, officer, admin):
        # Every route past the health checks needs the database: 503 while it is unreachable.
        app.include_router(
            module.router,
            max_body_size=settings.max_json_kb * 1024,
            responses={} if module is health else API_ERRORS,
        )
    # The citizens' pages (app/web), after the API: they call the same services, and are
    # left out of the OpenAPI document, which describes the API alone.
    app.include_router(pages.router, max_body_size=settings.max_json_kb * 1024)
    return app


def serve_app() -> FastAPI:
    """The app as `dvc-gateway serve` runs it (uvicorn's factory, called in each worker), with
    the objects that live as long as the process (modules, classes, routes: about 190,000)
    frozen out of the garbage collector's full collections. A full collection visits every
    tracked object while the event loop waits: up to 250 ms on the 2-core benchmark machines,
    every few hundred page requests, which alone set the search page's p95 at 21–51 ms for a
    p50 of 3 ms (docs/PERFORMANCE-HISTORY.md, "Citizens' pages"). Frozen objects are still
    freed when nothing refers to them; a cycle among them never is, so only the startup heap
    is frozen, and the apps the tests build are not."""
    app = create_app()
    gc.collect()  # garbage left by startup is freed, not frozen
    gc.freeze()
    return app
