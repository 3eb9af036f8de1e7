"""The app as `dvc-gateway serve` runs it."""

import argparse
import gc
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import main
from app.cli import serve_options
from app.config import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process's heap back in the collector's hands afterwards."""
    yield
    gc.unfreeze()


def test_the_server_runs_the_served_app() -> None:
    args = argparse.Namespace(host="127.0.0.1", port=8000, workers=1, no_access_log=True)
    options = serve_options(Settings(_env_file=None), args)
    assert options["app"] == "app.main:serve_app" and options["factory"] is True


def test_the_served_app_keeps_its_startup_heap_out_of_full_collections(
    monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    built = FastAPI()
    monkeypatch.setattr(main, "create_app", lambda: built)
    gc.unfreeze()
    assert main.serve_app() is built
    assert gc.get_freeze_count() > 0  # what lived at startup is no longer visited


def test_the_app_that_tests_build_freezes_nothing(client: TestClient) -> None:
    assert gc.get_freeze_count() == 0  # frozen test apps would never be collected
