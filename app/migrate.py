"""Running the Alembic migrations from code (the CLI, the tests)."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select, update

from app.db import make_engine
from app.models.stats import stat_revision

# Inside the package, so that an installed wheel (the container image) carries them.
HERE = Path(__file__).resolve().parent


def alembic_config(engine: Engine | None = None, url: str | None = None) -> Config:
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, say: Callable[[str], None] | None = None) -> None:
    """Apply every migration not yet applied; then, if one of them changed what the
    statistics counters mean (`stat_revision.rebuild_needed`), recompute the counters from the
    dossiers (`stats rebuild`), which a migration cannot do: it does not import the app.
    `say` hears how long that took, in Vietnamese for the operator (the CLI prints it: at
    millions of dossiers, minutes)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    rebuild_counters_if_needed(engine, say)


def rebuild_counters_if_needed(engine: Engine, say: Callable[[str], None] | None = None) -> bool:
    """Run `counters.rebuild` when a migration asked for it, then clear the flag. First the
    measures the counters read that a migration could not compute (`backfill`)."""
    from app.services.stats import backfill, counters  # the app's domain, once migrated

    flag = select(stat_revision.c.rebuild_needed).where(stat_revision.c.id == 1)
    with engine.connect() as connection:
        if not connection.execute(flag).scalar():
            return False
    say = say or (lambda _message: None)
    started = time.monotonic()
    measured = backfill.measure_existing(engine)
    say(
        f"thống kê: đã đo {measured.finished:,} hồ sơ đã kết thúc "
        f"({measured.paused:,} hồ sơ có tạm dừng) trong {time.monotonic() - started:.1f} giây"
    )
    started = time.monotonic()
    report = counters.rebuild(engine)
    say(
        f"thống kê: đã tính lại bộ đếm từ hồ sơ trong {time.monotonic() - started:.1f} giây"
        f" ({len(report.drifted):,} dòng thay đổi)"
    )
    with engine.begin() as connection:
        connection.execute(
            update(stat_revision).where(stat_revision.c.id == 1).values(rebuild_needed=False)
        )
    return True


@contextmanager
def migrated_engine(url: str, say: Callable[[str], None] | None = None) -> Iterator[Engine]:
    """An engine on an up-to-date database, disposed of at the end (the console script)."""
    engine = make_engine(url)
    try:
        upgrade(engine, say)
        yield engine
    finally:
        engine.dispose()
