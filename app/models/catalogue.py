"""The catalogue aggregate: agencies, fields (lĩnh vực) and procedures (DOMAIN.md §2–3)."""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, ForeignKey, String, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.types import UTCDateTime, utcnow

FORM_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DOCUMENT_KEY_RE = r"^[a-z][a-z0-9_]{0,39}$"
# Part names of the submission form that a document key must not shadow (API.md).
RESERVED_DOCUMENT_KEYS = frozenset({"procedure_code", "applicant", "form", "channel"})


class Tier(StrEnum):
    province = "province"
    district = "district"
    commune = "commune"


TIER_RANK = {Tier.province: 0, Tier.district: 1, Tier.commune: 2}


class OnlineMode(StrEnum):
    """Decree 42/2022 classes of online service, derived from the level."""

    none = "none"
    partial = "partial"
    full = "full"


# The levels that take dossiers online (Decree 43/2011/NĐ-CP Art. 3; DOMAIN.md §3): the one
# definition of "an online service" for submission, the catalogue and indicators 3.1/3.2.
ONLINE_LEVELS = (3, 4)


def accepts_online(level: int) -> bool:
    """Whether a procedure at `level` takes online submissions."""
    return level in ONLINE_LEVELS


def online_mode_for(level: int) -> OnlineMode:
    """Levels 1–2 offer no online service, 3 is partial, 4 is full (DOMAIN.md §3)."""
    if not accepts_online(level):
        return OnlineMode.none
    return OnlineMode.full if level == max(ONLINE_LEVELS) else OnlineMode.partial


class DocumentType(StrEnum):
    pdf = "application/pdf"
    jpeg = "image/jpeg"
    png = "image/png"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Tables


class Agency(SQLModel, table=True):
    code: str = SQLField(sa_column=Column(String(16), primary_key=True))
    name: str = SQLField(sa_column=Column(String(300), nullable=False))
    tier: str = SQLField(sa_column=Column(String(16), nullable=False))
    parent_code: str | None = SQLField(
        default=None,
        sa_column=Column(String(16), ForeignKey("agency.code"), nullable=True, index=True),
    )
    # Materialised path "root/…/self/" so a subtree is one prefix match on any database.
    path: str = SQLField(sa_column=Column(String(1000), nullable=False, index=True))


class ProcedureField(SQLModel, table=True):
    __tablename__ = "field"

    code: str = SQLField(sa_column=Column(String(32), primary_key=True))
    name: str = SQLField(sa_column=Column(String(300), nullable=False))


class Procedure(SQLModel, table=True):
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    code: str = SQLField(sa_column=Column(String(64), primary_key=True))
    name: str = SQLField(sa_column=Column(String(500), nullable=False))
    # Name and code folded once in Python (lower case, no diacritics, đ→d) so that search is
    # the same on SQLite and PostgreSQL; see services/catalogue/procedures.py.
    search_text: str = SQLField(sa_column=Column(Text, nullable=False))
    level: int = SQLField(nullable=False, index=True)
    agency_code: str = SQLField(
        sa_column=Column(String(16), ForeignKey("agency.code"), nullable=False, index=True)
    )
    field_code: str = SQLField(
        sa_column=Column(String(32), ForeignKey("field.code"), nullable=False, index=True)
    )
    tier: str = SQLField(sa_column=Column(String(16), nullable=False, index=True))
    processing_days: int = SQLField(nullable=False)
    fee_vnd: int = SQLField(sa_column=Column(BigInteger, nullable=False))
    description: str = SQLField(sa_column=Column(Text, nullable=False))
    steps: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    legal_basis: list[str] = SQLField(sa_column=Column(JSON, nullable=False))
    result: str = SQLField(sa_column=Column(Text, nullable=False))
    required_documents: list[dict[str, Any]] = SQLField(sa_column=Column(JSON, nullable=False))
    form_schema: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))
    retired_at: datetime | None = SQLField(default=None, sa_column=Column(UTCDateTime, index=True))
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    updated_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )

    @property
    def online_mode(self) -> OnlineMode:
        return online_mode_for(self.level)


# ---------------------------------------------------------------------------------------------
# API models

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AgencyCode = Annotated[str, StringConstraints(pattern=AGENCY_CODE_RE.pattern)]
ProcedureCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^\S+$")
]


class AgencyBase(BaseModel):
    code: AgencyCode
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    tier: Tier
    parent_code: AgencyCode | None = None


class AgencyIn(AgencyBase):
    model_config = ConfigDict(extra="forbid")


class AgencyPublic(AgencyBase):
    model_config = ConfigDict(from_attributes=True)


class FieldBase(BaseModel):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class FieldIn(FieldBase):
    model_config = ConfigDict(extra="forbid")


class FieldPublic(FieldBase):
    model_config = ConfigDict(from_attributes=True)


class RequiredDocument(BaseModel):
    """A dossier component (thành phần hồ sơ) and the files it accepts."""

    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, StringConstraints(pattern=DOCUMENT_KEY_RE)]
    name: NonEmpty
    required: bool = True
    originals: int = Field(default=1, ge=0)
    copies: int = Field(default=0, ge=0)
    accepted_types: list[DocumentType] = Field(min_length=1)
    max_size_mb: int | None = Field(default=None, ge=1, le=100)
    template_url: str | None = None

    @field_validator("key")
    @classmethod
    def _not_reserved(cls, key: str) -> str:
        if key in RESERVED_DOCUMENT_KEYS:
            raise ValueError(f"'{key}' is reserved for a submission field")
        return key


class ProcedureListItem(BaseModel):
    """The fields of a procedure in lists (API.md, Catalogue)."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: Literal[1, 2, 3, 4]
    online_mode: OnlineMode
    agency_code: str
    field_code: str
    tier: Tier
    processing_days: int
    fee_vnd: int


class ProcedureDetail(ProcedureListItem):
    description: str
    steps: list[str]
    legal_basis: list[str]
    result: str
    required_documents: list[RequiredDocument]
    form_schema: dict[str, Any] | None
    retired_at: datetime | None = None


class ProcedureIn(BaseModel):
    """A procedure as an administrator writes it (import file, later the admin API)."""

    model_config = ConfigDict(extra="forbid")

    code: ProcedureCode
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    level: Literal[1, 2, 3, 4]
    agency_code: AgencyCode
    field_code: str
    tier: Tier | None = Field(default=None, description="defaults to the agency's tier")
    processing_days: int = Field(ge=0, le=3650)
    fee_vnd: int = Field(default=0, ge=0)
    description: str = ""
    steps: list[NonEmpty] = Field(default_factory=list)
    legal_basis: list[NonEmpty] = Field(default_factory=list)
    result: str = ""
    required_documents: list[RequiredDocument] = Field(default_factory=list)
    form_schema: dict[str, Any] | None = None

    @field_validator("form_schema")
    @classmethod
    def _valid_json_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is None:
            return None
        dialect = schema.get("$schema", FORM_SCHEMA_DIALECT)
        if dialect != FORM_SCHEMA_DIALECT:
            raise ValueError(f"form_schema must declare Draft 2020-12: {FORM_SCHEMA_DIALECT}")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(part) for part in exc.path) or "(root)"
            message = f"form_schema is not a valid JSON Schema at {where}: {exc.message}"
            raise ValueError(message) from exc
        if schema.get("type") != "object":
            raise ValueError('form_schema must describe an object ("type": "object")')
        return schema

    @model_validator(mode="after")
    def _check_documents_and_schema(self) -> "ProcedureIn":
        keys = [doc.key for doc in self.required_documents]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"duplicate document keys: {', '.join(duplicates)}")
        if accepts_online(self.level) and self.form_schema is None:
            raise ValueError("form_schema is required for levels 3 and 4")
        if not accepts_online(self.level) and self.form_schema is not None:
            raise ValueError("form_schema must be null for levels 1 and 2 (no online submission)")
        return self


class CatalogueDocument(BaseModel):
    """The import/export document: all or nothing."""

    model_config = ConfigDict(extra="forbid")

    agencies: list[AgencyIn] = Field(default_factory=list)
    fields: list[FieldIn] = Field(default_factory=list)
    procedures: list[ProcedureIn] = Field(default_factory=list)


class ImportReport(BaseModel):
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
