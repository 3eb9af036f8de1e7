"""Fixtures: a fresh database per test (in-memory SQLite, or PostgreSQL when TEST_DATABASE_URL
is set) and an HTTP client on an app bound to it."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# openpyxl uses lxml when it is installed; the service does not ship lxml (only the dev tools'
# python-docx brings it in), so the tests read and write XLSX as the service does.
os.environ["OPENPYXL_LXML"] = "False"

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
from app import security
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.factories import AuthAs, officer_headers
from tests.vietnamese import answer_problems

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def is_postgres() -> bool:
    return bool(TEST_DATABASE_URL)


@pytest.fixture(autouse=True)
def _errors_are_vietnamese_and_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every error answer any test meets is in Vietnamese and declared in its route's OpenAPI
    `responses` (tests/vietnamese.py): a new error fails where a test first provokes it."""
    request = TestClient.request

    def checked(self: TestClient, *args: Any, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = request(self, *args, **kwargs)
        if isinstance(self.app, FastAPI):
            problems = answer_problems(self.app, response)
            assert not problems, f"{response.request.method} {response.request.url}: {problems}"
        return response

    monkeypatch.setattr(TestClient, "request", checked)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2id still, with its smallest parameters: the suite makes and checks hundreds of
    passwords, and at the production cost (0.2 s each) they were a quarter of its time. The
    hashes carry their parameters, so verifying is the same code; tests/test_security.py
    checks the production parameters themselves."""
    real, dummy = security._hasher, security._DUMMY_HASH
    security._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    security._DUMMY_HASH = security._hasher.hash("not-a-real-password")
    yield
    security._hasher, security._DUMMY_HASH = real, dummy


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default data folder (app/config.py) of every test: a temporary one, never the
    user's own (a default Settings() would put keys and files there)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("data")
        patch.setenv("DATA_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine | None]:
    if not TEST_DATABASE_URL:
        yield None
        return
    engine = make_engine(TEST_DATABASE_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    SQLModel.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def engine(_postgres_engine: Engine | None) -> Iterator[Engine]:
    if _postgres_engine is None:
        engine = make_engine("sqlite://")
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    yield _postgres_engine
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with _postgres_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def signing_key_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    # One RSA key for the whole run: generating one per test would cost seconds.
    return str(tmp_path_factory.mktemp("keys") / "signing-key.json")


@pytest.fixture
def settings(tmp_path: os.PathLike[str], signing_key_path: str) -> Settings:
    return Settings(
        signing_key_path=signing_key_path,
        data_key_path=str(Path(signing_key_path).parent / "data-key"),
        database_url=TEST_DATABASE_URL or "sqlite://",
        storage_url=str(Path(tmp_path) / "files"),
        catalogue_cache_check_s=0,  # every request sees the writes before it
        _env_file=None,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine)) as test_client:
        yield test_client


@pytest.fixture
def file_client(settings: Settings, threaded_engine: Engine) -> Iterator[TestClient]:
    """The app on a database file (SQLite) or server (PostgreSQL), as deployed."""
    with TestClient(create_app(settings, threaded_engine)) as test_client:
        yield test_client


@pytest.fixture
def threaded_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An engine for tests with real concurrency: PostgreSQL itself, or a SQLite file (the
    in-memory database is one shared connection and cannot run two transactions at once)."""
    if is_postgres():
        yield engine
        return
    file_engine = make_engine(f"sqlite:///{tmp_path / 'concurrent.db'}")
    SQLModel.metadata.create_all(file_engine)
    yield file_engine
    file_engine.dispose()


@pytest.fixture
def auth_as(client: TestClient) -> AuthAs:
    """`auth_as("mai", agency=...)`: an officer's Authorization header for `client` (see
    `officer_headers`; for `file_client`, call `officer_headers(file_client, ...)`)."""

    def headers(
        username: str = "lan", *, role: str | None = None, agency: str | None = None
    ) -> dict[str, str]:
        return officer_headers(client, username, role=role, agency=agency)

    return headers
