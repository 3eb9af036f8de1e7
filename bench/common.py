"""What every benchmark here shares: a throwaway database, the production server as a
subprocess, wrk runs reported as ratios of the `/healthz` ceiling, py-spy, the machine and the
report file. See bench/README.md.
"""

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from loadgen import LoadResult, Wrk

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CEILING, CEILING_PATH = "healthz (ceiling)", "/healthz"
DRIFT_WARNING = 0.15
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    # A wrk script for each run (warm-up included), given the run's wrk threads, when the
    # request is not a plain GET: a method and body, headers, or a request computed in Lua.
    # None: wrk's default GET.
    script: Callable[[int], Path] | None = None


@dataclass(frozen=True)
class Run:
    scenario: Scenario
    connections: int
    threads: int
    result: LoadResult
    ratio: float  # req/s ÷ the ceiling's req/s at the same concurrency

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.name,
            "path": self.scenario.path,
            "connections": self.connections,
            "threads": self.threads,
            **self.result.as_dict(),
            "ratio_to_ceiling": self.ratio,
        }


# ---------------------------------------------------------------------------------------------
# Database and server


@contextmanager
def throwaway_database(
    db: str, pg_url: str, tmp: Path, stamp: str, prefix: str = "dvc_bench_"
) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database that is gone when the block ends, error or not."""
    if db == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"  # removed with the temporary folder
        return
    name = prefix + "".join(ch for ch in stamp if ch.isdigit())
    admin = pg_url.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"==> PostgreSQL database {name}", flush=True)
    try:
        yield f"{pg_url}/{name}"
    finally:
        # FORCE: a server that did not die in time still holds connections.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"==> dropped {name}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(url: str, tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the app's own commands against the throwaway database."""
    env = {**os.environ, "DATABASE_URL": url, "STORAGE_URL": str(tmp / "files")}
    env.pop("SQL_ECHO", None)
    return {**env, **(extra or {})}


def dvc_gateway(url: str, tmp: Path, *args: str) -> str:
    """Run `dvc-gateway ARGS` (seed, create-officer, …) against the throwaway database."""
    script = Path(sys.executable).parent / "dvc-gateway"
    done = subprocess.run(
        [str(script), *args],
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
    script = Path(sys.executable).parent / "dvc-gateway"
    port = free_port()
    cmd = [str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    log = tmp / "server.log"
    # cwd=tmp: a developer's .env in the work tree must not change the settings under test.
    with log.open("wb") as out:
        server = subprocess.Popen(
            cmd, cwd=tmp, env=server_env(url, tmp, env), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server, log)
        yield base, server.pid
    finally:
        stop(server)


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
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


# ---------------------------------------------------------------------------------------------
# Measuring


def run_scenarios(
    wrk: Wrk,
    base: str,
    scenarios: list[Scenario],
    levels: list[tuple[int, int]],
    warmup: float,
    duration: float,
) -> list[Run]:
    """Each scenario at each (connections, threads) level, after a warm-up at the last level.
    The first scenario at a level is the ceiling every later one is divided by."""
    ceiling: dict[int, float] = {}
    runs: list[Run] = []
    for scenario in scenarios:
        url = base + scenario.path
        # Warm-up: connection pool, SQLite page cache / PostgreSQL buffers, lazy imports.
        with_script(wrk, scenario, levels[-1][1]).run(url, levels[-1][0], levels[-1][1], warmup)
        for connections, threads in levels:
            result = with_script(wrk, scenario, threads).run(url, connections, threads, duration)
            ceiling.setdefault(connections, result.rps)
            ratio = round(result.rps / ceiling[connections], 3) if ceiling[connections] else 0.0
            runs.append(Run(scenario, connections, threads, result, ratio))
            print(f"    {format_row(runs[-1])}", flush=True)
    return runs


def with_script(wrk: Wrk, scenario: Scenario, threads: int) -> Wrk:
    return wrk if scenario.script is None else replace(wrk, lua=scenario.script(threads))


def py_spy_binary(explicit: str | None = None) -> str:
    """--py-spy, else the one installed next to this Python, else the one on PATH."""
    if explicit:
        return explicit
    spy = Path(sys.executable).parent / "py-spy"
    return str(spy) if spy.exists() else (shutil.which("py-spy") or "py-spy")


def profile(
    binary: str,
    pid: int,
    out: Path,
    seconds: float,
    load: Callable[[], Any],
    extra: list[str] | None = None,
) -> bool:
    """py-spy samples the server while `load` runs, in a run of its own: sampling stops the
    process many times a second, which would distort measured numbers. Collapsed stacks
    (open them in speedscope or flamegraph.pl) go to `out`."""
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(out)]
    cmd += ["--duration", str(max(1, round(seconds))), "--nonblocking", *(extra or [])]
    try:
        spying = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except FileNotFoundError:
        sys.exit("error: profiling needs py-spy: pip install py-spy")
    load()
    _, err = spying.communicate(timeout=60)
    if spying.returncode != 0:
        print(f"    py-spy failed: {err.decode().strip()[-500:]}")
        return False
    print(f"    profile: {out.relative_to(ROOT)}", flush=True)
    return True


# ---------------------------------------------------------------------------------------------
# Report


def ceiling_drift(runs: list[Run]) -> dict[int, float]:
    """Per concurrency, how much the ceiling moved between the first and the last run."""
    ceilings = [r for r in runs if r.scenario.path == CEILING_PATH]
    first = {r.connections: r.result.rps for r in ceilings[: len(ceilings) // 2]}
    last = {r.connections: r.result.rps for r in ceilings[len(ceilings) // 2 :]}
    return {c: round(last[c] / first[c] - 1, 3) for c in first if first[c]}


def warn_drift(drifts: dict[int, float]) -> None:
    for connections, drift in drifts.items():
        if abs(drift) > DRIFT_WARNING:
            print(
                f"warning: the ceiling at {connections} connection{'s' * (connections > 1)} "
                f"moved {drift:+.0%} during the run: the machine's load changed (another "
                "process?); run again."
            )


def format_row(run: Run, width: int = 30) -> str:
    r = run.result
    return (
        f"{run.scenario.name:<{width}} {run.connections:>5} {r.rps:>9.1f} {r.p50_ms:>8.2f} "
        f"{r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {run.ratio:>9.3f}"
        + (f"  ({r.errors} errors)" if r.errors else "")
    )


def print_table(runs: list[Run], width: int = 30) -> None:
    print(f"\n{'scenario':<{width}} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} ", end="")
    print(f"{'p99 ms':>8} {'× ceiling':>9}")
    for run in runs:
        print(format_row(run, width))


def write_report(report: dict[str, Any], name: str, stamp: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")
    return path


def moment() -> dict[str, Any]:
    """When, and at what load, a run started or finished (for its report)."""
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"), "load": os.getloadavg()}


def machine() -> dict[str, Any]:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        cpu = next(x.split(":", 1)[1].strip() for x in lscpu.splitlines() if "Model name" in x)
    except (OSError, subprocess.CalledProcessError, StopIteration):
        cpu = platform.processor() or "unknown"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": {
            name: metadata.version(name)
            for name in ("fastapi", "starlette", "uvicorn", "pydantic", "SQLAlchemy", "psycopg")
        },
    }


def commit() -> str:
    """The checked-out commit, with `+dirty` when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")
