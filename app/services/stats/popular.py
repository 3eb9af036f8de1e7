"""The province's most used procedures: those with the most dossiers, from the counters.

Summed over `stat_monthly` (one row per month and group, never one per dossier), so the cost
grows with the months and procedures that have dossiers, not with the dossiers themselves;
kept in memory for `ttl_s`, since a home page showing yesterday's ranking is as useful.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlmodel import col

from app.db import unit_of_work
from app.models.catalogue import Procedure
from app.models.stats import stat_monthly


@dataclass(frozen=True)
class UsedProcedure:
    code: str
    dossiers: int


def most_used_procedures(engine: Engine, limit: int) -> list[UsedProcedure]:
    """The procedures in force with the most dossiers submitted (online, at the counter or by
    post, since the counters began), most first, then by code; none without any dossier."""
    total = func.sum(stat_monthly.c.submitted)
    query = (
        select(stat_monthly.c.procedure_code, total.label("n"))
        .join(Procedure, col(Procedure.code) == stat_monthly.c.procedure_code)
        .where(col(Procedure.retired_at).is_(None))
        .group_by(stat_monthly.c.procedure_code)
        .having(total > 0)
        .order_by(total.desc(), stat_monthly.c.procedure_code)
        .limit(limit)
    )
    with unit_of_work(engine) as session:
        return [UsedProcedure(code, int(n)) for code, n in session.execute(query)]


class MostUsedCache:
    """`most_used_procedures`, read again at most once per `ttl_s` (0: on every call)."""

    def __init__(
        self,
        engine: Engine,
        ttl_s: float,
        limit: int = 8,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._ttl = ttl_s
        self._limit = limit
        self._clock = clock
        self._kept: tuple[float, list[UsedProcedure]] | None = None
        self._lock = threading.Lock()

    def fresh(self) -> list[UsedProcedure] | None:
        """The kept ranking while it is fresh; else None, and the caller runs `read()` in a
        worker thread (it reads the database)."""
        kept = self._kept
        if kept is None or self._clock() - kept[0] >= self._ttl:
            return None
        return kept[1]

    def read(self) -> list[UsedProcedure]:
        with self._lock:
            if (kept := self.fresh()) is not None:
                return kept
            ranking = most_used_procedures(self._engine, self._limit)
            self._kept = (self._clock(), ranking)
            return ranking
