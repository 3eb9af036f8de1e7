"""Officer accounts (cán bộ một cửa) and administrators."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.catalogue import AgencyCode
from app.models.types import UTCDateTime, utcnow


class Role(StrEnum):
    officer = "officer"  # bound to one agency: acts on dossiers of that agency's subtree
    admin = "admin"  # catalogue, accounts, everything


class Officer(SQLModel, table=True):
    id: int | None = SQLField(default=None, sa_column=Column(Integer, primary_key=True))
    username: str = SQLField(sa_column=Column(String(100), nullable=False, unique=True))
    full_name: str = SQLField(default="", sa_column=Column(String(200), nullable=False))
    # Argon2id; null for accounts that only sign in through the external provider.
    password_hash: str | None = SQLField(default=None, sa_column=Column(String(200)))
    role: str = SQLField(sa_column=Column(String(16), nullable=False))
    agency_code: str = SQLField(
        sa_column=Column(String(16), ForeignKey("agency.code"), nullable=False)
    )
    disabled: bool = SQLField(default=False, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


Username = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9._@-]{1,99}$")
]


class OfficerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    password: Annotated[str, StringConstraints(min_length=10, max_length=200)] | None = Field(
        default=None, description="at least 10 characters; omit for single-sign-on-only accounts"
    )
    agency_code: AgencyCode
    role: Role = Role.officer


class OfficerPublic(BaseModel):
    username: str
    full_name: str
    role: Role
    agency_code: str
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
