"""Scratch: public tracking's candidate designs (tracking_variants.py) measured against the
ceiling in the same server, on one database loaded once, in interleaved rounds.

    .venv/bin/python bench/tracking_candidates.py --db sqlite|postgres --variants A B ...
        [--rounds 3] [--duration 5] [--dossiers 1000000] [--one] [--profile VARIANT]

The database is kept between invocations (a SQLite file under /tmp/h-perf-bench, or the
PostgreSQL database dvc_h_perf_bench) so that each invocation does not reload a million
dossiers; --drop removes it. Each round starts one server per variant (the order rotates
between rounds) and measures, at 16 connections: ceiling, tracking, ceiling. The ratio is
tracking ÷ the mean of the two ceilings; the summary gives the median over the rounds.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from bench_dossiers import check_tracking, load_dossiers, tracking_lua
from common import (
    CEILING_PATH,
    OUT,
    PG_URL,
    ROOT,
    dvc_gateway,
    free_port,
    server_env,
    stop,
    wait_healthy,
)
from loadgen import LoadResult, Wrk, ensure_wrk, write_lua, write_script

KEEP = Path("/tmp/h-perf-bench")
PG_NAME = "dvc_h_perf_bench"


def database(db: str, count: int, drop: bool) -> tuple[str, list[str]]:
    KEEP.mkdir(exist_ok=True)
    marker = KEEP / f"{db}-{count}.codes"
    url = f"sqlite:///{KEEP / f'bench-{count}.db'}" if db == "sqlite" else f"{PG_URL}/{PG_NAME}"
    if drop or not marker.exists():
        reset(db, count)
        with tempfile.TemporaryDirectory() as tmp:
            dvc_gateway(url, Path(tmp), "seed")
        loaded = load_dossiers(url, count)
        marker.write_text("\n".join(loaded.sample) + "\n")
    return url, marker.read_text().split()


def reset(db: str, count: int) -> None:
    if db == "sqlite":
        for path in KEEP.glob(f"bench-{count}.db*"):
            path.unlink()
        return
    admin = PG_URL.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')


@contextmanager
def serve_variant(url: str, tmp: Path, variant: str, env: dict[str, str]) -> Iterator[Any]:
    port = free_port()
    code = (
        "import uvicorn; uvicorn.run('tracking_variants:make', factory=True, host='127.0.0.1',"
        f" port={port}, access_log=False, proxy_headers=True)"
    )
    extra = {
        "TRACKING_VARIANT": variant,
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        **env,
    }
    log = tmp / f"server-{variant}.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=tmp,
            env=server_env(url, tmp, extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server, log)
        yield base, server.pid
    finally:
        stop(server)


def row(result: LoadResult) -> dict[str, float]:
    return {"rps": result.rps, "p50": result.p50_ms, "p95": result.p95_ms, "err": result.errors}


def measure(
    wrk: Wrk,
    plain: Wrk,
    base: str,
    sample: list[str],
    args: argparse.Namespace,
    c: int,
    variant: str,
) -> dict[str, Any]:
    threads = min(2, c)
    if "noop" not in variant:
        check_tracking(base, sample)
    wrk.run(base + "/api/v1/dossiers/", c, threads, args.warmup)
    plain.run(base + CEILING_PATH, c, threads, 1)
    first = plain.run(base + CEILING_PATH, c, threads, args.duration)
    track = wrk.run(base + "/api/v1/dossiers/", c, threads, args.duration)
    last = plain.run(base + CEILING_PATH, c, threads, args.duration)
    ceiling = (first.rps + last.rps) / 2
    return {
        "ceiling_before": row(first),
        "tracking": row(track),
        "ceiling_after": row(last),
        "ratio": round(track.rps / ceiling, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--variants", nargs="+", default=["app"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, nargs="+", default=[16])
    parser.add_argument("--env", nargs="*", default=[], help="KEY=VALUE for the server")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--profile", help="py-spy this variant once after the rounds")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    url, sample = database(args.db, args.dossiers, args.drop)
    binary = ensure_wrk()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="dvc-hperf-") as name:
        tmp = Path(name)
        codes = tmp / "codes.txt"
        codes.write_text("\n".join(sample) + "\n")
        wrk = Wrk(binary, write_script(tmp, "tracking", tracking_lua(codes)))
        plain = Wrk(binary, write_lua(tmp))
        for index in range(args.rounds):
            shift = index % len(args.variants)
            order = args.variants[shift:] + args.variants[:shift]
            for variant in order:
                with serve_variant(url, tmp, variant, env) as (base, _pid):
                    for c in args.connections:
                        got = measure(wrk, plain, base, sample, args, c, variant)
                        got["load"] = os.getloadavg()[0]
                        results.setdefault(f"{variant}@{c}", []).append(got)
                        print(
                            f"round {index + 1} {variant:<22} c={c:<3} ratio {got['ratio']:.3f} "
                            f"track {got['tracking']['rps']:>7.0f} "
                            f"p50 {got['tracking']['p50']:.2f} p95 {got['tracking']['p95']:.2f} "
                            f"ceil {got['ceiling_before']['rps']:.0f}/"
                            f"{got['ceiling_after']['rps']:.0f} load {got['load']:.1f}",
                            flush=True,
                        )
        if args.profile:
            with serve_variant(url, tmp, args.profile, env) as (base, pid):
                out = OUT / f"profile-tracking-{args.db}-{args.profile}-{stamp}.txt"
                OUT.mkdir(parents=True, exist_ok=True)
                spy = subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--pid",
                        str(pid),
                        "--format",
                        "raw",
                        "--output",
                        str(out),
                        "--duration",
                        str(round(args.duration)),
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                wrk.run(base + "/api/v1/dossiers/", 16, 2, args.duration)
                spy.wait(timeout=60)
                print(f"profile: {out}")
    summary = {}
    for key, runs in results.items():
        summary[key] = {
            "ratio_median": statistics.median(r["ratio"] for r in runs),
            "ratios": [r["ratio"] for r in runs],
            "rps_median": statistics.median(r["tracking"]["rps"] for r in runs),
            "p50_median": statistics.median(r["tracking"]["p50"] for r in runs),
            "p95_median": statistics.median(r["tracking"]["p95"] for r in runs),
            "ceiling_median": statistics.median(
                (r["ceiling_before"]["rps"] + r["ceiling_after"]["rps"]) / 2 for r in runs
            ),
        }
    print("\nvariant@conns            ratio(med)  ratios               req/s   p50   p95  ceiling")
    for key, s in summary.items():
        ratios = " ".join(f"{x:.3f}" for x in s["ratios"])
        print(
            f"{key:<25} {s['ratio_median']:.3f}      {ratios:<20} {s['rps_median']:>6.0f} "
            f"{s['p50_median']:>5.2f} {s['p95_median']:>5.2f} {s['ceiling_median']:>7.0f}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"tracking-candidates-{args.db}-{stamp}.json"
    report = {"args": vars(args), "results": results, "summary": summary}
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
