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
  `overdue=true`, and as an officer (whose queue is restricted to the agency's subtree);
- the officers' queue page `GET /can-bo/ho-so` (issue 16), unfiltered and filtered, for the
  officer signed in once through the sign-in form: wrk sends the session's cookie. Target:
  p95 under 100 ms at 1 connection. One CSV download of the whole queue is timed too.

It also prints the query plans of the queue's SQL (captured from the app's own `list_queue`)
and its in-process time, and the page's own reads (`officer_queue.read_queue`) in process.
See bench/README.md.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import synthetic_dossiers
from common import (
    Bench,
    Options,
    ProfileJob,
    Run,
    Scenario,
    Workspace,
    measuring,
    verdict,
    with_ceiling,
)
from dbtools import analyze, engine_of, explain, sql_timer
from loadgen import LUA_THREAD_IDS, lua_lines, lua_string, write_lines, write_script
from server import dvc_gateway, serve
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.config import Settings
from app.models.dossier import DossierStatus
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.dossiers.queue import QueueFilter, list_queue
from app.web.officer_queue import read_form, read_queue

PROVINCE = "000.00.00.H60"
AGENCY = "000.00.05.H60"  # Sở Nông nghiệp và Môi trường of the sample catalogue: 6 procedures
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
# The officers' queue page (issue 16), as the officer of the agency, and the API's query of
# the same filter (its total must be the page's).
PAGE = "/can-bo/ho-so"
PAGES = {
    "page /can-bo/ho-so": "",
    "page ?status=accepted&channel=online": "?status=accepted&channel=online",
}
PAGE_TARGET_MS = 100.0  # p95 at 1 connection
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
    parser = Options("Officer workspace benchmark (issue 4)", "actions and the queue", 100_000)
    parser.add_argument(
        "--try-index",
        action="store_true",
        help="then create candidate indexes on the throwaway database and measure the queue again",
    )
    return parser.checked(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench.start("officer", args)
    with bench.workspace("dvc_bench_off_") as space:
        loaded = prepare(space, args.dossiers)
        bench.report["dossiers"] = loaded.summary()
        bench.report["queue_sql"] = explain_queue(space.url)
        bench.report["page_in_process_ms"] = time_page(space)
        with serve(space.url, space.tmp) as (base, pid):
            tokens = {user: token(base, user) for user in (ADMIN, OFFICER)}
            pool = check_actions(base, tokens[ADMIN], loaded.new_codes)
            bench.report["totals"] = check_queues(base, tokens)
            cookie = page_cookie(base, OFFICER)
            bench.report["page_totals"] = check_pages(base, cookie, tokens[OFFICER])
            bench.report["csv"] = time_csv(base, cookie)
            scenarios = build_scenarios(space.tmp, tokens, CodePool(pool, space.tmp), cookie)
            with measuring("officer: the measured runs", None):
                runs = bench.measure(space.wrk, base, scenarios)
            if args.profile:
                written = bench.profile(space.wrk, base, pid, profile_jobs(args.db, scenarios))
                bench.report["profiles"] = {name: out.name for name, out in written.items()}
            if args.try_index:
                bench.report["with_indexes"] = try_indexes(bench, space, base, scenarios)
        bench.report["statuses_after"] = statuses(space.url)
    bench.finish(runs, bench.timing(wave=WAVE))
    print_report(bench, runs)
    bench.write("officer")
    return 0


# ---------------------------------------------------------------------------------------------
# Data


def prepare(space: Workspace, count: int) -> synthetic_dossiers.Loaded:
    print("==> migrating and seeding the sample catalogue, creating the officers", flush=True)
    dvc_gateway(space.url, space.tmp, "seed")
    for user, agency, role in ((ADMIN, PROVINCE, "admin"), (OFFICER, AGENCY, "officer")):
        dvc_gateway(
            space.url, space.tmp, "create-officer", "--username", user, "--password-stdin",
            "--agency", agency, "--role", role, stdin=f"{PASSWORD}\n",
        )  # fmt: skip
    print(f"==> bulk-loading {count:,} dossiers of {AGENCY}", flush=True)
    loaded = synthetic_dossiers.load_sample(space.url, count, synthetic_dossiers.OFFICER, AGENCY)
    print(
        f"    {loaded.dossiers:,} dossiers ({len(loaded.new_codes):,} new), "
        f"{loaded.events:,} events in {loaded.seconds} s",
        flush=True,
    )
    return loaded


def statuses(url: str) -> dict[str, int]:
    with engine_of(url) as engine, engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM dossier GROUP BY status"))
        return {status: int(n) for status, n in rows}


def explain_queue(url: str) -> dict[str, Any]:
    """The queue's own SQL (captured from `list_queue`, so it is exactly the app's), its
    in-process time (no HTTP; the median of 5 calls), and the database's plan of each
    statement."""
    principals = {
        ADMIN: Principal(username=ADMIN, role=Role.admin, agency_code=PROVINCE, issuer="bench"),
        OFFICER: Principal(username=OFFICER, role=Role.officer, agency_code=AGENCY, issuer="bench"),
    }
    result: dict[str, Any] = {}
    with engine_of(url) as engine:
        for name, (_, user) in QUEUES.items():
            ms, statements = time_queue(engine, principals[user], FILTERS[name])
            plans: list[dict[str, Any]] = [
                {"sql": " ".join(sql.split()), "plan": explain(engine, sql, params)}
                for sql, params, _ in statements
            ]
            result[name] = {"in_process_ms": round(ms, 2), "statements": plans}
            print(f"    {name}: {ms:.1f} ms in process", flush=True)
            for item in plans:
                print("      " + item["sql"].replace("\n", " ")[:160])
                for line in item["plan"]:
                    print(f"        {line}")
    return result


def time_page(space: Workspace) -> float:
    """The page's own reads (the intake count and a page of the queue, `read_queue`) for the
    officer, in process: the median of 5 calls after one to warm up, in ms."""
    officer = Principal(username=OFFICER, role=Role.officer, agency_code=AGENCY, issuer="bench")
    settings = Settings(data_dir=space.tmp, database_url=space.url, _env_file=None)
    form = read_form({})
    with engine_of(space.url) as engine:
        read_queue(engine, settings, officer, form, utcnow())
        times = []
        for _ in range(5):
            started = time.perf_counter()
            read_queue(engine, settings, officer, form, utcnow())
            times.append((time.perf_counter() - started) * 1000)
    ms = round(statistics.median(times), 2)
    print(f"    the page's reads (intake count + a page of the queue): {ms} ms in process")
    return ms


def time_queue(
    engine: Engine, principal: Principal, queue: QueueFilter
) -> tuple[float, list[tuple[str, Any, float]]]:
    """The median of 5 calls of `list_queue` (after one to warm up), in ms, and the
    statements of one call."""
    with Session(engine) as session:
        list_queue(session, principal, queue, 1, 20, utcnow())  # warm
        with sql_timer(engine) as statements:
            list_queue(session, principal, queue, 1, 20, utcnow())
        times = []
        for _ in range(5):
            started = time.perf_counter()
            list_queue(session, principal, queue, 1, 20, utcnow())
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statements


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


def page_cookie(base: str, username: str) -> str:
    """The officer signs in through the page's form (its CSRF field and cookie first); the
    Cookie header of the session that wrk then sends."""
    with httpx.Client(base_url=base) as client:
        form = client.get("/can-bo/")
        found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', form.text)
        if form.status_code != 200 or found is None:
            raise RuntimeError(f"the sign-in form answered {form.status_code}")
        data = {"csrf_token": found.group(1), "username": username, "password": PASSWORD}
        answer = client.post("/can-bo/dang-nhap", data=data)
        if answer.status_code != 303 or "officer_session" not in client.cookies:
            raise RuntimeError(f"signing in answered {answer.status_code}: {answer.text[:200]}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def check_pages(base: str, cookie: str, bearer: str) -> dict[str, int]:
    """Each measured page answers 200 with the API's total for the same filter."""
    totals = {}
    for name, query in PAGES.items():
        answer = httpx.get(f"{base}{PAGE}{query}", headers={"Cookie": cookie})
        found = re.search(r'data-total="(\d+)"', answer.text)
        if answer.status_code != 200 or found is None:
            raise RuntimeError(f"{name} answered {answer.status_code}")
        api = httpx.get(
            f"{base}{QUEUE}{query.replace('?', '&')}",
            headers={"Authorization": f"Bearer {bearer}"},
        ).json()
        if int(found.group(1)) != api["total"]:
            raise RuntimeError(f"{name}: the page says {found.group(1)}, the API {api['total']}")
        totals[name] = api["total"]
        print(f"    {name}: {api['total']:,} dossiers, {len(answer.content):,} bytes", flush=True)
    return totals


def time_csv(base: str, cookie: str) -> dict[str, Any]:
    """One download of the whole queue's CSV (at most CSV_MAX_ROWS rows): seconds, rows, bytes."""
    started = time.perf_counter()
    size = rows = 0
    with httpx.stream(
        "GET", f"{base}{PAGE}.csv", headers={"Cookie": cookie}, timeout=300
    ) as answer:
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            size += len(chunk)
            rows += chunk.count(b"\n")
    seconds = round(time.perf_counter() - started, 2)
    print(f"    CSV: {rows - 1:,} rows, {size / 1e6:.1f} MB in {seconds} s", flush=True)
    return {"seconds": seconds, "rows": rows - 1, "bytes": size}


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
        return write_lines(self.tmp / f"codes-{self.used}.txt", chunk)


def build_scenarios(
    tmp: Path, tokens: dict[str, str], pool: CodePool, cookie: str
) -> list[Scenario]:
    def actions(threads: int) -> Path:
        return write_script(tmp, "actions", actions_lua(pool.take(), tokens[ADMIN], threads))

    queues = [
        Scenario(name, QUEUE + query, write_script(tmp, f"queue-{i}", auth_lua(tokens[user])))
        for i, (name, (query, user)) in enumerate(QUEUES.items())
    ]
    actions_scenario = Scenario(
        "actions (4 moves per dossier)", "/api/v1/officer/dossiers/", actions
    )
    cookie_lua = f'wrk.headers["Cookie"] = {lua_string(cookie)}\n'
    pages = [
        Scenario(name, PAGE + query, write_script(tmp, f"page-{i}", cookie_lua))
        for i, (name, query) in enumerate(PAGES.items())
    ]
    return with_ceiling([actions_scenario, *queues, *pages])


def auth_lua(bearer: str) -> str:
    return f'wrk.headers["Authorization"] = {lua_string("Bearer " + bearer)}\n'


def actions_lua(codes: Path, bearer: str, threads: int) -> str:
    """Each wrk thread takes every T-th code and sends, wave by wave, the first move of WAVE
    dossiers, then their second move, and so on: the version of each move is known in advance
    (a `new` dossier is version 1 and every move adds one), and WAVE requests separate two
    moves of a dossier. No response needs parsing; a 409 would show as a non-2xx error. When
    the codes run out, requests go to an unknown path, so that shows as errors too."""
    steps = ", ".join(f"{{{lua_string(a)}, {lua_string(n)}}}" for a, n in STEPS)
    return (
        lua_lines("codes", codes)
        + LUA_THREAD_IDS
        + f"""
local steps = {{{steps}}}
local wave = {WAVE}
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
    )


def profile_jobs(db: str, scenarios: list[Scenario]) -> list[ProfileJob]:
    jobs = []
    for scenario in scenarios:
        if not scenario.is_ceiling:
            slug = re.sub(r"[^a-z0-9]+", "-", scenario.name.split(" (")[0]).strip("-")
            jobs.append(ProfileJob(scenario.name, scenario, f"officer-{db}-{slug}"))
    return jobs


def try_indexes(
    bench: Bench, space: Workspace, base: str, scenarios: list[Scenario]
) -> list[dict[str, Any]]:
    """Each candidate index alone (created, measured at high concurrency with its query plans,
    dropped), on the throwaway database only: a proposal to measure, not a migration."""
    queues = [s for s in scenarios if s.name.startswith("queue")]
    ceiling = [s for s in scenarios if s.is_ceiling][:1]
    results = []
    with engine_of(space.url) as engine:
        for ddl in CANDIDATE_INDEXES:
            name = ddl.split()[2]
            with engine.begin() as conn:
                conn.exec_driver_sql(ddl)
            # PostgreSQL learns about a new expression index's statistics only from ANALYZE
            # (autovacuum would run it soon).
            analyze(engine, "dossier")
            print(f"==> with {ddl}", flush=True)
            runs = bench.measure(space.wrk, base, ceiling + queues, [bench.high])
            plans = explain_queue(space.url)
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP INDEX {name}")
            results.append(
                {"index": ddl, "runs": [run.as_dict() for run in runs], "queue_sql": plans}
            )
    return results


# ---------------------------------------------------------------------------------------------
# Report


def print_report(bench: Bench, runs: list[Run]) -> None:
    report, d = bench.report, bench.report["dossiers"]
    loaded = f"{d['dossiers']:,} dossiers of {AGENCY}, {d['events']:,} events, "
    bench.print_summary("Officer benchmark", runs, 32, [loaded + f"loaded in {d['seconds']} s"])
    print("\nin-process list_queue (no HTTP):")
    for name, item in report["queue_sql"].items():
        print(f"  {name}: {item['in_process_ms']} ms")
    print(f"  the page's reads: {report['page_in_process_ms']} ms")
    page = next(r for r in runs if r.scenario.name == next(iter(PAGES)) and r.connections == 1)
    met = page.result.p95_ms < PAGE_TARGET_MS
    print(
        f"the queue page p95 at 1 connection: {page.result.p95_ms:.1f} ms "
        f"(target < {PAGE_TARGET_MS:.0f} ms: {verdict(met)}), {page.ratio} × the ceiling"
    )
    csv_run = report["csv"]
    print(f"the CSV: {csv_run['rows']:,} rows in {csv_run['seconds']} s")
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


if __name__ == "__main__":
    sys.exit(main())
