"""The catalogue aggregate: agencies, fields (lĩnh vực) and procedures (DOMAIN.md §2–3)."""

import math
import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    Integer,
    String,
    Text,
    false,
)
from sqlmodel import Field, SQLModel

from app.models.applicant import (
    DEFAULT_APPLICANT_KINDS,
    DEFAULT_APPLICANT_KINDS_JSON,
    ApplicantKind,
    canonical_kinds,
)
from app.models.types import MAX_AMOUNT_VND, WRITE_CONFIG, StrEnumType, Timestamps, UTCDateTime

FORM_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# ASCII digits: `\d` takes any Unicode digit, in Python's patterns and in pydantic's.
AGENCY_CODE_RE = re.compile(r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")
DOCUMENT_KEY_RE = r"^[a-z][a-z0-9_]{0,39}$"
PROCEDURE_CODE_RE = r"^\S+$"
# Part names of the submission form that a document key must not shadow (API.md).
RESERVED_DOCUMENT_KEYS = frozenset(
    {"procedure_code", "agency_code", "applicant", "form", "channel"}
)
# A template is a plain file name in TEMPLATES_DIR: no folder, no leading dot (so never `..`).
TEMPLATE_NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$"


class Tier(StrEnum):
    province = "province"
    district = "district"
    commune = "commune"

    @property
    def label(self) -> str:
        """The tier in Vietnamese, for messages."""
        return TIER_LABELS[self]


TIER_LABELS = {Tier.province: "cấp tỉnh", Tier.district: "cấp huyện", Tier.commune: "cấp xã"}
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


class ProcedureChannel(StrEnum):
    """How a procedure takes dossiers (the dossier channels of DOMAIN.md §4), in the order
    reads list them."""

    counter = "counter"
    postal = "postal"
    online = "online"


def default_channels(level: int) -> list["ProcedureChannel"]:
    """At the counter and by post everywhere; online too at levels 3–4 (DOMAIN.md §3)."""
    channels = [ProcedureChannel.counter, ProcedureChannel.postal]
    return [*channels, ProcedureChannel.online] if accepts_online(level) else channels


DEFAULT_CHANNELS_JSON = '["counter", "postal"]'


class FeePer(StrEnum):
    """What a fee line's amount is counted per; a line without one is a fixed amount."""

    page = "page"
    copy = "copy"
    set = "set"


class FeeLine(BaseModel):
    """One line of a procedure's fees (phí, lệ phí: DOMAIN.md §3)."""

    model_config = ConfigDict(extra="forbid")

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    amount_vnd: int = Field(ge=0, le=MAX_AMOUNT_VND)
    per: FeePer | None = Field(
        default=None, description="null: a fixed amount; page, copy, set: the amount per unit"
    )
    online_discount_vnd: int = Field(
        default=0, ge=0, description="how much less the line costs for a dossier sent online"
    )

    @model_validator(mode="after")
    def _discount_within_amount(self) -> "FeeLine":
        if self.online_discount_vnd > self.amount_vnd:
            raise ValueError(
                f"online_discount_vnd ({self.online_discount_vnd}) không được lớn hơn "
                f"amount_vnd ({self.amount_vnd})"
            )
        return self


def fixed_fee(fees: list[FeeLine]) -> int:
    """`fee_vnd` for older clients: the sum of the fixed lines (a per-page rule has no total)."""
    return sum(line.amount_vnd for line in fees if line.per is None)


# The one line a procedure written with `fee_vnd` alone gets (API.md, Catalogue).
FEE_LINE_LABEL = "Lệ phí"


class DocumentType(StrEnum):
    pdf = "application/pdf"
    jpeg = "image/jpeg"
    png = "image/png"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    @property
    def extension(self) -> str:
        """The filename extension of this type (a download is named by what it is)."""
        return ".jpg" if self is DocumentType.jpeg else f".{self.name}"

    @property
    def label(self) -> str:
        """The type as people name it in messages ("PDF, JPG, PNG"), never the MIME type."""
        return DOCUMENT_TYPE_LABELS[self]


DOCUMENT_TYPE_LABELS = {
    DocumentType.pdf: "PDF",
    DocumentType.jpeg: "JPG",
    DocumentType.png: "PNG",
    DocumentType.docx: "Word (DOCX)",
    DocumentType.xlsx: "Excel (XLSX)",
}


def type_labels(types: Any) -> str:
    """Accepted types as a reader says them: `PDF, JPG, PNG`; a type unknown here (a stored
    value of an older catalogue) stays as it is."""
    known = {t.value: t.label for t in DocumentType}
    return ", ".join(known.get(str(t), str(t)) for t in types)


class ProcessingUnit(StrEnum):
    """The unit of a procedure's processing time (Decision 766, 2.2: "the unit follows the
    procedure"); how each is counted is in services/dossiers/deadlines.py (DOMAIN.md §5)."""

    working_days = "working_days"
    working_hours = "working_hours"
    calendar_days = "calendar_days"
    months = "months"

    @property
    def label(self) -> str:
        """The unit in Vietnamese, for messages."""
        return PROCESSING_UNIT_LABELS[self]


PROCESSING_UNIT_LABELS = {
    ProcessingUnit.working_days: "ngày làm việc",
    ProcessingUnit.working_hours: "giờ làm việc",
    ProcessingUnit.calendar_days: "ngày",
    ProcessingUnit.months: "tháng",
}

# Halves are allowed (0.5 working day = 4 working hours); calendar days and months are whole.
WHOLE_UNITS = frozenset({ProcessingUnit.calendar_days, ProcessingUnit.months})
MAX_PROCESSING = {
    ProcessingUnit.working_days: 3650,
    ProcessingUnit.working_hours: 3650 * 8,
    ProcessingUnit.calendar_days: 3650,
    ProcessingUnit.months: 120,
}
# `processing_days` for older clients: whole days, rounded up (working hours by 8 a day,
# months by 30 days).
DAYS_PER_UNIT = {
    ProcessingUnit.working_days: 1.0,
    ProcessingUnit.working_hours: 1 / 8,
    ProcessingUnit.calendar_days: 1.0,
    ProcessingUnit.months: 30.0,
}


class ProcessingTime(BaseModel):
    """A processing time: an amount (halves allowed) and its unit."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(ge=0, description="the amount, a multiple of 0.5")
    unit: ProcessingUnit = ProcessingUnit.working_days

    @model_validator(mode="after")
    def _in_halves(self) -> "ProcessingTime":
        if not math.isfinite(self.value) or (self.value * 2) % 1:
            raise ValueError("thời hạn giải quyết (processing_time.value) phải là bội số của 0,5")
        if self.unit in WHOLE_UNITS and self.value % 1:
            raise ValueError(
                "thời hạn giải quyết (processing_time.value) phải là số nguyên khi tính theo "
                f"{self.unit.label}"
            )
        if self.value > MAX_PROCESSING[self.unit]:
            raise ValueError(
                f"thời hạn giải quyết (processing_time.value) tối đa {MAX_PROCESSING[self.unit]} "
                f"{self.unit.label}"
            )
        return self

    @property
    def days(self) -> int:
        """The whole days that `processing_days` shows older clients."""
        return math.ceil(self.value * DAYS_PER_UNIT[self.unit])


# ---------------------------------------------------------------------------------------------
# How the models fit (STYLE.md, Naming): `XBase` declares each field once, with its column
# (`sa_type`, keys and indexes: none of it shows in a JSON schema); the table, `XPublic` and
# `XDetail` extend it, and `XCreate` narrows it with the rules of a write. The procedure reads
# publish plain types (API.md), so their constraints live on ProcedureCreate alone.

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AgencyCode = Annotated[str, StringConstraints(pattern=AGENCY_CODE_RE.pattern)]
ProcedureCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=PROCEDURE_CODE_RE
    ),
]

AgencyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
FieldCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
FieldName = AgencyName
ProcedureName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]


# ---------------------------------------------------------------------------------------------
# Agencies


class AgencyBase(SQLModel):
    code: AgencyCode = Field(primary_key=True, sa_type=String(16))
    name: AgencyName = Field(sa_type=String(300))
    tier: Tier = Field(sa_type=StrEnumType(Tier, 16))
    parent_code: AgencyCode | None = Field(
        default=None, foreign_key="agency.code", index=True, sa_type=String(16)
    )


class Agency(AgencyBase, table=True):
    # Materialised path "root/…/self/" so a subtree is one prefix match on any database.
    path: str = Field(index=True, sa_type=String(1000))


class AgencyCreate(AgencyBase):
    model_config = WRITE_CONFIG


class AgencyPublic(AgencyBase):
    pass


# ---------------------------------------------------------------------------------------------
# Fields (lĩnh vực)


class FieldBase(SQLModel):
    code: FieldCode = Field(primary_key=True, sa_type=String(32))
    name: FieldName = Field(sa_type=String(300))


class ProcedureField(FieldBase, table=True):
    __tablename__ = "field"


class FieldCreate(FieldBase):
    model_config = WRITE_CONFIG


class FieldPublic(FieldBase):
    pass


# ---------------------------------------------------------------------------------------------
# Procedures


class ProcedureAgency(SQLModel, table=True):
    """An agency that offers a procedure (DOMAIN.md §3: every commune offers the commune-tier
    procedures). `position` 0 is the procedure's `agency_code`, kept for older clients."""

    __tablename__ = "procedure_agency"

    procedure_code: str = Field(foreign_key="procedure.code", primary_key=True, sa_type=String(64))
    agency_code: str = Field(
        foreign_key="agency.code", primary_key=True, index=True, sa_type=String(16)
    )
    position: int = Field(sa_type=Integer)


class AgencyRef(BaseModel):
    """An offering agency as reads show it."""

    code: str
    name: str


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
    template: Annotated[str, StringConstraints(pattern=TEMPLATE_NAME_RE)] | None = Field(
        default=None, description="the blank form's file name in TEMPLATES_DIR"
    )
    is_form: bool | None = Field(
        default=None,
        description=(
            "whether the component is a form to fill in (tờ khai, đơn), which then needs a "
            "template at levels 2-4; null: judged by its name (records written without it)"
        ),
    )
    template_url: str | None = Field(
        default=None, description="where the blank form is served (reads only)"
    )

    @field_validator("key")
    @classmethod
    def _not_reserved(cls, key: str) -> str:
        if key in RESERVED_DOCUMENT_KEYS:
            raise ValueError(
                f"mã '{key}' trùng tên một trường của hồ sơ nộp (procedure_code, applicant, form, "
                "channel); hãy đặt mã khác"
            )
        return key


class ProcedureBase(SQLModel):
    """What every view of a procedure shows, and its columns."""

    code: str = Field(primary_key=True, sa_type=String(64))
    name: str = Field(sa_type=String(500))
    level: Literal[1, 2, 3, 4] = Field(index=True, sa_type=Integer)
    agency_code: str = Field(foreign_key="agency.code", index=True, sa_type=String(16))
    field_code: str = Field(foreign_key="field.code", index=True, sa_type=String(32))
    tier: Tier = Field(index=True, sa_type=StrEnumType(Tier, 16))
    processing_days: int
    fee_vnd: int = Field(sa_type=BigInteger)


class ProcedureContent(SQLModel):
    """What a procedure's page shows beyond the list fields."""

    description: str = Field(sa_type=Text)
    steps: list[str] = Field(sa_type=JSON)
    legal_basis: list[str] = Field(sa_type=JSON)
    # Who may apply (DOMAIN.md §3); a submission by another kind of applicant is refused
    # (services/dossiers/applicant_checks.py).
    applicant_kinds: list[ApplicantKind] = Field(
        default_factory=lambda: list(DEFAULT_APPLICANT_KINDS),
        description="who may apply: individual, organisation, foreigner (a passport holder)",
        sa_type=JSON,
        sa_column_kwargs={"server_default": DEFAULT_APPLICANT_KINDS_JSON},
    )
    result: str = Field(sa_type=Text)
    channels: list[ProcedureChannel] = Field(
        default_factory=lambda: [ProcedureChannel.counter, ProcedureChannel.postal],
        description="how dossiers may be handed in: counter, postal, online",
        sa_type=JSON,
        sa_column_kwargs={"server_default": DEFAULT_CHANNELS_JSON},
    )
    # Stored as the JSON of FeeLine, validated when written (ProcedureCreate).
    fees: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": "[]"}
    )
    # Stored as the JSON of RequiredDocument, validated when written (ProcedureCreate).
    required_documents: list[dict[str, Any]] = Field(sa_type=JSON)
    form_schema: dict[str, Any] | None = Field(sa_type=JSON)
    # Whether handling ends in a result the agency issues (a licence, a certificate, a
    # decision; not an information-only procedure), and whether that result must also be
    # handed over on paper (a card, an original certificate): DOMAIN.md §3. Indicator 4.1
    # counts electronic results among the dossiers of procedures that issue one.
    issues_result: bool = Field(
        default=True,
        description="handling ends in a result document; electronic result files allowed",
        sa_column_kwargs={"server_default": "1"},
    )
    requires_paper_result: bool = Field(
        default=False,
        description="the result is also issued on paper (collected at the desk or by post)",
        sa_column_kwargs={"server_default": "0"},
    )


class ProcedureClock(SQLModel):
    """How the deadline clock runs for a procedure's dossiers (DOMAIN.md §5): columns only; the
    API shows them as `processing_time` and `fee_pauses_clock`."""

    processing_amount: float = Field(
        default=0.0, sa_type=Float, sa_column_kwargs={"server_default": "0"}
    )
    processing_unit: ProcessingUnit = Field(
        default=ProcessingUnit.working_days,
        sa_type=StrEnumType(ProcessingUnit, 16),
        sa_column_kwargs={"server_default": ProcessingUnit.working_days.value},
    )
    # The time to meet financial obligations is not counted (land procedures, DOMAIN.md §5).
    fee_pauses_clock: bool = Field(
        default=False, sa_type=Boolean, sa_column_kwargs={"server_default": false()}
    )


class Procedure(Timestamps, ProcedureClock, ProcedureContent, ProcedureBase, table=True):
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    # Name and code folded once in Python (lower case, no diacritics, đ→d) so that search is
    # the same on SQLite and PostgreSQL; see services/catalogue/procedures.py.
    search_text: str = Field(sa_type=Text)
    retired_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)

    @property
    def online_mode(self) -> OnlineMode:
        return online_mode_for(self.level)

    @property
    def processing_time(self) -> ProcessingTime:
        # As stored: it was validated when written, and a read must never fail on it.
        return ProcessingTime.model_construct(
            value=self.processing_amount, unit=ProcessingUnit(self.processing_unit)
        )


class ProcedurePublic(ProcedureBase):
    """The fields of a procedure in lists (API.md, Catalogue)."""

    online_mode: OnlineMode
    processing_time: ProcessingTime = Field(
        description="the processing time in the procedure's own unit; `processing_days` is "
        "the same in whole days, rounded up, for older clients"
    )
    agencies: list[AgencyRef] = Field(
        description="every agency that offers the procedure, `agency_code` first"
    )


class ProcedureDetail(ProcedureContent, ProcedurePublic):
    required_documents: list[RequiredDocument]  # type: ignore[assignment]
    fees: list[FeeLine]  # type: ignore[assignment]
    fee_pauses_clock: bool = Field(
        description="the deadline clock stops while the applicant meets financial obligations"
    )
    retired_at: datetime | None = None


def _agency_code_of(item: Any) -> Any:
    """An offering agency as written (its code) or as read (`{code, name}`): a client may
    send back the record it read."""
    if isinstance(item, dict) and set(item) <= {"code", "name"} and "code" in item:
        return item["code"]
    return item


class ProcedureCreate(ProcedureContent, ProcedureBase):
    """A procedure as an administrator writes it (import file, admin API)."""

    model_config = WRITE_CONFIG

    code: ProcedureCode
    name: ProcedureName
    agency_code: AgencyCode | None = Field(  # type: ignore[assignment]
        default=None, description="the first offering agency; defaults to the first of `agencies`"
    )
    agencies: list[Annotated[AgencyCode, BeforeValidator(_agency_code_of)]] | None = Field(
        default=None,
        description="codes of every offering agency (default: `agency_code` alone); the "
        "`{code, name}` objects of a read are taken too",
    )
    channels: list[ProcedureChannel] | None = Field(  # type: ignore[assignment]
        default=None, description="default: counter and postal, and online for levels 3–4"
    )
    fees: list[FeeLine] | None = Field(  # type: ignore[assignment]
        default=None, description='fee lines; default: one line "Lệ phí" of `fee_vnd`'
    )
    tier: Tier | None = Field(  # type: ignore[assignment]
        default=None, description="defaults to the agency's tier"
    )
    processing_days: int | None = Field(  # type: ignore[assignment]
        default=None, ge=0, le=3650, description="older clients: whole working days"
    )
    processing_time: ProcessingTime | None = Field(
        default=None, description="the processing time and its unit (default working days)"
    )
    fee_pauses_clock: bool = False
    fee_vnd: int | None = Field(  # type: ignore[assignment]
        default=None, ge=0, description="older clients: the sum of the fixed fee lines"
    )
    description: str = ""
    steps: list[NonEmpty] = Field(default_factory=list)
    legal_basis: list[NonEmpty] = Field(default_factory=list)
    result: str = ""
    required_documents: list[RequiredDocument] = Field(  # type: ignore[assignment]
        default_factory=list
    )
    form_schema: dict[str, Any] | None = None

    @field_validator("applicant_kinds")
    @classmethod
    def _someone_may_apply(cls, kinds: list[ApplicantKind]) -> list[ApplicantKind]:
        if not kinds:
            raise ValueError(
                "applicant_kinds: cần ít nhất một đối tượng được nộp hồ sơ "
                "(individual, organisation, foreigner)"
            )
        return canonical_kinds(kinds)

    @field_validator("form_schema")
    @classmethod
    def _valid_json_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        if schema is None:
            return None
        dialect = schema.get("$schema", FORM_SCHEMA_DIALECT)
        if dialect != FORM_SCHEMA_DIALECT:
            raise ValueError(
                f"biểu mẫu (form_schema) phải theo JSON Schema Draft 2020-12: {FORM_SCHEMA_DIALECT}"
            )
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(part) for part in exc.path) or "(root)"
            message = f"biểu mẫu (form_schema) không phải JSON Schema hợp lệ tại {where}"
            raise ValueError(message) from exc
        if schema.get("type") != "object":
            raise ValueError('biểu mẫu (form_schema) phải mô tả một đối tượng ("type": "object")')
        return schema

    @model_validator(mode="after")
    def _one_processing_time(self) -> "ProcedureCreate":
        # Either may be given; both, only when they say the same (an older client that edits
        # `processing_days` of a record it read must not have its change ignored).
        if self.processing_time is None:
            if self.processing_days is None:
                raise ValueError(
                    "bắt buộc: thời hạn giải quyết (processing_time, hoặc processing_days)"
                )
            self.processing_time = ProcessingTime(value=self.processing_days)
        elif self.processing_days not in (None, self.processing_time.days):
            raise ValueError(
                f"processing_days ({self.processing_days}) không khớp với processing_time "
                f"({self.processing_time.days} ngày, làm tròn lên); chỉ gửi processing_time"
            )
        self.processing_days = self.processing_time.days
        return self

    @model_validator(mode="after")
    def _offering_agencies(self) -> "ProcedureCreate":
        if self.agencies is None:
            if self.agency_code is None:
                raise ValueError("cần agency_code hoặc agencies (các cơ quan thực hiện)")
            self.agencies = [self.agency_code]
        if not self.agencies:
            raise ValueError("agencies: cần ít nhất một cơ quan thực hiện")
        duplicates = sorted({a for a in self.agencies if self.agencies.count(a) > 1})
        if duplicates:
            raise ValueError(f"agencies: cơ quan bị lặp lại: {', '.join(duplicates)}")
        if self.agency_code is None:
            self.agency_code = self.agencies[0]
        elif self.agency_code not in self.agencies:
            raise ValueError(f"agency_code {self.agency_code} phải nằm trong danh sách agencies")
        rest = [a for a in self.agencies if a != self.agency_code]
        self.agencies = [self.agency_code, *rest]
        return self

    @model_validator(mode="after")
    def _channels_for_the_level(self) -> "ProcedureCreate":
        # Only levels 3–4 take dossiers online, and they must (Decree 43/2011 Art. 3).
        if self.channels is None:
            self.channels = default_channels(self.level)
            return self
        if not self.channels:
            raise ValueError("channels: cần ít nhất một cách thức nộp hồ sơ")
        online = ProcedureChannel.online in self.channels
        if online and not accepts_online(self.level):
            raise ValueError(
                f"channels: thủ tục mức độ {self.level} không tiếp nhận hồ sơ trực tuyến (online)"
            )
        if accepts_online(self.level) and not online:
            raise ValueError(
                f"channels: thủ tục mức độ {self.level} phải tiếp nhận hồ sơ trực tuyến (online)"
            )
        self.channels = [c for c in ProcedureChannel if c in self.channels]
        return self

    @model_validator(mode="after")
    def _fee_lines(self) -> "ProcedureCreate":
        # `fee_vnd` alone (older clients) is one line; both, only when they say the same.
        if self.fees is None:
            amount = self.fee_vnd or 0
            self.fees = (
                [] if self.fee_vnd is None else [FeeLine(label=FEE_LINE_LABEL, amount_vnd=amount)]
            )
        elif self.fee_vnd is not None and self.fee_vnd != fixed_fee(self.fees):
            raise ValueError(
                f"fee_vnd ({self.fee_vnd}) khác tổng các khoản lệ phí cố định trong fees "
                f"({fixed_fee(self.fees)}); chỉ gửi fees"
            )
        self.fee_vnd = fixed_fee(self.fees)
        return self

    def columns(self) -> dict[str, Any]:
        """The table's columns for this record (the time as amount and unit)."""
        data = self.model_dump(mode="json", exclude={"processing_time", "agencies"})
        assert self.processing_time is not None
        data["processing_amount"] = self.processing_time.value
        data["processing_unit"] = self.processing_time.unit
        return data

    @model_validator(mode="after")
    def _check_documents_and_schema(self) -> "ProcedureCreate":
        keys = [doc.key for doc in self.required_documents]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"mã thành phần hồ sơ bị trùng: {', '.join(duplicates)}")
        if accepts_online(self.level) and self.form_schema is None:
            raise ValueError("bắt buộc có biểu mẫu (form_schema) với thủ tục mức độ 3 và 4")
        if not accepts_online(self.level) and self.form_schema is not None:
            raise ValueError(
                "thủ tục mức độ 1 và 2 không nộp trực tuyến nên không có biểu mẫu: form_schema "
                "phải là null"
            )
        if self.requires_paper_result and not self.issues_result:
            raise ValueError(
                "requires_paper_result chỉ dùng khi thủ tục có kết quả giải quyết "
                "(issues_result là true)"
            )
        return self


class ProcedureUpdate(ProcedureCreate):
    """A procedure's new record (`PUT`): the whole record, under the code of the path."""

    code: str | None = Field(  # type: ignore[assignment]
        default=None, description="ignored: the code in the path wins"
    )


class CatalogueImport(BaseModel):
    """The import/export document: all or nothing."""

    model_config = ConfigDict(extra="forbid")

    agencies: list[AgencyCreate] = Field(default_factory=list)
    fields: list[FieldCreate] = Field(default_factory=list)
    procedures: list[ProcedureCreate] = Field(default_factory=list)
    sample: dict[str, Any] | None = Field(
        default=None,
        description="what the document's data is, for its reader (the sample catalogue says its "
        "province, sources, unverified codes and roadmap here); never imported",
    )


class ImportWarning(BaseModel):
    """A procedure imported without every component of a complete record (a warning: the
    record is written)."""

    loc: list[str | int]
    code: str
    missing: list[str]
    msg: str


class ImportReport(BaseModel):
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    warnings: list[ImportWarning] = Field(
        default_factory=list, description="procedures written without a complete record"
    )
