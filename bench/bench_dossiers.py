"""Dossier benchmark (issue 3): submissions, upload memory and public tracking, as ratios of a
ceiling.

    .venv/bin/python bench/bench_dossiers.py [--db sqlite|postgres] [--dossiers N]
                                             [--duration S] [--profile] [--only PART ...]

Seeds the sample catalogue into a throwaway database, bulk-loads N synthetic dossiers (default
1,000,000: `synthetic_dossiers.py`), serves the app as the Dockerfile does and drives it with
wrk, every scenario next to the ceiling (`GET /healthz`) measured by the same server in the
same run:

- tracking: `GET /api/v1/dossiers/{code}`, a random code per request out of 10,000 sampled;
- submission: `POST /api/v1/dossiers`, multipart with three 1 MiB PDFs (built once to a file
  that wrk's Lua script sends);
- memory: a fresh server per file size (1, 10, 40 MiB), the growth of its peak resident
  memory (VmHWM) over one streamed submission.

See bench/README.md.
"""

import argparse
import json
import random
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import synthetic_dossiers
from common import (
    CEILING,
    CEILING_PATH,
    OUT,
    PG_URL,
    Run,
    Scenario,
    ceiling_drift,
    commit,
    dvc_gateway,
    get_json,
    machine,
    moment,
    print_table,
    profile,
    py_spy_binary,
    run_scenarios,
    serve,
    throwaway_database,
    warn_drift,
    with_script,
    write_report,
)
from loadgen import Wrk, ensure_wrk, lua_string, write_lua, write_script
from sqlalchemy import text

from app.db import make_engine
from app.models.types import VN_TZ

PARTS = ("tracking", "submission", "memory")
PROCEDURE = "1.001193.H20"  # Đăng ký khai sinh, level 4, agency 000.11.11.H20
MiB = 1024 * 1024
FILE_MIB = 1
MEMORY_SIZES_MIB = (1, 10, 40)
MEMORY_ENV = {"MAX_FILE_MB": "64", "MAX_REQUEST_MB": "100"}
MEMORY_FLAT_MIB = 8.0  # growth at 40 MiB at most this much above the growth at 1 MiB
TRACKING_RATIO_TARGET = 0.5
SAMPLE = 10_000
BOUNDARY = "----dvc-bench-7c1f4e2b9a0d4b3c8e6f"
APPLICANT = {
    "full_name": "Trần Thị Hoa",
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "hoa.tran@example.vn",
    "address": "Số 12 đường Lê Lợi, phường Hòa Bình",
}
FORM = {
    "ten_nguoi_duoc_khai_sinh": "Nguyễn Minh Khang",
    "ngay_sinh": "2026-11-01",
    "gioi_tinh": "Nam",
    "dan_toc": "Kinh",
    "noi_sinh": "Bệnh viện Đa khoa tỉnh",
    "ho_ten_me": "Trần Thị Hoa",
    "quan_he_nguoi_yeu_cau": "Mẹ",
    "ho_ten_cha": "Nguyễn Văn An",
}
# Three components of 1.001193.H20 that accept PDF: the request form (at most 5 MB), the birth
# certificate and the optional marriage certificate (no limit of their own: MAX_FILE_MB).
FILE_KEYS = ("don_de_nghi", "giay_chung_sinh", "giay_to_ket_hon")
BIG_KEY = "giay_chung_sinh"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dossier benchmark (issue 3)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers bulk-loaded")
    parser.add_argument("--duration", type=float, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16, help="the high-concurrency run")
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL server (no database name)")
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, default=list(PARTS), help="measure only these parts"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after measuring, record py-spy profiles of submission and tracking in bench/out",
    )
    parser.add_argument("--py-spy", help="the py-spy binary (default: next to python, or PATH)")
    args = parser.parse_args(argv)
    if args.connections < 2:
        parser.error("--connections must be at least 2 (1 connection is always measured)")
    if args.dossiers < SAMPLE:
        parser.error(f"--dossiers must be at least {SAMPLE}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A SIGTERM (CI timeout, kill) must still stop the server and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk_binary = ensure_wrk()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = moment()
    report: dict[str, Any] = {"benchmark": "dossiers", "db": args.db, "commit": commit()}
    with (
        tempfile.TemporaryDirectory(prefix="dvc-bench-") as tmp_name,
        throwaway_database(args.db, args.pg_url, Path(tmp_name), stamp, "dvc_bench_dos_") as url,
    ):
        tmp = Path(tmp_name)
        print("==> migrating and seeding the sample catalogue", flush=True)
        dvc_gateway(url, tmp, "seed")
        loaded = load_dossiers(url, args.dossiers)
        report["dossiers"] = {
            k: v for k, v in vars(loaded).items() if k not in ("sample", "new_codes")
        }
        runs: list[Run] = []
        if {"tracking", "submission"} & set(args.only):
            with serve(url, tmp) as (base, pid):
                runs, extra = measure_http(
                    Wrk(wrk_binary, write_lua(tmp)), base, pid, tmp, loaded, args, stamp
                )
                report.update(extra)
            report["submitted_today"] = submitted_today(url)
        if "memory" in args.only:
            report["memory"] = measure_memory(url, tmp)
    report.update(
        {
            "started": started,
            "finished": moment(),
            "machine": machine(),
            "settings": {"duration_s": args.duration, "warmup_s": args.warmup, "parts": args.only},
            "runs": [run.as_dict() for run in runs],
            "ceiling_drift": ceiling_drift(runs),
        }
    )
    report["targets"] = targets(report, runs, args.connections)
    print_report(report, runs)
    write_report(report, "dossiers", stamp)
    return 0


# ---------------------------------------------------------------------------------------------
# Data


def sample_procedures() -> list[synthetic_dossiers.ProcedureRef]:
    raw = resources.files("app.data").joinpath("sample_catalogue.json").read_text("utf-8")
    doc = json.loads(raw)
    return [
        synthetic_dossiers.ProcedureRef(p["code"], p["agency_code"], p["processing_days"])
        for p in doc["procedures"]
    ]


def load_dossiers(url: str, count: int) -> synthetic_dossiers.Loaded:
    print(f"==> bulk-loading {count:,} dossiers", flush=True)
    engine = make_engine(url)
    try:
        loaded = synthetic_dossiers.load(
            engine, count, sample_procedures(), synthetic_dossiers.TRACKING
        )
    finally:
        engine.dispose()
    print(
        f"    {loaded.dossiers:,} dossiers, {loaded.events:,} events in {loaded.seconds} s",
        flush=True,
    )
    return loaded


def submitted_today(url: str) -> int:
    """Codes handed out today for the procedure's agency: at most 9,999 a day."""
    engine = make_engine(url)
    day = datetime.now(VN_TZ).strftime("%y%m%d")
    try:
        with engine.connect() as conn:
            last = conn.execute(
                text(
                    "SELECT last FROM dossier_sequence WHERE day = :day AND agency_code = :agency"
                ),
                {"day": day, "agency": "000.11.11.H20"},
            ).scalar()
    finally:
        engine.dispose()
    return int(last or 0)


def pdf(size: int, seed: int) -> bytes:
    """A PDF header (what the type sniffing reads) and incompressible padding, like the
    compressed streams of a real scan."""
    head, tail = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n"
    return head + random.Random(seed).randbytes(size - len(head) - len(tail)) + tail


def text_part(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


def file_head(key: str, filename: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()


def text_parts() -> bytes:
    # procedure_code first: the server then checks every file while it uploads.
    return (
        text_part("procedure_code", PROCEDURE)
        + text_part("applicant", json.dumps(APPLICANT, ensure_ascii=False))
        + text_part("form", json.dumps(FORM, ensure_ascii=False))
    )


def submission_body(folder: Path) -> Path:
    """Three 1 MiB PDFs, built once: wrk sends the same bytes every time."""
    body = bytearray(text_parts())
    for index, key in enumerate(FILE_KEYS):
        body += file_head(key, f"{key}.pdf") + pdf(FILE_MIB * MiB, index) + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    path = folder / "submission.body"
    path.write_bytes(bytes(body))
    return path


# ---------------------------------------------------------------------------------------------
# HTTP scenarios


def measure_http(
    wrk: Wrk,
    base: str,
    pid: int,
    tmp: Path,
    loaded: synthetic_dossiers.Loaded,
    args: argparse.Namespace,
    stamp: str,
) -> tuple[list[Run], dict[str, Any]]:
    codes = tmp / "codes.txt"
    codes.write_text("\n".join(loaded.sample) + "\n", encoding="utf-8")
    body = submission_body(tmp)
    check_tracking(base, loaded.sample)
    check_submission(base, body)
    tracking = write_script(tmp, "tracking", tracking_lua(codes))
    submission = write_script(tmp, "submission", submission_lua(body))
    scenarios = [Scenario(CEILING, CEILING_PATH)]
    if "tracking" in args.only:
        # The Lua script picks the code of each request; the URL only gives wrk the host.
        scenarios.append(Scenario("tracking", "/api/v1/dossiers/", lambda _: tracking))
    if "submission" in args.only:
        scenarios.append(Scenario("submission 3 × 1 MiB", "/api/v1/dossiers", lambda _: submission))
    scenarios.append(Scenario(f"{CEILING}, again", CEILING_PATH))
    levels = [(1, 1), (args.connections, min(2, args.connections))]
    runs = run_scenarios(wrk, base, scenarios, levels, args.warmup, args.duration)
    extra: dict[str, Any] = {
        "submission_body_bytes": body.stat().st_size,
        "sampled_codes": len(loaded.sample),
    }
    if args.profile:
        extra["profiles"] = profile_http(wrk, base, pid, scenarios, args, stamp)
    return runs, extra


def tracking_lua(codes: Path) -> str:
    return f"""
local codes = {{}}
for line in io.lines({lua_string(str(codes))}) do
  if #line > 0 then codes[#codes + 1] = line end
end
local n = #codes
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end
function request()
  return wrk.format("GET", "/api/v1/dossiers/" .. codes[math.random(n)])
end
"""


def submission_lua(body: Path) -> str:
    return f"""
local f = assert(io.open({lua_string(str(body))}, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary={BOUNDARY}"
"""


def check_tracking(base: str, sample: list[str]) -> None:
    """Every measured URL answers with data; the public view shows no personal data."""
    view = get_json(f"{base}/api/v1/dossiers/{sample[0]}")
    if view["code"] != sample[0] or not view["history"]:
        raise RuntimeError(f"tracking {sample[0]} answered {view}")
    if {"applicant", "form", "documents"} & set(view):
        raise RuntimeError("tracking shows personal data")
    missing = httpx.get(f"{base}/api/v1/dossiers/000.00.00.H20-991231-0001")
    if missing.status_code != 404 or missing.json()["error"]["code"] != "dossier_not_found":
        raise RuntimeError(f"unknown code answered {missing.status_code}")
    print(f"    tracking {sample[0]}: {view['status']}, {len(view['history'])} events", flush=True)


def check_submission(base: str, body: Path) -> None:
    answer = httpx.post(
        f"{base}/api/v1/dossiers",
        content=body.read_bytes(),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        timeout=60,
    )
    if answer.status_code != 201:
        raise RuntimeError(f"submission answered {answer.status_code}: {answer.text[:500]}")
    print(f"    submission: {answer.json()['code']}", flush=True)


def profile_http(
    wrk: Wrk, base: str, pid: int, scenarios: list[Scenario], args: argparse.Namespace, stamp: str
) -> dict[str, str]:
    """Submission twice (on-CPU samples, then with idle threads: fsync waits show only
    there) and tracking once, each at high concurrency."""
    binary = py_spy_binary(args.py_spy)
    written: dict[str, str] = {}
    for scenario in scenarios:
        if scenario.path == CEILING_PATH:
            continue
        slug = scenario.name.split()[0]
        for idle in (False, True) if slug == "submission" else (False,):
            name = f"{slug}{'-idle' if idle else ''}"
            out = OUT / f"profile-dossiers-{args.db}-{name}-{stamp}.txt"
            print(f"    profiling {name}", flush=True)
            if profile(
                binary,
                pid,
                out,
                args.duration,
                partial(
                    with_script(wrk, scenario, 2).run,
                    base + scenario.path,
                    args.connections,
                    2,
                    args.duration,
                ),
                ["--idle"] if idle else [],
            ):
                written[name] = str(out.relative_to(out.parents[2]))
    return written


# ---------------------------------------------------------------------------------------------
# Memory


def measure_memory(url: str, tmp: Path) -> list[dict[str, Any]]:
    """A fresh server per size: VmHWM (peak resident memory) after start-up and one small
    warm-up submission (then reset to the current size), and after one submission whose birth
    certificate is SIZE MiB. The client streams the body from a generator, so it never holds
    the file either."""
    results = []
    for size in MEMORY_SIZES_MIB:
        with serve(url, tmp, MEMORY_ENV) as (base, pid):
            post_streamed(base, 64 * 1024)
            reset_peak(pid)
            before = vm_kib(pid)
            started = time.perf_counter()
            post_streamed(base, size * MiB)
            seconds = time.perf_counter() - started
            after = vm_kib(pid)
        growth = (after["VmHWM"] - before["VmHWM"]) / 1024
        results.append(
            {
                "file_mib": size,
                "hwm_before_mib": round(before["VmHWM"] / 1024, 1),
                "hwm_after_mib": round(after["VmHWM"] / 1024, 1),
                "hwm_growth_mib": round(growth, 1),
                "rss_after_mib": round(after["VmRSS"] / 1024, 1),
                "upload_seconds": round(seconds, 2),
            }
        )
        print(
            f"    {size:>3} MiB file: VmHWM {before['VmHWM'] / 1024:.1f} → "
            f"{after['VmHWM'] / 1024:.1f} MiB (+{growth:.1f}), {seconds:.2f} s",
            flush=True,
        )
    return results


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current resident size (Linux ≥ 4.0, as the process's owner
    or root): the peak of start-up (imports, migrations) would otherwise hide any growth
    below it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError as exc:
        print(f"    warning: cannot reset VmHWM ({exc}); growth below the start-up peak is hidden")


def vm_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


def post_streamed(base: str, big: int) -> None:
    small = pdf(16 * 1024, 99)
    head = text_parts() + file_head("don_de_nghi", "don.pdf") + small + b"\r\n"
    head += file_head(BIG_KEY, "giay-chung-sinh.pdf")
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    block = random.Random(7).randbytes(64 * 1024)
    pdf_head = b"%PDF-1.7\n"

    def chunks() -> Iterator[bytes]:
        yield head + pdf_head
        left = big - len(pdf_head)
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield tail

    total = len(head) + big + len(tail)
    answer = httpx.post(
        f"{base}/api/v1/dossiers",
        content=chunks(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(total),
        },
        timeout=120,
    )
    if answer.status_code != 201:
        raise RuntimeError(
            f"streamed submission answered {answer.status_code}: {answer.text[:300]}"
        )


# ---------------------------------------------------------------------------------------------
# Report


def targets(report: dict[str, Any], runs: list[Run], connections: int) -> dict[str, Any]:
    """Issue 3: tracking at least half the ceiling's throughput (high concurrency); memory
    of a submission independent of the file size."""
    result: dict[str, Any] = {}
    tracking = [r for r in runs if r.scenario.name == "tracking" and r.connections == connections]
    if tracking:
        ratio = tracking[0].ratio
        result.update(
            tracking_ratio=ratio,
            tracking_ratio_target=TRACKING_RATIO_TARGET,
            tracking_ratio_met=ratio >= TRACKING_RATIO_TARGET,
        )
    submissions = [r for r in runs if r.scenario.name.startswith("submission")]
    body = report.get("submission_body_bytes", 0)
    result["upload_mib_per_s"] = {
        str(r.connections): round(r.result.rps * body / MiB, 1) for r in submissions
    }
    memory = report.get("memory")
    if memory:
        spread = memory[-1]["hwm_growth_mib"] - memory[0]["hwm_growth_mib"]
        result.update(
            memory_growth_spread_mib=round(spread, 1), memory_flat=spread <= MEMORY_FLAT_MIB
        )
    return result


def print_report(report: dict[str, Any], runs: list[Run]) -> None:
    m = report["machine"]
    print(f"\nDossier benchmark — {report['db']}, {report['started']['at']}, {report['commit']}")
    load = " → ".join(f"{report[k]['load'][0]:.2f}" for k in ("started", "finished"))
    print(f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, load average {load}")
    d = report["dossiers"]
    print(f"{d['dossiers']:,} dossiers, {d['events']:,} events, loaded in {d['seconds']} s")
    if runs:
        print_table(runs)
    t = report["targets"]
    verdict = {True: "met", False: "MISSED"}
    if "tracking_ratio" in t:
        print(
            f"\ntracking: {t['tracking_ratio']} × ceiling, target ≥ {t['tracking_ratio_target']}: "
            f"{verdict[t['tracking_ratio_met']]}"
        )
    for connections, rate in t["upload_mib_per_s"].items():
        print(f"upload at {connections} connection(s): {rate} MiB/s")
    if "submitted_today" in report:
        print(f"codes handed out today to 000.11.11.H20: {report['submitted_today']} (of 9,999)")
    if "memory_flat" in t:
        print(
            f"memory growth 40 MiB vs 1 MiB: {t['memory_growth_spread_mib']:+} MiB, "
            f"independent of file size: {verdict[t['memory_flat']]}"
        )
    warn_drift(report["ceiling_drift"])


if __name__ == "__main__":
    sys.exit(main())
