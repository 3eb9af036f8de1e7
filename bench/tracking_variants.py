"""Scratch: the app with `GET /api/v1/dossiers/{code}` served by one of several candidate
designs, chosen by TRACKING_VARIANT, at the route's own place in the routing table. Served by
`uvicorn bench.tracking_variants:make --factory` with the production server's settings (see
tracking_candidates.py). Not part of the app.
"""

import os
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import Session

import app.main
from app.config import get_settings
from app.db import _checked_in, _ping_if_idle, _sqlite_begin, _sqlite_pragmas
from app.models.common import error_responses
from app.models.dossier import DOSSIER_CODE_RE, DossierPublic
from app.models.types import utcnow
from app.routers import dossiers
from app.services.dossiers import tracking

VARIANT = os.environ.get("TRACKING_VARIANT", "app")
PATH = "/{code}"


def _view(rows: Any, code: str, now: datetime) -> DossierPublic:
    if not rows:
        raise tracking._not_found(code)
    return tracking._tracking_view(rows, now)


def _check(code: str) -> None:
    if not DOSSIER_CODE_RE.match(code):
        raise tracking._not_found(code)


def _json(view: DossierPublic) -> Response:
    return Response(view.model_dump_json(), media_type="application/json")


# --- async (AsyncEngine) -------------------------------------------------------------------


async def read_async_core(aengine: AsyncEngine, code: str, autocommit: bool) -> DossierPublic:
    _check(code)
    async with aengine.connect() as connection:
        result = await connection.execute(tracking._TRACKING, {"code": code})
        rows = result.all()
    return _view(rows, code, utcnow())


async def read_async_orm(aengine: AsyncEngine, code: str) -> DossierPublic:
    _check(code)
    async with AsyncSession(aengine) as session:
        rows = (await session.execute(tracking._TRACKING, {"code": code})).all()
    return _view(rows, code, utcnow())


# --- sync -----------------------------------------------------------------------------------


def read_sync_core(engine: Engine, code: str, autocommit: bool) -> DossierPublic:
    if autocommit:
        return tracking.track_dossier(engine, code, utcnow())  # the service: single_read
    _check(code)
    with engine.connect() as connection:
        rows = connection.execute(tracking._TRACKING, {"code": code}).all()
    return _view(rows, code, utcnow())


def read_sync_orm(engine: Engine, code: str) -> DossierPublic:
    _check(code)
    with Session(engine) as session:
        rows = session.execute(tracking._TRACKING, {"code": code}).all()
    return _view(rows, code, utcnow())


def build_route(state: dict[str, Any]) -> APIRouter:
    router = APIRouter(prefix=dossiers.router.prefix)
    declared: dict[str, Any] = {"response_model": DossierPublic, "responses": error_responses(404)}
    v = VARIANT

    if v == "async_core_ac":

        @router.get(PATH, **declared)
        async def t1(code: str) -> Response:
            return _json(await read_async_core(state["reader"], code, True))

    elif v == "async_core":

        @router.get(PATH, **declared)
        async def t2(code: str) -> Response:
            return _json(await read_async_core(state["aengine"], code, False))

    elif v == "async_orm":

        @router.get(PATH, **declared)
        async def t3(code: str) -> Response:
            return _json(await read_async_orm(state["aengine"], code))

    elif v == "async_core_ac_model":

        @router.get(PATH, **declared)
        async def t4(code: str) -> DossierPublic:
            return await read_async_core(state["reader"], code, True)

    elif v == "def_orm":

        @router.get(PATH, **declared)
        def t5(code: str, request: Request) -> Response:
            return _json(read_sync_orm(request.app.state.engine, code))

    elif v == "def_core_ac":

        @router.get(PATH, **declared)
        def t6(code: str, request: Request) -> Response:
            return _json(read_sync_core(state["sync_reader"], code, True))

    elif v == "tp_core_ac":

        @router.get(PATH, **declared)
        async def t7(code: str, request: Request) -> Response:
            return _json(await run_in_threadpool(read_sync_core, state["sync_reader"], code, True))

    elif v == "tp_orm":

        @router.get(PATH, **declared)
        async def t8(code: str, request: Request) -> Response:
            return _json(await run_in_threadpool(read_sync_orm, request.app.state.engine, code))

    elif v == "route_noop":
        body = b'{"code": "x"}'

        @router.get(PATH, **declared)
        async def t9(code: str) -> Response:
            return Response(body, media_type="application/json")

    elif v == "tp_noop":
        body = b'{"code": "x"}'

        @router.get(PATH, **declared)
        async def t10(code: str) -> Response:
            await run_in_threadpool(lambda: None)
            return Response(body, media_type="application/json")

    elif v == "loop_core_ac":

        @router.get(PATH, **declared)
        async def t11(code: str) -> Response:
            return _json(read_sync_core(state["sync_reader"], code, True))

    else:
        raise SystemExit(f"unknown TRACKING_VARIANT {v}")
    return router


def make() -> FastAPI:
    if VARIANT == "app":  # the app as it is on this commit
        return app.main.create_app()
    settings = get_settings()
    state: dict[str, Any] = {}
    (replacement,) = build_route(state).routes
    template = dossiers.router.prefix + PATH
    index = next(
        i
        for i, r in enumerate(dossiers.router.routes)
        if getattr(r, "path", None) == template and "GET" in getattr(r, "methods", ())
    )
    dossiers.router.routes[index] = replacement
    app.main.reads_on_loop = lambda _engine: False  # type: ignore[attr-defined]
    fastapi_app = app.main.create_app(settings)
    state["sync_reader"] = fastapi_app.state.engine
    if VARIANT.startswith("async"):
        pool = int(os.environ.get("ASYNC_POOL", settings.db_pool_size))
        state["aengine"] = make_async_engine(settings.database_url, pool_size=pool)
        state["reader"] = one_statement(state["aengine"])
    return fastapi_app


def make_async_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Candidate (a): the async engine with app/db.py's policy (psycopg async; aiosqlite with
    WAL, foreign keys, busy timeout and explicit transactions). Needs aiosqlite and greenlet."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        server = create_async_engine(
            parsed.set(drivername="postgresql+psycopg"),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,
        )
        event.listen(server.sync_engine, "checkin", _checked_in)
        event.listen(server.sync_engine, "checkout", _ping_if_idle)
        return server
    engine = create_async_engine(
        parsed.set(drivername="sqlite+aiosqlite"),
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"timeout": 30},
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    event.listen(engine.sync_engine, "connect", lambda c, _r: setattr(c, "isolation_level", None))
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def one_statement(engine: AsyncEngine) -> AsyncEngine:
    """app/db.py's single_read, for the async engine."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin=None)
    return engine.execution_options(isolation_level="AUTOCOMMIT")
