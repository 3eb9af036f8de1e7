"""A procedure record of the sample in the import format (docs/API.md, Catalogue; issue 14):
offering agencies, channels, fee lines, applicant kinds, processing time with its unit, result,
documents with their templates."""

from dataclasses import dataclass
from typing import Any

from app.services.catalogue.completeness import is_form as named_as_form
from tools.sample_catalogue.forms import Form

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCANS = (PDF, JPEG, PNG)
FORM_FILES = (PDF, DOCX)

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"

INDIVIDUAL = "individual"
ORGANISATION = "organisation"
FOREIGNER = "foreigner"

# Each template file and the form it is the paper version of (filled as documents are recorded).
TEMPLATE_FORMS: dict[str, Form] = {}

SAMPLE_NOTE = "Dữ liệu mẫu để phát triển và trình diễn, không phải danh mục chính thức."


@dataclass(frozen=True)
class Doc:
    """A dossier component. `form` is the form it is filled on: the component then gets the
    form's DOCX template, named `template` (default: the key). Every record says whether the
    component is a form to fill in (`is_form`): one with a form is; one named as forms are
    (completeness.py) is too unless it says `is_form=False` (a certificate such as "Phiếu lý
    lịch tư pháp"); `procedure` then wants a form for each at levels 2-4."""

    key: str
    name: str
    originals: int = 1
    copies: int = 0
    required: bool = True
    types: tuple[str, ...] = SCANS
    max_size_mb: int | None = None
    form: Form | None = None
    template: str | None = None
    is_form: bool | None = None

    @property
    def a_form(self) -> bool:
        if self.is_form is not None:
            return self.is_form
        return self.form is not None or named_as_form(self.name)

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "key": self.key,
            "name": self.name,
            "required": self.required,
            "originals": self.originals,
            "copies": self.copies,
            "accepted_types": list(self.types),
            "max_size_mb": self.max_size_mb,
            "is_form": self.a_form,
        }
        if self.form is not None:
            if TEMPLATE_FORMS.setdefault(self.template_file, self.form) != self.form:
                raise ValueError(f"template {self.template_file} names two different forms")
            record["template"] = self.template_file
        return record

    @property
    def template_file(self) -> str:
        return f"{self.template or self.key}.docx"


def form_doc(key: str, form: Form, template: str | None = None, max_size_mb: int = 5) -> Doc:
    """The filled-in form itself (tờ khai, đơn), as a scan or the DOCX template filled in."""
    return Doc(
        key, form.title, types=FORM_FILES, max_size_mb=max_size_mb, form=form, template=template
    )


@dataclass(frozen=True)
class Fee:
    """A fee line: a fixed amount (`per` None) or an amount per page, copy or set."""

    label: str
    amount_vnd: int
    per: str | None = None
    online_discount_vnd: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "amount_vnd": self.amount_vnd,
            "per": self.per,
            "online_discount_vnd": self.online_discount_vnd,
        }


def procedure(
    code: str,
    name: str,
    *,
    level: int,
    agencies: list[str],
    field: str,
    time: tuple[float, str],
    result: str,
    legal: list[str],
    documents: list[Doc],
    form: Form | None = None,
    fees: list[Fee] | None = None,
    kinds: tuple[str, ...] = (INDIVIDUAL,),
    channels: list[str] | None = None,
    paper: bool = False,
    issues_result: bool = True,
    fee_pauses_clock: bool = False,
    about: str = "",
) -> dict[str, Any]:
    """One procedure record. The form (levels 3-4: required) is the first document's form
    when not given; levels 1-2 carry no form schema (no online submission)."""
    online = level >= 3
    form = form or next((d.form for d in documents if d.form is not None), None)
    if online and form is None:
        raise ValueError(f"{code}: levels 3-4 need a form")
    blank = [d.key for d in documents if d.a_form and d.form is None]
    if level >= 2 and blank:
        raise ValueError(f"{code}: levels 2-4 need the form of {', '.join(blank)} (a template)")
    if not fees:
        raise ValueError(f"{code}: a fee line is needed (a free procedure: a line of 0 VND)")
    lines = fees
    record: dict[str, Any] = {
        "code": code,
        "name": name,
        "level": level,
        "agency_code": agencies[0],
        "agencies": agencies,
        "field_code": field,
        "channels": channels or ["counter", "postal", *(["online"] if online else [])],
        "applicant_kinds": list(kinds),
        "processing_time": {"value": time[0], "unit": time[1]},
        "fees": [line.record() for line in lines],
        "fee_vnd": sum(line.amount_vnd for line in lines if line.per is None),
        "fee_pauses_clock": fee_pauses_clock,
        "description": f"{about or name}. {SAMPLE_NOTE}",
        "steps": steps_for(level),
        "legal_basis": legal,
        "result": result,
        "issues_result": issues_result,
        "requires_paper_result": paper,
        "required_documents": [doc.record() for doc in documents],
        "form_schema": form.schema() if online and form is not None else None,
    }
    return record


def steps_for(level: int) -> list[str]:
    """The one-stop steps (Nghị định 118/2025/NĐ-CP): how the dossier comes in depends on the
    level."""
    if level == 1:
        submit = "Nộp hồ sơ trực tiếp hoặc qua dịch vụ bưu chính tại Bộ phận Một cửa"
    elif level == 2:
        submit = (
            "Tải mẫu đơn, tờ khai trên Cổng dịch vụ công; nộp hồ sơ trực tiếp hoặc qua dịch "
            "vụ bưu chính tại Bộ phận Một cửa"
        )
    else:
        submit = "Nộp hồ sơ trực tuyến, trực tiếp hoặc qua dịch vụ bưu chính"
    return [
        submit,
        "Bộ phận Một cửa tiếp nhận, kiểm tra tính đầy đủ của hồ sơ và hẹn trả kết quả",
        "Cơ quan có thẩm quyền thẩm định, giải quyết hồ sơ",
        "Trả kết quả tại Bộ phận Một cửa, qua dịch vụ bưu chính"
        + (" hoặc trực tuyến" if level == 4 else ""),
    ]
