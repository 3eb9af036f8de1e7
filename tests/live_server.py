"""The app served by a real uvicorn on a free port, in a thread: for what only a real socket
shows (streaming limits, slow bodies)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # not in the main thread
        return None


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """The base URL of `app` served over HTTP until the block ends."""
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
