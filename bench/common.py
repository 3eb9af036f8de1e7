"""The harness every benchmark here shares: its options, the life of a run (a throwaway
database, wrk, a report stamped with the commit, the machine and the load), wrk runs reported
as ratios of the `/healthz` ceiling, py-spy profiles, and the report file. A script says only
what it measures. See bench/README.md.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from dbtools import throwaway_database
from loadgen import LoadResult, Wrk, ensure_wrk, write_lua

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CEILING, CEILING_PATH = "healthz (ceiling)", "/healthz"
DRIFT_WARNING = 0.15
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"
PYSPY_SCRATCH = Path("/tmp/pyspy-venv/bin/py-spy")


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    # The wrk script, when the request is not a plain GET (a method and body, headers, or a
    # request computed in Lua): one for every run, or one written for each run (warm-up
    # included) given the run's wrk threads. None: wrk's default GET.
    script: Path | Callable[[int], Path] | None = None

    @property
    def is_ceiling(self) -> bool:
        return self.path == CEILING_PATH


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


@dataclass(frozen=True)
class ProfileJob:
    """One profile: `name` in the report, the file `profile-{file}-{stamp}.txt` in bench/out,
    and py-spy's extra flags (`--idle`: threads waiting on I/O too)."""

    name: str
    scenario: Scenario
    file: str
    flags: tuple[str, ...] = ()


def with_ceiling(scenarios: Iterable[Scenario]) -> list[Scenario]:
    """The ceiling first: every other scenario is divided by it. It is measured again last:
    if the machine got busier or quieter meanwhile (a test suite started), the two differ."""
    return [
        Scenario(CEILING, CEILING_PATH),
        *scenarios,
        Scenario(f"{CEILING}, again", CEILING_PATH),
    ]


# ---------------------------------------------------------------------------------------------
# Options


class Options(argparse.ArgumentParser):
    """The options every benchmark takes: --db, --duration, --warmup, --connections,
    --pg-url, --profile (of `profiled`) and --py-spy; and --dossiers, given its default."""

    def __init__(
        self,
        description: str,
        profiled: str,
        dossiers: int | None = None,
        dossiers_help: str = "dossiers bulk-loaded",
    ) -> None:
        super().__init__(description=description)
        self.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
        if dossiers is not None:
            self.add_argument("--dossiers", type=int, default=dossiers, help=dossiers_help)
        self.add_argument("--duration", type=float, default=8, help="seconds per measured run")
        self.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per scenario")
        self.add_argument("--connections", type=int, default=16, help="the high-concurrency run")
        self.add_argument(
            "--pg-url",
            default=PG_URL,
            help="PostgreSQL server (no database name); a throwaway database is created on it",
        )
        self.add_argument(
            "--profile",
            action="store_true",
            help=f"after measuring, record py-spy profiles of {profiled} in bench/out",
        )
        self.add_argument(
            "--py-spy",
            help=f"the py-spy binary (default: next to python, {PYSPY_SCRATCH}, or PATH)",
        )

    def checked(self, argv: list[str] | None) -> argparse.Namespace:
        args = self.parse_args(argv)
        if args.connections < 2:
            self.error("--connections must be at least 2 (1 connection is always measured)")
        return args


# ---------------------------------------------------------------------------------------------
# A run


@dataclass(frozen=True)
class Workspace:
    tmp: Path  # the temporary folder: wrk scripts, the server's files and log
    url: str  # the throwaway database
    wrk: Wrk


@dataclass
class Bench:
    """One run of a benchmark script: its options, its time stamp, wrk, and the report it
    builds (begun with the benchmark's name, the database, the commit and the start)."""

    args: argparse.Namespace
    stamp: str
    wrk_binary: str
    report: dict[str, Any]

    @classmethod
    def start(cls, name: str, args: argparse.Namespace) -> "Bench":
        # A SIGTERM (CI timeout, kill) must still stop the server and drop the database.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        wrk_binary = ensure_wrk()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        report = {"benchmark": name, "db": args.db, "commit": commit(), "started": moment()}
        return cls(args, stamp, wrk_binary, report)

    @contextmanager
    def workspace(self, prefix: str, suffix: str = "") -> Iterator[Workspace]:
        """A temporary folder and a throwaway database (`prefix` + the stamp's digits on
        PostgreSQL), both gone when the block ends, error or not."""
        with tempfile.TemporaryDirectory(prefix="dvc-bench-") as name:
            tmp = Path(name)
            a = self.args
            with throwaway_database(a.db, a.pg_url, tmp, self.stamp + suffix, prefix) as url:
                yield Workspace(tmp, url, Wrk(self.wrk_binary, write_lua(tmp)))

    @property
    def levels(self) -> list[tuple[int, int]]:
        """(connections, wrk threads): 1 (pure latency: nothing queues), then `high`."""
        return [(1, 1), self.high]

    @property
    def high(self) -> tuple[int, int]:
        """--connections on 2 wrk threads (throughput; latency then includes queueing)."""
        return (self.args.connections, min(2, self.args.connections))

    def measure(
        self,
        wrk: Wrk,
        base: str,
        scenarios: list[Scenario],
        levels: list[tuple[int, int]] | None = None,
    ) -> list[Run]:
        return run_scenarios(
            wrk, base, scenarios, levels or self.levels, self.args.warmup, self.args.duration
        )

    def profile(self, wrk: Wrk, base: str, pid: int, jobs: list[ProfileJob]) -> dict[str, Path]:
        """Each job's scenario once more at --connections, with py-spy sampling the server, in
        a run of its own: sampling stops the process many times a second, which would distort
        measured numbers. Returns the files written, by job name."""
        binary = py_spy_binary(self.args.py_spy)
        seconds, connections = self.args.duration, self.args.connections
        written: dict[str, Path] = {}
        for job in jobs:
            out = OUT / f"profile-{job.file}-{self.stamp}.txt"
            print(f"    profiling {job.name}", flush=True)
            run = with_script(wrk, job.scenario, 2).run
            load = partial(run, base + job.scenario.path, connections, 2, seconds)
            if py_spy(binary, pid, out, seconds, load, job.flags):
                written[job.name] = out
        return written

    def timing(self, **more: Any) -> dict[str, Any]:
        """The report's settings: the runs' durations, and `more`."""
        return {"duration_s": self.args.duration, "warmup_s": self.args.warmup, **more}

    def finish(self, runs: list[Run] | None, settings: dict[str, Any]) -> dict[str, Any]:
        """The report's end: when it finished, the machine, the settings, and the runs with
        the ceiling's drift."""
        self.report.update(finished=moment(), machine=machine(), settings=settings)
        if runs is not None:
            self.report["runs"] = [run.as_dict() for run in runs]
            self.report["ceiling_drift"] = ceiling_drift(runs)
        return self.report

    def print_summary(
        self, title: str, runs: list[Run], width: int = 30, lines: Iterable[str] = ()
    ) -> None:
        """The report's first lines (benchmark, database, start, commit; the machine and its
        load; then `lines`), then its table."""
        report, m = self.report, self.report["machine"]
        print(f"\n{title} — {report['db']}, {report['started']['at']}, {report['commit']}")
        load = " → ".join(f"{report[k]['load'][0]:.2f}" for k in ("started", "finished"))
        print(f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, load average {load}")
        for line in lines:
            print(line)
        if runs:
            print_table(runs, width)

    def write(self, name: str) -> Path:
        """The report to bench/out/NAME-STAMP.json; warns first if the ceiling drifted."""
        warn_drift(self.report.get("ceiling_drift", {}))
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{name}-{self.stamp}.json"
        text = json.dumps(self.report, ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        print(f"\nresults: {path.relative_to(ROOT)}")
        return path


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


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
    script = scenario.script
    if script is None:
        return wrk
    return replace(wrk, lua=script if isinstance(script, Path) else script(threads))


def py_spy_binary(explicit: str | None = None) -> str:
    """--py-spy, else the one installed next to this Python, else a scratch virtualenv's (see
    bench/README.md), else the one on PATH."""
    if explicit:
        return explicit
    for spy in (Path(sys.executable).parent / "py-spy", PYSPY_SCRATCH):
        if spy.exists():
            return str(spy)
    return shutil.which("py-spy") or "py-spy"


def py_spy(
    binary: str, pid: int, out: Path, seconds: float, load: Callable[[], Any], flags: Iterable[str]
) -> bool:
    """py-spy samples the server while `load` runs. Collapsed stacks (open them in speedscope
    or flamegraph.pl) go to `out`."""
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(out)]
    cmd += ["--duration", str(max(1, round(seconds))), "--nonblocking", *flags]
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
    ceilings = [r for r in runs if r.scenario.is_ceiling]
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

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


# ---------------------------------------------------------------------------------------------
# A shared machine


def wait_idle(threshold: float | None, limit_s: float = 900) -> float:
    """Seconds waited until the 1-minute load average is below `threshold` and no other
    benchmark or wrk runs (at most `limit_s`)."""
    if threshold is None:
        return 0.0
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if os.getloadavg()[0] < threshold and not others_measuring():
            break
        time.sleep(10)
    waited = round(time.monotonic() - started)
    if waited:
        print(f"    waited {waited} s for the load average ({os.getloadavg()[0]:.2f})", flush=True)
    return waited


MEASURING = Path(tempfile.gettempdir()) / "dvc-bench-measuring"


@contextmanager
def measuring(phase: str, threshold: float | None) -> Iterator[float]:
    """A phase whose timings need the machine to itself. While it lasts, the file `MEASURING`
    names it, so that whoever shares the machine (a developer's test suite, a helper session)
    can hold heavy work back: `while [ -e /tmp/dvc-bench-measuring ]; do sleep 15; done`.
    The phase starts once the load average has fallen below `threshold` (see `wait_idle`);
    yields the seconds waited. The file goes at the end, also on error."""
    MEASURING.write_text(f"{phase} (pid {os.getpid()}, since {datetime.now(UTC):%H:%M:%S} UTC)\n")
    try:
        yield wait_idle(threshold)
    finally:
        MEASURING.unlink(missing_ok=True)


def others_measuring() -> list[str]:
    """Other load generators and benchmarks running on the machine (not this one's, nor the
    shell that started it, whose command line names it)."""
    mine = {os.getpid(), *child_processes(), *ancestors()}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = " ".join(a.decode(errors="replace") for a in argv if a)
        if Path(argv[0].decode(errors="replace")).name == "wrk" or "bench/bench_" in line:
            found.append(line[:120])
    return found


def parent_pid(pid: int | str) -> int:
    """From /proc (the venv has no psutil): the field after the command's closing bracket."""
    stat = (Path("/proc") / str(pid) / "stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def ancestors() -> list[int]:
    """The chain of parent processes."""
    chain, pid = [], os.getppid()
    while pid > 1:
        chain.append(pid)
        try:
            pid = parent_pid(pid)
        except (OSError, ValueError, IndexError):
            break
    return chain


def child_processes() -> list[int]:
    """The pids of this process's children (wrk, the server)."""
    me, children = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent_pid(entry.name) == me:
                    children.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return children
