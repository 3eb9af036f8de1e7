"""What the synthetic loaders share: the sample catalogue's procedures, the dossier table's
columns, timestamps in the database's text form, and the databases' bulk paths (one
`executemany` transaction on SQLite, `COPY` on PostgreSQL).

Millions of rows cannot go through the app (one HTTP request a dossier), so the loaders write
straight into the tables, rows shaped like the app's own.
"""

import json
import math
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

from psycopg import Cursor
from psycopg.copy import Copy, QueuedLibpqWriter
from sqlalchemy import Engine

DAY_S = 86_400
HOUR_S = 3_600
VN_OFFSET_S = 7 * HOUR_S  # Asia/Ho_Chi_Minh has no daylight saving time
EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()

DOSSIER_COLUMNS = [
    "id",
    "code",
    "procedure_code",
    "agency_code",
    "channel",
    "status",
    "version",
    "applicant",
    "form",
    "access_token_hash",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "finished_at",
    "resume_status",
    "paused_at",
    "supplement_requests",
    "file_count",
    "applicant_name",
    "created_at",
    "updated_at",
]

Row = tuple[Any, ...]  # one row's values, in the table's column order


@dataclass(frozen=True)
class ProcedureRef:
    """What the loaders need of a procedure of the sample catalogue."""

    code: str
    agency_code: str
    processing_days: int
    level: int


def sample_procedures(agency: str | None = None) -> list[ProcedureRef]:
    """The procedures of the sample catalogue `dvc-gateway seed` loads (of one agency when
    `agency` is given)."""
    raw = resources.files("app.data").joinpath("sample_catalogue.json").read_text("utf-8")
    return [
        ProcedureRef(p["code"], p["agency_code"], _whole_days(p), p["level"])
        for p in json.loads(raw)["procedures"]
        if agency is None or p["agency_code"] == agency
    ]


def _whole_days(procedure: dict[str, Any]) -> int:
    """The processing time as whole days, as the simulators count (a procedure in another
    unit, such as complaints in calendar days, is simulated in as many working days)."""
    if "processing_days" in procedure:
        return int(procedure["processing_days"])
    return math.ceil(float(procedure["processing_time"]["value"]))


def epoch_date(day: int) -> date:
    """Days since 1970-01-01 → date."""
    return date.fromordinal(day + EPOCH_ORDINAL)


def epoch_day(day: date) -> int:
    return day.toordinal() - EPOCH_ORDINAL


def vn_midnight(day: date) -> int:
    """The epoch second at which the Vietnam date `day` begins."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) - VN_OFFSET_S


class Clock:
    """Epoch seconds to the database's text form, fast: millions of dossiers carry tens of
    millions of timestamps, and `datetime` formatting would dominate the load."""

    def __init__(self, dialect: str) -> None:
        suffix = ".000000" if dialect == "sqlite" else "+00"
        self.hms = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(DAY_S)
        ]
        self.days: dict[int, str] = {}

    def __call__(self, ts: int) -> str:
        day, second = divmod(ts, DAY_S)
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = epoch_date(day).isoformat() + " "
        return text + self.hms[second]

    def maybe(self, ts: int | None) -> str | None:
        return None if ts is None else self(ts)


# ---------------------------------------------------------------------------------------------
# Bulk paths


@contextmanager
def driver_connection(engine: Engine) -> Iterator[Any]:
    """The DBAPI driver's own connection (sqlite3 or psycopg) of one pooled connection."""
    raw = engine.raw_connection()
    try:
        yield raw.driver_connection
    finally:
        raw.close()


def insert_sql(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def sqlite_fast(conn: Any, journal_mode: str, cache_kib: int) -> None:
    """Durability off, for a throwaway load: no fsync, the journal as given (MEMORY or OFF),
    and a page cache large enough to hold the random-key indexes (the access-token hashes) so
    that inserting into them does not thrash."""
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"PRAGMA journal_mode={journal_mode}")
    conn.execute(f"PRAGMA cache_size=-{cache_kib}")


def sqlite_durable(conn: Any) -> None:
    """The app's settings again, after `sqlite_fast`."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def sqlite_transaction(conn: Any) -> Iterator[None]:
    """One explicit transaction on a sqlite3 connection (rolled back on error)."""
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def copy_in(
    cur: Cursor[Any], table: str, columns: Iterable[str], queued: bool = True
) -> AbstractContextManager[Copy]:
    """`COPY table FROM STDIN`. The queued writer sends from a thread of its own: PostgreSQL
    ingests one batch on the second core while Python generates the next."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    return cur.copy(sql, writer=QueuedLibpqWriter(cur) if queued else None)


def copy_text(rows: list[Row]) -> str:
    # Text format: no value here holds a tab, newline or backslash.
    return "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows)


def move_sequence(cur: Cursor[Any], table: str) -> None:
    """The id sequence past the ids the load wrote."""
    cur.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
    )


def maintain(conn: Any, statement: str) -> None:
    """ANALYZE or VACUUM ANALYZE outside a transaction: in production autovacuum runs it soon
    after a load like this one."""
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(statement)
    conn.autocommit = False
