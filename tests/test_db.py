"""Pooled server connections are pinged only after sitting idle; the loop reader reads as a
session would, waits out a busy SQLite on the loop and answers 503 for a database that does
not answer."""

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import anyio
import psycopg
import pytest
from sqlalchemy import Engine, bindparam, create_engine, select, text
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.exc import TimeoutError as PoolExhausted
from sqlmodel import SQLModel, col

from app import db
from app.db import make_engine
from app.errors import DependencyDown
from app.models.dossier import Dossier, DossierStatus
from tests.conftest import is_postgres
from tests.factories import make_dossier


class Record:
    def __init__(self) -> None:
        self.info: dict[str, Any] = {}


class Connection:
    def __init__(self, alive: bool = True) -> None:
        self.alive = alive
        self.statements: list[str] = []
        self.rollbacks = 0

    def cursor(self) -> "Connection":
        return self

    def execute(self, sql: str) -> None:
        if not self.alive:
            raise OSError("server closed the connection unexpectedly")
        self.statements.append(sql)

    def close(self) -> None:
        pass

    def rollback(self) -> None:
        self.rollbacks += 1


def test_a_connection_used_recently_is_not_pinged() -> None:
    record, connection = Record(), Connection()
    db._ping_if_idle(connection, record, None)  # new: never checked in
    db._checked_in(connection, record)
    db._ping_if_idle(connection, record, None)
    assert connection.statements == []


def test_an_idle_connection_is_pinged_and_left_without_a_transaction() -> None:
    record, connection = Record(), Connection()
    db._checked_in(connection, record)
    record.info["checked_in_at"] -= db.PING_IDLE_S + 1
    db._ping_if_idle(connection, record, None)
    assert connection.statements == ["SELECT 1"] and connection.rollbacks == 1


def test_a_dead_idle_connection_is_handed_back_to_the_pool_as_disconnected() -> None:
    record, connection = Record(), Connection(alive=False)
    record.info["checked_in_at"] = time.monotonic() - db.PING_IDLE_S - 1
    with pytest.raises(DisconnectionError):
        db._ping_if_idle(connection, record, None)


# --- LoopReader ---------------------------------------------------------------------------

DOSSIER_BY_CODE = select(
    col(Dossier.code), col(Dossier.status), col(Dossier.submitted_at), col(Dossier.due_at)
).where(col(Dossier.code) == bindparam("code"))


def read(reader: db.LoopReader, code: str) -> list[tuple[Any, ...]]:
    async def run() -> list[tuple[Any, ...]]:
        try:
            return await reader.all(DOSSIER_BY_CODE, {"code": code})
        finally:
            await reader.aclose()

    return anyio.run(run)


def test_the_loop_reader_returns_the_rows_and_types_a_session_would(
    threaded_engine: Engine,
) -> None:
    made = make_dossier(threaded_engine)
    with db.unit_of_work(threaded_engine) as session:
        expected = [tuple(row) for row in session.execute(DOSSIER_BY_CODE, {"code": made.code})]
    rows = read(db.LoopReader(threaded_engine, pool_size=2), made.code)
    assert rows == expected and len(rows) == 1
    code, status, submitted_at, due_at = rows[0]
    assert code == made.code and status is DossierStatus.new and due_at is None
    assert submitted_at.tzinfo is UTC
    assert read(db.LoopReader(threaded_engine, pool_size=2), "nope") == []


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[tuple[Engine, sqlite3.Connection, str]]:
    """A SQLite file with one dossier, whose every reader is answered "busy": another
    connection holds it in exclusive locking mode, as a checkpoint or a WAL recovery briefly
    does. Yields the engine, that connection and the dossier's code."""
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    made = make_dossier(engine)
    engine.dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it
    yield engine, holder, made.code
    holder.close()
    engine.dispose()


def test_a_busy_sqlite_is_retried_on_the_loop_until_it_answers(
    locked_sqlite: tuple[Engine, sqlite3.Connection, str],
) -> None:
    engine, holder, code = locked_sqlite
    reader = db.LoopReader(engine, pool_size=1)

    async def run() -> list[tuple[Any, ...]]:
        async def release() -> None:
            await anyio.sleep(0.05)
            holder.close()

        async with anyio.create_task_group() as group:
            group.start_soon(release)  # runs on the loop the reader must not block
            rows = await reader.all(DOSSIER_BY_CODE, {"code": code})
        await reader.aclose()
        return rows

    rows = anyio.run(run)
    assert [row[0] for row in rows] == [code]


def test_a_sqlite_busy_for_too_long_is_a_503(
    locked_sqlite: tuple[Engine, sqlite3.Connection, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _holder, code = locked_sqlite
    monkeypatch.setattr(db, "SQLITE_BUSY_RETRY_S", 0.05)
    with pytest.raises(DependencyDown):
        read(db.LoopReader(engine, pool_size=1), code)


def test_a_postgresql_that_does_not_answer_is_a_503_at_once() -> None:
    # Nothing listens on port 1: the connection is refused, and the read does not wait for a
    # pool's timeout (5 s) to say so.
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    start = time.monotonic()
    with pytest.raises(DependencyDown):
        read(db.LoopReader(engine, pool_size=1), "000.00.00.H20-250101-0001")
    assert time.monotonic() - start < 1.0


def test_a_connection_the_server_dropped_is_replaced_without_an_error(
    threaded_engine: Engine,
) -> None:
    # On PostgreSQL the server ends the reader's sessions, as a restart would; a SQLite file
    # has no server to drop it, and the reader reads on.
    engine = threaded_engine
    made = make_dossier(engine)
    reader = db.LoopReader(engine, pool_size=1)

    async def run() -> list[tuple[Any, ...]]:
        first = await reader.all(DOSSIER_BY_CODE, {"code": made.code})
        if is_postgres():
            with engine.connect() as connection:
                ended = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": db.READER_APPLICATION_NAME},
                ).scalar_one()
            assert ended == 1
        try:
            second = await reader.all(DOSSIER_BY_CODE, {"code": made.code})
        finally:
            await reader.aclose()
        return first + second

    rows = anyio.run(run)
    assert [row[0] for row in rows] == [made.code, made.code]


# --- What counts as "the database is unreachable" -----------------------------------------


def sqlite_error(sql: str, database: str = ":memory:") -> sqlite3.Error:
    try:
        connection = sqlite3.connect(database)
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        connection.execute("INSERT INTO t VALUES (1)")
        connection.execute(sql)
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("no error")


def wrapped(orig: BaseException, **kwargs: Any) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig, **kwargs)


@pytest.mark.parametrize(
    "error",
    [
        sqlite_error("SELECT 1", database="/nonexistent/folder/dvc.db"),  # SQLITE_CANTOPEN
        wrapped(sqlite_error("SELECT 1", database="/nonexistent/folder/dvc.db")),
        psycopg.OperationalError("connection refused"),  # no SQLSTATE: the client's
        wrapped(psycopg.OperationalError("server closed the connection unexpectedly")),
        psycopg.errors.AdminShutdown(),
        psycopg.errors.CannotConnectNow(),
        psycopg.errors.TooManyConnections(),
        psycopg.errors.DiskFull(),
        psycopg.errors.ConnectionFailure(),
        wrapped(ValueError("anything"), connection_invalidated=True),
        DisconnectionError("stale pooled connection"),
        PoolExhausted("QueuePool limit of size 10 overflow 10 reached"),
    ],
    ids=repr,
)
def test_errors_that_say_the_database_cannot_be_reached(error: BaseException) -> None:
    assert db.unreachable(error)


@pytest.mark.parametrize(
    "error",
    [
        sqlite_error("SELECT * FROM no_such_table"),
        wrapped(sqlite_error("SELECT * FROM no_such_table")),
        sqlite_error("INSERT INTO t VALUES (1)"),  # a constraint
        IntegrityError("INSERT", {}, sqlite_error("INSERT INTO t VALUES (1)")),
        psycopg.errors.UndefinedTable(),
        ProgrammingError("SELECT", {}, psycopg.errors.SyntaxError()),
        psycopg.errors.UniqueViolation(),
        psycopg.errors.SerializationFailure(),
        psycopg.errors.QueryCanceled(),
        ValueError("not a database error"),
    ],
    ids=repr,
)
def test_errors_that_are_bugs_or_refusals_stay_what_they_are(error: BaseException) -> None:
    assert not db.unreachable(error)
