"""Officer workspace benchmark (issue 4): workflow actions and the queue, as ratios of a ceiling.

    .venv/bin/python bench/bench_officer.py [--db sqlite|postgres] [--dossiers N]
                                            [--duration S] [--profile] [--try-index]

Seeds the sample catalogue into a throwaway database, bulk-loads N dossiers (default 100,000)
of one agency (`synthetic_dossiers.py`, the OFFICER profile: a backlog of `new` dossiers,
accepted and processing ones with deadlines, some overdue), creates an admin and an officer of
that agency with `dvc-gateway create-officer`, serves the app as the Dockerfile does and drives
it with wrk, every scenario next to the ceiling (`GET /healthz`):

- actions: accept → start_processing → complete (with a public note) → return_result on `new`
  dossiers, each with the version it must have (see `actions_lua`);
- the queue: `GET /api/v1/officer/dossiers?page=1&page_size=20`, with `status=accepted`, with
  `overdue=true`, and as an officer (whose queue is restricted to the agency's subtree).

It also prints the query plans of the queue's SQL (captured from the app's own `list_queue`)
and its in-process time. See bench/README.md.
"""

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from app.db import make_engine
from app.models.dossier import DossierStatus
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.dossiers.queue import QueueFilter, list_queue

PROVINCE = "000.00.00.H20"
AGENCY = "000.06.00.H20"  # Sở Tài nguyên và Môi trường of the sample catalogue: 13 procedures
PASSWORD = "bench-password-1"
ADMIN, OFFICER = "bench", "bench-officer"
QUEUE = "/api/v1/officer/dossiers?page=1&page_size=20"
QUEUES = {
    "queue": ("", ADMIN),
    "queue status=accepted": ("&status=accepted", ADMIN),
    "queue overdue=true": ("&overdue=true", ADMIN),
    "queue as officer (subtree)": ("", OFFICER),
}
FILTERS = {
    "queue": QueueFilter(),
    "queue status=accepted": QueueFilter(status=DossierStatus.accepted),
    "queue overdue=true": QueueFilter(overdue=True),
    "queue as officer (subtree)": QueueFilter(),
}
STEPS = (
    ("accept", ""),
    ("start_processing", ""),
    ("complete", "Hồ sơ đã được giải quyết; mời ông/bà đến nhận kết quả."),
    ("return_result", ""),
)
# Requests between two moves of the same dossier, per wrk thread: far more than the
# connections in flight, so a move is answered before the next one of its dossier leaves.
WAVE = 128
# Candidate indexes for the queue, tried one at a time by --try-index on the throwaway
# database only. The first matches the queue's ORDER BY exactly (both databases index
# expressions), so the page can stop after 20 rows; the second is the (agency, due) pair; the
# third serves the status filter of an admin's queue, which has no agency condition.
CANDIDATE_INDEXES = [
    "CREATE INDEX bench_ix_dossier_queue_order "
    "ON dossier ((due_at IS NULL), due_at, submitted_at, id)",
    "CREATE INDEX bench_ix_dossier_agency_due ON dossier (agency_code, due_at)",
    "CREATE INDEX bench_ix_dossier_status ON dossier (status)",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Officer workspace benchmark (issue 4)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers bulk-loaded")
    parser.add_argument("--duration", type=float, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16, help="the high-concurrency run")
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL server (no database name)")
    parser.add_argument(
        "--profile", action="store_true", help="record py-spy profiles of actions and the queue"
    )
    parser.add_argument("--py-spy", help="the py-spy binary (default: next to python, or PATH)")
    parser.add_argument(
        "--try-index",
        action="store_true",
        help="then create candidate indexes on the throwaway database and measure the queue again",
    )
    args = parser.parse_args(argv)
    if args.connections < 2:
        parser.error("--connections must be at least 2 (1 connection is always measured)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk_binary = ensure_wrk()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = moment()
    report: dict[str, Any] = {"benchmark": "officer", "db": args.db, "commit": commit()}
    levels = [(1, 1), (args.connections, min(2, args.connections))]
    with (
        tempfile.TemporaryDirectory(prefix="dvc-bench-") as tmp_name,
        throwaway_database(args.db, args.pg_url, Path(tmp_name), stamp, "dvc_bench_off_") as url,
    ):
        tmp = Path(tmp_name)
        loaded = prepare(url, tmp, args.dossiers)
        report["dossiers"] = {
            k: v for k, v in vars(loaded).items() if k not in ("sample", "new_codes")
        }
        report["queue_sql"] = explain_queue(url)
        wrk = Wrk(wrk_binary, write_lua(tmp))
        with serve(url, tmp) as (base, pid):
            tokens = {user: token(base, user) for user in (ADMIN, OFFICER)}
            pool = check_actions(base, tokens[ADMIN], loaded.new_codes)
            report["totals"] = check_queues(base, tokens)
            scenarios = build_scenarios(tmp, tokens, CodePool(pool, tmp))
            runs = run_scenarios(wrk, base, scenarios, levels, args.warmup, args.duration)
            if args.profile:
                report["profiles"] = profile_runs(wrk, base, pid, scenarios, args, stamp)
            if args.try_index:
                report["with_indexes"] = try_indexes(wrk, url, base, scenarios, args)
        report["statuses_after"] = statuses(url)
    report.update(
        {
            "started": started,
            "finished": moment(),
            "machine": machine(),
            "settings": {"duration_s": args.duration, "warmup_s": args.warmup, "wave": WAVE},
            "runs": [run.as_dict() for run in runs],
            "ceiling_drift": ceiling_drift(runs),
        }
    )
    print_report(report, runs)
    write_report(report, "officer", stamp)
    return 0


# ---------------------------------------------------------------------------------------------
# Data


def prepare(url: str, tmp: Path, count: int) -> synthetic_dossiers.Loaded:
    print("==> migrating and seeding the sample catalogue, creating the officers", flush=True)
    dvc_gateway(url, tmp, "seed")
    for user, agency, role in ((ADMIN, PROVINCE, "admin"), (OFFICER, AGENCY, "officer")):
        dvc_gateway(
            url, tmp, "create-officer", "--username", user, "--password", PASSWORD,
            "--agency", agency, "--role", role,
        )  # fmt: skip
    print(f"==> bulk-loading {count:,} dossiers of {AGENCY}", flush=True)
    raw = resources.files("app.data").joinpath("sample_catalogue.json").read_text("utf-8")
    procedures = [
        synthetic_dossiers.ProcedureRef(p["code"], p["agency_code"], p["processing_days"])
        for p in json.loads(raw)["procedures"]
        if p["agency_code"] == AGENCY
    ]
    engine = make_engine(url)
    try:
        loaded = synthetic_dossiers.load(engine, count, procedures, synthetic_dossiers.OFFICER)
    finally:
        engine.dispose()
    print(
        f"    {loaded.dossiers:,} dossiers ({len(loaded.new_codes):,} new), "
        f"{loaded.events:,} events in {loaded.seconds} s",
        flush=True,
    )
    return loaded


def statuses(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT status, count(*) FROM dossier GROUP BY status"))
            return {status: int(n) for status, n in rows}
    finally:
        engine.dispose()


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and their parameters) the app sends inside the block."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def explain_queue(url: str) -> dict[str, Any]:
    """The queue's own SQL (captured from `list_queue`, so it is exactly the app's), its
    in-process time (no HTTP; the median of 5 calls), and the database's plan of each
    statement."""
    engine = make_engine(url)
    principals = {
        ADMIN: Principal(username=ADMIN, role=Role.admin, agency_code=PROVINCE, issuer="bench"),
        OFFICER: Principal(username=OFFICER, role=Role.officer, agency_code=AGENCY, issuer="bench"),
    }
    result: dict[str, Any] = {}
    try:
        for name, (_, user) in QUEUES.items():
            with Session(engine) as session:
                list_queue(session, principals[user], FILTERS[name], 1, 20, utcnow())  # warm
                with captured(engine) as statements:
                    list_queue(session, principals[user], FILTERS[name], 1, 20, utcnow())
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    list_queue(session, principals[user], FILTERS[name], 1, 20, utcnow())
                    times.append((time.perf_counter() - started) * 1000)
            ms = statistics.median(times)
            plans = [plan(engine, sql, params) for sql, params in statements]
            result[name] = {"in_process_ms": round(ms, 2), "statements": plans}
            print(f"    {name}: {ms:.1f} ms in process", flush=True)
            for item in plans:
                print("      " + item["sql"].replace("\n", " ")[:160])
                for line in item["plan"]:
                    print(f"        {line}")
    finally:
        engine.dispose()
    return result


def plan(engine: Engine, sql: str, params: Any) -> dict[str, Any]:
    if engine.dialect.name == "sqlite":
        prefix = "EXPLAIN QUERY PLAN "
    else:
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql, params).all()
    lines = [str(row[-1]) for row in rows]
    return {"sql": " ".join(sql.split()), "plan": lines}


# ---------------------------------------------------------------------------------------------
# HTTP scenarios


def token(base: str, username: str) -> str:
    answer = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    answer.raise_for_status()
    value: str = answer.json()["access_token"]
    return value


def check_actions(base: str, admin: str, new_codes: list[str]) -> list[str]:
    """The four moves on one dossier, through the API; returns the codes left to measure."""
    code, headers = new_codes[0], {"Authorization": f"Bearer {admin}"}
    for version, (action, note) in enumerate(STEPS, start=1):
        answer = httpx.post(
            f"{base}/api/v1/officer/dossiers/{code}/actions",
            json={"action": action, "version": version, "public_note": note},
            headers=headers,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"{action} on {code} answered {answer.status_code}: {answer.text}")
    view = answer.json()
    if (view["status"], view["version"]) != ("returned", 5):
        raise RuntimeError(f"{code} ended {view['status']} v{view['version']}")
    print(f"    actions on {code}: returned, version 5", flush=True)
    return new_codes[1:]


def check_queues(base: str, tokens: dict[str, str]) -> dict[str, int]:
    totals = {}
    for name, (query, user) in QUEUES.items():
        answer = httpx.get(
            f"{base}{QUEUE}{query}", headers={"Authorization": f"Bearer {tokens[user]}"}
        )
        answer.raise_for_status()
        page = answer.json()
        if not page["items"]:
            raise RuntimeError(f"{name} is empty")
        totals[name] = page["total"]
        print(f"    {name}: {page['total']:,} dossiers", flush=True)
    return totals


class CodePool:
    """Each wrk run of the actions (warm-up included) gets `new` dossiers no run used before:
    a move is only legal once."""

    def __init__(self, codes: list[str], tmp: Path) -> None:
        self.codes, self.tmp = codes, tmp
        # Warm-up, the runs at each concurrency, and a profile run.
        self.per_run = len(codes) // 4
        self.used = 0

    def take(self) -> Path:
        chunk = self.codes[self.used : self.used + self.per_run]
        self.used += self.per_run
        path = self.tmp / f"codes-{self.used}.txt"
        path.write_text("\n".join(chunk) + "\n", encoding="utf-8")
        return path


def build_scenarios(tmp: Path, tokens: dict[str, str], pool: CodePool) -> list[Scenario]:
    scripts = {
        name: write_script(tmp, f"queue-{i}", auth_lua(tokens[user]))
        for i, (name, (_, user)) in enumerate(QUEUES.items())
    }

    def actions(threads: int) -> Path:
        return write_script(tmp, "actions", actions_lua(pool.take(), tokens[ADMIN], threads))

    def static(path: Path) -> Callable[[int], Path]:
        return lambda _: path

    return [
        Scenario(CEILING, CEILING_PATH),
        Scenario("actions (4 moves per dossier)", "/api/v1/officer/dossiers/", actions),
        *(
            Scenario(name, QUEUE + query, static(scripts[name]))
            for name, (query, _) in QUEUES.items()
        ),
        Scenario(f"{CEILING}, again", CEILING_PATH),
    ]


def auth_lua(bearer: str) -> str:
    return f'wrk.headers["Authorization"] = {lua_string("Bearer " + bearer)}\n'


def actions_lua(codes: Path, bearer: str, threads: int) -> str:
    """Each wrk thread takes every T-th code and sends, wave by wave, the first move of WAVE
    dossiers, then their second move, and so on: the version of each move is known in advance
    (a `new` dossier is version 1 and every move adds one), and WAVE requests separate two
    moves of a dossier. No response needs parsing; a 409 would show as a non-2xx error. When
    the codes run out, requests go to an unknown path, so that shows as errors too."""
    steps = ", ".join(f"{{{lua_string(a)}, {lua_string(n)}}}" for a, n in STEPS)
    return f"""
local codes = {{}}
for line in io.lines({lua_string(str(codes))}) do
  if #line > 0 then codes[#codes + 1] = line end
end
local steps = {{{steps}}}
local wave = {WAVE}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local mine, pos = {{}}, 0
wrk.headers["Authorization"] = {lua_string("Bearer " + bearer)}
wrk.headers["Content-Type"] = "application/json"
function init(args)
  for i = (id or 0) + 1, #codes, {threads} do mine[#mine + 1] = codes[i] end
  -- wrk calls request() once on the first thread before sending anything, to check the
  -- request it builds: that call must not use up a move.
  if (id or 0) == 0 then pos = -1 end
end
function request()
  if pos < 0 then
    pos = 0
    return wrk.format("GET", "/healthz")
  end
  local per_wave = wave * #steps
  local w = math.floor(pos / per_wave)
  local r = pos % per_wave
  local step = math.floor(r / wave) + 1
  local code = mine[w * wave + (r % wave) + 1]
  pos = pos + 1
  if code == nil then
    return wrk.format("GET", "/api/v1/officer/codes-exhausted")
  end
  local body = '{{"action": "' .. steps[step][1] .. '", "version": ' .. step
    .. ', "public_note": "' .. steps[step][2] .. '"}}'
  return wrk.format("POST", "/api/v1/officer/dossiers/" .. code .. "/actions", nil, body)
end
"""


def profile_runs(
    wrk: Wrk, base: str, pid: int, scenarios: list[Scenario], args: argparse.Namespace, stamp: str
) -> dict[str, str]:
    binary = py_spy_binary(args.py_spy)
    written: dict[str, str] = {}
    for scenario in scenarios:
        if scenario.path == CEILING_PATH:
            continue
        slug = scenario.name.split(" (")[0].replace(" ", "-").replace("=", "-")
        out = OUT / f"profile-officer-{args.db}-{slug}-{stamp}.txt"
        print(f"    profiling {scenario.name}", flush=True)
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
        ):
            written[scenario.name] = out.name
    return written


def try_indexes(
    wrk: Wrk,
    url: str,
    base: str,
    scenarios: list[Scenario],
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    """Each candidate index alone (created, measured at high concurrency with its query plans,
    dropped), on the throwaway database only: a proposal to measure, not a migration."""
    queues = [s for s in scenarios if s.name.startswith("queue")]
    ceiling = [s for s in scenarios if s.path == CEILING_PATH][:1]
    levels = [(args.connections, min(2, args.connections))]
    engine = make_engine(url)
    results = []
    try:
        for ddl in CANDIDATE_INDEXES:
            name = ddl.split()[2]
            with engine.begin() as conn:
                conn.exec_driver_sql(ddl)
            analyze(engine)
            print(f"==> with {ddl}", flush=True)
            runs = run_scenarios(wrk, base, ceiling + queues, levels, args.warmup, args.duration)
            plans = explain_queue(url)
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP INDEX {name}")
            results.append(
                {"index": ddl, "runs": [run.as_dict() for run in runs], "queue_sql": plans}
            )
    finally:
        engine.dispose()
    return results


def analyze(engine: Engine) -> None:
    # PostgreSQL learns about a new expression index's statistics only from ANALYZE (autovacuum
    # would run it soon); SQLite is left as production leaves it, without ANALYZE.
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE dossier")


# ---------------------------------------------------------------------------------------------
# Report


def print_report(report: dict[str, Any], runs: list[Run]) -> None:
    m = report["machine"]
    print(f"\nOfficer benchmark — {report['db']}, {report['started']['at']}, {report['commit']}")
    load = " → ".join(f"{report[k]['load'][0]:.2f}" for k in ("started", "finished"))
    print(f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, load average {load}")
    d = report["dossiers"]
    print(f"{d['dossiers']:,} dossiers of {AGENCY}, {d['events']:,} events, ", end="")
    print(f"loaded in {d['seconds']} s")
    print_table(runs, width=32)
    print("\nin-process list_queue (no HTTP):")
    for name, item in report["queue_sql"].items():
        print(f"  {name}: {item['in_process_ms']} ms")
    actions = [r for r in runs if r.scenario.name.startswith("actions")]
    for run in actions:
        print(
            f"actions at {run.connections} connection(s): {run.result.rps} moves/s "
            f"= {run.result.rps / len(STEPS):.1f} dossiers/s, {run.result.errors} errors"
        )
    print(f"statuses after the run: {report['statuses_after']}")
    for tried in report.get("with_indexes", []):
        print(f"\nwith {tried['index']}:")
        for run in tried["runs"]:
            print(
                f"  {run['scenario']:<32} {run['connections']:>3} conns {run['rps']:>8.1f} req/s "
                f"p50 {run['p50_ms']:.1f} ms, {run['ratio_to_ceiling']} × ceiling"
            )
        for name, item in tried["queue_sql"].items():
            print(f"  in process, {name}: {item['in_process_ms']} ms")
    warn_drift(report["ceiling_drift"])


if __name__ == "__main__":
    sys.exit(main())
