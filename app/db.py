"""Engine construction, the one way to open a transaction (`unit_of_work`), and reads on the
event loop (`LoopReader`)."""

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
from sqlalchemy import Engine, Select, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolExhausted
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.errors import DatabaseDown

# A pooled server connection idle longer than this is pinged before use (see _ping_if_idle).
PING_IDLE_S = 30.0
# How long a SQLite connection waits for another one's lock before "database is locked" (503).
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, connect_timeout_s: int = 5
) -> Engine:
    """Create an engine; SQLite gets WAL, enforced foreign keys and a busy timeout. A server
    connection that is not made within `connect_timeout_s` fails (a 503), unless the URL sets
    its own `connect_timeout`."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args = (
            {} if "connect_timeout" in parsed.query else {"connect_timeout": connect_timeout_s}
        )
        server = create_engine(
            url,
            echo=echo,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,
            connect_args=connect_args,
        )
        event.listen(server, "checkin", _checked_in)
        event.listen(server, "checkout", _ping_if_idle)
        return server
    in_memory = parsed.database in (None, "", ":memory:")
    timeout_s = SQLITE_BUSY_TIMEOUT_MS / 1000
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": timeout_s}}
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size)
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    if not in_memory:
        # An in-memory database is one shared connection: nothing to lock against, and
        # sessions interleave on it, which explicit transactions would refuse.
        event.listen(engine, "connect", _sqlite_explicit_transactions)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The engine for a use case that will write: on SQLite its transactions take the write lock
    at BEGIN (IMMEDIATE), so two writers queue on busy_timeout instead of one failing with
    "database is locked" when it upgrades a read lock. Other databases are returned as they are."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping a pooled connection before use only if it sat idle for PING_IDLE_S: long enough
    for a server restart or a firewall to have dropped it. SQLAlchemy's `pool_pre_ping` pings
    at every checkout, a round trip that was 28 % of the tracking read on PostgreSQL
    (docs/PERFORMANCE.md); a connection that breaks while in use is invalidated by SQLAlchemy
    on the error, and the pool replaces it."""
    checked_in = record.info.get("checked_in_at")
    if checked_in is None or time.monotonic() - checked_in < PING_IDLE_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # leave no transaction open (isolation levels are set later)
    except Exception as exc:
        # The pool discards this connection and checks out (or opens) another.
        raise DisconnectionError("stale pooled connection") from exc


def _sqlite_begin(connection: Any) -> None:
    # sqlite_begin: DEFERRED, or IMMEDIATE (writer).
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite forgets foreign keys unless told on every connection; WAL lets readers run
    # while a writer commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_explicit_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin): pysqlite's implicit transactions
    # can only BEGIN DEFERRED. This is SQLAlchemy's documented recipe.
    dbapi_connection.isolation_level = None


# SQLite's primary result codes that say the file cannot be used now (locked past the busy
# timeout, not openable, an I/O error, a full disk, a file that became read-only or was moved
# away), as opposed to a statement it refused ("no such table", a constraint): those are bugs.
_SQLITE_UNAVAILABLE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_READONLY,
    }
)
# PostgreSQL's SQLSTATE classes and codes of the same kind: connection exceptions (08), too
# many connections, a full disk or no memory (53), and a server shutting down, crashed or
# starting up (57P01-57P03). A client-side failure (refused, timed out, connection lost) has
# no SQLSTATE at all.
_POSTGRES_UNAVAILABLE = ("08", "53", "57P01", "57P02", "57P03")


def unreachable(exc: BaseException) -> bool:
    """Whether an error says that the database cannot be reached or cannot answer now (503
    `dependency_unavailable`), rather than that it refused a statement: a programming error or
    an integrity error stays what it is. Takes SQLAlchemy's errors and the drivers' own."""
    if isinstance(exc, DisconnectionError | PoolExhausted):
        return True
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or (exc.orig is not None and unreachable(exc.orig))
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", 0) & 0xFF in _SQLITE_UNAVAILABLE
    if isinstance(exc, psycopg.OperationalError):
        return exc.sqlstate is None or exc.sqlstate.startswith(_POSTGRES_UNAVAILABLE)
    return False


def ping(engine: Engine) -> None:
    """One round trip to the database (`/readyz`); raises SQLAlchemyError when it is down."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def conflict_insert(session: Session) -> Any:
    """`insert` with ON CONFLICT for the session's database: PostgreSQL's or SQLite's."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def bump_revision_row(session: Session, table: Table) -> None:
    """Add one to a one-row revision table (`id` 1, `revision`) in the caller's unit of work.
    An upsert, so that two first writers cannot both insert the row."""
    insert = conflict_insert(session)(table).values(id=1, revision=1)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.id], set_={"revision": table.c.revision + 1}
        )
    )


@contextmanager
def unit_of_work(
    engine: Engine, *, write: bool = False, snapshot: bool = False
) -> Iterator[Session]:
    """One use case's transaction, the only place that commits.

    `write=True`: the session begins with the write lock on SQLite (IMMEDIATE, see `writer`),
    commits when the block ends without an error and rolls back when it raises. Helpers that
    take the session only `flush()`.
    `write=False` (reads): the session is rolled back at the end, so a read can never write by
    accident, and its pooled connection goes back as soon as the block ends.
    `snapshot=True`: every statement sees the same state of the database (REPEATABLE READ on
    PostgreSQL, whose default READ COMMITTED lets each statement see later commits; a SQLite
    transaction is one snapshot already), for reads that must agree with each other."""
    bind = writer(engine) if write else engine
    if snapshot and engine.dialect.name == "postgresql":
        bind = bind.execution_options(isolation_level="REPEATABLE READ")
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            if write:
                session.commit()
        except BaseException:
            session.rollback()
            raise


# --- Reads on the event loop -------------------------------------------------------------
# The busiest public read (public tracking) runs one SELECT per request. Through a pooled
# SQLAlchemy connection on FastAPI's thread pool it reached 0.12 × the ceiling; the thread hop
# alone halves it and SQLAlchemy's connection and result layers cost another 170 µs a read
# (docs/PERFORMANCE-HISTORY.md, "Public tracking: one path, measured"). `LoopReader` runs such
# a statement, defined once with SQLAlchemy and compiled once for the app's database, on
# driver connections of its own, awaited on the event loop: psycopg's asyncio connections on
# PostgreSQL, a read-only sqlite3 connection on SQLite (a read of a few pages takes tens of
# microseconds, less than the thread hop it saves). Reads only, outside any transaction: one
# statement sees one snapshot on both databases.

# SQLite answers "busy" to a reader only while another connection recovers or checkpoints the
# WAL index; the reader retries on the loop (never blocking it) for at most this long.
SQLITE_BUSY_RETRY_S = 5.0
# How the reader's PostgreSQL sessions are named in pg_stat_activity.
READER_APPLICATION_NAME = "dvc-gateway loop reader"


class _Compiled:
    """A statement compiled for one dialect, with its result processors."""

    def __init__(self, statement: Select[*tuple[Any, ...]], dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.positions = compiled.positiontup  # names in order, for "?" (SQLite); else None
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]
        self.processors = [(i, p) for i, p in enumerate(processors) if p is not None]

    def parameters(self, params: dict[str, str | int]) -> Any:
        # Passed to the driver as they are: only strings and integers, which need no bind
        # processing on either driver.
        if self.positions is None:
            return params
        return tuple(params[name] for name in self.positions)

    def process(self, raw: list[Any]) -> list[tuple[Any, ...]]:
        rows = []
        for values in raw:
            row = list(values)
            for index, processor in self.processors:
                row[index] = processor(row[index])
            rows.append(tuple(row))
        return rows


class LoopReader:
    """Runs one SELECT on the event loop and returns its rows as tuples, in the order and with
    the Python types of the statement's columns (as SQLAlchemy would: datetimes, enums).

    Made from the app's engine, whose URL and pool size it shares; its connections open at
    the first read and close with `aclose()` (the app's lifespan). Raises `DatabaseDown`
    when the database does not answer, at once, and reads again as soon as it does."""

    def __init__(
        self,
        engine: Engine,
        *,
        pool_size: int,
        timeout_s: float = 5.0,
        connect_timeout_s: int = 5,
    ) -> None:
        self._engine = engine
        self._pool_size = pool_size
        self._timeout_s = timeout_s  # PostgreSQL: the longest wait for a pooled connection
        self._connect_timeout_s = connect_timeout_s  # PostgreSQL: the longest connect
        self._compiled: dict[int, tuple[Select[*tuple[Any, ...]], _Compiled]] = {}
        self._pool: Any = None  # psycopg_pool.AsyncConnectionPool (PostgreSQL)
        self._sqlite: Any = None  # sqlite3.Connection (SQLite)
        self._sqlite_owned = False
        self._opening: asyncio.Lock | None = None

    async def all(
        self, statement: Select[*tuple[Any, ...]], params: dict[str, str | int]
    ) -> list[tuple[Any, ...]]:
        compiled = self._compile(statement)
        arguments = compiled.parameters(params)
        if self._engine.dialect.name == "sqlite":
            raw = await self._sqlite_all(compiled.sql, arguments)
        else:
            raw = await self._postgres_all(compiled.sql, arguments)
        return compiled.process(raw)

    async def aclose(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()
        self._opening = None
        self._close_sqlite()

    def _compile(self, statement: Select[*tuple[Any, ...]]) -> _Compiled:
        # Keyed by identity (a statement is a module constant); the statement is kept so
        # that its id cannot be reused by another object.
        entry = self._compiled.get(id(statement))
        if entry is None:
            entry = (statement, _Compiled(statement, self._engine.dialect))
            self._compiled[id(statement)] = entry
        return entry[1]

    # -- SQLite --------------------------------------------------------------------------------

    async def _sqlite_all(self, sql: str, arguments: Any) -> list[Any]:
        deadline = time.monotonic() + SQLITE_BUSY_RETRY_S
        delay = 0.001
        while True:
            try:
                connection = self._sqlite or self._open_sqlite()
                return connection.execute(sql, arguments).fetchall()  # type: ignore[no-any-return]
            except sqlite3.OperationalError as exc:
                if not unreachable(exc):
                    raise
                if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    # Not openable, an I/O error: the next read opens the file again.
                    self._close_sqlite()
                    raise DatabaseDown() from exc
                if time.monotonic() > deadline:
                    raise DatabaseDown() from exc
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _open_sqlite(self) -> Any:
        database = self._engine.url.database
        if database in (None, "", ":memory:"):
            # The in-memory database lives in the engine's one shared connection (StaticPool):
            # read through it. Its checkout is kept, never returned: returning it would roll
            # back whatever transaction another session has open on it.
            self._sqlite = self._engine.raw_connection().driver_connection
            self._sqlite_owned = False
        else:
            # Read-only, no busy wait inside the driver (that would block the loop), and in
            # autocommit: each SELECT reads the latest committed state.
            uri = f"{Path(database).resolve().as_uri()}?mode=ro"
            self._sqlite = sqlite3.connect(
                uri, uri=True, timeout=0, isolation_level=None, check_same_thread=False
            )
            self._sqlite_owned = True
        return self._sqlite

    def _close_sqlite(self) -> None:
        connection, self._sqlite = self._sqlite, None
        if connection is not None and self._sqlite_owned:
            connection.close()

    # -- PostgreSQL ----------------------------------------------------------------------------

    async def _postgres_all(self, sql: str, arguments: Any) -> list[Any]:
        # Connections are not pinged before use (a round trip per read). A read that fails
        # for want of the database (a connection a restart broke, none to be had) is tried
        # once more on a new pool, made only once the database takes a connection again.
        pool = self._pool
        if pool is not None:
            try:
                return await _pooled_read(pool, sql, arguments)
            except psycopg_pool.PoolTimeout as exc:
                if not pool.get_stats().get("connections_errors"):
                    raise DatabaseDown() from exc  # busy, not down: every connection in use
            except psycopg.OperationalError as exc:
                if not unreachable(exc):
                    raise
        pool = await self._pool_after(pool)
        try:
            return await _pooled_read(pool, sql, arguments)
        except psycopg.OperationalError as exc:
            if not unreachable(exc):
                raise
            raise DatabaseDown() from exc

    async def _pool_after(self, failed: Any) -> Any:
        """A pool to read from after `failed` (None: no pool yet, or the database was down).
        When the database refuses a connection, `DatabaseDown` at once, with no pool kept:
        waiting for a pool's own reconnection would take its timeout per read, and its
        back-off grows to minutes after the database is back."""
        # Two reads must not make two pools: the lock is made and taken without an await in
        # between, on the loop's one thread.
        self._opening = self._opening or asyncio.Lock()
        async with self._opening:
            if self._pool is not None and self._pool is not failed:
                return self._pool  # another read made a new one meanwhile
            stale, self._pool = self._pool, None
            if stale is not None:
                await stale.close(timeout=1.0)
            try:
                probe = await psycopg.AsyncConnection.connect(
                    self._conninfo(), **self._connect_kwargs()
                )
            except psycopg.OperationalError as exc:
                raise DatabaseDown() from exc
            await probe.close()
            self._pool = await self._new_pool()
            return self._pool

    def _conninfo(self) -> str:
        return self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def _connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "autocommit": True,
            "application_name": READER_APPLICATION_NAME,
        }
        if "connect_timeout" not in self._engine.url.query:
            kwargs["connect_timeout"] = self._connect_timeout_s
        return kwargs

    async def _new_pool(self) -> Any:
        pool = psycopg_pool.AsyncConnectionPool(
            self._conninfo(),
            min_size=1,
            max_size=self._pool_size,
            kwargs=self._connect_kwargs(),
            open=False,
            timeout=self._timeout_s,
        )
        await pool.open()
        return pool


async def _pooled_read(pool: Any, sql: str, arguments: Any) -> list[Any]:
    async with pool.connection() as connection:
        cursor = await connection.execute(sql, arguments)
        return await cursor.fetchall()  # type: ignore[no-any-return]
