"""A throwaway PostgreSQL server for outage tests: a cluster of its own (initdb in a temporary
folder, on a free port of 127.0.0.1), started and stopped by the test, never the CI's server.

    with throwaway_cluster() as cluster:
        engine = make_engine(cluster.url)
        ...
        cluster.stop()   # as a crash would: pg_ctl stop -m immediate
        cluster.start()  # crash recovery, then the same data

The server binaries are the Debian packages' (/usr/lib/postgresql/<version>/bin), or whatever
`pg_config --bindir` names. PostgreSQL refuses to run as root: under root the commands run as
the `postgres` user (runuser), which owns the cluster's folder. Missing binaries are an error,
never a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

SERVER_USER = "postgres"


def server_bindir() -> Path:
    """The folder of initdb and pg_ctl: the newest Debian PostgreSQL, else pg_config's."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if installed:
        return installed[-1].parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
        bindir = Path(found.stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    """One PostgreSQL cluster in `root`: data in root/data, its socket and log beside it."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.bindir = server_bindir()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def init(self) -> None:
        self._run(
            "initdb",
            [
                "-D",
                str(self.root / "data"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )

    def start(self) -> None:
        # fsync off: the test stops the server as a crash would, not the machine; the WAL in
        # the kernel's cache survives that, and the suite does not wait on the disk.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            [
                "-D",
                str(self.root / "data"),
                "-l",
                str(self.root / "log"),
                "-w",
                "-o",
                options,
                "start",
            ],
        )

    def stop(self) -> None:
        """Stop at once, without a checkpoint, as a crash or a killed server does."""
        self._run("pg_ctl", ["-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"])

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _run(self, program: str, arguments: Sequence[str]) -> None:
        command = [str(self.bindir / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}{self.log()}"
            )


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new cluster, started; stopped and deleted at the end."""
    # Not pytest's tmp_path: under root its folders are private to root, and the server runs
    # as another user.
    root = Path(tempfile.mkdtemp(prefix="dvc-pg-"))
    try:
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(root, account.pw_uid, account.pw_gid)
        cluster = Cluster(root, free_port())
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            if (root / "data" / "postmaster.pid").exists():
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
