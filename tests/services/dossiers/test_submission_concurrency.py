"""Dossier codes under real concurrency, on SQLite (a file) and on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.config import Settings
from app.models import Dossier, DossierFile
from app.models.types import VN_TZ, utcnow
from app.services.dossiers.submission import Received, SubmissionResult, submit_dossier
from app.services.storage import LocalStorage
from tests.dossier_helpers import stored_files
from tests.factories import make_online_procedure, submission


def run_concurrently(
    engine: Engine, storage: LocalStorage, jobs: list[tuple[Received, str | None]]
) -> list[SubmissionResult]:
    settings = Settings(_env_file=None)
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [
            pool.submit(submit_dossier, engine, storage, settings, job, key, utcnow())
            for job, key in jobs
        ]
        return [future.result() for future in futures]


def test_50_concurrent_submissions_get_50_consecutive_codes(
    threaded_engine: Engine, tmp_path: Path
) -> None:
    with Session(threaded_engine) as session:
        make_online_procedure(session)
    storage = LocalStorage(tmp_path / "files")
    jobs: list[tuple[Received, str | None]] = [(submission(storage), None) for _ in range(50)]
    results = run_concurrently(threaded_engine, storage, jobs)
    day = f"{datetime.now(VN_TZ):%y%m%d}"
    codes = sorted(result.created.code for result in results)
    assert codes == [f"000.00.00.H20-{day}-{n:04d}" for n in range(1, 51)]
    with Session(threaded_engine) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 50
        assert session.scalar(select(func.count()).select_from(DossierFile)) == 50
    assert len([f for f in stored_files(storage.root) if f.startswith("objects")]) == 50
    assert [f for f in stored_files(storage.root) if f.startswith("tmp")] == []


def test_concurrent_retries_with_one_key_create_one_dossier(
    threaded_engine: Engine, tmp_path: Path
) -> None:
    with Session(threaded_engine) as session:
        make_online_procedure(session)
    storage = LocalStorage(tmp_path / "files")
    jobs: list[tuple[Received, str | None]] = [
        (submission(storage), "retry-key") for _ in range(10)
    ]
    results = run_concurrently(threaded_engine, storage, jobs)
    assert len({r.created.code for r in results}) == 1
    assert len({r.created.access_token for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False] + [True] * 9
    with Session(threaded_engine) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 1
    assert len(stored_files(storage.root)) == 1  # the retries' files are gone
