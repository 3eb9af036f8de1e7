"""Over a real socket: the server answers 413 without swallowing the whole body."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.services.dossiers.uploads import MB
from tests.dossier_helpers import BOUNDARY, body_chunks, stored_files
from tests.factories import make_online_procedure
from tests.live_server import live_server


@pytest.fixture
def live_url(settings: Settings, engine: Engine, session: Session) -> Iterator[str]:
    make_online_procedure(session)
    small = settings.model_copy(update={"max_request_mb": 5})
    with live_server(create_app(small, engine)) as url:
        yield url


def test_a_live_server_refuses_a_2_gb_stream_early(live_url: str, settings: Settings) -> None:
    pulled = [0]
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    status = None
    try:
        response = httpx.post(
            f"{live_url}/api/v1/dossiers",
            content=body_chunks(2 * 1024 * MB, pulled),
            headers=headers,
            timeout=30,
        )
        status = response.status_code
    except httpx.TransportError:
        pass  # the server may close the connection before the client reads the answer
    assert status in (413, None)
    # Far less than 2 GB went out: the limit plus what the socket buffers held.
    assert pulled[0] < 5 * MB + 32 * MB
    assert stored_files(Path(settings.storage_url)) == []
