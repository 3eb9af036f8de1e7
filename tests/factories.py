"""Small factories for catalogue records."""

from typing import Any

from sqlmodel import Session

from app.models import Agency, Procedure, ProcedureField
from app.services.catalogue import search_text_for

FORM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Tờ khai",
    "properties": {"ho_ten": {"type": "string", "title": "Họ và tên", "minLength": 1}},
    "required": ["ho_ten"],
}
PDF_DOC: dict[str, Any] = {
    "key": "to_khai",
    "name": "Tờ khai",
    "required": True,
    "originals": 1,
    "copies": 0,
    "accepted_types": ["application/pdf"],
    "max_size_mb": None,
    "template_url": None,
}


def make_agency(
    session: Session,
    code: str = "000.00.00.H20",
    name: str = "Ủy ban nhân dân tỉnh",
    tier: str = "province",
    parent: Agency | None = None,
) -> Agency:
    agency = Agency(
        code=code,
        name=name,
        tier=tier,
        parent_code=parent.code if parent else None,
        path=(parent.path if parent else "") + code + "/",
    )
    session.add(agency)
    session.commit()
    return agency


def make_field(session: Session, code: str = "G01", name: str = "Hộ tịch") -> ProcedureField:
    field = ProcedureField(code=code, name=name)
    session.add(field)
    session.commit()
    return field


def make_procedure(
    session: Session,
    agency: Agency,
    field: ProcedureField,
    code: str = "1.000001",
    name: str = "Đăng ký khai sinh",
    level: int = 3,
    **overrides: Any,
) -> Procedure:
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "search_text": search_text_for(name, code),
        "level": level,
        "agency_code": agency.code,
        "field_code": field.code,
        "tier": agency.tier,
        "processing_days": 5,
        "fee_vnd": 0,
        "description": "",
        "steps": [],
        "legal_basis": [],
        "result": "",
        "required_documents": [PDF_DOC] if level >= 3 else [],
        "form_schema": FORM_SCHEMA if level >= 3 else None,
    }
    values.update(overrides)
    procedure = Procedure(**values)
    session.add(procedure)
    session.commit()
    return procedure
