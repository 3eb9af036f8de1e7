"""Who submits a dossier (DOMAIN.md §3, Applicants; API.md, Submitting a dossier).

An applicant is an individual — a Vietnamese citizen with the 12-digit personal identification
number, or a foreigner with a passport — or an organisation with its tax code and its legal
representative. The `...Create` models are what a submission is checked against; the
`...Public` models read what is stored, including applicants stored before `kind` existed,
which are individuals and may carry an old 9-digit identity card number.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.vn import mst

from app.models.types import VN_TZ


class ApplicantKind(StrEnum):
    """Who may apply for a procedure (the catalogue's `applicant_kinds`, DOMAIN.md §3)."""

    individual = "individual"
    organisation = "organisation"
    foreigner = "foreigner"

    @property
    def label(self) -> str:
        """The Vietnamese name, for messages."""
        return KIND_LABELS[self]


KIND_LABELS = {
    ApplicantKind.individual: "cá nhân",
    ApplicantKind.organisation: "tổ chức",
    ApplicantKind.foreigner: "người nước ngoài",
}
# What a procedure takes when its record does not say: what every procedure took in effect
# before kinds existed (a person with an identity number, a business's representative among
# them); foreigners could not apply, having no passport field. Migration 9c2e4a7d1f35.
DEFAULT_APPLICANT_KINDS = (ApplicantKind.individual, ApplicantKind.organisation)
DEFAULT_APPLICANT_KINDS_JSON = '["individual", "organisation"]'  # the column's server default


VIETNAM_CALLING_CODE = 84


def canonical_kinds(kinds: Any) -> list[ApplicantKind]:
    """The kinds once each, in the enum's order: the same record always stores the same list."""
    return [kind for kind in ApplicantKind if kind in kinds]


# ---------------------------------------------------------------------------------------------
# The rules of each field. ASCII digits only everywhere: `\d` and str.isdigit() take
# Arabic-Indic, full-width and other digits, which no Vietnamese register uses.

# Số định danh cá nhân: 12 digits, printed on the CCCD / căn cước card (DOMAIN.md §3).
PERSONAL_ID_RE = re.compile(r"[0-9]{12}")
# The 9-digit identity card (chứng minh nhân dân) is no longer valid from 1 January 2025: Law on
# Identification 2023 (26/2023/QH15), Art. 46 — an identity card still in date is valid until
# the end of 31 December 2024.
OLD_IDENTITY_CARD_RE = re.compile(r"[0-9]{9}")
# A passport number as printed: the machine-readable zone of ICAO Doc 9303 writes it with the
# letters A–Z and the digits 0–9. The bounds are a guard against typing errors, not a rule of
# the standard.
PASSPORT_RE = re.compile(r"[A-Z0-9]{5,20}")
# Mã số thuế: 10 digits, the 10th a check digit; a dependent unit (branch) has 13, written
# 10-3 (python-stdnum, stdnum.vn.mst, checks the digit and the parts).
TAX_CODE_RE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A phone number as people write it: ASCII digits, an optional leading +, and the usual
# separators (`0912 345 678`, `0912.345.678`, `(0203) 3861 234`, `+84-912-345-678`).
PHONE_CHARS_RE = re.compile(r"\+?[0-9 .\-()]{1,30}")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

PERSONAL_ID_MSG = "số định danh cá nhân phải gồm đúng 12 chữ số (0–9)"
OLD_IDENTITY_CARD_MSG = (
    "chứng minh nhân dân 9 số không còn giá trị sử dụng từ ngày 01/01/2025 (Luật Căn cước "
    "2023, Điều 46); hãy nhập số định danh cá nhân gồm 12 chữ số in trên thẻ căn cước"
)
PASSPORT_MSG = "số hộ chiếu gồm 5–20 chữ cái Latinh (A–Z) và chữ số, như in trên hộ chiếu"
TAX_CODE_MSG = (
    "mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với đơn vị phụ "
    "thuộc (ví dụ 0100109106 hoặc 0100109106-001)"
)
TAX_CODE_CHECK_MSG = "mã số thuế không đúng: chữ số kiểm tra (chữ số thứ 10) không khớp"
TAX_CODE_PARTS_MSG = (
    "mã số thuế không đúng: chữ số thứ 3 đến thứ 9 không thể đều là 0, và số của đơn vị phụ "
    "thuộc từ 001 đến 999"
)
PHONE_MSG = (
    "số điện thoại Việt Nam không hợp lệ: di động 10 chữ số, cố định 11 chữ số, bắt đầu bằng 0 "
    "hoặc +84 thay cho số 0 (ví dụ 0912 345 678, +84 912 345 678, 0203 3861 234)"
)
EMAIL_MSG = "địa chỉ email không hợp lệ (dạng ten@ten-mien.vn)"
DATE_MSG = "ngày sinh phải có dạng YYYY-MM-DD (ví dụ 1990-08-25)"
NO_IDENTITY_MSG = (
    "bắt buộc: số định danh cá nhân (12 chữ số), hoặc số hộ chiếu đối với người nước ngoài"
)
TWO_IDENTITIES_MSG = "chỉ nhập một trong hai: số định danh cá nhân hoặc số hộ chiếu"


def check_personal_id(value: str) -> str:
    if OLD_IDENTITY_CARD_RE.fullmatch(value):
        raise ValueError(OLD_IDENTITY_CARD_MSG)
    if not PERSONAL_ID_RE.fullmatch(value):
        raise ValueError(PERSONAL_ID_MSG)
    return value


def check_passport_number(value: str) -> str:
    compact = value.upper()
    if not PASSPORT_RE.fullmatch(compact):
        raise ValueError(PASSPORT_MSG)
    return compact


def check_tax_code(value: str) -> str:
    """Stored as `0100109106` or, for a dependent unit, `0100109106-001`."""
    match = TAX_CODE_RE.fullmatch(value)
    if not match:
        raise ValueError(TAX_CODE_MSG)
    try:
        mst.validate(value)
    except InvalidChecksum:
        raise ValueError(TAX_CODE_CHECK_MSG) from None
    except InvalidNumber:
        raise ValueError(TAX_CODE_PARTS_MSG) from None
    head, branch = match.groups()
    return f"{head}-{branch}" if branch else head


def check_phone_number(value: str) -> str:
    """A Vietnamese number (country code 84, mobile or landline, as `phonenumbers` knows the
    numbering plan), stored in E.164: `0912 345 678` → `+84912345678`."""
    if not PHONE_CHARS_RE.fullmatch(value):
        raise ValueError(PHONE_MSG)
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        raise ValueError(PHONE_MSG) from None
    if number.country_code != VIETNAM_CALLING_CODE or not phonenumbers.is_valid_number(number):
        raise ValueError(PHONE_MSG)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(stored: str) -> str:
    """A stored number as people write it: `+84912345678` → `0912 345 678` (receipts and
    printed forms); a foreign number in its international form, one that does not parse (kept
    as typed before numbers were normalised) as stored."""
    try:
        number = phonenumbers.parse(stored, "VN")
    except phonenumbers.NumberParseException:
        return stored
    if number.country_code != VIETNAM_CALLING_CODE:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def check_email_address(value: str) -> str:
    """The address in its normalised form; the syntax only (no DNS: the server may have no
    internet access, and a mail server that is down says nothing about the address)."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(EMAIL_MSG) from None


def check_birth_date(value: Any, today: date) -> date:
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        raise ValueError(DATE_MSG)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("ngày sinh không có thật trong lịch (YYYY-MM-DD)") from None
    if day > today:
        raise ValueError("ngày sinh không được sau ngày hôm nay")
    if day < EARLIEST_BIRTH_DATE:
        raise ValueError("ngày sinh không được trước ngày 01/01/1900")
    return day


def vietnam_today(info: ValidationInfo) -> date:
    """The Vietnam date of the submission (`context={"today": …}`), else of now."""
    today = (info.context or {}).get("today")
    return today if isinstance(today, date) else datetime.now(VN_TZ).date()


def _blank_is_none(value: Any) -> Any:
    # An empty optional field is what a web form sends for a field left empty.
    return None if isinstance(value, str) and not value.strip() else value


def _optional(rule: Callable[[str], str]) -> Callable[[str | None], str | None]:
    return lambda value: None if value is None else rule(value)


def _birth_date(value: Any, info: ValidationInfo) -> Any:
    value = _blank_is_none(value)
    if value is None:
        return None
    return check_birth_date(value.strip() if isinstance(value, str) else value, vietnam_today(info))


def _identity(model: "IndividualApplicantCreate | RepresentativeCreate") -> None:
    """One identity, not two. The error names its field in `ctx` (a model's own errors have no
    place of their own): services/dossiers/applicant_checks.py puts it in the detail's `loc`."""
    if model.id_number is None and model.passport_number is None:
        raise PydanticCustomError("identity", NO_IDENTITY_MSG, {"field": "id_number"})
    if model.id_number is not None and model.passport_number is not None:
        raise PydanticCustomError("identity", TWO_IDENTITIES_MSG, {"field": "passport_number"})


# ---------------------------------------------------------------------------------------------
# What a submission sends

WRITE = ConfigDict(extra="forbid", str_strip_whitespace=True)
FullName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
OrganisationName = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Address = Annotated[str, StringConstraints(min_length=1, max_length=500)]
OptionalAddress = Annotated[
    Annotated[str, StringConstraints(max_length=500)] | None, BeforeValidator(_blank_is_none)
]
Phone = Annotated[
    str,
    AfterValidator(check_phone_number),
    Field(description="a Vietnamese number: 0912 345 678, +84 912 345 678, …; read as E.164"),
]
Email = Annotated[
    str | None,
    BeforeValidator(_blank_is_none),
    AfterValidator(_optional(check_email_address)),
    Field(description="optional; checked for its syntax, stored normalised"),
]
PersonalId = Annotated[
    str | None,
    BeforeValidator(_blank_is_none),
    AfterValidator(_optional(check_personal_id)),
    Field(description="số định danh cá nhân: 12 digits"),
]
Passport = Annotated[
    str | None,
    BeforeValidator(_blank_is_none),
    AfterValidator(_optional(check_passport_number)),
]
BirthDate = Annotated[
    date | None, BeforeValidator(_birth_date), Field(description="YYYY-MM-DD, a past date")
]


class IndividualApplicantCreate(BaseModel):
    """A person: the 12-digit personal identification number, or a foreigner's passport."""

    model_config = WRITE

    kind: Literal["individual"] = "individual"
    full_name: FullName
    birth_date: BirthDate = None
    id_number: PersonalId = None
    passport_number: Passport = Field(
        default=None, description="a foreigner's, where the procedure accepts foreigners"
    )
    phone: Phone
    email: Email = None
    address: OptionalAddress = None

    @model_validator(mode="after")
    def _one_identity(self) -> "IndividualApplicantCreate":
        _identity(self)
        return self

    @property
    def applicant_kind(self) -> ApplicantKind:
        """A passport makes a foreigner (DOMAIN.md §3)."""
        return ApplicantKind.foreigner if self.passport_number else ApplicantKind.individual

    @property
    def display_name(self) -> str:
        return self.full_name


class RepresentativeCreate(BaseModel):
    """An organisation's legal representative (người đại diện theo pháp luật)."""

    model_config = WRITE

    full_name: FullName
    title: Title = Field(description="chức vụ, e.g. Giám đốc")
    id_number: PersonalId = None
    passport_number: Passport = Field(default=None, description="a foreign representative's")

    @model_validator(mode="after")
    def _one_identity(self) -> "RepresentativeCreate":
        _identity(self)
        return self


class OrganisationApplicantCreate(BaseModel):
    """A business, an association, an agency: its tax code and its legal representative."""

    model_config = WRITE

    kind: Literal["organisation"]
    name: OrganisationName
    tax_code: Annotated[str, AfterValidator(check_tax_code)] = Field(
        description="mã số thuế: 10 digits, or 10-3 for a dependent unit"
    )
    representative: RepresentativeCreate
    phone: Phone
    email: Email = None
    address: Address = Field(description="the head office (trụ sở chính)")

    @property
    def applicant_kind(self) -> ApplicantKind:
        return ApplicantKind.organisation

    @property
    def display_name(self) -> str:
        return self.name


ApplicantCreate = IndividualApplicantCreate | OrganisationApplicantCreate
APPLICANT_MODELS: dict[str, type[IndividualApplicantCreate | OrganisationApplicantCreate]] = {
    "individual": IndividualApplicantCreate,
    "organisation": OrganisationApplicantCreate,
}


# ---------------------------------------------------------------------------------------------
# What is read back (officers, the applicant's own details): as stored, never checked again, so
# that an applicant stored under older rules still reads.


class RepresentativePublic(BaseModel):
    full_name: str
    title: str
    id_number: str | None = None
    passport_number: str | None = None


class IndividualApplicantPublic(BaseModel):
    kind: Literal["individual"] = "individual"
    full_name: str
    birth_date: date | None = None
    id_number: str | None = Field(
        default=None,
        description="12 digits; a dossier submitted before applicant kinds (revision "
        "9c2e4a7d1f35) may carry a 9-digit CMND",
    )
    passport_number: str | None = None
    phone: str = Field(description="E.164 (+84912345678); before revision 9c2e4a7d1f35, as typed")
    email: str | None = None
    address: str | None = None


class OrganisationApplicantPublic(BaseModel):
    kind: Literal["organisation"]
    name: str
    tax_code: str
    representative: RepresentativePublic
    phone: str
    email: str | None = None
    address: str


ApplicantPublic = Annotated[
    IndividualApplicantPublic | OrganisationApplicantPublic, Field(discriminator="kind")
]
_PUBLIC: TypeAdapter[IndividualApplicantPublic | OrganisationApplicantPublic] = TypeAdapter(
    ApplicantPublic
)


def applicant_public(
    stored: dict[str, Any],
) -> IndividualApplicantPublic | OrganisationApplicantPublic:
    """The stored applicant; one stored without `kind` (before organisations) is an individual."""
    return _PUBLIC.validate_python({"kind": ApplicantKind.individual.value, **stored})


def applicant_display_name(stored: dict[str, Any]) -> str:
    """The name officers see in the queue: the person's, or the organisation's."""
    key = "name" if stored.get("kind") == ApplicantKind.organisation else "full_name"
    return str(stored.get(key) or "")
