"""Sign-in throttling: slow a guesser down, never lock a real officer out (API.md, Officers).

Failures are counted per (username, client address) and per client address, in the database,
so that every worker and every replica sees the same counts:
- per (username, address), a back-off: from the third failure each failure blocks the pair
  for 1 s, doubled with each further failure, at most 60 s; a success, or an hour without
  failures, forgets them;
- per address, at most 30 failures in 10 minutes (counted from the first): an office's
  officers often share one address behind its router.
No count is per username alone: failures from elsewhere never block an officer signing in from
their own address.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlmodel import Session, col

from app.db import conflict_insert, unit_of_work
from app.errors import TooManyAttempts
from app.models.officer import LoginFailure

FORGET = timedelta(hours=1)  # a pair's failures older than this no longer count


@dataclass(frozen=True)
class Backoff:
    free: int = 2  # failures before the first wait: the third failure waits
    base_s: float = 1.0
    cap_s: float = 60.0

    def count(self, row: LoginFailure, now: datetime) -> None:
        if now - row.last_failed_at > FORGET:
            row.failures, row.since = 0, now
        row.failures += 1
        waits = row.failures - self.free - 1
        seconds = None if waits < 0 else min(self.cap_s, self.base_s * 2**waits)
        row.blocked_until = now + timedelta(seconds=seconds) if seconds else None


@dataclass(frozen=True)
class Window:
    limit: int = 30
    length: timedelta = timedelta(minutes=10)

    def count(self, row: LoginFailure, now: datetime) -> None:
        if now - row.since > self.length:
            row.failures, row.since = 0, now
        row.failures += 1
        row.blocked_until = row.since + self.length if row.failures >= self.limit else None


PAIR = Backoff()
CLIENT = Window()


@dataclass(frozen=True)
class Keys:
    pair: str
    client: str

    @classmethod
    def of(cls, username: str, client: str) -> "Keys":
        def digest(*parts: str) -> str:
            return hashlib.sha256("\0".join(parts).encode()).hexdigest()

        return cls(digest("pair", username.strip().lower(), client), digest("client", client))

    def policies(self) -> tuple[tuple[str, Backoff | Window], ...]:
        return (self.pair, PAIR), (self.client, CLIENT)


def check(session: Session, keys: Keys, now: datetime) -> bool:
    """429 `too_many_attempts` with `Retry-After` while either key is blocked; otherwise
    whether the pair has failures on record (a success then clears them)."""
    statement = select(LoginFailure).where(col(LoginFailure.key).in_([keys.pair, keys.client]))
    rows = list(session.scalars(statement))
    waits = [r.blocked_until - now for r in rows if r.blocked_until and r.blocked_until > now]
    if waits:
        seconds = math.ceil(max(waits).total_seconds())
        raise TooManyAttempts(headers={"Retry-After": str(max(1, seconds))})
    return any(r.key == keys.pair for r in rows)


def failed(engine: Engine, keys: Keys, now: datetime) -> None:
    """Count one failure on both keys, in one transaction (the rows locked: two workers
    counting at once both count)."""
    with unit_of_work(engine, write=True) as session:
        insert = conflict_insert(session)(LoginFailure.__table__)  # type: ignore[attr-defined]
        for key, _policy in keys.policies():
            row = {"key": key, "failures": 0, "since": now, "last_failed_at": now}
            session.execute(insert.values(**row).on_conflict_do_nothing(index_elements=["key"]))
        for key, policy in keys.policies():
            found = session.scalars(
                select(LoginFailure).where(col(LoginFailure.key) == key).with_for_update()
            ).one()
            policy.count(found, now)
            found.last_failed_at = now


def succeeded(engine: Engine, keys: Keys) -> None:
    """The pair's failures are forgotten (the address's are not: they decay)."""
    with unit_of_work(engine, write=True) as session:
        session.execute(delete(LoginFailure).where(col(LoginFailure.key) == keys.pair))
