"""The dvc-gateway console script: migrate, seed, import-catalogue, sweep-orphans."""

import getpass
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from app.cli import database_shown, main
from app.config import get_settings
from app.db import make_engine
from app.models import Agency, DossierFile, Officer, Procedure
from app.models.stats import stat_daily, stat_due, stat_monthly, stat_revision
from app.security import verify_password
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
    assert "thủ tục: 2 thêm mới, 0 cập nhật, 0 không đổi" in capsys.readouterr().out
    assert main(["import-catalogue", str(path)]) == 0
    assert "thủ tục: 0 thêm mới, 0 cập nhật, 2 không đổi" in capsys.readouterr().out
    assert count(database, Procedure) == 2


def test_the_sample_file_imports_as_the_seed_does(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An officer may import app/data/sample_catalogue.json itself: its `sample` block (what the
    data is) is read past, not refused and not imported."""
    path = Path(str(resources.files("app.data").joinpath("sample_catalogue.json")))
    assert "sample" in json.loads(path.read_text(encoding="utf-8"))
    assert main(["import-catalogue", str(path)]) == 0
    imported = count(database, Procedure)
    assert imported > 50
    capsys.readouterr()
    assert main(["seed"]) == 0
    assert "0 thêm mới, 0 cập nhật" in capsys.readouterr().out
    assert count(database, Procedure) == imported


def test_import_of_a_bad_file_names_the_record_and_writes_nothing(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document()
    doc["procedures"][1]["agency_code"] = "000.00.99.H20"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["import-catalogue", str(path)]) == 1
    err = capsys.readouterr().err
    assert "procedures[1] (1.000894): không có cơ quan 000.00.99.H20" in err
    assert count(database, Agency) == 0


def test_import_of_a_file_that_is_not_json(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["import-catalogue", str(path)]) == 1
    assert "không phải JSON hợp lệ: dòng 1" in capsys.readouterr().err
    missing = tmp_path / "missing.json"
    assert main(["import-catalogue", str(missing)]) == 1
    assert capsys.readouterr().err == f"lỗi: không đọc được tệp {missing}: không có tệp này\n"
    # The system's reason in Vietnamese, never the C library's English ("Is a directory").
    assert main(["import-catalogue", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"lỗi: không đọc được tệp {tmp_path}: đây là một thư mục, không phải tệp\n"
    )


def test_seed_loads_the_sample_catalogue_once(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed"]) == 0
    first = count(database, Procedure)
    assert first >= 60
    assert main(["seed"]) == 0
    assert "0 thêm mới, 0 cập nhật" in capsys.readouterr().out.splitlines()[-1]
    assert count(database, Procedure) == first


def test_migrate(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """It says how long the statistics took when a migration asked to recompute them (at
    millions of dossiers, minutes), and says nothing of them when none did."""
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert f"cơ sở dữ liệu đã cập nhật đủ các bản chuyển đổi: {database}" in out
    assert "thống kê: đã đo 0 hồ sơ đã kết thúc (0 hồ sơ có tạm dừng) trong " in out
    assert "thống kê: đã tính lại bộ đếm từ hồ sơ trong " in out
    assert count(database, Agency) == 0
    assert main(["migrate"]) == 0
    assert "thống kê:" not in capsys.readouterr().out


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
    assert "đã xóa 1 tệp không thuộc hồ sơ nào" in out and orphan in out
    assert "đã xóa 1 tệp tạm bị bỏ dở" in out
    assert storage._object_path(referenced).exists()
    assert storage._object_path(young).exists()
    assert not storage._object_path(orphan).exists()
    assert not abandoned.path.exists()


PASSWORD = "mat-khau-du-dai"


def officer_args(username: str, *extra: str, agency: str = "000.00.00.H60") -> list[str]:
    return ["create-officer", "--username", username, "--agency", agency, *extra]


def test_create_officer_asks_for_the_password_twice(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["seed"]) == 0
    prompts: list[str] = []

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr(getpass, "getpass", typed)
    assert main(officer_args("lan", "--role", "admin")) == 0
    assert prompts == ["Mật khẩu: ", "Nhập lại mật khẩu: "]
    assert "đã tạo tài khoản quản trị lan thuộc cơ quan 000.00.00.H60" in capsys.readouterr().out
    assert signs_in(database, "lan", PASSWORD)
    assert main(officer_args("lan")) == 1
    assert "đã tồn tại" in capsys.readouterr().err


def test_create_officer_refuses_prompts_that_differ_or_end(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["seed"]) == 0
    assert capsys.readouterr().err == ""  # a complete sample: the seed warns about nothing
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(answers))
    assert main(officer_args("lan")) == 1
    assert capsys.readouterr().err == "lỗi: hai lần nhập mật khẩu không khớp\n"

    def closed(_prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", closed)
    assert main(officer_args("lan")) == 1
    assert capsys.readouterr().err == "lỗi: chưa nhập mật khẩu\n"
    assert count(database, Officer) == 0


def test_create_officer_reads_the_password_from_standard_input(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["seed"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(officer_args("hoa", "--password-stdin")) == 0
    assert "đã tạo tài khoản cán bộ hoa" in capsys.readouterr().out
    assert signs_in(database, "hoa", PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(officer_args("mai", "--password-stdin")) == 1
    assert capsys.readouterr().err == "lỗi: không đọc được mật khẩu từ đầu vào chuẩn\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(officer_args("mai", "--password-stdin")) == 1
    # The API's own text for the constraint (app/services/messages.py).
    assert capsys.readouterr().err == "lỗi: mật khẩu: tối thiểu 10 ký tự\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD))
    assert main(officer_args("x2", "--password-stdin", agency="000.99.99.H60")) == 1
    assert count(database, Officer) == 1


def test_a_password_on_the_command_line_still_works_with_a_warning(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed"]) == 0
    assert capsys.readouterr().err == ""  # a complete sample: the seed warns about nothing
    assert main(officer_args("lan", "--password", PASSWORD)) == 0
    err = capsys.readouterr().err
    assert err.startswith("cảnh báo: --password đã lỗi thời") and "--password-stdin" in err
    assert signs_in(database, "lan", PASSWORD)
    with pytest.raises(SystemExit) as both:
        main(officer_args("hoa", "--password", PASSWORD, "--password-stdin"))
    assert both.value.code == 2
    assert "không dùng cùng với" in capsys.readouterr().err


def signs_in(url: str, username: str, password: str) -> bool:
    engine = make_engine(url)
    with Session(engine) as session:
        officer = session.scalars(select(Officer).where(col(Officer.username) == username)).one()
    engine.dispose()
    return verify_password(officer.password_hash, password)


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
    assert "không có sai lệch" in capsys.readouterr().out
    with Session(engine) as session:
        session.execute(update(stat_daily).values(submitted=stat_daily.c.submitted + 5))
        session.execute(update(stat_monthly).values(st_new=stat_monthly.c.st_new + 2))
        bogus = {"agency_code": "000.00.00.H60", "procedure_code": "1.001193.H20"}
        session.execute(
            insert(stat_due).values(
                late_at=datetime(2025, 1, 2, 3, tzinfo=UTC), channel="online", level=4, n=4, **bogus
            )
        )
        session.commit()
    assert main(["stats", "rebuild", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 dòng bộ đếm bị lệch" in out and "không thay đổi gì" in out
    assert "stat_daily" in out and "'submitted': -5" in out and "'st_new': -2" in out
    assert "stat_due 2025-01-02 03:00:00+00:00" in out and "'n': -4" in out
    assert main(["stats", "rebuild"]) == 0
    assert "đã sửa các dòng bị lệch" in capsys.readouterr().out
    assert main(["stats", "rebuild", "--dry-run"]) == 0
    assert "không có sai lệch" in capsys.readouterr().out
    with Session(engine) as session:
        assert session.scalar(select(stat_daily.c.submitted)) == 3
        assert session.scalar(select(stat_revision.c.revision)) == 1
    engine.dispose()


def test_commands_find_the_same_database_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path / "a")
    get_settings.cache_clear()
    assert main(["seed"]) == 0
    monkeypatch.chdir(tmp_path / "b")
    get_settings.cache_clear()
    assert main(["migrate"]) == 0
    database = f"sqlite:///{tmp_path}/data/dvc-gateway.db"
    assert capsys.readouterr().out.endswith(f"chuyển đổi: {database}\n")
    get_settings.cache_clear()
    assert count(database, Procedure) >= 60
    assert not list((tmp_path / "a").iterdir()) and not list((tmp_path / "b").iterdir())


def test_migrate_never_prints_a_database_password() -> None:
    shown = database_shown("postgresql+psycopg://dvc:bi-mat@db:5432/dvc")
    assert shown == "postgresql+psycopg://dvc:***@db:5432/dvc"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "dvc-gateway: lỗi: thiếu tham số bắt buộc: LỆNH"),
        (["bay"], "dvc-gateway: lỗi: tham số LỆNH: giá trị 'bay' không hợp lệ (chọn một trong: "),
        (["migrate", "--x"], "dvc-gateway: lỗi: không hiểu tham số: --x"),
        (
            ["serve", "--port", "tám"],
            "dvc-gateway serve: lỗi: tham số --port: giá trị 'tám' không hợp lệ: cần một số nguyên",
        ),
        (["serve", "--port"], "dvc-gateway serve: lỗi: tham số --port: cần một giá trị"),
        (
            ["create-officer", "--username", "lan"],
            "dvc-gateway create-officer: lỗi: thiếu tham số bắt buộc: --agency",
        ),
        (
            ["create-officer", "--username", "lan", "--agency", "x", "--role", "boss"],
            "dvc-gateway create-officer: lỗi: tham số --role: giá trị 'boss' không hợp lệ "
            "(chọn một trong: 'officer', 'admin')",
        ),
        (
            ["calendar", "add", "2025-04-26"],
            "dvc-gateway calendar add: lỗi: cần một trong các tham số: --off --working",
        ),
        (
            ["calendar", "add", "2025-04-26", "--off", "--working"],
            "dvc-gateway calendar add: lỗi: tham số --working: không dùng cùng với --off",
        ),
        (["stats"], "dvc-gateway stats: lỗi: thiếu tham số bắt buộc: LỆNH"),
    ],
)
def test_argument_errors_are_vietnamese(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cách dùng: dvc-gateway")
    assert message in err
    assert "error" not in err and "usage" not in err and "argument" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["serve"],
        ["migrate"],
        ["seed"],
        ["import-catalogue"],
        ["sweep-orphans"],
        ["create-officer"],
        ["stats"],
        ["stats", "rebuild"],
        ["calendar"],
        ["calendar", "add"],
        ["calendar", "remove"],
        ["calendar", "list"],
    ],
)
def test_every_help_is_vietnamese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: dvc-gateway")
    assert "hiện trợ giúp này rồi thoát" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "default:"):
        assert english not in out
