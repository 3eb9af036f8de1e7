"""Settings, read once from the environment (and an optional `.env` file in the data folder).

Everything the service writes by default lives in one data folder, found the same way whatever
the current folder: `DATA_DIR` if set (the Docker image sets `/data`), else the platform's user
data folder (`platformdirs`: `~/.local/share/dvc-gateway` on Linux). A command run from another
folder therefore reads the same database as the server.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The blank forms of dossier components that ship with the application (the sample catalogue's).
TEMPLATES_DIR = Path(__file__).parent / "data" / "templates"
APP_NAME = "dvc-gateway"


def default_data_dir() -> Path:
    """`DATA_DIR`, else the user data folder of the platform; absolute either way."""
    configured = os.environ.get("DATA_DIR")
    chosen = configured or platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return Path(chosen).expanduser().absolute()


def _in_data_dir(*parts: str) -> Any:
    """A default under the data folder, whatever DATA_DIR the settings were given."""

    def default(data: dict[str, Any]) -> str:
        return str(Path(data["data_dir"]).joinpath(*parts))

    return default


class Settings(BaseSettings):
    """Every knob of the service; each field is an environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="where the SQLite database, uploaded files and server keys go by default",
    )
    database_url: str = Field(
        default_factory=lambda data: f"sqlite:///{Path(data['data_dir']) / 'dvc-gateway.db'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production",
    )
    storage_url: str = Field(
        default_factory=_in_data_dir("files"), description="file:///abs/folder or a folder path"
    )
    max_file_mb: int = Field(default=10, ge=1)
    max_request_mb: int = Field(
        default=50, ge=1, le=2048, description="a whole multipart submission, files included"
    )
    body_timeout_s: float = Field(
        default=60, gt=0, description="a request body that stalls this long is cut off (408)"
    )
    body_min_bytes_per_s: int = Field(
        default=1024,
        ge=1,
        description="after 10 s, a body arriving slower than this on average is cut off (408)",
    )
    max_json_kb: int = Field(
        default=256,
        ge=1,
        le=64 * 1024,
        description="every other request body (JSON, forms), enforced while it arrives",
    )
    scanner: str = Field(default="none", description="virus scanner: none (clamd later)")
    signing_key_path: str = Field(
        default_factory=_in_data_dir("keys", "signing-key.json"),
        description="the built-in token issuer's RSA key; created on first start",
    )
    intake_check_hours: float = Field(
        default=8,
        gt=0,
        le=1000,
        description="officer queue: a new online dossier waiting longer than this many working "
        "hours for its intake check is flagged (intake_overdue)",
    )
    tracking_miss_per_min: int = Field(
        default=60,
        ge=1,
        description="public tracking: lookups of unknown codes a client may make per minute",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description=(
            "comma-separated addresses of the reverse proxies whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed (none by default: a client cannot claim another "
            "address)"
        ),
    )
    data_key_path: str = Field(
        default_factory=_in_data_dir("keys", "data-key"),
        description=(
            "the key that encrypts applicants' access tokens kept for idempotent replays and "
            "keys the hashes of Idempotency-Keys; created on first start"
        ),
    )
    token_issuer: str = "dvc-gateway"  # noqa: S105 (a name, not a secret)
    token_audience: str = "dvc-gateway"  # noqa: S105
    token_ttl_minutes: int = Field(default=30, ge=1, le=24 * 60)
    officer_session_idle_s: int = Field(
        default=3600, ge=60, description="an officer's page session ends after this idle time"
    )
    officer_session_max_s: int = Field(
        default=10 * 3600,
        ge=60,
        description="and this long after sign-in at the latest (a working day, 07:30–17:00)",
    )
    oidc_issuer: str | None = Field(default=None, description="accept tokens of this provider")
    oidc_audience: str | None = None
    oidc_username_claim: str = "preferred_username"
    oidc_role_claim: str = "dvc_role"
    oidc_agency_claim: str = "dvc_agency"
    oidc_jwks_ttl_s: float = Field(default=600, ge=0)
    oidc_client_id: str | None = Field(
        default=None,
        description="the officers' sign-in page offers single sign-on with OIDC_ISSUER (the "
        "authorization code flow with PKCE) when this client id is set",
    )
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="unset: a public client, PKCE alone"
    )
    oidc_display_name: str = Field(
        default="Hệ thống xác thực tập trung",
        description='the provider\'s name on the sign-in page ("Đăng nhập bằng …")',
    )
    oidc_scopes: str = Field(
        default="openid profile",
        description="the scopes asked for, space-separated; they must carry the username, "
        "role and agency claims (in the ID token or from userinfo)",
    )
    oidc_redirect_uri: str | None = Field(
        default=None,
        description="the callback address registered with the provider; unset: this site's "
        "/can-bo/dang-nhap/sso/callback as the request reached it",
    )
    token_leeway_s: int = Field(default=30, ge=0, le=300, description="allowed clock skew")
    stats_max_age_s: int = Field(default=60, ge=0, description="Cache-Control max-age")
    stats_check_s: float = Field(
        default=1.0, ge=0, description="how often a worker rechecks the statistics revision"
    )
    db_pool_size: int = Field(default=10, ge=1)
    db_connect_timeout_s: int = Field(
        default=5,
        ge=2,
        description="the longest wait for a new database server connection; past it the "
        "request answers 503 dependency_unavailable (a connect_timeout in DATABASE_URL wins)",
    )
    catalogue_cache_check_s: float = Field(
        default=1.0,
        ge=0,
        description="how often the in-memory catalogue rechecks the database's catalogue "
        "revision; 0 checks on every request",
    )
    catalogue_max_age_s: int = Field(
        default=60, ge=0, description="Cache-Control max-age of catalogue reads"
    )
    templates_dir: str = Field(
        default=str(TEMPLATES_DIR),
        description="folder of the blank forms (mẫu đơn, tờ khai) that the catalogue's "
        "`required_documents[].template` name; served at /api/v1/procedures/{code}/templates/{key}",
    )
    sql_echo: bool = False

    @field_validator("oidc_scopes")
    @classmethod
    def _openid_scope(cls, value: str) -> str:
        if "openid" not in value.split():
            raise ValueError("OIDC_SCOPES must include openid")
        return " ".join(value.split())

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()


def env_file() -> Path:
    """The optional `.env` file: in the data folder, never in the current folder."""
    return default_data_dir() / ".env"


@lru_cache
def get_settings() -> Settings:
    return Settings(_env_file=env_file())
