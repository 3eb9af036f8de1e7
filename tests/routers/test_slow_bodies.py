"""A body that stalls, or arrives too slowly, is cut off with 408 and leaves nothing."""

import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.bodies import BodyTimeoutMiddleware
from app.config import Settings
from app.main import create_app
from app.models import Dossier
from tests.factories import PDF_BYTES, make_online_procedure
from tests.live_server import live_server

BOUNDARY = "----slow"


def stalling_upload() -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="procedure_code"\r\n\r\n'
        f"1.001193.H20\r\n--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="to_khai"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF_BYTES
    # The client stalls mid-file, long enough that a server slow to be scheduled on a busy
    # machine still reads the first part before the rest is sent.
    time.sleep(3.0)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def test_a_stalled_upload_is_cut_off_with_408_and_leaves_nothing(
    settings: Settings, engine: Engine, session: Session
) -> None:
    make_online_procedure(session)
    # Over a real socket: the test client hands the app the whole body at once.
    app = create_app(settings.model_copy(update={"body_timeout_s": 0.3}), engine)
    with live_server(app) as url:
        answer = httpx.post(
            f"{url}/api/v1/dossiers",
            content=stalling_upload(),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
            timeout=10,
        )
        assert answer.status_code == 408
        assert answer.json()["error"]["code"] == "request_timeout"
        assert answer.headers["connection"] == "close"
        assert answer.headers["x-content-type-options"] == "nosniff"
        time.sleep(0.2)  # the route's own clean-up after the disconnect
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0
        files = Path(settings.storage_url)
        assert not files.exists() or [p for p in files.rglob("*") if p.is_file()] == []
        assert httpx.get(f"{url}/healthz").status_code == 200  # the server goes on


def test_a_body_slower_than_the_minimum_rate_is_cut_off() -> None:
    """After the grace period a trickle is cut off even though no single wait is a stall."""
    seen: list[str] = []

    async def app(scope: object, receive: object, send: object) -> None:
        while True:
            message = await receive()  # type: ignore[operator]
            seen.append(message["type"])
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                return

    async def run() -> list[dict[str, object]]:
        chunks = iter([b"x"] * 50)

        async def receive() -> dict[str, object]:
            await anyio.sleep(0.05)  # a byte every 50 ms: 20 bytes/s
            return {"type": "http.request", "body": next(chunks), "more_body": True}

        sent: list[dict[str, object]] = []

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        middleware = BodyTimeoutMiddleware(app, stall_s=5, min_bytes_per_s=100, grace_s=0.2)
        scope = {"type": "http", "method": "POST"}
        await middleware(scope, receive, send)  # type: ignore[arg-type]
        return sent

    sent = anyio.run(run)
    assert sent[0]["status"] == 408
    assert seen[-1] == "http.disconnect" and 2 <= seen.count("http.request") <= 8


def test_a_steady_body_is_not_cut_off(client: TestClient) -> None:
    def steady() -> Iterator[bytes]:
        for _ in range(5):
            time.sleep(0.05)
            yield b" "
        yield b'{"reason": "x"}'

    answer = client.post(
        "/api/v1/dossiers/000.00.00.H20-250101-0001/withdraw",
        content=steady(),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 404  # it reached the route
