"""Databases for the benchmarks: a throwaway one per run, engines on it, and the SQL the app
sends (captured and timed, with the database's plan of each statement)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, event

from app.db import make_engine


@contextmanager
def throwaway_database(
    db: str, pg_url: str, tmp: Path, stamp: str, prefix: str = "dvc_bench_"
) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database that is gone when the block ends, error or not."""
    if db == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"  # removed with the temporary folder
        return
    name = prefix + "".join(ch for ch in stamp if ch.isdigit())
    admin = pg_url.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"==> PostgreSQL database {name}", flush=True)
    try:
        yield f"{pg_url}/{name}"
    finally:
        # FORCE: a server that did not die in time still holds connections.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"==> dropped {name}", flush=True)


@contextmanager
def engine_of(url: str) -> Iterator[Engine]:
    """The app's own engine on `url`, disposed of when the block ends."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


Statement = tuple[str, Any, float]  # SQL, its parameters, seconds in the driver


@contextmanager
def sql_timer(engine: Engine) -> Iterator[list[Statement]]:
    """Every statement the app sends inside the block, with its parameters and its time."""
    statements: list[Statement] = []
    began: list[float] = []

    def before(*_: Any) -> None:
        began.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params, time.perf_counter() - began.pop()))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def explain(engine: Engine, sql: str, params: Any, setup: str | None = None) -> list[str]:
    """The database's plan of one captured statement: EXPLAIN QUERY PLAN on SQLite, EXPLAIN
    (ANALYZE, BUFFERS) on PostgreSQL, after `setup` (PostgreSQL only) on the same connection."""
    if engine.dialect.name == "sqlite":
        prefix = "EXPLAIN QUERY PLAN "
    else:
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    with engine.connect() as conn:
        if setup and engine.dialect.name == "postgresql":
            conn.exec_driver_sql(setup)
        rows = conn.exec_driver_sql(prefix + sql, params).all()
    return [str(row[-1]) for row in rows]


def vacuum_analyze(engine: Engine, tables: str) -> None:
    """After a bulk load or a rebuild: what autovacuum, then the checkpointer, would soon do.
    Without it, on PostgreSQL, autovacuum's worker and the checkpoint's writes run during the
    measurement and take a core from the server under test (seen: the ceiling moved by
    30-70 % within a run)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM ANALYZE {tables}")
            conn.exec_driver_sql("CHECKPOINT")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def analyze(engine: Engine, tables: str = "") -> None:
    """PostgreSQL: ANALYZE, what autovacuum would soon do after a load or a new index; SQLite
    is left as production leaves it."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE {tables}".strip())
