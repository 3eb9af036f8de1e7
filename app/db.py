"""Engine construction and the one way to open a transaction: `unit_of_work`."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

# A pooled server connection idle longer than this is pinged before use (see _ping_if_idle).
PING_IDLE_S = 30.0


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> Engine:
    """Create an engine; SQLite gets WAL, enforced foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        server = create_engine(
            url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_recycle=3600
        )
        event.listen(server, "checkin", _checked_in)
        event.listen(server, "checkout", _ping_if_idle)
        return server
    in_memory = parsed.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
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


@contextmanager
def single_read(engine: Engine) -> Iterator[Connection]:
    """A connection for a read of one statement, outside a transaction: one statement reads
    one snapshot on both databases. On PostgreSQL it runs in autocommit, which saves the BEGIN
    and ROLLBACK round trips; on SQLite no BEGIN is emitted (the driver's connections are in
    autocommit, see _sqlite_explicit_transactions). Measured: docs/PERFORMANCE-HISTORY.md."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.execution_options(sqlite_begin=None)
        else:
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


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
    # sqlite_begin: DEFERRED, IMMEDIATE (writer) or None (single_read: no transaction).
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode is not None:
        connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite forgets foreign keys unless told on every connection; WAL lets readers run
    # while a writer commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_explicit_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin): pysqlite's implicit transactions
    # can only BEGIN DEFERRED. This is SQLAlchemy's documented recipe.
    dbapi_connection.isolation_level = None


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
