"""Settings, read once from the environment (and an optional `.env` file)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Every knob of the service; each field is an environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'dvc-gateway.db'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production",
    )
    storage_url: str = Field(
        default=str(VAR_DIR / "files"), description="file:///abs/folder or a folder path"
    )
    max_file_mb: int = Field(default=10, ge=1)
    max_request_mb: int = Field(default=50, ge=1)
    scanner: str = Field(default="none", description="virus scanner: none (clamd later)")
    db_pool_size: int = Field(default=10, ge=1)
    sql_echo: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
