"""Officer accounts (cán bộ một cửa) and administrators."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.catalogue import AgencyCode
from app.models.types import WRITE_CONFIG, CreatedAt, StrEnumType, UTCDateTime


class Role(StrEnum):
    officer = "officer"  # bound to one agency: acts on dossiers of that agency's subtree
    admin = "admin"  # catalogue, accounts, everything


class OfficerBase(SQLModel):
    username: str = Field(unique=True, sa_type=String(100))
    full_name: str = Field(sa_type=String(200))
    role: Role = Field(sa_type=StrEnumType(Role, 16))
    agency_code: str = Field(foreign_key="agency.code", sa_type=String(16))


class Officer(CreatedAt, OfficerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Argon2id; null for accounts that only sign in through the external provider.
    password_hash: str | None = Field(default=None, sa_type=String(200))
    disabled: bool = False


class LoginFailure(SQLModel, table=True):
    """Recent failed sign-ins of one (username, client address) pair or of one address, for
    the throttle (app/services/throttle.py). `key` is a SHA-256 of what it counts, so the table
    holds neither usernames nor addresses."""

    __tablename__ = "login_failure"

    key: str = Field(primary_key=True, sa_type=String(64))
    failures: int = Field(default=0)
    since: datetime = Field(sa_type=UTCDateTime)  # the first failure counted
    last_failed_at: datetime = Field(sa_type=UTCDateTime)
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OfficerSession(SQLModel, table=True):
    """An officer signed in on the pages (`/can-bo/`): the browser holds a random token in an
    HttpOnly cookie, the table its SHA-256 (`id`), so a copy of the table signs no one in. It
    ends at sign-out, after `officer_session_idle_s` without a request, and at `expires_at`.
    `issuer` is "local" for a password sign-in, else the OpenID Connect provider's issuer,
    whose role and agency claims at sign-in are kept here (a local session reads them from
    the account at each request, so a change applies at once)."""

    __tablename__ = "officer_session"

    id: str = Field(primary_key=True, sa_type=String(64))
    officer_id: int = Field(foreign_key="officer.id", index=True)
    issuer: str = Field(sa_type=String(300))
    role: Role | None = Field(default=None, sa_type=StrEnumType(Role, 16))
    agency_code: str | None = Field(default=None, sa_type=String(16))
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


USERNAME_RE = r"^[a-z0-9][a-z0-9._@-]{1,99}$"
Username = Annotated[str, StringConstraints(strip_whitespace=True, pattern=USERNAME_RE)]


class OfficerCreate(OfficerBase):
    model_config = WRITE_CONFIG

    username: Username
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    role: Role = Role.officer
    agency_code: AgencyCode
    password: Annotated[str, StringConstraints(min_length=10, max_length=200)] | None = Field(
        default=None,
        description="at least 10 characters; omit for single-sign-on-only accounts",
    )


class OfficerUpdate(BaseModel):
    """The changes to an account (`PATCH`): a field left out (or null) stays as it is."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    agency_code: AgencyCode | None = None
    disabled: bool | None = Field(
        default=None, description="true disables the account: its tokens and sessions stop"
    )


class OfficerPublic(OfficerBase):
    disabled: bool


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type)
    expires_in: int


class Principal(BaseModel):
    """Who is calling, whichever issuer vouched for them."""

    username: str
    role: Role
    agency_code: str
    issuer: str
