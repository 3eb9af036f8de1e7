"""Synthetic dossiers for benchmarks, bulk-loaded straight into the tables.

A million dossiers cannot go through the app (it takes one HTTP request each, and codes are
limited to 9,999 per agency per day), so they are generated here and written with the
database's own bulk path: one transaction of `executemany` batches on SQLite (with
`synchronous=OFF` and an in-memory journal during the load), `COPY` on PostgreSQL. The rows
look like the app's own: real codes `{agency}-{YYMMDD}-{NNNN}` numbered per agency and Vietnam
day, a status history that follows the official workflow (one event per move, `version` =
number of moves + 1), deadlines, pauses, finish dates, unique access-token hashes, and an
applicant and form of realistic size. Seeded: two runs generate the same dossiers.
"""

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import bulk
from bulk import DAY_S, DOSSIER_COLUMNS, VN_OFFSET_S, Clock, ProcedureRef, Row
from dbtools import engine_of
from sqlalchemy import Engine

from app.services.text import fold

BATCH = 20_000
# The app's columns (bulk.py) and `late_at`, which the queue's overdue filter and due-soon flag
# read (services/dossiers/timeliness.py); synthetic_stats.py adds it with its own columns.
COLUMNS = [*DOSSIER_COLUMNS, "late_at"]

EVENT_COLUMNS = [
    "id",
    "dossier_id",
    "action",
    "from_status",
    "to_status",
    "actor",
    "note",
    "public_note",
    "at",
]

# The moves that lead to each status (DOMAIN.md §4); counter and postal dossiers start accepted.
CHAINS = {
    "new": ["new"],
    "accepted": ["new", "accepted"],
    "processing": ["new", "accepted", "processing"],
    "supplement_requested": ["new", "accepted", "processing", "supplement_requested"],
    "processed": ["new", "accepted", "processing", "processed"],
    "returned": ["new", "accepted", "processing", "processed", "returned"],
    "refused": ["new", "refused"],
    "stopped": ["new", "accepted", "processing", "stopped"],
}
ACTIONS = {
    "accepted": "accept",
    "processing": "start_processing",
    "supplement_requested": "request_supplement",
    "processed": "complete",
    "returned": "return_result",
    "refused": "refuse",
    "stopped": "stop",
}
PUBLIC_NOTES = {
    "online": "Hồ sơ được nộp trực tuyến.",
    "counter": "Hồ sơ được tiếp nhận tại Bộ phận Một cửa.",
    "postal": "Hồ sơ được tiếp nhận qua dịch vụ bưu chính.",
    "accepted": "",
    "processing": "",
    "supplement_requested": "Đề nghị bổ sung bản sao giấy tờ chứng minh nơi cư trú.",
    "processed": "Hồ sơ đã được giải quyết; mời ông/bà đến nhận kết quả.",
    "returned": "",
    "refused": "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "stopped": "Dừng xử lý theo đề nghị của cơ quan có thẩm quyền.",
}
FINISHED = {"refused", "stopped", "processed", "returned"}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long"]
STREETS = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
]


@dataclass(frozen=True)
class StatusProfile:
    """Dossiers are spread over the `span_days` Vietnam days before `end_day`; those of the
    last `recent_days` follow `recent` (still in progress, many of them), older ones `old`."""

    span_days: int
    recent_days: int
    recent: dict[str, float]
    old: dict[str, float]


# A province over three years: old dossiers are finished, recent ones in every state.
TRACKING = StatusProfile(
    span_days=3 * 365,
    recent_days=45,
    recent={
        "new": 0.15,
        "accepted": 0.20,
        "processing": 0.30,
        "supplement_requested": 0.05,
        "processed": 0.10,
        "returned": 0.15,
        "refused": 0.03,
        "stopped": 0.02,
    },
    old={"returned": 0.86, "processed": 0.04, "refused": 0.06, "stopped": 0.04},
)
# One agency's workspace over six months: a backlog of new dossiers to act on.
OFFICER = StatusProfile(
    span_days=180,
    recent_days=60,
    recent={
        "new": 0.30,
        "accepted": 0.20,
        "processing": 0.25,
        "supplement_requested": 0.05,
        "processed": 0.05,
        "returned": 0.10,
        "refused": 0.03,
        "stopped": 0.02,
    },
    old={"returned": 0.86, "processed": 0.04, "refused": 0.06, "stopped": 0.04},
)


@dataclass
class Loaded:
    dossiers: int
    events: int
    seconds: float
    sample: list[str]  # codes picked uniformly among all dossiers
    new_codes: list[str]  # every dossier still `new` (version 1), for workflow benchmarks
    statuses: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """For a report: everything but the lists of codes."""
        return {k: v for k, v in vars(self).items() if k not in ("sample", "new_codes")}


class _Generator:
    def __init__(
        self,
        procedures: list[ProcedureRef],
        profile: StatusProfile,
        end_day: date,
        now: datetime,
        seed: int,
        clock: Clock,
    ) -> None:
        self.rng = random.Random(seed)
        self.procedures = procedures
        self.profile = profile
        self.end_day = end_day
        self.now = int(now.timestamp())
        self.clock = clock
        self.numbers: Counter[tuple[str, int]] = Counter()
        self.salt = f"{seed}-{time.time_ns()}"  # hashes differ from any earlier load's
        self.folded: dict[str, str] = {}
        self.next_event = 1
        self.recent = (list(profile.recent), list(profile.recent.values()))
        self.old = (list(profile.old), list(profile.old.values()))

    def dossier(self, ident: int) -> tuple[Row, list[Row], str, str]:
        rng = self.rng
        procedure = self.procedures[rng.randrange(len(self.procedures))]
        age = rng.randrange(self.profile.span_days)
        day = self.end_day - timedelta(days=age)
        statuses, weights = self.recent if age < self.profile.recent_days else self.old
        status = rng.choices(statuses, weights)[0]
        channel = rng.choices(("online", "counter", "postal"), (0.7, 0.25, 0.05))[0]
        chain = CHAINS[status] if channel == "online" else CHAINS[status][1:] or ["accepted"]
        if status in ("new", "refused") and channel != "online":
            channel, chain = "online", CHAINS[status]
        self.numbers[(procedure.agency_code, age)] += 1
        code = (
            f"{procedure.agency_code}-{day:%y%m%d}-{self.numbers[(procedure.agency_code, age)]:04d}"
        )
        # Office hours, Vietnam time: 07:30 to 16:30.
        submitted = bulk.vn_midnight(day) + 27_000 + rng.randrange(32_400)
        times = self._times(submitted, chain, procedure.processing_days)
        events = self._events(ident, chain, times, channel)
        return self._row(ident, code, procedure, channel, chain, times), events, code, status

    def _times(self, submitted: int, chain: list[str], processing_days: int) -> dict[str, int]:
        """When each status of the chain was reached; moves never go past `now`."""
        rng, at = self.rng, submitted
        times = {"submitted": submitted}
        for status in chain:
            if status == "new" or (status == "accepted" and "new" not in chain):
                at = submitted
            elif status == "processed":
                # Most finish inside the deadline, some late: about 1.4 calendar days per
                # working day, times 0.3 to 1.15.
                at += int(processing_days * 1.4 * DAY_S * rng.uniform(0.3, 1.15))
            else:
                at += rng.randrange(1800, 2 * DAY_S)
            times[status] = min(at, self.now - 60)
        if "accepted" in times:
            days = max(1, round(processing_days * 1.4))
            due_day = (times["accepted"] + VN_OFFSET_S) // DAY_S + days
            times["due"] = due_day * DAY_S - VN_OFFSET_S + 17 * 3600  # 17:00, Vietnam time
        return times

    def _events(
        self, ident: int, chain: list[str], times: dict[str, int], channel: str
    ) -> list[Row]:
        events = []
        previous: str | None = None
        for status in chain:
            if previous is None:
                action = "submit" if channel == "online" else "register"
                actor = "applicant" if channel == "online" else "officer:mot-cua"
                public_note = PUBLIC_NOTES[channel]
            else:
                action, actor, public_note = (
                    ACTIONS[status],
                    "officer:chuyen-vien",
                    PUBLIC_NOTES[status],
                )
            events.append(
                (
                    self.next_event,
                    ident,
                    action,
                    previous,
                    status,
                    actor,
                    "",
                    public_note,
                    self.clock(times[status]),
                )
            )
            self.next_event += 1
            previous = status
        return events

    def _row(
        self,
        ident: int,
        code: str,
        procedure: ProcedureRef,
        channel: str,
        chain: list[str],
        times: dict[str, int],
    ) -> Row:
        rng, clock = self.rng, self.clock
        status = chain[-1]
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        folded = self.folded.get(name) or self.folded.setdefault(name, fold(name))
        applicant = {
            "full_name": name,
            "id_number": f"0{rng.randrange(10**10, 10**11)}",
            "phone": f"09{rng.randrange(10**7, 10**8)}",
            "email": None,
            "address": f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, tổ dân phố "
            f"{rng.randrange(1, 20)}, phường Hòa Bình",
        }
        form = {
            "noi_dung_de_nghi": "Đề nghị giải quyết thủ tục hành chính theo hồ sơ đính kèm.",
            "so_ban_sao": rng.randrange(1, 4),
            "ngay_ky": time.strftime("%Y-%m-%d", time.gmtime(times["submitted"])),
        }
        finished = next((times[s] for s in chain if s in FINISHED), None)
        paused = times.get("supplement_requested") if status == "supplement_requested" else None
        late = _late_at(times.get("due"), finished, paused)
        digest = hashlib.sha256(f"{self.salt}:{ident}".encode()).hexdigest()
        updated = max(times[s] for s in chain)
        return (
            ident,
            code,
            procedure.code,
            procedure.agency_code,
            channel,
            status,
            len(chain),
            json.dumps(applicant, ensure_ascii=False),
            json.dumps(form, ensure_ascii=False),
            digest,
            clock(times["submitted"]),
            clock.maybe(times.get("accepted")),
            clock.maybe(times.get("due")),
            clock.maybe(times.get("due")),
            clock.maybe(finished),
            "processing" if paused else None,
            clock.maybe(paused),
            1 if "supplement_requested" in chain else 0,
            0,  # file_count: the dossiers carry no stored files
            folded,
            clock(times["submitted"]),
            clock(updated),
            clock.maybe(late),
        )


def _late_at(due: int | None, finished: int | None, paused: int | None) -> int | None:
    """`late_at` as the workflow leaves it (timeliness.late_at_after, one supplement at most):
    the due moment while the clock runs; a finish or a pause before it, none; after it, the
    due moment stays."""
    if due is None:
        return None
    stopped = finished if finished is not None else paused
    return due if stopped is None or stopped > due else None


def generate(
    count: int,
    procedures: list[ProcedureRef],
    profile: StatusProfile,
    dialect: str,
    loaded: Loaded,
    seed: int = 20261126,
    sample: int = 10_000,
) -> Iterator[tuple[list[Row], list[Row]]]:
    """Batches of (dossier rows, event rows); `loaded` keeps the running summary. Dossiers end
    yesterday (Vietnam date): today's codes belong to the sequence the app hands out."""
    now = datetime.now(UTC)
    end_day = (now + timedelta(hours=7)).date() - timedelta(days=1)
    gen = _Generator(procedures, profile, end_day, now, seed, Clock(dialect))
    picked = set(random.Random(seed + 1).sample(range(1, count + 1), min(sample, count)))
    statuses: Counter[str] = Counter()
    for start in range(1, count + 1, BATCH):
        rows, events = [], []
        for ident in range(start, min(start + BATCH, count + 1)):
            row, evs, code, status = gen.dossier(ident)
            rows.append(row)
            events.extend(evs)
            statuses[status] += 1
            if ident in picked:
                loaded.sample.append(code)
            if status == "new":
                loaded.new_codes.append(code)
        loaded.dossiers += len(rows)
        loaded.events += len(events)
        loaded.statuses = dict(statuses)
        yield rows, events


def load(
    engine: Engine,
    count: int,
    procedures: list[ProcedureRef],
    profile: StatusProfile,
    seed: int = 20261126,
) -> Loaded:
    """Generate and insert `count` dossiers with their events into an empty, migrated
    database; PostgreSQL gets its id sequences moved past them and an ANALYZE."""
    started = time.perf_counter()
    dialect = engine.dialect.name
    loaded = Loaded(dossiers=0, events=0, seconds=0.0, sample=[], new_codes=[])
    batches = generate(count, procedures, profile, dialect, loaded, seed)
    with bulk.driver_connection(engine) as driver:
        if dialect == "sqlite":
            _load_sqlite(driver, batches)
        else:
            _load_postgres(driver, batches)
    loaded.seconds = round(time.perf_counter() - started, 1)
    return loaded


def load_sample(url: str, count: int, profile: StatusProfile, agency: str | None = None) -> Loaded:
    """`load` into the database at `url`, on the sample catalogue's procedures (those of
    `agency` only, when given)."""
    with engine_of(url) as engine:
        return load(engine, count, bulk.sample_procedures(agency), profile)


def _load_sqlite(conn: Any, batches: Iterator[tuple[list[Row], list[Row]]]) -> None:
    dossier_sql = bulk.insert_sql("dossier", COLUMNS)
    event_sql = bulk.insert_sql("dossier_event", EVENT_COLUMNS)
    bulk.sqlite_fast(conn, journal_mode="MEMORY", cache_kib=1_000_000)
    with bulk.sqlite_transaction(conn):
        for rows, events in batches:
            conn.executemany(dossier_sql, rows)
            conn.executemany(event_sql, events)
    bulk.sqlite_durable(conn)


def _load_postgres(conn: Any, batches: Iterator[tuple[list[Row], list[Row]]]) -> None:
    with conn.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        with bulk.copy_in(cur, "dossier", COLUMNS) as dossiers:
            # COPY cannot interleave two tables: events are spooled and copied after.
            spooled: list[str] = []
            for rows, events in batches:
                dossiers.write(bulk.copy_text(rows))
                spooled.append(bulk.copy_text(events))
        with bulk.copy_in(cur, "dossier_event", EVENT_COLUMNS) as copy:
            for block in spooled:
                copy.write(block)
        for table in ("dossier", "dossier_event"):
            bulk.move_sequence(cur, table)
    conn.commit()
    bulk.maintain(conn, "ANALYZE")
