"""A request never holds one pooled connection while it waits for another: with as many
concurrent requests as the pool has connections, that deadlocks the pool."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.services.dossiers import workflow
from tests.dossier_helpers import submit
from tests.factories import make_online_procedure, officer_headers


def test_an_action_holds_no_connection_while_it_writes(
    file_client: TestClient, threaded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(threaded_engine) as session:
        make_online_procedure(session)
    code = submit(file_client).json()["code"]
    headers = officer_headers(file_client, "lan")
    pool: Any = threaded_engine.pool
    seen: list[int] = []
    real_apply, real_connect = workflow.apply_action, pool.connect

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(pool.checkedout())  # connections held when the write starts
        return real_apply(*args, **kwargs)

    def connect() -> Any:
        # A checkout while this request already holds a connection: what deadlocks a pool.
        held.append(pool.checkedout() - before)
        return real_connect()

    held: list[int] = []
    monkeypatch.setattr(workflow, "apply_action", counting)
    monkeypatch.setattr(pool, "connect", connect)
    before = pool.checkedout()
    body = {"action": "accept", "version": 1}
    answer = file_client.post(
        f"/api/v1/officer/dossiers/{code}/actions", json=body, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted"
    assert seen == [before]  # the officer's lookup has handed its connection back
    assert held and max(held) == 0  # and no checkout happened while holding another
