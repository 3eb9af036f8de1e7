"""Pooled server connections are pinged only after sitting idle."""

import time
from typing import Any

import pytest
from sqlalchemy.exc import DisconnectionError

from app import db


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
