"""Where the service keeps its data by default: one folder, whatever the current folder."""

from pathlib import Path

import platformdirs
import pytest

from app.config import Settings, default_data_dir, get_settings


def test_the_data_folder_is_data_dir_or_the_users_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "dvc"))
    assert default_data_dir() == tmp_path / "dvc"
    monkeypatch.delenv("DATA_DIR")
    expected = Path(platformdirs.user_data_dir("dvc-gateway", appauthor=False)).absolute()
    assert default_data_dir() == expected
    assert Settings(_env_file=None).data_dir == expected


def test_every_default_lives_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for field in ("DATABASE_URL", "STORAGE_URL", "SIGNING_KEY_PATH", "DATA_KEY_PATH"):
        monkeypatch.delenv(field, raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == f"sqlite:///{tmp_path}/dvc-gateway.db"
    assert settings.storage_url == str(tmp_path / "files")
    assert settings.signing_key_path == str(tmp_path / "keys" / "signing-key.json")
    assert settings.data_key_path == str(tmp_path / "keys" / "data-key")
    # A value set explicitly wins; the others still follow the data folder.
    chosen = Settings(_env_file=None, data_dir=tmp_path / "b", storage_url="/srv/files")
    assert chosen.storage_url == "/srv/files"
    assert chosen.database_url == f"sqlite:///{tmp_path}/b/dvc-gateway.db"


def test_the_current_folder_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not the data, and not the settings: a `.env` in the current folder is not read; the one
    in the data folder is."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MAX_FILE_MB", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".env").write_text("DATABASE_URL=sqlite:///var/other.db\n")
    (data / ".env").write_text("MAX_FILE_MB=7\n")
    seen = []
    for folder in (tmp_path, elsewhere):
        monkeypatch.chdir(folder)
        get_settings.cache_clear()
        seen.append((get_settings().database_url, get_settings().max_file_mb))
    get_settings.cache_clear()
    assert seen == [(f"sqlite:///{data}/dvc-gateway.db", 7)] * 2


def test_a_relative_data_dir_is_made_absolute_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None, data_dir=Path("rel"))
    assert settings.data_dir == tmp_path / "rel"
    assert settings.database_url == f"sqlite:///{tmp_path}/rel/dvc-gateway.db"
