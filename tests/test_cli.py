"""The dvc-gateway console script: migrate, seed, import-catalogue, sweep-orphans."""

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from app.cli import main
from app.config import get_settings
from app.db import make_engine
from app.models import Agency, DossierFile, Procedure
from app.models.stats import stat_daily, stat_due, stat_monthly, stat_revision
from app.services.storage import LocalStorage
from tests.factories import make_dossier
from tests.services.catalogue.test_importing import document


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def count(url: str, table: type) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        result = session.scalar(select(func.count()).select_from(table)) or 0
    engine.dispose()
    return result


def test_import_catalogue_twice(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(document(), ensure_ascii=False), encoding="utf-8")
    assert main(["import-catalogue", str(path)]) == 0
    assert "procedures: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["import-catalogue", str(path)]) == 0
    assert "procedures: 0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert count(database, Procedure) == 2


def test_import_of_a_bad_file_names_the_record_and_writes_nothing(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document()
    doc["procedures"][1]["agency_code"] = "000.00.99.H20"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["import-catalogue", str(path)]) == 1
    err = capsys.readouterr().err
    assert "procedures[1] (1.000894): unknown agency 000.00.99.H20" in err
    assert count(database, Agency) == 0


def test_import_of_a_file_that_is_not_json(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["import-catalogue", str(path)]) == 1
    assert "not valid JSON: line 1" in capsys.readouterr().err
    assert main(["import-catalogue", str(tmp_path / "missing.json")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_seed_loads_the_sample_catalogue_once(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed"]) == 0
    first = count(database, Procedure)
    assert first >= 60
    assert main(["seed"]) == 0
    assert "0 created, 0 updated" in capsys.readouterr().out.splitlines()[-1]
    assert count(database, Procedure) == first


def test_migrate(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """It says how long the statistics took when a migration asked to recompute them (at
    millions of dossiers, minutes), and says nothing of them when none did."""
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out
    assert "statistics: 0 finished dossiers measured (0 with pauses) in " in out
    assert "statistics: counters recomputed from the dossiers in " in out
    assert count(database, Agency) == 0
    assert main(["migrate"]) == 0
    assert "statistics:" not in capsys.readouterr().out


def test_sweep_orphans_removes_only_old_unreferenced_files(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:

    root = tmp_path / "files"
    monkeypatch.setenv("STORAGE_URL", str(root))
    get_settings.cache_clear()
    assert main(["migrate"]) == 0
    storage = LocalStorage(root)

    def aged(key: str, age_s: float) -> str:
        old = time.time() - age_s
        os.utime(storage._object_path(key), (old, old))
        return key

    def stored(age_s: float) -> str:
        pending = storage.begin()
        pending.write(b"%PDF-1.7\n")
        return aged(storage.promote(pending), age_s)

    engine = make_engine(database)
    make_dossier(engine, storage=storage)  # its one file is referenced
    with Session(engine) as session:
        referenced = aged(session.scalars(select(col(DossierFile.storage_key))).one(), 7200)
    engine.dispose()
    orphan, young = stored(7200), stored(0)
    abandoned = storage.begin()
    abandoned.close()
    old = time.time() - 7200
    os.utime(abandoned.path, (old, old))

    assert main(["sweep-orphans", "--dry-run"]) == 0
    assert orphan in capsys.readouterr().out
    assert storage._object_path(orphan).exists()

    assert main(["sweep-orphans"]) == 0
    out = capsys.readouterr().out
    assert "removed 1 unreferenced file(s)" in out and orphan in out
    assert "removed 1 abandoned temporary file(s)" in out
    assert storage._object_path(referenced).exists()
    assert storage._object_path(young).exists()
    assert not storage._object_path(orphan).exists()
    assert not abandoned.path.exists()


def test_create_officer(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed"]) == 0
    args = ["create-officer", "--username", "lan", "--password", "mat-khau-du-dai"]
    assert main([*args, "--agency", "000.00.00.H60", "--role", "admin"]) == 0
    assert "created admin lan" in capsys.readouterr().out
    assert main([*args, "--agency", "000.00.00.H60"]) == 1
    assert "đã tồn tại" in capsys.readouterr().err
    assert main([*args[:2], "hoa", "--password", "short", "--agency", "000.00.00.H60"]) == 1
    assert "password" in capsys.readouterr().err
    assert (
        main(
            [
                "create-officer",
                "--username",
                "x2",
                "--password",
                "long-enough-1",
                "--agency",
                "000.99.99.H60",
            ]
        )
        == 1
    )


def test_stats_rebuild_reports_and_repairs_drift(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STORAGE_URL", str(tmp_path / "files"))
    get_settings.cache_clear()
    assert main(["migrate"]) == 0
    engine = make_engine(database)
    for _ in range(3):
        make_dossier(engine)
    assert main(["stats", "rebuild", "--dry-run"]) == 0
    assert "no drift" in capsys.readouterr().out
    with Session(engine) as session:
        session.execute(update(stat_daily).values(submitted=stat_daily.c.submitted + 5))
        session.execute(update(stat_monthly).values(st_new=stat_monthly.c.st_new + 2))
        bogus = {"agency_code": "000.00.00.H20", "procedure_code": "1.001193.H20"}
        session.execute(
            insert(stat_due).values(
                late_at=datetime(2025, 1, 2, 3, tzinfo=UTC), channel="online", level=4, n=4, **bogus
            )
        )
        session.commit()
    assert main(["stats", "rebuild", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "drift found in 3 counter row(s)" in out and "nothing changed" in out
    assert "stat_daily" in out and "'submitted': -5" in out and "'st_new': -2" in out
    assert "stat_due 2025-01-02 03:00:00+00:00" in out and "'n': -4" in out
    assert main(["stats", "rebuild"]) == 0
    assert "drifted rows repaired" in capsys.readouterr().out
    assert main(["stats", "rebuild", "--dry-run"]) == 0
    assert "no drift" in capsys.readouterr().out
    with Session(engine) as session:
        assert session.scalar(select(stat_daily.c.submitted)) == 3
        assert session.scalar(select(stat_revision.c.revision)) == 1
    engine.dispose()
