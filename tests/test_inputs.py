"""Every route of the service passes the input checks (app/inputs.py); the checks themselves
are tested over HTTP in tests/routers/test_hostile_input.py."""

from collections.abc import Iterable, Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from app.inputs import CheckedRoute, is_json

# The API documentation's own routes (FastAPIOffline): no parameters, no body.
DOCUMENTATION = ("/docs", "/redoc", "/openapi.json", "/static-offline-docs")


def routes_of(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, those of the included routers too (FastAPI keeps them as routers)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from routes_of(included.routes)
        else:
            yield route


def test_every_route_of_the_service_is_checked(client: TestClient) -> None:
    routes = [
        route
        for route in routes_of(client.app.routes)  # type: ignore[attr-defined]
        if not str(getattr(route, "path", "")).startswith(DOCUMENTATION)
    ]
    assert len(routes) > 30
    unchecked = [
        getattr(route, "path", route) for route in routes if not isinstance(route, CheckedRoute)
    ]
    assert unchecked == []
    assert all(isinstance(route, APIRoute) for route in routes)


@pytest.mark.parametrize(
    ("content_type", "json"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("application/merge-patch+json", True),
        ("application/x-www-form-urlencoded", False),
        ("text/json", False),
        ("multipart/form-data; boundary=x", False),
        ("", False),
        (None, False),
    ],
)
def test_json_bodies_are_those_fastapi_reads_as_json(content_type: str | None, json: bool) -> None:
    assert is_json(content_type) is json
