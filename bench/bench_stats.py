"""Statistics benchmark (issue 5): dashboard queries over millions of dossiers, as ratios of a
ceiling.

    .venv/bin/python bench/bench_stats.py [--db sqlite|postgres] [--dossiers N]
                                          [--rebuild none|dry|full] [--profile]
    .venv/bin/python bench/bench_stats.py --growth SMALL.json LARGE.json

Seeds the sample catalogue into a throwaway database, generates N dossiers over three years
with their statistics counters (`synthetic_stats.py`), times the app's own
`dvc-gateway stats rebuild`, times the three queries in process (`services.stats.compute`,
with the SQL's share and its plans), then serves the app as the Dockerfile does and drives it
with wrk, every scenario next to the ceiling (`GET /healthz`) measured by the same server in
the same run:

- uncached: (a) online ratio for a year by month, (b) on time by agency for a year, (c) status
  counts for the province over three years. Every request is distinct: `from` and `to` vary
  over ±60 days around the issue's dates, each wrk run gets 1,536 pairs no earlier run used,
  so the per-worker answer cache (1,024 entries, least recently used) never answers;
- cached: the issue's exact URL again and again (answered from the per-worker cache, 200);
- ETag: the same URL with `If-None-Match` (304).

`--growth` prints the ratio of the p95 latencies of two reports (10M ÷ 1M). See
bench/README.md.
"""

import argparse
import json
import random
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import synthetic_stats
from bulk import sample_procedures
from common import (
    Bench,
    Options,
    ProfileJob,
    Run,
    Scenario,
    measuring,
    verdict,
    with_ceiling,
)
from dbtools import engine_of, explain, sql_timer, vacuum_analyze
from loadgen import LUA_THREAD_IDS, Wrk, lua_lines, lua_string, write_lines, write_script
from server import dvc_gateway, get_json, serve
from sqlalchemy import Engine, bindparam, select, text, update
from sqlmodel import Session

from app.models.stats import COUNTER_COLUMNS, stat_daily
from app.models.types import VN_TZ, utcnow
from app.routers.stats import Params
from app.services.stats import reports
from app.services.stats.cache import StatsCache
from app.services.stats.queries import GroupBy, Measures, compute
from app.services.stats.reports import ROW_BUILDERS

PROVINCE = "000.00.00.H60"
P95_TARGET_MS = 30.0
GROWTH_TARGET = 1.5
ETAG_TARGET = 0.70
SLICE = 1536  # distinct URLs per wrk run: more than the cache's 1,024 entries
SPREAD = 60  # days either side of the issue's `from` and `to`
IN_PROCESS_RUNS = 40


class Query:
    """One of the issue's three dashboard queries, and its distinct variants."""

    def __init__(
        self,
        name: str,
        kind: str,
        span: str,  # the issue's dates, FROM/TO
        group_by: GroupBy,
        agency: str | None = None,
        to_after: int = SPREAD,  # how far `to` may go past the issue's
    ) -> None:
        self.name, self.kind, self.group_by, self.agency = name, kind, group_by, agency
        date_from, date_to = (date.fromisoformat(d) for d in span.split("/"))
        self.date_from, self.date_to = date_from, date_to
        froms = [date_from + timedelta(days=d) for d in range(-SPREAD, SPREAD + 1)]
        tos = [date_to + timedelta(days=d) for d in range(-2 * SPREAD + to_after, to_after + 1)]
        pairs = [(f, t) for f in froms for t in tos]
        random.Random(f"{name}-{len(pairs)}").shuffle(pairs)
        self.pool = pairs
        self.used = 0

    def path(self, date_from: date, date_to: date) -> str:
        query = f"from={date_from}&to={date_to}"
        if self.group_by != GroupBy.none:
            query += f"&group_by={self.group_by.value}"
        if self.agency:
            query = f"agency={self.agency}&{query}"
        return f"/api/v1/stats/{self.kind}?{query}"

    @property
    def exact(self) -> str:
        return self.path(self.date_from, self.date_to)

    def params(self, date_from: date, date_to: date) -> Params:
        return Params(
            date_from=date_from, date_to=date_to, agency=self.agency, group_by=self.group_by
        )

    def take(self, n: int) -> list[tuple[date, date]]:
        """Pairs no earlier run used."""
        if self.used + n > len(self.pool):
            raise RuntimeError(f"{self.name}: out of distinct URLs")
        chunk = self.pool[self.used : self.used + n]
        self.used += n
        return chunk


QUERIES = [
    Query("online-ratio 2025 by month", "online-ratio", "2025-01-01/2025-12-31", GroupBy.month),
    Query("on-time 2025 by agency", "on-time", "2025-01-01/2025-12-31", GroupBy.agency),
    # `to` is at most today: the last receipt date with data.
    Query(
        "status province 2024–2026", "status", "2024-01-01/2026-11-26", GroupBy.none, PROVINCE, 0
    ),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = Options(
        "Statistics benchmark (issue 5)",
        "each statistics scenario",
        1_000_000,
        "dossiers generated",
    )
    parser.add_argument(
        "--last-day",
        type=date.fromisoformat,
        help="Vietnam date of the last dossiers (default: yesterday)",
    )
    parser.add_argument("--days", type=int, default=1096, help="days of history (default 3 y)")
    parser.add_argument(
        "--rebuild",
        choices=["none", "dry", "full", "migration"],
        default="full",
        help="time `dvc-gateway stats rebuild` (full: repairs injected drift, see --drift, then "
        "serves the repaired counters; migration: what `dvc-gateway migrate` does after "
        "revision 4a307082c97f, measuring every finished dossier again and rebuilding)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        metavar="LOAD",
        help="before each measurement, wait (at most 15 minutes) until the 1-minute load "
        "average is below LOAD: on a shared machine, for numbers another benchmark did not share",
    )
    parser.add_argument(
        "--drift",
        type=int,
        default=1000,
        metavar="ROWS",
        help="with --rebuild full: first add 1 to `received` in ROWS random daily counter rows, "
        "so the rebuild has drift to find and repair (default 1000)",
    )
    parser.add_argument(
        "--growth",
        nargs=2,
        metavar=("SMALL", "LARGE"),
        help="only compare two reports: p95 of LARGE ÷ p95 of SMALL per scenario",
    )
    parser.add_argument(
        "--paired",
        nargs=2,
        type=int,
        metavar=("SMALL", "LARGE"),
        help="the growth ratio measured in one run: SMALL and LARGE dossiers in two databases, "
        "both served, each uncached query timed on both in alternating rounds (see --rounds); "
        "on a machine whose speed drifts, two separate runs are not comparable",
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --paired (default 5)")
    args = parser.checked(argv)
    if args.paired and not 0 < args.paired[0] < args.paired[1]:
        parser.error("--paired SMALL LARGE needs 0 < SMALL < LARGE")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.growth:
        print_growth(growth(Path(args.growth[0]), Path(args.growth[1])))
        return 0
    bench = Bench.start("stats-paired" if args.paired else "stats", args)
    if args.paired:
        return paired(bench)
    with bench.workspace("dvc_bench_st_") as space:
        print("==> migrating and seeding the sample catalogue", flush=True)
        dvc_gateway(space.url, space.tmp, "seed")
        bench.report["dossiers"] = generate(space.url, args.dossiers, history(args))
        bench.report["database"] = sizes(space.url)
        waits = bench.report["waited_for_idle_s"] = []
        if args.rebuild == "migration":
            bench.report["migration"] = time_migration(space.url, space.tmp, args.wait_idle)
            bench.report["database_after_rebuild"] = sizes(space.url)
        elif args.rebuild != "none":
            drift = 0 if args.rebuild == "dry" else args.drift
            dry = args.rebuild == "dry"
            with measuring("stats rebuild", args.wait_idle) as waited:
                waits.append(waited)
                bench.report["rebuild"] = time_rebuild(space.url, space.tmp, dry, drift)
            bench.report["database_after_rebuild"] = sizes(space.url)
        with measuring("in process", args.wait_idle) as waited:
            waits.append(waited)
            bench.report["in_process"] = in_process(space.url)
        with (
            measuring("served", args.wait_idle) as waited,
            serve(space.url, space.tmp) as (base, pid),
        ):
            waits.append(waited)
            bench.report["answers"] = check_answers(base)
            scenarios = build_scenarios(space.tmp, base)
            print(f"==> measuring ({args.duration:g} s per run, after {args.warmup:g} s warm-up)")
            runs = bench.measure(space.wrk, base, scenarios)
            bench.report["etag_still_valid"] = etags_still_valid(base)
            if args.profile:
                written = bench.profile(space.wrk, base, pid, profile_jobs(args, scenarios))
                bench.report["profiles"] = {name: out.name for name, out in written.items()}
    settings = bench.timing(connections=args.connections, distinct_urls_per_run=SLICE)
    bench.finish(runs, settings)["targets"] = targets(runs, args.connections)
    print_report(bench, runs)
    bench.write(f"stats-{args.db}-{args.dossiers}")
    return 0


# ---------------------------------------------------------------------------------------------
# Data


def history(args: argparse.Namespace) -> synthetic_stats.History:
    last_day = args.last_day or datetime.now(VN_TZ).date() - timedelta(days=1)
    return synthetic_stats.History(last_day=last_day, days=args.days)


def generate(url: str, count: int, history: synthetic_stats.History) -> dict[str, Any]:
    print(
        f"==> generating {count:,} dossiers, {history.first_day} .. {history.last_day}",
        flush=True,
    )
    with engine_of(url) as engine:
        loaded = synthetic_stats.load(engine, count, sample_procedures(), history)
    print(f"    {loaded.dossiers:,} dossiers; seconds: {loaded.seconds}", flush=True)
    print(f"    statuses: {loaded.statuses}", flush=True)
    print(f"    channels: {loaded.channels}; counter rows: {loaded.counter_rows}", flush=True)
    return vars(loaded)


def sizes(url: str) -> dict[str, Any]:
    with engine_of(url) as engine, engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT relname, pg_total_relation_size(oid), relpages, reltuples "
                    "FROM pg_class WHERE relname IN "
                    "('dossier', 'stat_daily', 'stat_monthly', 'stat_due')"
                )
            )
            return {
                name: f"{size / 2**20:.1f} MiB, {pages:,} heap pages, {int(rows):,} rows"
                for name, size, pages, rows in rows
            }
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        size = conn.execute(text("PRAGMA page_size")).scalar_one()
        return {"file": f"{pages * size / 2**20:.0f} MiB"}


def time_rebuild(url: str, tmp: Path, dry_run: bool, drift: int) -> dict[str, Any]:
    """`dvc-gateway stats rebuild`, the app's own recomputation, timed. Without injected drift
    it must find none: the generated counters are the app's. With `drift` rows corrupted, it
    must report them, and repair them so the counter tables' checksums are the generated
    ones again."""
    before = checksums(url)
    if drift:
        inject_drift(url, drift)
    print(f"==> dvc-gateway stats rebuild{' --dry-run' * dry_run}", flush=True)
    started = time.perf_counter()
    output = dvc_gateway(url, tmp, "stats", "rebuild", *(["--dry-run"] * dry_run))
    seconds = round(time.perf_counter() - started, 1)
    print(f"    {seconds} s: {' / '.join(output.strip().splitlines()[:3])}", flush=True)
    wanted = f"drift found in {drift} counter row(s)" if drift else "no drift"
    if wanted not in output:
        raise RuntimeError(f"expected {wanted!r} from the rebuild:\n{output[:3000]}")
    repaired = checksums(url) == before
    if not repaired:
        raise RuntimeError("the rebuild did not restore the generated counters")
    vacuum(url)
    return {
        "dry_run": dry_run,
        "seconds": seconds,
        "drifted_rows": drift,
        "repaired": repaired,
        "output": output.strip().splitlines()[:3],
    }


def time_migration(url: str, tmp: Path, idle: float | None) -> dict[str, Any]:
    """The data step of revision 4a307082c97f, timed: every received dossier's measures as
    the migration leaves them (no `time_used`, no `paused_seconds`) and `rebuild_needed` set;
    then `dvc-gateway migrate`, which measures the finished dossiers (`stats.backfill`) and
    recomputes the counters. The counters come back as generated except where the migration's
    estimate of a pause (the working time it moved the due moment) misses a pause that began
    after the due moment: those rows are counted, not failed."""
    before = checksums(url)
    print("==> resetting the dossiers' measures as revision 4a307082c97f leaves them", flush=True)
    with engine_of(url) as engine:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE dossier SET time_used = NULL, paused_seconds = 0 "
                    "WHERE received_at IS NOT NULL"
                )
            )
            conn.execute(
                text("UPDATE stat_revision SET rebuild_needed = :t WHERE id = 1"), {"t": True}
            )
            conn.execute(
                text(
                    "INSERT INTO stat_revision (id, revision, rebuild_needed) SELECT 1, 0, :t "
                    "WHERE NOT EXISTS (SELECT 1 FROM stat_revision WHERE id = 1)"
                ),
                {"t": True},
            )
        vacuum_analyze(engine, "dossier")
    with measuring("migration", idle) as waited:
        print("==> dvc-gateway migrate", flush=True)
        started = time.perf_counter()
        output = dvc_gateway(url, tmp, "migrate")
        seconds = round(time.perf_counter() - started, 1)
    lines = [line for line in output.splitlines() if line.startswith("thống kê:")]
    print(f"    {seconds} s: {' / '.join(lines)}", flush=True)
    if len(lines) != 2:
        raise RuntimeError(f"expected the two statistics lines from migrate:\n{output[:3000]}")
    after = checksums(url)
    vacuum(url)
    return {
        "seconds": seconds,
        "waited_for_idle_s": waited,
        "output": lines,
        "counters_as_generated": after == before,
        "time_sums_generated_vs_migrated": {
            table: [before[table][i + 1] for i in TIME_INDEXES]
            + [after[table][i + 1] for i in TIME_INDEXES]
            for table in ("stat_daily",)
        },
    }


TIME_INDEXES = [i for i, name in enumerate(COUNTER_COLUMNS) if name.startswith("time_")]


def checksums(url: str) -> dict[str, list[int]]:
    """Row count and the sum of every column of each counter table."""
    sums = ", ".join(f"sum({name})" for name in COUNTER_COLUMNS)
    with engine_of(url) as engine, engine.connect() as conn:
        return {
            table: [int(v or 0) for v in conn.execute(text(sql)).one()]
            for table, sql in (
                ("stat_daily", f"SELECT count(*), {sums} FROM stat_daily"),
                ("stat_monthly", f"SELECT count(*), {sums} FROM stat_monthly"),
                ("stat_due", "SELECT count(*), sum(n) FROM stat_due"),
            )
        }


def inject_drift(url: str, rows: int) -> None:
    """Add 1 to `received` in `rows` random daily counter rows (their months stay right)."""
    key = [stat_daily.c.day, stat_daily.c.agency_code, stat_daily.c.procedure_code]
    key.append(stat_daily.c.channel)
    with engine_of(url) as engine, Session(engine) as session:
        keys = [tuple(row) for row in session.execute(select(*key))]
        chosen = random.Random(5).sample(keys, min(rows, len(keys)))
        names = ["k_day", "k_agency", "k_procedure", "k_channel"]
        where = [column == bindparam(name) for column, name in zip(key, names, strict=True)]
        statement = update(stat_daily).where(*where).values(received=stat_daily.c.received + 1)
        session.execute(statement, [dict(zip(names, k, strict=True)) for k in chosen])
        session.commit()
    print(f"==> drift injected into {len(chosen):,} daily counter rows", flush=True)


def vacuum(url: str) -> None:
    """After `rebuild` replaced every counter row: what autovacuum would soon do."""
    with engine_of(url) as engine:
        vacuum_analyze(engine, "stat_daily, stat_monthly, stat_due")


# ---------------------------------------------------------------------------------------------
# In process: the query without HTTP, and its SQL


def in_process(url: str, plans_too: bool = True) -> dict[str, Any]:
    """`compute` (the SQL and the Python around it) and `reports.build_answer` (compute, the
    rows and the JSON body: what a cache miss runs in the thread pool), for the issue's exact
    queries and for distinct variants; and the plan of each statement."""
    print("==> in process (services.stats.compute, no HTTP)", flush=True)
    result: dict[str, Any] = {}
    with engine_of(url) as engine:
        # As the server runs them: the catalogue's names kept by the cache.
        cache = StatsCache(engine, check_s=3600)
        cache.refresh(utcnow())
        for q in QUERIES:
            exact = q.params(q.date_from, q.date_to)
            variants = [q.params(f, t) for f, t in q.take(IN_PROCESS_RUNS)]
            entry: dict[str, Any] = {}
            for label, params_list in (("exact", [exact] * IN_PROCESS_RUNS), ("varied", variants)):
                e = entry[label] = time_calls(engine, cache, q, params_list)
                print(
                    f"    {q.name} ({label}): compute p50 {e['compute_ms']['p50']} ms "
                    f"(SQL {e['sql_ms']['p50']} ms, {e['statements']} statements), "
                    f"build p50 {e['build_ms']['p50']} ms, p95 {e['build_ms']['p95']} ms",
                    flush=True,
                )
            if plans_too:
                measures = ROW_BUILDERS[q.kind][1]
                entry["plans"] = {
                    label: plans(engine, params, measures)
                    for label, params in (("exact", exact), ("varied", variants[0]))
                }
            result[q.name] = entry
    return result


def time_calls(
    engine: Engine, cache: StatsCache, q: Query, params_list: list[Params]
) -> dict[str, Any]:
    """Each call's `compute` (and its SQL's share) and `reports.build_answer`, after one
    `compute` to warm up; with the endpoint's own `Measures`, what each kind sums."""
    measures = ROW_BUILDERS[q.kind][1]
    with Session(engine) as session:
        names = cache.names(session)
        compute(session, params_list[0].query(), utcnow(), measures, names=names)
    computes, builds, sql = [], [], []
    for params in params_list:
        query = params.query()
        with Session(engine) as session, sql_timer(engine) as statements:
            t0 = time.perf_counter()
            compute(session, query, utcnow(), measures, names=names)
            computes.append(time.perf_counter() - t0)
        sql.append(sum(s[2] for s in statements))
        t0 = time.perf_counter()
        report = reports.grouped_report(q.kind, params.query())
        reports.build_answer(engine, cache, report, params.format)
        builds.append(time.perf_counter() - t0)
    return {
        "compute_ms": summary(computes),
        "sql_ms": summary(sql),
        "build_ms": summary(builds),
        "statements": len(statements),
    }


def summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 2),
        "max": round(ms[-1], 2),
    }


def plans(engine: Engine, params: Params, measures: Measures) -> list[dict[str, Any]]:
    """The plan of every counter-table statement `compute` sends (captured, so it is exactly
    the app's SQL), with parallel workers off on PostgreSQL, as `compute` sets them."""
    with Session(engine) as session, sql_timer(engine) as statements:
        compute(session, params.query(), utcnow(), measures)
    setup = "SET max_parallel_workers_per_gather = 0"
    return [
        {
            "sql": " ".join(sql.split()),
            "params": {k: str(v) for k, v in bound.items()}
            if isinstance(bound, dict)
            else [str(v) for v in bound],
            "ms": round(seconds * 1000, 2),
            "plan": explain(engine, sql, bound, setup),
        }
        for sql, bound, seconds in statements
        if "stat_" in sql
    ]


# ---------------------------------------------------------------------------------------------
# HTTP


def check_answers(base: str) -> dict[str, Any]:
    """Every exact URL answers with data; a few numbers to show the history is realistic."""
    online = get_json(base + QUERIES[0].exact)
    on_time = get_json(base + QUERIES[1].exact)
    status = get_json(base + QUERIES[2].exact)
    if len(online["rows"]) != 12 or not online["total"]["total"]:
        raise RuntimeError(f"online ratio 2025 looks wrong: {online['total']}")
    if not on_time["total"]["received"] or len(on_time["rows"]) < 20:
        raise RuntimeError(f"on-time 2025 looks wrong: {on_time['total']}")
    if not status["total"]["total"]:
        raise RuntimeError(f"status looks wrong: {status['total']}")
    answers = {
        "online_ratio_2025_by_month": {r["key"]: r["online_ratio"] for r in online["rows"]},
        "online_2025": online["total"],
        "on_time_2025": on_time["total"],
        "status_province": status["total"],
    }
    for name, value in answers.items():
        print(f"    {name}: {value}", flush=True)
    return answers


def varied_lua(paths: Path, threads: int) -> str:
    """Each wrk thread takes every T-th path of this run's slice, in order, round and round:
    between two requests for one URL the server sees every other URL of the slice, more than
    its cache holds, so none is answered from the cache."""
    return (
        lua_lines("paths", paths)
        + LUA_THREAD_IDS
        + f"""
local pos = nil
function request()
  if pos == nil then pos = id or 0 end
  local path = paths[(pos % #paths) + 1]
  pos = pos + {threads}
  return wrk.format("GET", path)
end
"""
    )


def varied_script(tmp: Path, q: Query, count: int, threads: int) -> Path:
    """A wrk script going round `count` URLs of `q` that no earlier run used."""
    name = f"{q.kind}-{q.used}-{count}"
    paths = write_lines(tmp / f"paths-{name}.txt", (q.path(f, t) for f, t in q.take(count)))
    return write_script(tmp, f"varied-{name}", varied_lua(paths, threads))


def etag_of(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=60) as answer:
        etag = answer.headers["ETag"]
    request = urllib.request.Request(base + path, headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return str(etag)
        raise
    raise RuntimeError(f"{path} with If-None-Match {etag} did not answer 304")


ETAGS: dict[str, str] = {}


def etags_still_valid(base: str) -> bool:
    """The data revision (and with it the ETag) changes when a due moment passes (17:00 Vietnam
    time): a change during the run would turn 304s into 200s that wrk counts as success."""
    try:
        return all(etag_of(base, path) == etag for path, etag in ETAGS.items())
    except RuntimeError:
        return False


def build_scenarios(tmp: Path, base: str) -> list[Scenario]:
    def varied(q: Query) -> Callable[[int], Path]:
        return lambda threads: varied_script(tmp, q, SLICE, threads)

    def conditional(q: Query) -> Path:
        ETAGS[q.exact] = etag = etag_of(base, q.exact)
        header = f'wrk.headers["If-None-Match"] = {lua_string(etag)}\n'
        return write_script(tmp, f"etag-{q.kind}", header)

    return with_ceiling(
        [
            *(Scenario(f"{q.name} uncached", q.exact, varied(q)) for q in QUERIES),
            *(Scenario(f"{q.kind} cached (200)", q.exact) for q in QUERIES),
            *(Scenario(f"{q.kind} ETag (304)", q.exact, conditional(q)) for q in QUERIES),
        ]
    )


def profile_jobs(args: argparse.Namespace, scenarios: list[Scenario]) -> list[ProfileJob]:
    """Every statistics scenario but the cached ones, with idle threads (waits on the
    database show only there)."""
    jobs = []
    for scenario in scenarios:
        if not scenario.is_ceiling and "cached (200)" not in scenario.name:
            slug = scenario.name.split(" 20")[0].split(" (")[0].replace(" ", "-")
            file = f"stats-{args.db}-{args.dossiers}-{slug}"
            jobs.append(ProfileJob(scenario.name, scenario, file, ("--idle",)))
    return jobs


# ---------------------------------------------------------------------------------------------
# Report


def targets(runs: list[Run], connections: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    ceiling = next(r for r in runs if r.scenario.is_ceiling and r.connections > 1)
    for run in runs:
        name = run.scenario.name
        if name.endswith("uncached") and run.connections == 1:
            out[f"{name}: p95 ms (1 connection) < {P95_TARGET_MS:g}"] = {
                "value": run.result.p95_ms,
                "met": run.result.p95_ms < P95_TARGET_MS,
            }
        if name.endswith("ETag (304)") and run.connections == connections:
            out[f"{name}: × ceiling ({connections} connections) ≥ {ETAG_TARGET:g}"] = {
                "value": run.ratio,
                "ceiling_rps": ceiling.result.rps,
                "met": run.ratio >= ETAG_TARGET,
            }
    return out


# ---------------------------------------------------------------------------------------------
# Growth in one run


PAIRED_WARMUP_URLS = 512  # distinct URLs of each warm-up (1 s: fewer requests than that)


def paired(bench: Bench) -> int:
    """The growth ratio from one run: both sizes generated, both served at once (one idle
    while the other is measured), and each uncached query timed at 1 connection on the small
    then the large database, or the other way round, in alternating rounds. The same distinct
    URLs go to both servers in a round (each has its own answer cache). The ratio of each
    round's p95s is taken; the median over the rounds is the result. Two separate runs, an
    hour apart on a machine whose speed drifts by a fifth, gave ratios that moved by 0.35."""
    args = bench.args
    small_n, large_n = args.paired
    both = history(args)  # one history for both sizes
    with (
        bench.workspace("dvc_bench_st_", "1") as small,
        bench.workspace("dvc_bench_st_", "2") as large,
    ):
        for count, space in ((small_n, small), (large_n, large)):
            print(f"==> {count:,} dossiers: migrating and seeding the sample catalogue", flush=True)
            dvc_gateway(space.url, space.tmp, "seed")
            bench.report[f"dossiers_{count}"] = generate(space.url, count, both)
            vacuum(space.url)
        with (
            measuring("paired rounds", args.wait_idle) as waited,
            serve(small.url, small.tmp) as (small_base, _),
            serve(large.url, large.tmp) as (large_base, _),
        ):
            bench.report["waited_for_idle_s"] = waited
            for base in (small_base, large_base):
                check_answers(base)
            rounds = paired_rounds(small.wrk, small.tmp, small_base, large_base, args)
    result = paired_summary(rounds, small_n, large_n)
    bench.finish(None, {"duration_s": args.duration, "rounds": args.rounds})
    bench.report.update(rounds=rounds, growth=result)
    print_paired(result)
    bench.write(f"stats-paired-{args.db}-{small_n}-{large_n}")
    return 0


def paired_rounds(
    wrk: Wrk, tmp: Path, small_base: str, large_base: str, args: argparse.Namespace
) -> list[dict[str, Any]]:
    rounds = []
    for number in range(args.rounds):
        order = [("small", small_base), ("large", large_base)]
        if number % 2:
            order.reverse()
        for q in QUERIES:
            warm, measured = (varied_script(tmp, q, n, 1) for n in (PAIRED_WARMUP_URLS, SLICE))
            p95: dict[str, float] = {}
            for side, base in order:
                url = base + q.exact
                replace(wrk, lua=warm).run(url, 1, 1, 1.0)
                result = replace(wrk, lua=measured).run(url, 1, 1, args.duration)
                p95[side] = result.p95_ms
            ratio = round(p95["large"] / p95["small"], 3)
            rounds.append({"round": number, "query": q.name, **p95, "ratio": ratio})
            print(
                f"    round {number + 1}: {q.name:<28} p95 {p95['small']:7.2f} → "
                f"{p95['large']:7.2f} ms  × {ratio:.2f}",
                flush=True,
            )
    return rounds


def paired_summary(rounds: list[dict[str, Any]], small: int, large: int) -> dict[str, Any]:
    out: dict[str, Any] = {"dossiers": [small, large], "target": GROWTH_TARGET, "queries": {}}
    for q in QUERIES:
        ratios = [r["ratio"] for r in rounds if r["query"] == q.name]
        median = round(statistics.median(ratios), 2)
        out["queries"][q.name] = {
            "ratios": ratios,
            "median": median,
            "met": median < GROWTH_TARGET,
        }
    return out


def print_paired(result: dict[str, Any]) -> None:
    small, large = result["dossiers"]
    print(f"\np95 growth, {large:,} ÷ {small:,} dossiers, paired rounds (1 connection):")
    for name, entry in result["queries"].items():
        ratios = " ".join(f"{r:.2f}" for r in entry["ratios"])
        print(
            f"  {name:<28} median × {entry['median']:.2f}  {verdict(entry['met'])} "
            f"(< {GROWTH_TARGET:g})"
            f"   rounds: {ratios}"
        )


def growth(small: Path, large: Path) -> dict[str, Any]:
    """p95 of LARGE ÷ p95 of SMALL: over HTTP for the uncached scenarios (the cached ones do
    not touch the database), and in process (`reports.build_answer`, the cache-miss work)."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (small, large))
    after = {(r["scenario"], r["connections"]): r for r in b["runs"]}
    rows = []
    for before in a["runs"]:
        k = (before["scenario"], before["connections"])
        if "uncached" in k[0] and k in after and before["p95_ms"]:
            rows.append(_growth_row(k[0], f"{k[1]} conn", before["p95_ms"], after[k]["p95_ms"]))
    for name, entry in a["in_process"].items():
        for label in ("exact", "varied"):
            p95 = entry[label]["build_ms"]["p95"], b["in_process"][name][label]["build_ms"]["p95"]
            rows.append(_growth_row(name, f"in process, {label}", *p95))
    sizes_ = (a["dossiers"]["dossiers"], b["dossiers"]["dossiers"])
    files = (small.name, large.name)
    return {"dossiers": sizes_, "db": (a["db"], b["db"]), "files": files, "rows": rows}


def _growth_row(scenario: str, how: str, small_ms: float, large_ms: float) -> dict[str, Any]:
    ratio = round(large_ms / small_ms, 2)
    return {
        "scenario": scenario,
        "how": how,
        "p95_small_ms": small_ms,
        "p95_large_ms": large_ms,
        "growth": ratio,
        "met": ratio < GROWTH_TARGET,
    }


def print_growth(result: dict[str, Any]) -> None:
    small, large = result["dossiers"]
    print(f"p95 growth, {large:,} ÷ {small:,} dossiers ({' / '.join(result['db'])}):")
    print(f"  {' ÷ '.join(reversed(result['files']))}")
    for row in result["rows"]:
        print(
            f"  {row['scenario']:<36} {row['how']:<18} {row['p95_small_ms']:>8.2f} → "
            f"{row['p95_large_ms']:>8.2f} ms  × {row['growth']:.2f}  "
            f"{verdict(row['met'])} (< {GROWTH_TARGET:g})"
        )


def print_report(bench: Bench, runs: list[Run]) -> None:
    report, d = bench.report, bench.report["dossiers"]
    lines = [f"{d['dossiers']:,} dossiers {d['first_day']} .. {d['last_day']}: {d['seconds']}"]
    if "rebuild" in report:
        lines.append(f"stats rebuild: {report['rebuild']['seconds']} s")
    if "migration" in report:
        lines.append(f"migrate (4a307082c97f's data step): {report['migration']['seconds']} s")
        lines.extend(f"  {line}" for line in report["migration"]["output"])
    bench.print_summary("Statistics benchmark", runs, 42, lines)
    print("\nin process (ms, p50 / p95): compute = SQL + Python; build = compute + JSON")
    for name, entry in report["in_process"].items():
        for label in ("exact", "varied"):
            e = entry[label]
            print(
                f"  {name:<28} {label:<6} compute {e['compute_ms']['p50']:>7.2f} / "
                f"{e['compute_ms']['p95']:>7.2f}  SQL {e['sql_ms']['p50']:>7.2f} / "
                f"{e['sql_ms']['p95']:>7.2f}  build {e['build_ms']['p50']:>7.2f} / "
                f"{e['build_ms']['p95']:>7.2f}"
            )
    print("\ntargets:")
    for name, item in report["targets"].items():
        print(f"  {name}: {item['value']} — {verdict(item['met'])}")
    if not report.get("etag_still_valid", True):
        print("warning: the ETags changed during the run (a due moment passed?): run again")


if __name__ == "__main__":
    sys.exit(main())
