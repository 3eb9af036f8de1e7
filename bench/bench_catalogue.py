"""Catalogue benchmark (issue 2): search and detail at province scale, as ratios of a ceiling.

    .venv/bin/python bench/bench_catalogue.py [--db sqlite|postgres] [--duration S]
                                              [--connections N] [--profile]

Builds a synthetic catalogue (10,000 procedures, 300 agencies) in a throwaway database, loads
it with the app's own import, serves the app exactly as the Dockerfile does (`dvc-gateway
serve --no-access-log`, one uvicorn worker) and drives it with wrk. Every scenario is reported
next to the ceiling, `GET /healthz`, measured by the same server and load generator in the same
run: on a shared 2-core machine absolute numbers drift, ratios much less. See bench/README.md.
"""

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from loadgen import LoadResult, Wrk, ensure_wrk, write_lua
from sqlalchemy import text
from sqlmodel import Session
from synthetic_catalogue import build_document

from app.db import make_engine
from app.migrate import upgrade
from app.services.catalogue_import import import_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
QUERIES = ["dang ky kinh doanh", "giay phep xay dung", "khai sinh"]
PROCEDURES = 10_000
AGENCIES = 300
SEARCH_P95_TARGET_MS = 20.0
CEILING, CEILING_PATH = "healthz (ceiling)", "/healthz"
DRIFT_WARNING = 0.15
DETAIL_RATIO_TARGET = 0.5


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str


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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Catalogue benchmark (issue 2)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16, help="the high-concurrency run")
    parser.add_argument(
        "--pg-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432",
        help="PostgreSQL server (no database name); a throwaway database is created on it",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after measuring, record py-spy profiles of the database scenarios in bench/out",
    )
    args = parser.parse_args(argv)
    if args.connections < 2:
        parser.error("--connections must be at least 2 (1 connection is always measured)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A SIGTERM (CI timeout, kill) must still stop the server and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk_binary = ensure_wrk()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "load": os.getloadavg()}
    doc = build_document(PROCEDURES, AGENCIES)
    # Level 4: the heaviest detail page, with its form schema.
    detail_code = next(p["code"] for p in doc["procedures"] if p["level"] == 4)
    with (
        tempfile.TemporaryDirectory(prefix="dvc-bench-") as tmp,
        throwaway_database(args, Path(tmp), stamp) as url,
    ):
        load_seconds = load_catalogue(url, doc)
        with serve(url, Path(tmp)) as (base, server_pid):
            totals = check_endpoints(base, detail_code)
            wrk = Wrk(wrk_binary, write_lua(Path(tmp)))
            scenarios = build_scenarios(detail_code)
            runs = run_scenarios(wrk, base, scenarios, args)
            if args.profile:
                measured = [s for s in scenarios if s.path != CEILING_PATH]
                profile_scenarios(wrk, base, server_pid, measured, args, stamp)
    report = {
        "benchmark": "catalogue",
        "db": args.db,
        "started": started,
        "finished": {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "load": os.getloadavg(),
        },
        "machine": machine(),
        "catalogue": {"procedures": PROCEDURES, "agencies": AGENCIES, "load_seconds": load_seconds},
        "settings": {"duration_s": args.duration, "warmup_s": args.warmup},
        "search_totals": totals,
        "detail_code": detail_code,
        **summarize(runs, args.connections),
    }
    print_report(report, runs)
    write_report(report, stamp)
    return 0


def write_report(report: dict[str, Any], stamp: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"catalogue-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")


# ---------------------------------------------------------------------------------------------
# Database and server


@contextmanager
def throwaway_database(args: argparse.Namespace, tmp: Path, stamp: str) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database that is gone when the block ends, error or not."""
    if args.db == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"  # removed with the temporary folder
        return
    name = "dvc_bench_" + "".join(ch for ch in stamp if ch.isdigit())
    admin = args.pg_url.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"==> PostgreSQL database {name}", flush=True)
    try:
        yield f"{args.pg_url}/{name}"
    finally:
        # FORCE: a server that did not die in time still holds connections.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"==> dropped {name}", flush=True)


def load_catalogue(url: str, doc: dict[str, Any]) -> float:
    """Migrate, then load through the app's own import (about 15 s for 10,000 procedures, so
    no bulk-insert shortcut is needed and the data passes the app's validation)."""
    print(f"==> importing {PROCEDURES} procedures, {AGENCIES} agencies", flush=True)
    engine = make_engine(url)
    try:
        upgrade(engine)
        start = time.perf_counter()
        with Session(engine) as session:
            import_catalogue(session, doc)
        seconds = time.perf_counter() - start
        if engine.dialect.name == "postgresql":
            # In production autovacuum analyses a table this size within a minute of loading;
            # without it the planner would guess from an empty table.
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    print(f"    loaded in {seconds:.1f} s", flush=True)
    return round(seconds, 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(url: str, tmp: Path) -> Iterator[tuple[str, int]]:
    """The production command line (Dockerfile CMD) on a free port; yields its base URL and
    pid (with one worker, uvicorn serves in the process it was started as)."""
    script = Path(sys.executable).parent / "dvc-gateway"
    port = free_port()
    cmd = [str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {**os.environ, "DATABASE_URL": url, "STORAGE_URL": str(tmp / "files")}
    env.pop("SQL_ECHO", None)
    log = tmp / "server.log"
    # cwd=tmp: a developer's .env in the work tree must not change the settings under test.
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
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


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def check_endpoints(base: str, detail_code: str) -> dict[str, int]:
    """Every measured URL answers 200 with data: timing empty answers would prove nothing."""
    totals: dict[str, int] = {}
    for query in QUERIES:
        page = get_json(f"{base}{search_path(query)}")
        totals[query] = page["total"]
        if not page["items"]:
            raise RuntimeError(f"search {query!r} found nothing on the synthetic catalogue")
        print(f"    q={query!r}: {page['total']} procedures", flush=True)
    if get_json(f"{base}/api/v1/procedures/{detail_code}")["code"] != detail_code:
        raise RuntimeError(f"detail of {detail_code} answered another procedure")
    return totals


# ---------------------------------------------------------------------------------------------
# Scenarios


def search_path(query: str) -> str:
    return "/api/v1/procedures?" + urllib.parse.urlencode({"q": query})


def build_scenarios(detail_code: str) -> list[Scenario]:
    """The ceiling first: every other scenario is divided by it. It is measured again last:
    if the machine got busier or quieter meanwhile (a test suite started), the two differ."""
    return [
        Scenario(CEILING, CEILING_PATH),
        *(Scenario(f"search q={query}", search_path(query)) for query in QUERIES),
        Scenario("detail", f"/api/v1/procedures/{detail_code}"),
        Scenario(f"{CEILING}, again", CEILING_PATH),
    ]


def run_scenarios(
    wrk: Wrk, base: str, scenarios: list[Scenario], args: argparse.Namespace
) -> list[Run]:
    """Each scenario at 1 connection (pure latency, nothing queues) and at --connections
    (throughput; latencies then include queueing in the server)."""
    levels = [(1, 1), (args.connections, min(2, args.connections))]
    ceiling: dict[int, float] = {}
    runs: list[Run] = []
    for scenario in scenarios:
        url = base + scenario.path
        # Warm-up: connection pool, SQLite page cache / PostgreSQL buffers, lazy imports.
        wrk.run(url, levels[-1][0], levels[-1][1], args.warmup)
        for connections, threads in levels:
            result = wrk.run(url, connections, threads, args.duration)
            ceiling.setdefault(connections, result.rps)
            ratio = round(result.rps / ceiling[connections], 3) if ceiling[connections] else 0.0
            runs.append(Run(scenario, connections, threads, result, ratio))
            print(f"    {format_row(runs[-1])}", flush=True)
    return runs


def profile_scenarios(
    wrk: Wrk,
    base: str,
    server_pid: int,
    scenarios: list[Scenario],
    args: argparse.Namespace,
    stamp: str,
) -> None:
    """py-spy samples the server under load, in separate runs: sampling stops the process
    many times a second, which would distort the measured numbers."""
    spy = Path(sys.executable).parent / "py-spy"
    binary = str(spy) if spy.exists() else "py-spy"
    OUT.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        slug = scenario.name.replace("search q=", "search-").replace(" ", "-")
        out = OUT / f"profile-{args.db}-{slug}-{stamp}.txt"
        cmd = [binary, "record", "--pid", str(server_pid), "--format", "raw", "--output"]
        cmd += [str(out), "--duration", str(max(1, round(args.duration))), "--nonblocking"]
        try:
            spying = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except FileNotFoundError:
            sys.exit("error: --profile needs py-spy: pip install py-spy")
        wrk.run(base + scenario.path, args.connections, 2, args.duration)
        _, err = spying.communicate(timeout=60)
        if spying.returncode != 0:
            print(f"    py-spy failed on {scenario.name}: {err.decode().strip()[-500:]}")
        else:
            print(f"    profile {scenario.name}: {out.relative_to(ROOT)}", flush=True)


# ---------------------------------------------------------------------------------------------
# Report


def summarize(runs: list[Run], connections: int) -> dict[str, Any]:
    return {
        "runs": [run.as_dict() for run in runs],
        "targets": targets(runs, connections),
        "ceiling_drift": ceiling_drift(runs),
    }


def targets(runs: list[Run], connections: int) -> dict[str, Any]:
    """Issue 2: search p95 under 20 ms (latency, so read at 1 connection, without queueing);
    detail at least half the ceiling's throughput (read at high concurrency)."""
    search = [r for r in runs if r.scenario.name.startswith("search") and r.connections == 1]
    worst = max(r.result.p95_ms for r in search)
    detail = next(r for r in runs if r.scenario.name == "detail" and r.connections == connections)
    return {
        "search_p95_ms": worst,  # the slowest of the queries
        "search_p95_target_ms": SEARCH_P95_TARGET_MS,
        "search_p95_met": worst < SEARCH_P95_TARGET_MS,
        "detail_ratio": detail.ratio,
        "detail_ratio_connections": connections,
        "detail_ratio_target": DETAIL_RATIO_TARGET,
        "detail_ratio_met": detail.ratio >= DETAIL_RATIO_TARGET,
    }


def ceiling_drift(runs: list[Run]) -> dict[int, float]:
    """Per concurrency, how much the ceiling moved between the first and the last run."""
    ceilings = [r for r in runs if r.scenario.path == CEILING_PATH]
    first = {r.connections: r.result.rps for r in ceilings[: len(ceilings) // 2]}
    last = {r.connections: r.result.rps for r in ceilings[len(ceilings) // 2 :]}
    return {c: round(last[c] / first[c] - 1, 3) for c in first if first[c]}


def format_row(run: Run) -> str:
    r = run.result
    return (
        f"{run.scenario.name:<30} {run.connections:>5} {r.rps:>9.1f} {r.p50_ms:>8.2f} "
        f"{r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {run.ratio:>9.3f}"
        + (f"  ({r.errors} errors)" if r.errors else "")
    )


def print_report(report: dict[str, Any], runs: list[Run]) -> None:
    m = report["machine"]
    print(f"\nCatalogue benchmark — {report['db']}, {report['started']['at']}")
    load = " → ".join(f"{report[k]['load'][0]:.2f}" for k in ("started", "finished"))
    print(f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, load average {load}")
    print(f"\n{'scenario':<30} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} ", end="")
    print(f"{'p99 ms':>8} {'× ceiling':>9}")
    for run in runs:
        print(format_row(run))
    t = report["targets"]
    verdict = {True: "met", False: "MISSED"}
    print(
        f"\nsearch p95 at 1 connection (slowest query): {t['search_p95_ms']} ms, "
        f"target < {t['search_p95_target_ms']:g} ms: {verdict[t['search_p95_met']]}"
    )
    print(
        f"detail at {t['detail_ratio_connections']} connections: {t['detail_ratio']} × ceiling, "
        f"target ≥ {t['detail_ratio_target']}: {verdict[t['detail_ratio_met']]}"
    )
    for connections, drift in report["ceiling_drift"].items():
        if abs(drift) > DRIFT_WARNING:
            print(
                f"warning: the ceiling at {connections} connection{'s' * (connections > 1)} "
                f"moved {drift:+.0%} during the run: the machine's load changed (another "
                "process?); run again."
            )


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


if __name__ == "__main__":
    sys.exit(main())
