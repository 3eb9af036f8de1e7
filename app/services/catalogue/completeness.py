"""Whether a procedure's record is complete: published with every component a citizen needs.

Decision 766/QĐ-TTg (2022), indicator 1.3, counts the procedures published with all their
components; DOMAIN.md §3 lists what a procedure record carries. The components checked here,
in that order, are those of DOMAIN.md §3 that a record can lack:

| component          | complete when                                                       |
|--------------------|---------------------------------------------------------------------|
| name               | the name is not empty                                               |
| level              | a service level 1–4                                                 |
| agency             | at least one offering agency                                        |
| field              | a field (lĩnh vực)                                                  |
| steps              | at least one step (trình tự thực hiện)                              |
| channels           | at least one channel (cách thức thực hiện)                          |
| processing_time    | a processing time above zero, with its unit                         |
| fees               | at least one fee line (a free procedure says so: a line of 0 VND)   |
| documents          | at least one dossier component (thành phần hồ sơ)                   |
| templates          | levels 2–4: every component that is a form has a template           |
| applicant_kinds    | at least one kind of applicant (đối tượng thực hiện)                |
| result             | the result is described (kết quả thực hiện)                         |
| legal_basis        | at least one legal text (căn cứ pháp lý)                            |
| form_schema        | levels 3–4: the online form's schema                                |

Each component's own details (a document's copies and file types, a fee line's amount, a
channel's name) are validated when written, so they are never incomplete here. "A component
that is a form" is one whose record says so (`is_form`: true), and the level-2 promise (Decree
43/2011 Art. 3: the citizen downloads the blank forms) is about exactly those. A record that
does not say (`is_form` null or absent: records written before the flag existed) is judged by
its name, as a form is named (tờ khai, đơn, phiếu, bản khai, giấy đề nghị, mẫu ...); a name is
only a guess ("Phiếu lý lịch tư pháp" is a certificate, not a form), which `is_form`: false
corrects.
"""

from collections.abc import Mapping
from typing import Any

from app.services.text import fold

COMPONENTS = (
    "name",
    "level",
    "agency",
    "field",
    "steps",
    "channels",
    "processing_time",
    "fees",
    "documents",
    "templates",
    "applicant_kinds",
    "result",
    "legal_basis",
    "form_schema",
)

# Vietnamese names of the components, for warnings a person reads.
COMPONENT_LABELS = {
    "name": "tên thủ tục",
    "level": "mức độ dịch vụ",
    "agency": "cơ quan thực hiện",
    "field": "lĩnh vực",
    "steps": "trình tự thực hiện",
    "channels": "cách thức thực hiện",
    "processing_time": "thời hạn giải quyết",
    "fees": "phí, lệ phí",
    "documents": "thành phần hồ sơ",
    "templates": "mẫu đơn, tờ khai",
    "applicant_kinds": "đối tượng thực hiện",
    "result": "kết quả thực hiện",
    "legal_basis": "căn cứ pháp lý",
    "form_schema": "biểu mẫu điện tử",
}

# Folded beginnings of the names of components that are forms to fill in.
FORM_NAME_STARTS = (
    "to khai",
    "don ",
    "phieu ",
    "ban khai",
    "giay de nghi",
    "van ban de nghi",
    "mau ",
)


def is_form(document_name: str) -> bool:
    """Whether a dossier component's name is that of a form to fill in (the guess for records
    that do not say, see `is_form_document`)."""
    name = fold(document_name).strip()
    return name.startswith(FORM_NAME_STARTS)


def is_form_document(document: Mapping[str, Any]) -> bool:
    """Whether a dossier component is a form to fill in (and so has a blank template): its own
    `is_form` when the record says, else a guess from its name."""
    flag = document.get("is_form")
    if isinstance(flag, bool):
        return flag
    return is_form(str(document.get("name", "")))


def missing_components(record: Mapping[str, Any]) -> list[str]:
    """The components (of COMPONENTS, in that order) that a procedure's record lacks.

    `record` holds the procedure's columns (`name`, `level`, `agency_code`, `field_code`,
    `steps`, `channels`, `processing_amount`, `fees`, `required_documents`, `applicant_kinds`,
    `result`, `legal_basis`, `form_schema`), as the table or an import record has them."""
    level = record.get("level")
    documents = record.get("required_documents") or []
    present = {
        "name": bool(str(record.get("name") or "").strip()),
        "level": level in (1, 2, 3, 4),
        "agency": bool(record.get("agency_code")),
        "field": bool(record.get("field_code")),
        "steps": bool(record.get("steps")),
        "channels": bool(record.get("channels")),
        "processing_time": (record.get("processing_amount") or 0) > 0,
        "fees": bool(record.get("fees")),
        "documents": bool(documents),
        "templates": not (isinstance(level, int) and level >= 2)
        or all(doc.get("template") for doc in documents if is_form_document(doc)),
        "applicant_kinds": bool(record.get("applicant_kinds")),
        "result": bool(str(record.get("result") or "").strip()),
        "legal_basis": bool(record.get("legal_basis")),
        "form_schema": not (isinstance(level, int) and level >= 3)
        or record.get("form_schema") is not None,
    }
    return [component for component in COMPONENTS if not present[component]]


def missing_text(missing: list[str]) -> str:
    """The missing components as a Vietnamese list."""
    return ", ".join(COMPONENT_LABELS[component] for component in missing)
