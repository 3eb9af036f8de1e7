"""A province's dossier history for the statistics benchmark, bulk-loaded, with its counters.

Millions of dossiers cannot go through the app (one HTTP request each), so they are simulated
here and written with the database's bulk path: `COPY` on PostgreSQL (secondary indexes and
foreign keys dropped for the load and recreated from their own definitions afterwards, as a
restore does), `executemany` in one transaction with `synchronous=OFF` and `journal_mode=OFF`
on SQLite. Seeded: two runs generate the same dossiers.

The history (the sample catalogue, `days` Vietnam days ending `last_day`):

- volume rises 30 % over the period; working days carry the counter and postal desks, days off
  only online dossiers (a third of a working day's online volume);
- the online share rises linearly from `online_from` to `online_to`; online dossiers go only
  to level 3–4 procedures (the app refuses others), about 3 % of the rest come by post;
- each dossier is simulated through the official workflow (DOMAIN.md §4) against the clock:
  intake (online: 3 % refused), a deadline from `WorkingCalendar.add_working_days` with the
  procedure's processing days, processing, 0–2 supplement requests that pause the clock and
  move the deadline as the app does (`deadlines.due_after_pause`), some fee requests and
  withdrawals, then completion, on time for most (85 % rising to 95 %) and late for the rest,
  and the result's return. Its status is where it stands now: old dossiers are finished, recent ones
  in every state, and a few (0.3 %) stuck in processing, overdue;
- 0–3 attached files; codes `{agency}-{YYMMDD}-{NNNN}` numbered per agency and Vietnam day;
  unique access-token hashes; a small constant applicant and form.

No `dossier_event` rows are written: statistics read only the counters (the statistics cache's
data revision, `max(dossier_event.id)`, is then NULL, a constant like any other).

The counters are the app's own: every dossier's `stat_counters.Facts` goes through
`stat_counters.contribution` (the function every write and `stats rebuild` use), summed per
key in Python, and the sums written in bulk into the empty `stat_daily`, `stat_monthly` and
`stat_due`: the rows `apply_deltas` would leave there, in its key order.
"""

import hashlib
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import bulk
from bulk import DAY_S, DOSSIER_COLUMNS, HOUR_S, VN_OFFSET_S, Clock, ProcedureRef, Row
from sqlalchemy import Engine
from sqlmodel import Session

from app.models.dossier import Channel, DossierStatus
from app.models.stats import COUNTER_COLUMNS
from app.services.calendar import DESK_HOURS, WORKING_DAY, WorkingCalendar, load_calendar
from app.services.dossiers.deadlines import due_after_pause
from app.services.stats.counters import DueKey, Facts, Key, add, contribution

CLOSE_S = 17 * HOUR_S  # the desks close at 17:00 (calendar.WORKDAY_END)
BATCH = 50_000
MAX_SEQUENCE = 9_999

KEY_COLUMNS = ["agency_code", "procedure_code", "channel", "level"]
# The dossier columns the workflow sets for statistics, after the shared ones.
STATS_DOSSIER_COLUMNS = [
    *DOSSIER_COLUMNS,
    "late_at",
    "level_at_receipt",
    "online_mode_at_receipt",
    "paused_seconds",
    "processing_unit",
    "time_used",
]
# Desk hours as seconds of a Vietnam day (calendar.DESK_HOURS), for `MemoCalendar.working_seconds`.
DESK_S = [(a.hour * HOUR_S + a.minute * 60, b.hour * HOUR_S + b.minute * 60) for a, b in DESK_HOURS]
WORKING_DAY_S = int(WORKING_DAY.total_seconds())
ONLINE_MODES = {1: "none", 2: "none", 3: "partial", 4: "full"}  # Decree 42/2022
APPLICANT = json.dumps(
    {
        "full_name": "Nguyễn Văn An",
        "id_number": "001190012345",
        "phone": "0912345678",
        "email": None,
        "address": "Số 12 đường Lê Lợi, phường Hòa Bình",
    },
    ensure_ascii=False,
)
FORM = json.dumps(
    {"noi_dung_de_nghi": "Đề nghị giải quyết thủ tục hành chính theo hồ sơ đính kèm."},
    ensure_ascii=False,
)
APPLICANT_NAME = "nguyen van an"


@dataclass(frozen=True)
class History:
    last_day: date  # Vietnam date of the last dossiers
    days: int = 1096  # three years
    online_from: float = 0.05
    online_to: float = 0.40
    postal: float = 0.03  # of the dossiers not sent online
    growth: float = 0.30  # volume rises this much from the first day to the last
    on_time_from: float = 0.85
    on_time_to: float = 0.95
    seed: int = 20261126

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.days - 1)


@dataclass
class Loaded:
    dossiers: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    counter_rows: dict[str, int] = field(default_factory=dict)
    max_sequence: int = 0  # the highest NNNN of a dossier code
    first_day: str = ""
    last_day: str = ""


# ---------------------------------------------------------------------------------------------
# Calendar


class MemoCalendar:
    """The app's `WorkingCalendar`, memoised by Vietnam date: deadlines and working-day spans
    are computed by the real calendar once per distinct (day, n) instead of once per dossier
    (it walks day by day). Exposes what `stat_counters.contribution` calls."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._due: dict[tuple[int, bool, int], int] = {}
        self._between: dict[tuple[int, int], int] = {}
        self._working: dict[int, bool] = {}

    def is_working_day(self, day: int) -> bool:
        found = self._working.get(day)
        if found is None:
            found = self._working[day] = self.calendar.is_working_day(bulk.epoch_date(day))
        return found

    def due(self, received: int, processing_days: int) -> int:
        """`add_working_days(received, n)` as an epoch second; it depends only on the Vietnam
        date of `received` and whether the desks had closed."""
        local = received + VN_OFFSET_S
        key = (local // DAY_S, local % DAY_S >= CLOSE_S, processing_days)
        found = self._due.get(key)
        if found is None:
            moment = datetime.fromtimestamp(received, UTC)
            found = self._due[key] = int(
                self.calendar.add_working_days(moment, processing_days).timestamp()
            )
        return found

    def working_seconds(self, a: int, b: int) -> int:
        """`working_time_between` of two epoch seconds, in seconds: the desk time left on
        `a`'s day, 8 hours for each working day between, the desk time of `b`'s day before
        it (the calendar's own walk, with the days memoised)."""
        if b <= a:
            return 0
        day_a, second_a = divmod(a + VN_OFFSET_S, DAY_S)
        day_b, second_b = divmod(b + VN_OFFSET_S, DAY_S)
        if day_a == day_b:
            return self._desk(day_a, second_b) - self._desk(day_a, second_a)
        whole = self._days_between(day_a, day_b - 1) * WORKING_DAY_S
        return (
            self._desk(day_a, DAY_S)
            - self._desk(day_a, second_a)
            + whole
            + self._desk(day_b, second_b)
        )

    def _desk(self, day: int, second: int) -> int:
        """Desk seconds of the Vietnam `day` before its `second`."""
        if not self.is_working_day(day):
            return 0
        return sum(max(0, min(second, end) - start) for start, end in DESK_S)

    def _days_between(self, a: int, b: int) -> int:
        found = self._between.get((a, b))
        if found is None:
            found = self._between[(a, b)] = self.calendar.working_days_between(
                bulk.epoch_date(a), bulk.epoch_date(b)
            )
        return found

    def shift(self, due: int, paused: int, resumed: int) -> int:
        """The due moment after a pause, as `workflow._resume_clock` moves it (by the working
        time paused, so it depends on all three moments: nothing to memoise)."""
        moments = (datetime.fromtimestamp(t, UTC) for t in (due, paused, resumed))
        return int(due_after_pause(self.calendar, *moments).timestamp())


# ---------------------------------------------------------------------------------------------
# Simulation


class _Done(Exception):
    """Nothing more happens to the dossier until now."""


@dataclass
class _Life:
    """What the simulation changes in a dossier's row as it moves through the workflow; `t`
    is the dossier's own clock."""

    status: str
    t: int
    updated: int
    version: int = 1
    received: int | None = None
    due: int = 0  # set once received
    original: int = 0
    finished: int | None = None
    resume: str | None = None
    paused: int | None = None
    supplements: int = 0
    late: int | None = None  # late for good from then (a pause after the due, a 2nd request)
    paused_seconds: int = 0  # working time paused, summed when each pause ends

    def late_at(self) -> int | None:
        """`Dossier.late_at` as the workflow leaves it (services/dossiers/timeliness.py)."""
        if self.received is None or self.late is not None:
            return self.late
        if self.finished is not None:
            return self.due if self.finished > self.due else None
        if self.paused is not None:
            return None
        return self.due

    def move(self, status: str, **changes: Any) -> None:
        """One move of the workflow, at the dossier's clock: a new version."""
        self.status, self.version, self.updated = status, self.version + 1, self.t
        for name, value in changes.items():
            setattr(self, name, value)


class Simulator:
    def __init__(
        self,
        procedures: list[ProcedureRef],
        history: History,
        calendar: MemoCalendar,
        now: datetime,
        clock: Clock,
    ) -> None:
        self.rng = random.Random(history.seed)
        self.history = history
        self.cal = calendar
        self.now = int(now.timestamp())
        self.clock = clock
        weights_rng = random.Random(history.seed + 1)
        # Popularity: a few procedures (civil status, land, business registration) take most
        # dossiers, a lognormal spread like a real province's.
        weights = [weights_rng.lognormvariate(0, 1.1) for _ in procedures]
        self.procedures = procedures
        self.cum_all = _cumulative(weights)
        self.online_procs = [p for p in procedures if p.level >= 3]
        self.cum_online = _cumulative(
            [w for w, p in zip(weights, procedures, strict=True) if p.level >= 3]
        )
        self.online_weight = sum(
            w for w, p in zip(weights, procedures, strict=True) if p.level >= 3
        ) / sum(weights)
        self.facts: list[Facts] = []  # of the current batch, for the counters
        self.max_sequence = 0

    def day_counts(self, total: int) -> list[tuple[int, int, bool, float]]:
        """(Vietnam day, dossiers, working day, fraction of the period) for every day, summing
        to `total` exactly."""
        h = self.history
        first = bulk.epoch_day(h.first_day)
        days = []
        for i in range(h.days):
            frac = i / max(1, h.days - 1)
            working = self.cal.is_working_day(first + i)
            online = h.online_from + (h.online_to - h.online_from) * frac
            weight = (1 + h.growth * frac) * (1.0 if working else online / 3)
            days.append((first + i, weight, working, frac))
        scale = total / sum(w for _, w, _, _ in days)
        exact = [w * scale for _, w, _, _ in days]
        counts = [int(x) for x in exact]
        by_remainder = sorted(range(len(days)), key=lambda i: counts[i] - exact[i])
        for i in by_remainder[: total - sum(counts)]:
            counts[i] += 1
        return [
            (d, n, working, frac) for (d, _, working, frac), n in zip(days, counts, strict=True)
        ]

    def day(self, vn_day: int, count: int, working: bool, frac: float, first_id: int) -> list[Row]:
        """The dossiers received on one Vietnam day, as rows (lists of text values)."""
        h, rng = self.history, self.rng
        online_share = h.online_from + (h.online_to - h.online_from) * frac
        on_time = h.on_time_from + (h.on_time_to - h.on_time_from) * frac
        midnight = vn_day * DAY_S - VN_OFFSET_S
        yymmdd = bulk.epoch_date(vn_day).strftime("%y%m%d")
        if working:
            picks = rng.choices(self.procedures, cum_weights=self.cum_all, k=count)
            # Online only for level 3–4: the share among those is scaled up to hit the target.
            p_online = min(0.95, online_share / self.online_weight)
        else:
            picks = rng.choices(self.online_procs, cum_weights=self.cum_online, k=count)
            p_online = 1.0
        sequence: dict[str, int] = defaultdict(int)
        rows = []
        for offset, proc in enumerate(picks):
            if proc.level >= 3 and rng.random() < p_online:
                channel = "online"
                # Online at any hour, mostly in the day.
                submitted = midnight + int(6 * HOUR_S + rng.random() * 17 * HOUR_S)
            else:
                channel = "postal" if rng.random() < h.postal else "counter"
                submitted = midnight + int(7.5 * HOUR_S + rng.random() * 9.5 * HOUR_S)
            if submitted >= self.now:
                submitted = self.now - 60 - rng.randrange(3600)
            sequence[proc.agency_code] += 1
            number = sequence[proc.agency_code]
            if number > MAX_SEQUENCE:
                raise ValueError(
                    f"more than {MAX_SEQUENCE} dossiers for {proc.agency_code} on {yymmdd}: "
                    "spread the volume over more days"
                )
            self.max_sequence = max(self.max_sequence, number)
            code = f"{proc.agency_code}-{yymmdd}-{number:04d}"
            rows.append(self.dossier(first_id + offset, code, proc, channel, submitted, on_time))
        return rows

    def dossier(
        self, ident: int, code: str, proc: ProcedureRef, channel: str, s: int, on_time: float
    ) -> Row:
        """One dossier through the workflow until now; its row, and its Facts kept."""
        rng = self.rng
        files = rng.choice((1, 1, 2, 3)) if channel == "online" else rng.choice((0, 0, 1, 2, 3))
        life = _Life(status="new", t=s, updated=s)
        try:
            self._intake(life, channel)
            self._process(life, proc, channel, on_time)
        except _Done:
            pass
        return self._row(ident, code, proc, channel, s, life, files)

    def _reach(self, life: _Life, t: int) -> None:
        """The dossier's clock moves to `t`; a moment after now ends its simulation."""
        life.t = t
        if t > self.now:
            raise _Done

    def _intake(self, life: _Life, channel: str) -> None:
        """Online: checked at intake (3 % refused); at the counter or by post: accepted."""
        if channel == "online":
            self._reach(life, life.t + int(HOUR_S / 2 + self.rng.random() * 36 * HOUR_S))
            if self.rng.random() < 0.03:
                life.move("refused", finished=life.t)
                raise _Done
            life.move("accepted")
        else:
            life.status = "accepted"
        life.received = life.t

    def _process(self, life: _Life, proc: ProcedureRef, channel: str, on_time: float) -> None:
        rng, received = self.rng, life.t
        due = life.due = life.original = self.cal.due(received, proc.processing_days)
        span = max(due - received, 2 * HOUR_S)
        start = received + int(600 + rng.random() * span * 0.15)
        outcome = rng.random()
        self._reach(life, start)
        life.move("processing")
        self._supplements(life)
        if outcome < 0.003:  # 0.3 % stuck, overdue
            raise _Done
        if outcome < 0.013:  # the applicant withdraws, the agency confirms
            self._reach(life, life.t + int(rng.random() * max(life.due - life.t, HOUR_S) * 0.5))
            life.move("withdrawal_requested", resume="processing")
            self._reach(life, life.t + int((0.5 + rng.random() * 2) * DAY_S))
            life.move("stopped", resume=None, finished=life.t)
            raise _Done
        if outcome < 0.063:  # a fee or tax to pay first
            self._reach(life, life.t + int(rng.random() * max(life.due - life.t, HOUR_S) * 0.3))
            life.move("fee_requested")
            self._reach(life, life.t + int((0.5 + rng.random() * 3) * DAY_S))
            life.move("processing")
        self._complete(life, proc, channel, on_time)

    def _supplements(self, life: _Life) -> None:
        """0–2 supplement requests, each pausing the clock; 5 % of the dossiers with one never
        answer it."""
        rng = self.rng
        wanted = 0 if rng.random() >= 0.12 else (2 if rng.random() < 0.15 else 1)
        for _ in range(wanted):
            self._reach(life, life.t + int(rng.random() * max(life.due - life.t, HOUR_S) * 0.5))
            paused = life.t
            if life.late is None and paused > life.due:
                life.late = life.due  # asked after the due moment: late it stays
            if life.late is None and life.supplements >= 1:
                life.late = paused  # a second request: late from it
            life.move(
                "supplement_requested",
                resume="processing",
                paused=paused,
                supplements=life.supplements + 1,
            )
            if rng.random() < 0.05:  # abandoned: stopped after 30 days
                life.t += 30 * DAY_S
                if life.t <= self.now:
                    life.due = self.cal.shift(life.due, paused, life.t)
                    life.paused_seconds += self.cal.working_seconds(paused, life.t)
                    life.move("stopped", resume=None, paused=None, finished=life.t)
                raise _Done
            self._reach(life, life.t + int((1 + rng.random() * 9) * DAY_S))  # the answer
            life.due = self.cal.shift(life.due, paused, life.t)
            life.paused_seconds += self.cal.working_seconds(paused, life.t)
            life.move("processing", resume=None, paused=None)

    def _complete(self, life: _Life, proc: ProcedureRef, channel: str, on_time: float) -> None:
        """Completion, on time or late, then the result's return."""
        rng, t, due = self.rng, life.t, life.due
        if rng.random() < on_time:
            t = max(t, t + int(rng.random() * (due - t) * 0.95)) if due > t else t
        else:
            t = max(t, due) + int(HOUR_S + rng.random() * (2 + proc.processing_days) * DAY_S)
        self._reach(life, t)
        life.move("processed", finished=t)
        t += int(rng.random() * (1 if channel == "online" else 5) * DAY_S)
        if t <= self.now:
            life.t = t
            life.move("returned")

    def _row(
        self,
        ident: int,
        code: str,
        proc: ProcedureRef,
        channel: str,
        submitted: int,
        life: _Life,
        files: int,
    ) -> Row:
        due = None if life.status in ("new", "refused") else life.due
        original = None if due is None else life.original
        late = life.late_at()
        unit = None if life.received is None else "working_days"
        used = None
        if life.received is not None and life.finished is not None:
            working = self.cal.working_seconds(life.received, life.finished)
            used = round(max(0, working - life.paused_seconds) / WORKING_DAY_S, 3)
        self.facts.append(
            Facts(
                submitted_at=_utc(submitted),
                agency_code=proc.agency_code,
                procedure_code=proc.code,
                channel=Channel(channel),
                level_at_receipt=proc.level,
                status=DossierStatus(life.status),
                received_at=_maybe_utc(life.received),
                due_at=_maybe_utc(due),
                finished_at=_maybe_utc(life.finished),
                late_at=_maybe_utc(late),
                file_count=files,
                result_file_count=0,  # no electronic results in the simulated history
                processing_unit=unit,
                time_used=used,
            )
        )
        clock = self.clock
        token = hashlib.sha256(b"dvc-bench-token:%d" % ident).hexdigest()
        return (
            ident,
            code,
            proc.code,
            proc.agency_code,
            channel,
            life.status,
            life.version,
            APPLICANT,
            FORM,
            token,
            clock(submitted),
            clock.maybe(life.received),
            clock.maybe(due),
            clock.maybe(original),
            clock.maybe(life.finished),
            life.resume,
            clock.maybe(life.paused),
            life.supplements,
            files,
            APPLICANT_NAME,
            clock(submitted),
            clock(life.updated),
            clock.maybe(late),
            proc.level,
            ONLINE_MODES[proc.level],
            life.paused_seconds,
            unit,
            used,
        )


def _utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _maybe_utc(ts: int | None) -> datetime | None:
    return None if ts is None else _utc(ts)


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------------------------------------
# Counters: the app's contribution(), summed


class Counters:
    """Σ contribution(facts) per key, as `stat_counters.expected_counters` sums them."""

    def __init__(self) -> None:
        self.daily: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.due: dict[DueKey, int] = defaultdict(int)

    def add(self, facts: list[Facts]) -> None:
        daily, due = self.daily, self.due
        for f in facts:
            add(contribution(f), 1, daily, due)

    def rows(self) -> tuple[list[Row], list[Row], list[Row]]:
        """Rows of stat_daily, stat_monthly and stat_due as `apply_deltas` leaves them in empty
        tables: non-zero groups, in key order; the monthly ones the sums of the daily ones."""
        monthly: dict[Key, dict[str, int]] = {}
        daily_rows = []
        for key in sorted(self.daily):
            values = self.daily[key]
            if not any(values.values()):
                continue
            day, *group = key
            daily_rows.append((*key, *(values.get(n, 0) for n in COUNTER_COLUMNS)))
            month = monthly.setdefault((day.replace(day=1), *group), {})  # type: ignore[arg-type]
            for name, value in values.items():
                month[name] = month.get(name, 0) + value
        monthly_rows = [
            (*key, *(values.get(n, 0) for n in COUNTER_COLUMNS))
            for key, values in sorted(monthly.items())
        ]
        due_rows = [(*key, n) for key, n in sorted(self.due.items()) if n]
        return daily_rows, monthly_rows, due_rows


# ---------------------------------------------------------------------------------------------
# Loading


def load(engine: Engine, count: int, procedures: list[ProcedureRef], history: History) -> Loaded:
    """Generate `count` dossiers into an empty, migrated and seeded database, and their
    counters; PostgreSQL gets its id sequence moved past them and an ANALYZE."""
    started = time.perf_counter()
    dialect = engine.dialect.name
    with Session(engine) as session:
        calendar = MemoCalendar(load_calendar(session))
    sim = Simulator(procedures, history, calendar, datetime.now(UTC), Clock(dialect))
    counters = Counters()
    loaded = Loaded(first_day=history.first_day.isoformat(), last_day=history.last_day.isoformat())
    timings = {"generate_and_count_s": 0.0}
    batches = _batches(sim, counters, count, loaded, timings)
    sqlite = dialect == "sqlite"
    with bulk.driver_connection(engine) as driver:
        (_load_sqlite if sqlite else _load_postgres)(driver, batches, timings)
        t0 = time.perf_counter()
        daily, monthly, due = counters.rows()
        loaded.counter_rows = {"stat_daily": len(daily), "stat_monthly": len(monthly)}
        loaded.counter_rows["stat_due"] = len(due)
        (_counters_sqlite if sqlite else _counters_postgres)(driver, daily, monthly, due)
        timings["counters_write_s"] = time.perf_counter() - t0
    loaded.max_sequence = sim.max_sequence
    timings["total_s"] = time.perf_counter() - started
    loaded.seconds = {k: round(v, 1) for k, v in timings.items()}
    return loaded


def _batches(
    sim: Simulator, counters: Counters, count: int, loaded: Loaded, timings: dict[str, float]
) -> Iterator[list[Row]]:
    """The dossiers day by day, in batches of about BATCH rows; their counters summed on the
    way, and the totals kept in `loaded`."""
    rows: list[Row] = []
    next_id = 1
    statuses: dict[str, int] = defaultdict(int)
    channels: dict[str, int] = defaultdict(int)
    for vn_day, n, working, frac in sim.day_counts(count):
        t0 = time.perf_counter()
        rows.extend(sim.day(vn_day, n, working, frac, next_id))
        next_id += n
        for f in sim.facts:
            statuses[f.status] += 1
            channels[f.channel] += 1
        counters.add(sim.facts)
        sim.facts.clear()
        timings["generate_and_count_s"] += time.perf_counter() - t0
        if len(rows) >= BATCH:
            yield rows
            rows = []
            if (next_id - 1) // 1_000_000 > (next_id - 1 - n) // 1_000_000:
                print(f"    {next_id - 1:>11,} dossiers", flush=True)
    if rows:
        yield rows
    loaded.dossiers = next_id - 1
    loaded.statuses = dict(sorted(statuses.items()))
    loaded.channels = dict(sorted(channels.items()))


def _load_sqlite(conn: Any, batches: Iterator[list[Row]], timings: dict[str, float]) -> None:
    # No rollback journal at all: the counters follow in a second transaction.
    bulk.sqlite_fast(conn, journal_mode="OFF", cache_kib=2_000_000)
    sql = bulk.insert_sql("dossier", STATS_DOSSIER_COLUMNS)
    with bulk.sqlite_transaction(conn):
        for rows in batches:
            t0 = time.perf_counter()
            conn.executemany(sql, rows)
            timings["insert_s"] = timings.get("insert_s", 0.0) + time.perf_counter() - t0


def _counters_sqlite(conn: Any, daily: list[Row], monthly: list[Row], due: list[Row]) -> None:
    clock = Clock("sqlite")
    with bulk.sqlite_transaction(conn):
        # Dates as SQLAlchemy stores them on SQLite: ISO text.
        daily = [(row[0].isoformat(), *row[1:]) for row in daily]
        monthly = [(row[0].isoformat(), *row[1:]) for row in monthly]
        # The late moment first, as SQLAlchemy stores it on SQLite; then the group and n.
        due = [(clock(int(row[0].timestamp())), *row[1:]) for row in due]
        for table, period, rows, values in _counter_tables(daily, monthly, due):
            conn.executemany(bulk.insert_sql(table, [period, *KEY_COLUMNS, *values]), rows)
    bulk.sqlite_durable(conn)
    conn.execute("ANALYZE")


def _counter_tables(
    daily: list[Row], monthly: list[Row], due: list[Row]
) -> list[tuple[str, str, list[Row], Sequence[str]]]:
    """Each counter table: its name, its period column, its rows and its value columns."""
    return [
        ("stat_daily", "day", daily, COUNTER_COLUMNS),
        ("stat_monthly", "month", monthly, COUNTER_COLUMNS),
        ("stat_due", "late_at", due, ["n"]),
    ]


def _load_postgres(conn: Any, batches: Iterator[list[Row]], timings: dict[str, float]) -> None:
    with conn.cursor() as cur:
        # Secondary indexes and foreign keys are dropped for the load and rebuilt from their
        # own definitions afterwards (one sort per index instead of ten million random
        # insertions; one join per foreign key instead of a trigger per row).
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'dossier'::regclass AND contype IN ('u', 'f') ORDER BY contype DESC"
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = 'dossier'::regclass AND NOT i.indisprimary AND i.indexrelid "
            "NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = 'dossier'::regclass)"
        )
        indexes = cur.fetchall()
        for name, _ in constraints:
            cur.execute(f'ALTER TABLE dossier DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {name}")
        cur.execute("SET synchronous_commit = off")
        t0 = time.perf_counter()
        with bulk.copy_in(cur, "dossier", STATS_DOSSIER_COLUMNS) as copy:
            for rows in batches:
                copy.write(bulk.copy_text(rows))
        timings["copy_s"] = time.perf_counter() - t0 - timings["generate_and_count_s"]
        conn.commit()
        t0 = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cur.execute(definition)
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE dossier ADD CONSTRAINT "{name}" {definition}')
        bulk.move_sequence(cur, "dossier")
        conn.commit()
        timings["indexes_s"] = time.perf_counter() - t0


def _counters_postgres(conn: Any, daily: list[Row], monthly: list[Row], due: list[Row]) -> None:
    with conn.cursor() as cur:
        for table, period, rows, values in _counter_tables(daily, monthly, due):
            with bulk.copy_in(cur, table, [period, *KEY_COLUMNS, *values], queued=False) as copy:
                for row in rows:
                    copy.write_row(row)
    conn.commit()
    bulk.maintain(conn, "VACUUM ANALYZE")
