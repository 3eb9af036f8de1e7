"""The app as the benchmarks run it: its own commands (`dvc-gateway seed`, `create-officer`, …)
and the production server (the Dockerfile's command line) as a subprocess, both against the
throwaway database and with their working directory in a temporary folder, so that a
developer's `.env` cannot change what is measured.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DVC_GATEWAY = Path(sys.executable).parent / "dvc-gateway"


def server_env(url: str, tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the app's own commands against the throwaway database."""
    # DATA_DIR=tmp: the server keys (and a `.env`, read from the data folder) are the run's
    # own, never the developer's.
    env = {
        **os.environ,
        "DATA_DIR": str(tmp),
        "DATABASE_URL": url,
        "STORAGE_URL": str(tmp / "files"),
    }
    env.pop("SQL_ECHO", None)
    return {**env, **(extra or {})}


def dvc_gateway(url: str, tmp: Path, *args: str, stdin: str | None = None) -> str:
    """Run `dvc-gateway ARGS` (seed, create-officer, …) against the throwaway database, with
    `stdin` as its standard input (a password for `create-officer --password-stdin`)."""
    done = subprocess.run(
        [str(DVC_GATEWAY), *args],
        input=stdin,
        cwd=tmp,
        env=server_env(url, tmp),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"dvc-gateway {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


@contextmanager
def serve(url: str, tmp: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """The production command line (Dockerfile CMD) on a free port; yields its base URL and
    pid (with one worker, uvicorn serves in the process it was started as)."""
    port = free_port()
    cmd = [str(DVC_GATEWAY), "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = tmp / "server.log"
    # cwd=tmp: a developer's .env in the work tree must not change the settings under test.
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*cmd, "--no-access-log"],
            cwd=tmp,
            env=server_env(url, tmp, env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server, log)
        yield base, server.pid
    finally:
        stop(server)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not healthy after 60 s:\n{log.read_text()}")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get_json(url: str, headers: dict[str, str] | None = None) -> Any:
    return json.loads(fetch(url, headers))


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    """The body of a 200 answer as sent (urllib asks for no compression); an HTTPError else."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        body: bytes = answer.read()
        return body
