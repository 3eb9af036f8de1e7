"""Every route of the service passes the input checks (app/inputs.py); the checks themselves
are tested over HTTP in tests/routers/test_hostile_input.py."""

import anyio
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.types import Message

from app.inputs import CheckedRoute, is_json
from tests.app_routes import routes_of

# The API documentation's own routes (FastAPIOffline): no parameters, no body.
DOCUMENTATION = ("/docs", "/redoc", "/openapi.json", "/static-offline-docs")


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


def test_a_json_body_cut_short_by_the_client_is_a_400_not_a_500(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # What the body timeout (app/bodies.py) tells a route: the client is gone mid-body.
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"reas', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/dossiers/000.00.00.H20-250101-0001/withdraw",
        "raw_path": b"/api/v1/dossiers/000.00.00.H20-250101-0001/withdraw",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"testserver")],
        "client": ("203.0.113.9", 4000),
        "server": ("testserver", 80),
        "root_path": "",
        "state": {},
    }
    anyio.run(client.app, scope, receive, send)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 400
    assert "unhandled error" not in caplog.text
