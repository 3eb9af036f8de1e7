"""Outages: a database that stops answering is a 503 `dependency_unavailable` on every endpoint
that needs it, answered at once, and the service carries on by itself when it returns, with
nothing lost and nothing half-written.

The PostgreSQL test stops a real server of its own (tests/pg_cluster.py), so it runs the same
in both suites; the SQLite tests lock or hide the database file."""

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app import db
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import migrated_engine, upgrade
from app.models import DossierFile
from tests.dossier_helpers import snapshot, stored_files, submit
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    make_officer,
    make_online_procedure,
    officer_headers,
)
from tests.pg_cluster import Cluster, throwaway_cluster

# A 503 must come at once: a refused connection is refused in microseconds, so anything near
# the connect timeout (5 s, `db_connect_timeout_s`) or SQLite's busy timeout (30 s) means a
# request waited for a pool, a lock or a reconnection backoff. The bound sits below those,
# not near the microseconds: on a loaded 2-core CI machine a prompt 503 once took over 2 s.
PROMPT_S = 4.0

Call = Callable[[TestClient], httpx.Response]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as started:
        with migrated_engine(started.url):
            pass
        yield started


@pytest.fixture
def cluster_client(cluster: Cluster, settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    on_cluster = settings.model_copy(
        update={"database_url": cluster.url, "stats_check_s": 0, "catalogue_cache_check_s": 0}
    )
    with TestClient(create_app(on_cluster)) as client:
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            make_online_procedure(session)
            make_officer(session, "mai", password=PASSWORD)
        yield client


def endpoints(code: str, headers: dict[str, str]) -> dict[str, Call]:
    """One request to each kind of endpoint that needs the database."""
    return {
        "submit": lambda c: submit(c),
        "track": lambda c: c.get(f"/api/v1/dossiers/{code}"),
        "queue": lambda c: c.get("/api/v1/officer/dossiers", headers=headers),
        "officer view": lambda c: c.get(f"/api/v1/officer/dossiers/{code}", headers=headers),
        "procedure": lambda c: c.get("/api/v1/procedures/1.001193.H20"),
        "agencies": lambda c: c.get("/api/v1/agencies"),
        "statistics": lambda c: c.get("/api/v1/stats/status"),
        "sign-in": lambda c: c.post(
            "/api/v1/auth/token", data={"username": "mai", "password": PASSWORD}
        ),
        "readiness": lambda c: c.get("/readyz"),
    }


def assert_unavailable(name: str, response: httpx.Response, elapsed: float) -> None:
    assert response.status_code == 503, (name, response.status_code, response.text)
    assert response.json() == {
        "error": {
            "code": "dependency_unavailable",
            "message": "Cơ sở dữ liệu không sẵn sàng.",
            "details": [{"dependency": "database"}],
        }
    }, name
    assert response.headers["retry-after"].isdigit(), name
    assert elapsed < PROMPT_S, (name, elapsed)


def timed(call: Call, client: TestClient) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = call(client)
    return response, time.monotonic() - start


def test_a_postgresql_that_stops_is_a_503_everywhere_and_recovery_needs_nothing(
    cluster: Cluster, cluster_client: TestClient, settings: Settings
) -> None:
    client = cluster_client
    headers = officer_headers(client, "lan")
    first = submit(client)
    assert first.status_code == 201, first.text
    code = first.json()["code"]
    calls = endpoints(code, headers)
    for name, call in calls.items():
        assert call(client).status_code in (200, 201), name  # every connection pool is warm
    files_before = stored_files(Path(settings.storage_url))

    cluster.stop()
    for _round in range(2):  # the connections the stop broke, then fresh attempts
        for name, call in calls.items():
            assert_unavailable(name, *timed(call, client))
    action = {"action": "accept", "version": 1}
    refused = client.post(f"/api/v1/officer/dossiers/{code}/actions", json=action, headers=headers)
    assert refused.status_code == 503
    # The refused submissions left no file behind.
    assert stored_files(Path(settings.storage_url)) == files_before

    cluster.start()
    for name, call in calls.items():
        response = call(client)
        assert response.status_code in (200, 201), (name, response.text)
    accepted = client.post(f"/api/v1/officer/dossiers/{code}/actions", json=action, headers=headers)
    assert accepted.status_code == 200, accepted.text
    tracked = client.get(f"/api/v1/dossiers/{code}").json()
    assert tracked["status"] == "accepted"
    assert [event["status"] for event in tracked["history"]] == ["new", "accepted"]
    queue = client.get("/api/v1/officer/dossiers", headers=headers).json()
    assert queue["total"] == 3  # the first, the warm-up's and the one after the start
    assert len(stored_files(Path(settings.storage_url))) == 3


def test_a_postgresql_restarted_between_requests_costs_no_request(
    cluster: Cluster, cluster_client: TestClient
) -> None:
    # A restart no request saw: the pooled connections it broke are found and replaced
    # without an error reaching a client (tracking's loop reader), or with at most the one
    # request that finds them broken (the session pool, which then discards them all).
    client = cluster_client
    headers = officer_headers(client, "lan")
    code = submit(client).json()["code"]
    calls = endpoints(code, headers)
    for call in calls.values():
        call(client)
    cluster.stop()
    cluster.start()
    assert client.get(f"/api/v1/dossiers/{code}").status_code == 200
    statuses: dict[str, list[int]] = {}
    for name, call in calls.items():
        statuses[name] = [call(client).status_code for _ in range(2)]
    broken = [name for name, codes in statuses.items() if codes[0] == 503]
    assert len(broken) <= 1, statuses
    assert all(codes[1] in (200, 201) for codes in statuses.values()), statuses


# --- SQLite: no server to lose, but a file that is locked or cannot be opened ---------------


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file with the online procedure and an officer who signs in."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'dvc.db'}")
    upgrade(engine)
    with Session(engine) as session:
        make_online_procedure(session)
        make_officer(session, "mai", password=PASSWORD)
    yield engine
    engine.dispose()


def sqlite_client(settings: Settings, engine: Engine) -> TestClient:
    fresh = settings.model_copy(update={"stats_check_s": 0, "catalogue_cache_check_s": 0})
    return TestClient(create_app(fresh, engine))


def test_a_sqlite_file_locked_past_the_busy_timeout_is_a_503(
    sqlite_file: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process holds the write lock (a backup, a migration, a stuck script) for longer
    # than a request may wait: "database is locked" was a 500. Readers read on (WAL).
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    engine = make_engine(str(sqlite_file.url))  # its connections wait 100 ms
    with sqlite_client(settings, engine) as client:
        headers = officer_headers(client, "lan")
        code = submit(client).json()["code"]
        action = {"action": "accept", "version": 1}
        act_url = f"/api/v1/officer/dossiers/{code}/actions"
        database = engine.url.database
        assert database
        holder = sqlite3.connect(database, isolation_level=None, timeout=10)
        holder.execute("BEGIN IMMEDIATE")
        for name, call in {
            "submit": submit,
            "act": lambda c: c.post(act_url, json=action, headers=headers),
        }.items():
            assert_unavailable(name, *timed(call, client))
        assert client.get(f"/api/v1/dossiers/{code}").status_code == 200
        assert client.get("/api/v1/officer/dossiers", headers=headers).status_code == 200
        holder.execute("ROLLBACK")
        holder.close()
        assert client.post(act_url, json=action, headers=headers).status_code == 200
        assert submit(client).status_code == 201
        assert client.get("/api/v1/officer/dossiers", headers=headers).json()["total"] == 2
    engine.dispose()


def test_a_sqlite_file_that_cannot_be_opened_is_a_503(
    sqlite_file: Engine, settings: Settings, tmp_path: Path
) -> None:
    # The database's folder is gone (an unmounted volume) when the worker needs a new
    # connection: SQLite cannot open the file. As root, taking permissions away would not
    # stop SQLite; a folder that is not there does.
    with sqlite_client(settings, sqlite_file) as client:
        headers = officer_headers(client, "lan")
        code = submit(client).json()["code"]
        sqlite_file.dispose()  # the worker holds no connection to the file
        (tmp_path / "db").rename(tmp_path / "away")
        calls = endpoints(code, headers)
        for name, call in calls.items():
            assert_unavailable(name, *timed(call, client))
        (tmp_path / "away").rename(tmp_path / "db")
        for name, call in calls.items():
            assert call(client).status_code in (200, 201), name
        assert client.get(f"/api/v1/dossiers/{code}").json()["code"] == code


# --- The file storage ----------------------------------------------------------------------


def test_a_storage_that_cannot_be_written_is_a_503_and_leaves_nothing(
    settings: Settings, engine: Engine, session: Session, tmp_path: Path
) -> None:
    make_online_procedure(session)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    broken = settings.model_copy(update={"storage_url": str(blocker / "files")})
    with TestClient(create_app(broken, engine)) as client:
        response = submit(client)
    assert response.status_code == 503, response.text
    assert response.json()["error"] == {
        "code": "dependency_unavailable",
        "message": "Kho lưu trữ tệp không sẵn sàng.",
        "details": [{"dependency": "storage"}],
    }
    assert response.headers["retry-after"].isdigit()
    assert snapshot(engine, blocker)["rows"] == {"Dossier": 0, "DossierFile": 0, "DossierEvent": 0}


def test_a_storage_that_cannot_be_read_is_a_503_before_the_download_starts(
    client: TestClient, session: Session, settings: Settings
) -> None:
    make_online_procedure(session)
    code = submit(client).json()["code"]
    headers = officer_headers(client, "lan")
    base = f"/api/v1/officer/dossiers/{code}"
    document = client.get(base, headers=headers).json()["documents"][0]
    url = f"{base}/documents/{document['id']}"
    root = Path(settings.storage_url)
    root.rename(root.with_name("unmounted"))  # the volume is not there
    response = client.get(url, headers=headers)
    assert response.status_code == 503
    assert response.json()["error"]["details"] == [{"dependency": "storage"}]
    root.with_name("unmounted").rename(root)
    assert client.get(url, headers=headers).content == PDF_BYTES


def test_files_are_kept_when_the_database_is_lost_during_the_commit(
    client: TestClient,
    engine: Engine,
    session: Session,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The COMMIT reached the database, its answer never came back: the dossier is written,
    # and its file must not be deleted as if the transaction had failed.
    make_online_procedure(session)
    real_commit = Session.commit

    def commit_then_lose_the_connection(self: Session) -> None:
        real_commit(self)
        lost = psycopg.OperationalError("server closed the connection unexpectedly")
        raise OperationalError("COMMIT", {}, lost, connection_invalidated=True)

    monkeypatch.setattr(Session, "commit", commit_then_lose_the_connection)
    response = submit(client)
    monkeypatch.undo()
    assert response.status_code == 503
    after = snapshot(engine, Path(settings.storage_url))
    assert after["rows"] == {"Dossier": 1, "DossierFile": 1, "DossierEvent": 1}
    with Session(engine) as check:
        stored = check.scalars(select(DossierFile)).one()
    assert after["files"] == [f"objects/{stored.storage_key[:2]}/{stored.storage_key}"]


def test_the_documentation_shows_the_503_of_every_route_that_needs_the_database(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    without = {
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "503" not in operation["responses"]
    }
    assert without == {("/healthz", "get"), ("/metrics", "get")}
