"""wrk, the HTTP load generator: install it if missing, run it, read its result line.

wrk (C, epoll, one event loop per thread) costs far less CPU per request than the Python
server it drives, which matters on a 2-core machine where both share the cores.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULT_TAG = "WRK_RESULT "

# done() runs once, after every thread has finished; latencies are in microseconds.
LUA_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"p50_us": %.1f, "p95_us": %.1f, "p99_us": %.1f, "max_us": %.1f, '
    .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
    .. '"status_errors": %d, "timeouts": %d}\\n',
    "%TAG%", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ensure_wrk() -> str:
    """The path of wrk; installs Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        sys.exit(
            "error: wrk (the HTTP load generator) is not installed.\n"
            "  On Debian/Ubuntu: sudo apt-get install -y wrk\n"
            "then run this benchmark again."
        )
    print("==> installing wrk with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, env=env)
    subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, env=env)
    found = shutil.which("wrk")
    if found is None:
        sys.exit("error: apt-get install wrk finished but wrk is still not on PATH")
    return found


def write_lua(folder: Path) -> Path:
    script = folder / "report.lua"
    script.write_text(LUA_REPORT.replace("%TAG%", RESULT_TAG), encoding="utf-8")
    return script


def write_script(folder: Path, name: str, body: str) -> Path:
    """A wrk script of our own (requests with a method, body, headers, or one computed per
    request) followed by the done() that reports the result line `Wrk.run` reads."""
    script = folder / f"{name}.lua"
    script.write_text(body + LUA_REPORT.replace("%TAG%", RESULT_TAG), encoding="utf-8")
    return script


def lua_string(value: str) -> str:
    """A Lua string literal (long brackets cannot hold every value; escapes can)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    """A file of one value a line (codes, paths) for a wrk script to read with `lua_lines`."""
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def lua_lines(name: str, path: Path) -> str:
    """Lua that reads the non-empty lines of `path` into the table `name`."""
    return f"""
local {name} = {{}}
for line in io.lines({lua_string(str(path))}) do
  if #line > 0 then {name}[#{name} + 1] = line end
end
"""


# Each thread's number, 0 to threads - 1, as the global `id` of its own Lua state (setup()
# runs in the main state, once per thread, before the thread starts).
LUA_THREAD_IDS = """
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
"""


@dataclass(frozen=True)
class Wrk:
    binary: str
    lua: Path

    def run(self, url: str, connections: int, threads: int, seconds: float) -> LoadResult:
        """One closed-loop run: `connections` keep-alive connections, each sending its next
        request as soon as the previous answer arrives."""
        cmd = [
            self.binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            # Queueing at high concurrency can exceed wrk's 2 s default; a timeout would
            # drop the slowest samples and flatter the percentiles.
            "--timeout",
            "30s",
            "-s",
            str(self.lua),
            url,
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
        return parse(done.stdout)


def parse(output: str) -> LoadResult:
    line = next((x for x in output.splitlines() if x.startswith(RESULT_TAG)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result line:\n{output}")
    raw = json.loads(line.removeprefix(RESULT_TAG))
    seconds = raw["duration_us"] / 1e6
    errors = sum(
        raw[key]
        for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return LoadResult(
        requests=raw["requests"],
        seconds=round(seconds, 3),
        rps=round(raw["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(raw["p50_us"] / 1000, 3),
        p95_ms=round(raw["p95_us"] / 1000, 3),
        p99_ms=round(raw["p99_us"] / 1000, 3),
        max_ms=round(raw["max_us"] / 1000, 3),
        errors=errors,
    )
