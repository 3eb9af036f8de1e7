"""Liveness, readiness and metrics."""

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from app.db import ping
from app.errors import DatabaseDown, StorageDown
from app.inputs import CheckedRoute
from app.models.common import error_responses

router = APIRouter(tags=["health"], route_class=CheckedRoute)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive. Also the benchmarks' ceiling: a constant answer."""
    return {"status": "ok"}


@router.get("/readyz", responses=error_responses(DatabaseDown, StorageDown))
def readyz(request: Request) -> dict[str, Any]:
    """The database answers and the file storage can be written; 503 when not."""
    try:
        ping(request.app.state.engine)
    except SQLAlchemyError as exc:
        raise DatabaseDown() from exc
    try:
        request.app.state.storage.check()
    except OSError as exc:
        raise StorageDown() from exc
    return {"status": "ready", "checks": {"database": "ok", "storage": "ok"}}


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text format."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
