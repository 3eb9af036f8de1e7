"""The sign-in throttle (API.md, Officers): a doubling wait per (username, address), a window
per address, kept in the database, never a lock of an account from anywhere."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import unit_of_work
from app.errors import TooManyAttempts
from app.models.officer import LoginFailure
from app.services import throttle
from tests.factories import engine_of

T0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def blocked_for(engine: Engine, keys: throttle.Keys, now: datetime) -> int | None:
    with unit_of_work(engine) as session:
        try:
            throttle.check(session, keys, now)
        except TooManyAttempts as exc:
            assert exc.headers is not None
            return int(exc.headers["Retry-After"])
    return None


def test_waits_double_from_the_third_failure_and_stop_at_a_minute(session: Session) -> None:
    engine = engine_of(session)
    keys = throttle.Keys.of("lan", "203.0.113.7")
    waits, now = [], T0
    for _ in range(10):
        throttle.failed(engine, keys, now)
        waits.append(blocked_for(engine, keys, now))
        now += timedelta(seconds=(waits[-1] or 0) + 1)  # the guesser waits it out, each time
    assert waits == [None, None, 1, 2, 4, 8, 16, 32, 60, 60]
    assert blocked_for(engine, keys, now) is None  # a wait, not a lock


def test_the_table_holds_no_username_nor_address(session: Session) -> None:
    keys = throttle.Keys.of("lan", "203.0.113.7")
    throttle.failed(engine_of(session), keys, T0)
    rows = session.query(LoginFailure).all()
    assert len(rows) == 2 and all(len(r.key) == 64 for r in rows)
    assert not any("lan" in r.key or "203.0.113" in r.key for r in rows)


def test_an_address_takes_thirty_failures_in_ten_minutes(session: Session) -> None:
    engine = engine_of(session)
    minute = timedelta(minutes=1)
    for n in range(29):  # an office's 29 officers, one typo each, over five minutes
        throttle.failed(engine, throttle.Keys.of(f"officer{n}", "192.0.2.1"), T0 + n * minute / 6)
    now = T0 + 5 * minute
    assert blocked_for(engine, throttle.Keys.of("lan", "192.0.2.1"), now) is None
    throttle.failed(engine, throttle.Keys.of("officer29", "192.0.2.1"), now)
    assert blocked_for(engine, throttle.Keys.of("lan", "192.0.2.1"), now) == 300  # to T0 + 10'
    assert blocked_for(engine, throttle.Keys.of("lan", "192.0.2.2"), now) is None
    later = T0 + 10 * minute + timedelta(seconds=1)
    assert blocked_for(engine, throttle.Keys.of("lan", "192.0.2.1"), later) is None
    throttle.failed(engine, throttle.Keys.of("officer30", "192.0.2.1"), later)  # a new window
    assert blocked_for(engine, throttle.Keys.of("lan", "192.0.2.1"), later) is None


def test_failures_from_everywhere_never_block_the_officers_own_address(session: Session) -> None:
    engine = engine_of(session)
    for n in range(50):
        throttle.failed(engine, throttle.Keys.of("lan", f"198.51.100.{n}"), T0)
    assert blocked_for(engine, throttle.Keys.of("lan", "203.0.113.7"), T0) is None


def test_an_hour_without_failures_forgets_them(session: Session) -> None:
    engine = engine_of(session)
    keys = throttle.Keys.of("lan", "203.0.113.7")
    for _ in range(2):
        throttle.failed(engine, keys, T0)
    throttle.failed(engine, keys, T0 + timedelta(hours=1, seconds=1))  # counts as the first
    assert blocked_for(engine, keys, T0 + timedelta(hours=1, seconds=1)) is None


@pytest.mark.parametrize("username", ["Lan", " lan "])
def test_a_username_is_one_key_whatever_its_case_or_spaces(username: str) -> None:
    assert throttle.Keys.of(username, "x") == throttle.Keys.of("lan", "x")
