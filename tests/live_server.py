"""The app served by a real uvicorn on a free port, in a thread: for what only a real socket
shows (streaming limits, slow bodies), and for a browser.

`bound_socket()` takes the port before the app exists, for an app whose settings must name its
own address (an OpenID provider's redirect URI): `live_server(app, sock)` then serves on it."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # not in the main thread
        return None


def bound_socket() -> socket.socket:
    """A socket bound to a free port of 127.0.0.1 (the kernel's choice), not yet listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def base_url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def live_server(app: FastAPI, sock: socket.socket | None = None) -> Iterator[str]:
    """The base URL of `app` served over HTTP until the block ends; on `sock` if given."""
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    run = {"sockets": [sock]} if sock is not None else {}
    thread = threading.Thread(target=server.run, kwargs=run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
